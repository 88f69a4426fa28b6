/**
 * The client side of one probe, without sockets: bytes from the server go in, bytes to send
 * (a second ClientHello after a HelloRetryRequest, an alert on a violation) and events come
 * out, and what the engine found becomes the `ProbeResult` (session.ts). `probe()`
 * (hellokit/node) drives it over a socket, `probeStream()` over any byte stream; tests drive it
 * with recorded bytes. No `node:*` import and no timer: the driver says when time is up (`stop`).
 *
 * This file turns bytes into records and records into handshake messages (decrypting those of
 * the TLS 1.3 flight); what a message means is decided by the current state, one class per
 * state as in rustls (src/probe/states/): ExpectServerHello, then for TLS 1.2
 * ExpectServerCertificate → ExpectServerKeyExchange → ExpectServerHelloDone, for TLS 1.3
 * ExpectEncryptedExtensions → ExpectCertificateOrCertificateRequest → ExpectCertificate →
 * ExpectCertificateVerify → ExpectFinished (→ ExpectCertificateVerdict when it answers a
 * CertificateRequest). Each takes a message and returns the next state.
 */
import { DecodeError } from '../bytes/errors.ts';
import type { KeyShare } from '../crypto/key-share.ts';
import { encodeClientHello, encodeClientHelloMessage } from '../handshake/client-hello.ts';
import { handshakeTypeName } from '../handshake/header.ts';
import { HandshakeReassembler, type ReassembledMessage } from '../handshake/reassembler.ts';
import type { ClientHello } from '../handshake/types.ts';
import { RecordDeframer } from '../records/deframer.ts';
import { notTlsReason } from '../records/not-tls.ts';
import { contentTypeName, type DecodedRecord, encodeRecord } from '../records/record.ts';
import { EngineFindings } from './findings.ts';
import { EngineContext, type Findings, type ProbeEngineOptions } from './states/context.ts';
import { ExpectServerHello } from './states/expect-server-hello.ts';
import { openRecord } from './states/tls13-keys.ts';
import {
  AFTER_CLOSE_NOTIFY,
  DONE,
  type EngineEvent,
  type HandshakeKeys,
  type ProbeState,
} from './states/types.ts';
import type { DecryptedContent, StopReason, TranscriptRecord } from './types.ts';
import { clientHelloMessageIn, sentRecords } from './written.ts';

export type { ProbeEngineOptions, ViolationAbort } from './states/context.ts';
export { versionLabel } from './states/expect-server-hello.ts';
export type { EngineEvent, ProbeStateName } from './states/types.ts';

/** What one `receive` call asks of the driver. */
export interface EngineStep {
  /** Bytes to write now (the second ClientHello, an alert). */
  readonly send: readonly Uint8Array[];
  /** True once the engine has stopped; `stopReason` says why. */
  readonly done: boolean;
  /** What happened during the call: states entered, messages read, alerts, violations. */
  readonly events: readonly EngineEvent[];
  /**
   * Set when the engine now waits a bounded time for the server (the verdict on the client's
   * empty Certificate, `answerCertificateRequest`): the driver re-arms its idle timer with it
   * and calls `stop('idle_timeout')` when it passes, which the engine reads as that silence.
   */
  readonly waitMs?: number;
}

const FIRST_BYTES = 64;

/**
 * The probe's client state machine. `hello` may be null when the bytes sent (`helloBytes`)
 * do not parse as a ClientHello: the engine then reads the answer but cannot answer a
 * HelloRetryRequest.
 * @example
 * const engine = new ProbeEngine(hello, hello.keyShares);
 * socket.write(engine.helloBytes);
 * socket.on('data', (chunk) => { const step = engine.receive(chunk, now()); step.send.forEach((b) => socket.write(b)); });
 */
export class ProbeEngine extends EngineFindings {
  /** The first ClientHello's record bytes. */
  readonly helloBytes: Uint8Array;
  protected readonly ctx: EngineContext;
  protected readonly found: Findings;
  protected state: ProbeState;
  private readonly maxBytes: number;
  private readonly deframer = new RecordDeframer({ strict: true });
  /** Plaintext handshake messages (before the TLS 1.3 keys; the whole TLS 1.2 flight). */
  private readonly reassembler = new HandshakeReassembler();

