/**
 * The encrypted TLS 1.3 server flight (RFC 8446 §4.3–4.4), one state per message as in rustls's
 * `client/tls13.rs`: EncryptedExtensions, then CertificateRequest and Certificate (or
 * CompressedCertificate, RFC 8879) and CertificateVerify unless a PSK authenticates the server,
 * then Finished, checked against the key schedule. Every message before Finished goes into the
 * transcript hash the Finished is checked against.
 */

import { equalBytes } from '../../bytes/hex.ts';
import { applicationSecrets, finishedVerifyData } from '../../crypto/key-schedule.ts';
import { HANDSHAKE_TYPES } from '../../handshake/header.ts';
import type { ReassembledMessage } from '../../handshake/reassembler.ts';
import { compressedCertificateOf } from '../decompress.ts';
import { EXT, findRawExtension } from '../hello.ts';
import { selectedAlpn } from '../violations.ts';
import { answerCertificateRequest, takeCertificateRequest } from './client-certificate.ts';
import type { EngineContext } from './context.ts';
import { probeExtensions } from './expect-server-hello.ts';
import { DONE, type HandshakeKeys, type Negotiated, type ProbeState, type ProbeStateName } from './types.ts';

const TLS13 = 0x0304;

/** A state of the encrypted flight: it holds the ServerHello and the handshake keys. */
abstract class EncryptedState implements ProbeState {
  abstract readonly name: ProbeStateName;
  readonly negotiated: Negotiated;
  readonly keys: HandshakeKeys;
  constructor(negotiated: Negotiated, keys: HandshakeKeys) {
    this.negotiated = negotiated;
    this.keys = keys;
  }

  /** True in the states a Finished may end (see each state). */
  protected readonly takesFinished: boolean = false;

  /** Checks a Finished the state takes; adds anything else to the transcript and lets the state take it. */
  handle(m: ReassembledMessage, ctx: EngineContext): ProbeState {
    if (this.takesFinished && m.msgType === HANDSHAKE_TYPES.finished) return finish(this.keys, m, ctx);
    this.keys.transcript.update(m.raw);
    return this.take(m, ctx);
  }

  protected abstract take(m: ReassembledMessage, ctx: EngineContext): ProbeState;
}

/** Waits for EncryptedExtensions (RFC 8446 §4.3.1): ALPN and the extensions a ServerHello may not carry. */
export class ExpectEncryptedExtensions extends EncryptedState {
  readonly name = 'ExpectEncryptedExtensions' as const;

  protected take(m: ReassembledMessage, ctx: EngineContext): ProbeState {
    if (m.msgType !== HANDSHAKE_TYPES.encrypted_extensions) return ctx.unexpected('EncryptedExtensions', m);
    const parsed = ctx.parse(m.raw, TLS13);
    if (!parsed) return DONE;
    if (parsed.type !== 'encrypted_extensions') return this;
    ctx.found.encryptedExtensions = probeExtensions(parsed.extensions);
    const sh = ctx.found.serverHello;
    const alpn = selectedAlpn(findRawExtension(parsed.extensions, EXT.alpn), 'encrypted_extensions');
    if (sh && alpn !== null) ctx.found.serverHello = { ...sh, alpn };
    const answered = ctx.lastSent;
    if (answered) {
      const event = {
        kind: 'encrypted_extensions',
        hello: answered,
        extensions: parsed.extensions ?? [],
      } as const;
      const aborted = ctx.conform(event, { client: this.keys.client });
      if (aborted) return aborted;
    }
    return new ExpectCertificateOrCertificateRequest(this.negotiated, this.keys);
  }
}

/**
 * Checks the server Finished (§4.4.4) against the key schedule; the application secrets go to
 * the key log. Then the probe stops, unless it answers a CertificateRequest (client-certificate.ts).
 */
