/** The probe layer (platform-neutral): the client engine (a state machine over bytes in, bytes out), probeStream() over any byte stream, and the server-conformance rules read by probe, diagnose, scan and fuzz. */

export type {
  ClientCertificateAnswer,
  ClientCertificateStatus,
  ProbeClientCertificate,
} from './client-certificate.ts';
export {
  type CertificateCompressionName,
  type CertificateDecompressor,
  type CertificateDecompressors,
  MAX_DECOMPRESSED_CERTIFICATE,
  webCertificateDecompressors,
} from './decompress.ts';
export {
  type EngineEvent,
  type EngineStep,
  ProbeEngine,
  type ProbeEngineOptions,
  type ProbeStateName,
  type ViolationAbort,
} from './engine.ts';
export { type ProbeDuplex, probeStream, type StreamProbeOptions } from './stream.ts';
export type {
  CertificateSummary,
  HelloWithKeyShares,
  ProbeAlert,
  ProbeOptions,
  ProbeOutcome,
  ProbeResult,
  ProbeServerHello,
  StopReason,
  TranscriptRecord,
  WriteStrategy,
} from './types.ts';
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