  /**
   * @throws {TypeError} when there is neither a hello nor `options.helloBytes`
   * @throws {EncodeError} when `hello` is to be encoded (no `helloBytes`) and cannot be
   */
  constructor(
    hello: ClientHello | null,
    keyShares: readonly KeyShare[] = [],
    options: ProbeEngineOptions = {},
  ) {
    super();
    this.maxBytes = options.maxBytes ?? 256 * 1024;
    let clientHello1: Uint8Array | undefined;
    if (options.helloBytes) {
      this.helloBytes = options.helloBytes;
      clientHello1 = clientHelloMessageIn(options.helloBytes);
    } else {
      if (!hello) throw new TypeError('ProbeEngine needs a hello or "helloBytes"');
      this.helloBytes = encodeClientHello(hello);
      clientHello1 = encodeClientHelloMessage(hello);
    }
    this.ctx = new EngineContext(options, hello, clientHello1);
    this.found = this.ctx.found;
    this.state = new ExpectServerHello(keyShares);
  }

  /** Logs bytes written to the server as records (bytes that are not whole records are logged raw). */
  logSent(bytes: Uint8Array, atMs: number): void {
    this.found.transcript.push(...sentRecords(bytes, atMs));
  }

  /** Feeds bytes from the server, in any chunking: one byte at a time reads the same as all at once. */
  receive(chunk: Uint8Array, atMs: number): EngineStep {
    const ctx = this.ctx;
    ctx.send = [];
    ctx.events = [];
    ctx.waitMs = undefined;
    const step = (): EngineStep => ({
      send: ctx.send,
      done: this.done,
      events: ctx.events,
      ...(ctx.waitMs !== undefined && !this.done ? { waitMs: ctx.waitMs } : {}),
    });
    if (this.done || chunk.length === 0) return step();
    let data = chunk;
    const overCap = this.found.bytesReceived + data.length > this.maxBytes;
    if (overCap) data = data.subarray(0, this.maxBytes - this.found.bytesReceived);
    this.found.bytesReceived += data.length;
    if (this.firstBytes.length < FIRST_BYTES) {
      const take = data.subarray(0, FIRST_BYTES - this.firstBytes.length);
      const joined = new Uint8Array(this.firstBytes.length + take.length);
      joined.set(this.firstBytes);
      joined.set(take, this.firstBytes.length);
      this.firstBytes = joined;
    }
    let records: DecodedRecord[];
    try {
      records = this.deframer.push(data);
    } catch (e) {
      if (e instanceof DecodeError && e.code === 'not-tls') {
        this.found.notTls = {
          firstBytes: this.firstBytes,
          reason: notTlsReason(this.firstBytes) ?? e.message,
        };
        this.enter(ctx.stop('not_tls', e.message));
      } else {
        this.enter(ctx.stop('protocol_error', `the server's records do not decode: ${(e as Error).message}`));
      }
      return step();
    }
    for (const record of records) {
      if (this.state === AFTER_CLOSE_NOTIFY) ctx.afterCloseNotify(record);
      else if (!this.done) {
        const next = this.record(record, atMs);
        if (next) this.enter(next);
      }
    }
    if (overCap && !this.done)
      this.enter(ctx.stop('max_bytes', `stopped reading after ${this.maxBytes} bytes`));
    return step();
  }

  /** Stops the engine (the driver calls this on close, reset, timeout). The first reason wins. */
  stop(reason: StopReason, error?: string): void {
    if (this.done) return;
    // A state waiting a bounded time (the certificate verdict) reads the end of the wait itself.
    if ((reason === 'idle_timeout' || reason === 'timeout') && this.state.silence) {
      this.enter(this.state.silence(this.ctx));
      return;
    }
    const negotiated = this.state.negotiated;
    this.enter(this.ctx.stop(reason, error));
    if (negotiated && (reason === 'idle_timeout' || reason === 'timeout'))
      this.ctx.conform(
        {
          kind: 'end',
          serverHello: negotiated.serverHello,
          flightEnded: false,
          silence: true,
          bytesAfterServerHello: this.found.bytesReceived - negotiated.receivedAt,
        },
        false,
      );
  }

  /** Moves to `next`; once reading has stopped only AfterCloseNotify or Done. */
  private enter(next: ProbeState): void {
    const state = this.done && next !== AFTER_CLOSE_NOTIFY ? DONE : next;
    if (state !== this.state) this.ctx.events.push({ kind: 'state', state: state.name });
    this.state = state;
  }

