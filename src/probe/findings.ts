/**
 * What a {@link ProbeEngine} has found, read-only: the getters a driver builds its
 * `ProbeResult` from (session.ts, the QUIC prober), and the certificates, decompressed once
 * reading has stopped. The states write these through their context (states/context.ts).
 */

import { parseHandshakeMessage } from '../handshake/messages.ts';
import type { ClientHello } from '../handshake/types.ts';
import { ALERT } from '../iana/alerts.ts';
import { signatureSchemeName } from '../iana/lookup.ts';
import type { ProbeClientCertificate } from './client-certificate.ts';
import { decompressCertificate } from './decompress.ts';
import type { EngineContext, Findings } from './states/context.ts';
import type { ProbeState } from './states/types.ts';
import type { StopReason, TranscriptRecord } from './types.ts';

const TLS13 = 0x0304;

/** The read side of the engine. */
export abstract class EngineFindings {
  protected abstract readonly ctx: EngineContext;
  protected abstract readonly found: Findings;
  protected abstract state: ProbeState;
  protected firstBytes: Uint8Array = new Uint8Array(0);

  /** The current state's name (ExpectServerHello, …, Done). */
  get stateName(): ProbeState['name'] {
    return this.state.name;
  }
  /** True once the engine has stopped reading. */
  get done(): boolean {
    return this.found.stopReason !== null;
  }
  get stopReason(): StopReason | null {
    return this.found.stopReason;
  }
  get error(): string | undefined {
    return this.found.error;
  }
  get sent(): readonly ClientHello[] {
    return this.found.sent;
  }
  get transcript(): readonly TranscriptRecord[] {
    return this.found.transcript;
  }
  get alerts(): Findings['alerts'] {
    return this.found.alerts;
  }
  get serverMessages(): readonly string[] {
    return this.found.serverMessages;
  }
  get violations(): Findings['violations'] {
    return this.found.violations;
  }
  /** The certificates (DER) of a plain Certificate message; see {@link certificates} for a compressed one. */
  get certificateChain(): readonly Uint8Array[] {
    return this.found.certificateChain;
  }
  /** The server's CompressedCertificate, decompressed by {@link certificates} once reading has stopped. */
  get compressedCertificate(): Findings['compressedCertificate'] {
    return this.found.compressedCertificate;
  }
  get serverHello(): Findings['serverHello'] {
    return this.found.serverHello;
  }
  get helloRetryRequest(): Findings['helloRetryRequest'] {
    return this.found.helloRetryRequest;
  }
  get serverKeyExchange(): Findings['serverKeyExchange'] {
    return this.found.serverKeyExchange;
  }
  get encryptedExtensions(): Findings['encryptedExtensions'] {
    return this.found.encryptedExtensions;
  }
  get certificateRequested(): boolean {
    return this.found.certificateRequested;
  }
  /** What the CertificateRequest asked and whether a certificate is required (see {@link ProbeClientCertificate}). */
  get clientCertificate(): ProbeClientCertificate | undefined {
    return clientCertificateOf(this.found);
  }
  get finishedVerified(): boolean {
    return this.found.finishedVerified;
  }
  get retried(): boolean {
    return this.found.retried;
  }
  get notTls(): Findings['notTls'] {
    return this.found.notTls;
  }
  get bytesReceived(): number {
    return this.found.bytesReceived;
  }
  /** Set when the engine aborted on a violation. */
  get abortedOn(): Findings['abortedOn'] {
    return this.found.abortedOn;
  }
  /** The first bytes received (up to 64), for not_tls/closed reporting. */
  get firstReceivedBytes(): Uint8Array {
    return this.firstBytes;
  }

  /**
   * The server's certificates (DER, end-entity first) once reading has stopped: the plain
   * Certificate's, or the CompressedCertificate's decompressed with `options.decompressors`
   * (asynchronous, so a web `DecompressionStream` can do it). A certificate that cannot be
   * read leaves the chain empty and says why in `error`.
   */
  async certificates(): Promise<readonly Uint8Array[]> {
    const compressed = this.found.compressedCertificate;
    if (!compressed) return this.found.certificateChain;
    this.found.compressedCertificate = undefined;
    const message = await decompressCertificate(compressed, this.ctx.options.decompressors ?? {});
    if (typeof message === 'string') {
      this.found.error ??= message;
      return this.found.certificateChain;
    }
    try {
      const parsed = parseHandshakeMessage(message, { strict: false, version: TLS13 });
      if (parsed.type === 'certificate') this.ctx.takeCertificate(parsed);
    } catch (e) {
      this.found.error ??= `cannot decode the server's certificate: ${(e as Error).message}`;
    }
    return this.found.certificateChain;
  }
}

/** Alerts that blame the client's records or Finished (not decode_error, which GnuTLS sends for an empty Certificate). */
const OWN_FAULT: ReadonlySet<number> = new Set([ALERT.bad_record_mac, ALERT.decrypt_error]);

/**
 * The client-certificate verdict from what was found: `requested` until the client's flight
 * was sent; then the server's carrying on (`optional`), or an alert, close or reset after the
 * flight (`required`); anything else that stopped the probe leaves it `requested`.
 */
function clientCertificateOf(found: Findings): ProbeClientCertificate | undefined {
  const request = found.certificateRequest;
  if (!found.certificateRequested) return undefined;
  const signatureAlgorithms = request?.signatureAlgorithms ?? [];
  const asked = {
    certificateAuthorities: request?.certificateAuthorities ?? [],
    signatureAlgorithms,
    signatureAlgorithmNames: signatureAlgorithms.map(signatureSchemeName),
    ...(request?.certificateTypes ? { certificateTypes: request.certificateTypes } : {}),
  };
  if (request?.alertsBefore === undefined) return { status: 'requested', ...asked };
  if (request.accepted) return { status: 'optional', answer: request.accepted, ...asked };
  const alert = found.alerts.slice(request.alertsBefore).find((a) => a.level !== 1 || a.description === 0);
  // TLS 1.2 (no request context): an alert about the client's own records says nothing of the certificate.
  if (alert && request.context === null && OWN_FAULT.has(alert.description))
    return { status: 'requested', ...asked };
  if (alert) return { status: 'required', answer: 'alert', alert, ...asked };
  const reason = found.stopReason;
  if (reason === 'closed' || reason === 'reset') return { status: 'required', answer: reason, ...asked };
  return { status: 'requested', ...asked };
}
