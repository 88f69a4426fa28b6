/**
 * The TLS 1.2 server flight after the ServerHello (RFC 5246 §7.3, RFC 8422 §5): Certificate,
 * CertificateStatus (RFC 6066 §8), ServerKeyExchange, CertificateRequest, ServerHelloDone, in
 * that order, every one before ServerHelloDone optional for some suite (anonymous and PSK
 * suites send no Certificate, RSA key exchange no ServerKeyExchange). A state hands a message
 * that belongs later to the state that takes it, as rustls's `ExpectCertificateStatusOrServerKx`.
 */
import { HANDSHAKE_TYPES } from '../../handshake/header.ts';
import type { ReassembledMessage } from '../../handshake/reassembler.ts';
import { cipherSuiteInfo, groupName } from '../../iana/lookup.ts';
import { takeCertificateRequest } from './client-certificate.ts';
import type { EngineContext } from './context.ts';
import { answerTls12CertificateRequest } from './tls12-client-certificate.ts';
import { DONE, type Negotiated, type ProbeState, type ProbeStateName } from './types.ts';

/** The key exchange a TLS 1.2 suite names, which decides how a ServerKeyExchange reads. */
function keyExchangeOf(cipherSuite: number): 'ecdhe' | 'dhe' | undefined {
  const kx = cipherSuiteInfo(cipherSuite)?.keyExchange;
  if (kx === 'ECDHE' || kx === 'ECDHE_PSK') return 'ecdhe';
  if (kx === 'DHE' || kx === 'DHE_PSK') return 'dhe';
  return undefined;
}

function bitLength(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length && bytes[i] === 0) i++;
  if (i === bytes.length) return 0;
  return (bytes.length - i - 1) * 8 + (32 - Math.clz32(bytes[i]));
}

/** Decodes `m` in the negotiated version and key exchange; null when it does not decode (the engine has stopped). */
function parse(m: ReassembledMessage, negotiated: Negotiated, ctx: EngineContext) {
  const sh = negotiated.serverHello;
  return ctx.parse(m.raw, sh.version, keyExchangeOf(sh.cipherSuite));
}

/** A state of the TLS 1.2 flight: it holds the ServerHello. */
abstract class Tls12State implements ProbeState {
  abstract readonly name: ProbeStateName;
  readonly negotiated: Negotiated;
  constructor(negotiated: Negotiated) {
    this.negotiated = negotiated;
  }
  abstract handle(m: ReassembledMessage, ctx: EngineContext): ProbeState;

  /** Keeps a message this state takes in the flight the client's Finished covers. */
  protected keep(m: ReassembledMessage): void {
    this.negotiated.tls12?.messages.push(m.raw);
  }
}

/** Waits for the server's Certificate (RFC 5246 §7.4.2). */
export class ExpectServerCertificate extends Tls12State {
  readonly name = 'ExpectServerCertificate' as const;

  handle(m: ReassembledMessage, ctx: EngineContext): ProbeState {
    const next = new ExpectServerKeyExchange(this.negotiated);
    if (m.msgType !== HANDSHAKE_TYPES.certificate) return next.handle(m, ctx);
    this.keep(m);
    const parsed = parse(m, this.negotiated, ctx);
    if (!parsed) return DONE;
    if (parsed.type === 'certificate') ctx.takeCertificate(parsed);
    return next;
  }
}

/** Waits for CertificateStatus or ServerKeyExchange (RFC 5246 §7.4.3: the group or DH size the server chose). */
export class ExpectServerKeyExchange extends Tls12State {
  readonly name = 'ExpectServerKeyExchange' as const;

  handle(m: ReassembledMessage, ctx: EngineContext): ProbeState {
    // certificate_status comes between Certificate and ServerKeyExchange; nothing in it is reported.
    if (m.msgType === HANDSHAKE_TYPES.certificate_status) {
      this.keep(m);
      return this;
    }
    if (m.msgType !== HANDSHAKE_TYPES.server_key_exchange)
      return new ExpectServerHelloDone(this.negotiated).handle(m, ctx);
    this.keep(m);
    const parsed = parse(m, this.negotiated, ctx);
    if (!parsed) return DONE;
    if (parsed.type !== 'server_key_exchange') return this;
    const p = parsed.params;
    const group = p.kind === 'ecdhe' ? p.namedGroup : null;
    if (this.negotiated.tls12) this.negotiated.tls12.serverKeyExchange = p;
    ctx.found.serverKeyExchange = {
      kind: p.kind,
      group,
      groupName: group === null ? null : groupName(group),
      dhBits: p.kind === 'dhe' ? bitLength(p.p) : null,
      signatureAlgorithm: parsed.signatureAlgorithm,
    };
    const sh = ctx.found.serverHello;
    if (sh && group !== null) ctx.found.serverHello = { ...sh, group, groupName: groupName(group) };
    return new ExpectServerHelloDone(this.negotiated);
  }
}

/** Waits for CertificateRequest (RFC 5246 §7.4.4) and ServerHelloDone, which ends the flight. */
export class ExpectServerHelloDone extends Tls12State {
  readonly name = 'ExpectServerHelloDone' as const;

  handle(m: ReassembledMessage, ctx: EngineContext): ProbeState {
    switch (m.msgType) {
      case HANDSHAKE_TYPES.certificate_request:
        // Answered after ServerHelloDone when the options say so (tls12-client-certificate.ts).
        this.keep(m);
        return takeCertificateRequest(m.raw, this.negotiated.serverHello.version, ctx) ? this : DONE;
      case HANDSHAKE_TYPES.server_hello_done:
        this.keep(m);
        return answerTls12CertificateRequest(this.negotiated, ctx) ?? ctx.stop('complete');
      default:
        return ctx.unexpected('a CertificateRequest or ServerHelloDone', m);
    }
  }
}