function finish(keys: HandshakeKeys, m: ReassembledMessage, ctx: EngineContext): ProbeState {
  const { transcript, secrets } = keys;
  const expected = finishedVerifyData(
    transcript.hash,
    secrets.serverHandshakeTrafficSecret,
    transcript.digest(),
  );
  ctx.found.finishedVerified = equalBytes(expected, m.body);
  transcript.update(m.raw);
  const application = applicationSecrets(transcript.hash, secrets.masterSecret, transcript.digest());
  ctx.keyLog(application);
  if (!ctx.found.finishedVerified)
    return ctx.stop('protocol_error', 'the server Finished does not match the key schedule');
  return answerCertificateRequest(keys, application, ctx) ?? ctx.stop('complete');
}

/** Takes a Certificate or CompressedCertificate; CertificateVerify comes next. */
function takeCertificate(state: EncryptedState, m: ReassembledMessage, ctx: EngineContext): ProbeState {
  if (m.msgType === HANDSHAKE_TYPES.compressed_certificate) {
    const compressed = compressedCertificateOf(m.body);
    if (typeof compressed === 'string') ctx.found.error ??= compressed;
    else {
      ctx.found.certificateChain.length = 0;
      ctx.found.compressedCertificate = compressed;
    }
  } else {
    const parsed = ctx.parse(m.raw, TLS13);
    if (!parsed) return DONE;
    if (parsed.type === 'certificate') ctx.takeCertificate(parsed);
  }
  return new ExpectCertificateVerify(state.negotiated, state.keys);
}

function isCertificate(m: ReassembledMessage): boolean {
  return m.msgType === HANDSHAKE_TYPES.certificate || m.msgType === HANDSHAKE_TYPES.compressed_certificate;
}

/**
 * Waits for CertificateRequest (§4.3.2), the Certificate, or — when a PSK authenticates the
 * server (§2.2) — the Finished.
 */
export class ExpectCertificateOrCertificateRequest extends EncryptedState {
  readonly name = 'ExpectCertificateOrCertificateRequest' as const;

  protected override readonly takesFinished = true;

  protected take(m: ReassembledMessage, ctx: EngineContext): ProbeState {
    if (m.msgType === HANDSHAKE_TYPES.certificate_request)
      return takeCertificateRequest(m.raw, TLS13, ctx)
        ? new ExpectCertificate(this.negotiated, this.keys)
        : DONE;
    if (isCertificate(m)) return takeCertificate(this, m, ctx);
    return ctx.unexpected('a CertificateRequest, Certificate or Finished', m);
  }
}

/** Waits for the Certificate after a CertificateRequest (§4.4.2). */
export class ExpectCertificate extends EncryptedState {
  readonly name = 'ExpectCertificate' as const;

  protected take(m: ReassembledMessage, ctx: EngineContext): ProbeState {
    return isCertificate(m) ? takeCertificate(this, m, ctx) : ctx.unexpected('a Certificate', m);
  }
}

/**
 * Waits for CertificateVerify (§4.4.3). The probe reports what a server sends and authenticates
 * nobody: the signature is not checked, and a Finished that comes without a CertificateVerify
 * is still checked against the key schedule (it proves the key exchange, not the identity).
 */
export class ExpectCertificateVerify extends EncryptedState {
  readonly name = 'ExpectCertificateVerify' as const;

  protected override readonly takesFinished = true;

  protected take(m: ReassembledMessage, ctx: EngineContext): ProbeState {
    if (m.msgType !== HANDSHAKE_TYPES.certificate_verify) return ctx.unexpected('a CertificateVerify', m);
    return new ExpectFinished(this.negotiated, this.keys);
  }
}

/** Waits for the server Finished (§4.4.4) and checks it; the application secrets go to the key log. */
export class ExpectFinished extends EncryptedState {
  readonly name = 'ExpectFinished' as const;

  protected override readonly takesFinished = true;

  protected take(m: ReassembledMessage, ctx: EngineContext): ProbeState {
    return ctx.unexpected('a Finished', m);
  }
}
