/**
 * Client authentication as a client without a certificate meets it. The server's
 * CertificateRequest is decoded (TLS 1.3 §4.3.2: certificate_authorities and
 * signature_algorithms through the extension registry's codecs; TLS 1.2 RFC 5246 §7.4.4: its
 * fields). With `answerCertificateRequest`, after a verified TLS 1.3 server Finished the client
 * completes its side as RFC 8446 §4.4.2 says a client without a suitable certificate must (an
 * empty Certificate echoing the certificate_request_context, then its Finished, under the client
 * handshake traffic keys), and `ExpectCertificateVerdict` reads the server's answer under the
 * server application traffic keys: an alert (certificate_required, bad_certificate,
 * handshake_failure) or a close means a certificate is required; a NewSessionTicket,
 * application data, or silence until the driver's wait ends means it is optional.
 */
import { type ApplicationSecrets, finishedVerifyData } from '../../crypto/key-schedule.ts';
import { createRecordProtection, encryptRecord } from '../../crypto/record-protection.ts';
import { findExtensionIn } from '../../extensions/values.ts';
import type { CertificateRequest } from '../../handshake/certificate-request.ts';
import { HANDSHAKE_TYPES } from '../../handshake/header.ts';
import { encodeHandshakeMessage } from '../../handshake/messages.ts';
import { HandshakeReassembler, type ReassembledMessage } from '../../handshake/reassembler.ts';
import { encodeRecord } from '../../records/record.ts';
import { distinguishedNameText } from '../distinguished-name.ts';
import type { CertificateRequestFound, EngineContext } from './context.ts';
import type { HandshakeKeys, ProbeState } from './types.ts';

/** Default wait for the server's verdict on the empty Certificate, ms. */
export const DEFAULT_CERTIFICATE_WAIT_MS = 1_000;

/** What a CertificateRequest asks for, in either form. */
export function certificateRequestFound(m: CertificateRequest): CertificateRequestFound {
  if (m.form === 'tls12') {
    return {
      context: null,
      certificateAuthorities: m.certificateAuthorities.map(distinguishedNameText),
      signatureAlgorithms: m.supportedSignatureAlgorithms ?? [],
      certificateTypes: m.certificateTypes,
    };
  }
  const context = 'certificate_request';
  const authorities = findExtensionIn(m.extensions, 'certificate_authorities', context);
  const algorithms = findExtensionIn(m.extensions, 'signature_algorithms', context);
  return {
    context: m.certificateRequestContext,
    certificateAuthorities: (authorities?.authorities ?? []).map(distinguishedNameText),
    signatureAlgorithms: algorithms?.supportedSignatureAlgorithms ?? [],
  };
}

/** Records the CertificateRequest `raw` (decoded in `version`); false when it does not decode (the engine has stopped). */
export function takeCertificateRequest(raw: Uint8Array, version: number, ctx: EngineContext): boolean {
  ctx.found.certificateRequested = true;
  const parsed = ctx.parse(raw, version);
  if (!parsed) return false;
  if (parsed.type === 'certificate_request') ctx.found.certificateRequest = certificateRequestFound(parsed);
  return true;
}

/** A ChangeCipherSpec record (TLS 1.2's, and TLS 1.3's middlebox compatibility one). */
export const CHANGE_CIPHER_SPEC: Uint8Array = encodeRecord({
  contentType: 20,
  version: 0x0303,
  fragment: Uint8Array.of(1),
});

/**
 * After the verified server Finished (already in the transcript; `application` are the
 * application traffic secrets it gives): when the server asked for a
 * certificate and the options say to answer, sends the client's flight and returns the state
 * that waits for the verdict; otherwise undefined (the probe stops as before).
 */
export function answerCertificateRequest(
  keys: HandshakeKeys,
  application: ApplicationSecrets,
  ctx: EngineContext,
): ProbeState | undefined {
  const request = ctx.found.certificateRequest;
  if (!ctx.options.answerCertificateRequest || !request || request.context === null) return undefined;
  const { transcript, secrets } = keys;
  const certificate = encodeHandshakeMessage({
    type: 'certificate',
    certificateRequestContext: request.context,
    certificateList: [],
  });
  transcript.update(certificate);
  const verifyData = finishedVerifyData(
    transcript.hash,
    secrets.clientHandshakeTrafficSecret,
    transcript.digest(),
  );
  const finished = encodeHandshakeMessage({ type: 'finished', verifyData });
  const flight = new Uint8Array(certificate.length + finished.length);
  flight.set(certificate);
  flight.set(finished, certificate.length);
  // Middlebox compatibility mode (RFC 8446 D.4): a client that sent a legacy_session_id sends
  // a ChangeCipherSpec before its first encrypted record.
  if ((ctx.lastSent?.legacySessionId.length ?? 0) > 0) ctx.send.push(CHANGE_CIPHER_SPEC);
  ctx.send.push(encryptRecord(keys.client, 22, flight).record);
  request.alertsBefore = ctx.found.alerts.length;
  ctx.waitMs = ctx.options.certificateWaitMs ?? DEFAULT_CERTIFICATE_WAIT_MS;
  const params = keys.server.params;
  return new ExpectCertificateVerdict({
    transcript,
    secrets,
    server: createRecordProtection(params, application.serverApplicationTrafficSecret),
    client: createRecordProtection(params, application.clientApplicationTrafficSecret),
    reassembler: new HandshakeReassembler(),
  });
}

/** The server carried on after the client's Finished: a certificate is optional. */
export function accepted(
  ctx: EngineContext,
  how: NonNullable<CertificateRequestFound['accepted']>,
): ProbeState {
  if (ctx.found.certificateRequest) ctx.found.certificateRequest.accepted = how;
  return ctx.stop('complete');
}

/**
 * Waits for the server's answer to the empty Certificate, under the server application traffic
 * keys. An alert is read by the engine (`ctx.alert`) and stops it; the result reads it as the
 * refusal. A close or reset stops the driver, which the result reads the same way.
 */
export class ExpectCertificateVerdict implements ProbeState {
  readonly name = 'ExpectCertificateVerdict' as const;
  readonly keys: HandshakeKeys;
  constructor(keys: HandshakeKeys) {
    this.keys = keys;
  }

  handle(m: ReassembledMessage, ctx: EngineContext): ProbeState {
    // RFC 8446 §4.6.1: a server sends tickets once the client's Finished is in (OpenSSL, Go, GnuTLS do).
    if (m.msgType === HANDSHAKE_TYPES.new_session_ticket) return accepted(ctx, 'new_session_ticket');
    return ctx.unexpected('a NewSessionTicket, application data or an alert', m);
  }

  applicationData(ctx: EngineContext): ProbeState {
    return accepted(ctx, 'application_data');
  }

  silence(ctx: EngineContext): ProbeState {
    return accepted(ctx, 'silence');
  }
}
