/** The paths through the engine's states that real servers' flights take, for the tests that check them. */
import type { ProbeStateName } from '../../src/probe/engine.ts';

/** A TLS 1.3 handshake with a certificate and no CertificateRequest, read to a verified Finished. */
export const TLS13_CERTIFICATE_PATH: readonly ProbeStateName[] = [
  'ExpectServerHello',
  'ExpectEncryptedExtensions',
  'ExpectCertificateOrCertificateRequest',
  'ExpectCertificateVerify',
  'ExpectFinished',
  'Done',
];
