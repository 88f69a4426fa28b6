/** The probe layer (platform-neutral): server-conformance rules, read by probe, diagnose, scan and fuzz. */
export {
  type AfterCloseNotifyEvent,
  type ConformanceEvent,
  type ConformanceVerdict,
  checkConformance,
  type EncryptedExtensionsEvent,
  type ProbeEndEvent,
  type ServerHelloEvent,
  type ServerViolation,
  VIOLATION_RULE_IDS,
  VIOLATION_RULES,
  type ViolationChecks,
  type ViolationRule,
  type ViolationRuleId,
} from './violations.ts';
