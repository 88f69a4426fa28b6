/**
 * diagnose's rules, one row each: the variation probes it reads (by their typed ids, so the
 * compiler keeps the rules and the plan in step) and how it reads them. Every rule sees the
 * working hello; variations are changes of it, so each finding says what one change did.
 */
import type { Rule } from './rule.ts';
import { alpn } from './rules-alpn.ts';
import { refusalCause } from './rules-cause.ts';
import { certificates } from './rules-certificates.ts';
import { clientCertificate } from './rules-client-certificate.ts';
import { pqHybrid, tls12Auth, tls12Ciphers, tls13Ciphers, tls13Groups, versions } from './rules-offer.ts';
import { sni } from './rules-sni.ts';
import { tolerance } from './rules-tolerance.ts';

export type { DiscoveredChain, Observations, Rule, RuleContext, RuleProbes } from './rule.ts';
export { spokenVersions, versionAccepted } from './rules-offer.ts';

/** Every rule that reads the variations of a working hello, in report order (before severity). */
export const RULES: readonly Rule[] = [
  refusalCause,
  sni,
  versions,
  tls12Auth,
  tls12Ciphers,
  tls13Ciphers,
  tls13Groups,
  pqHybrid,
  alpn,
  certificates,
  clientCertificate,
  tolerance,
];