  /** Hands one handshake message to the current state. */
  private message(m: ReassembledMessage, encrypted: boolean): void {
    const name = handshakeTypeName(m.msgType);
    // ExpectServerHello names what it read itself (a HelloRetryRequest, a skipped HelloRequest).
    if (this.state.name !== 'ExpectServerHello') this.found.serverMessages.push(name);
    this.ctx.events.push({ kind: 'message', name, encrypted });
    this.enter(this.state.handle(m, this.ctx));
  }

  /** Reads one record; returns the state it leads to when the record itself decides one (an alert, an error). */
  private record(record: DecodedRecord, atMs: number): ProbeState | undefined {
    const entry: { -readonly [K in keyof TranscriptRecord]: TranscriptRecord[K] } = {
      direction: 'received',
      atMs,
      contentType: record.contentType,
      contentTypeName: contentTypeName(record.contentType),
      version: record.version,
      length: record.fragment.length,
      bytes: encodeRecord(record),
    };
    this.found.transcript.push(entry);
    const keys = this.state.keys;
    const ctx = this.ctx;
    switch (record.contentType) {
      case 21:
        return ctx.alert(record.fragment, false);
      case 22: {
        if (keys)
          return ctx.stop(
            'protocol_error',
            'the server sent a plaintext handshake record after its TLS 1.3 ServerHello',
          );
        let messages: ReassembledMessage[];
        try {
          messages = this.reassembler.push(record.fragment, record.offset + 5);
        } catch (e) {
          return ctx.stop('protocol_error', (e as Error).message);
        }
        entry.messages = messages.map((m) => handshakeTypeName(m.msgType));
        // RFC 8446 §5.1: what follows the TLS 1.3 ServerHello is encrypted, so no message may
        // share its plaintext record (the messages are named, as the server sent them).
        let unencrypted = this.reassembler.pending > 0;
        for (const m of messages) {
          if (this.done) break;
          if (!this.state.keys) this.message(m, false);
          else {
            this.found.serverMessages.push(handshakeTypeName(m.msgType));
            unencrypted = true;
          }
        }
        if (this.state.keys && unencrypted)
          return ctx.stop(
            'protocol_error',
            'a handshake message after the TLS 1.3 ServerHello was not encrypted',
          );
        return undefined;
      }
      case 23:
        if (!keys)
          return ctx.stop('protocol_error', 'the server sent application_data before a TLS 1.3 ServerHello');
        return this.encrypted(record, keys, entry);
      default:
        // A TLS 1.2 server's ChangeCipherSpec after the client's Finished tells that it took it.
        if (record.contentType === 20 && this.state.changeCipherSpec) return this.state.changeCipherSpec(ctx);
        // change_cipher_spec (TLS 1.3 middlebox compatibility, RFC 8446 §5, D.4), heartbeat and
        // anything else a lenient server might send: logged, not acted on
        return undefined;
    }
  }

  /** Opens a record of the TLS 1.3 flight and hands its messages to the states. */
  private encrypted(record: DecodedRecord, keys: HandshakeKeys, entry: { decrypted?: DecryptedContent }) {
    let inner: ReturnType<typeof openRecord>;
    try {
      inner = openRecord(keys, record);
    } catch (e) {
      const why = `cannot decrypt the server's record ${keys.server.sequence}: ${(e as Error).message}`;
      return this.ctx.stop('protocol_error', why);
    }
    const decrypted = {
      contentType: inner.contentType,
      contentTypeName: contentTypeName(inner.contentType),
      length: inner.content.length,
      messages: [] as string[],
    };
    entry.decrypted = decrypted;
    if (inner.contentType === 21) return this.ctx.alert(inner.content, true);
    if (inner.contentType === 23 && this.state.applicationData) return this.state.applicationData(this.ctx);
    if (inner.contentType !== 22)
      return this.ctx.stop(
        'protocol_error',
        `the server sent ${decrypted.contentTypeName} before its Finished`,
      );
    let messages: ReassembledMessage[];
    try {
      messages = keys.reassembler.push(inner.content);
    } catch (e) {
      return this.ctx.stop('protocol_error', (e as Error).message);
    }
    for (const m of messages) {
      decrypted.messages.push(handshakeTypeName(m.msgType));
      if (!this.done) this.message(m, true);
    }
    return undefined;
  }
}
