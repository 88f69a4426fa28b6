/**
 * The client side of one probe, without sockets: bytes from the server go in, bytes to send
 * (a second ClientHello after a HelloRetryRequest) come out, and the engine keeps what it
 * learned. `probe()` (hellokit/node) drives it over a socket, `probeStream()` over any byte
 * stream; tests can drive it with recorded bytes. No `node:*` import: a compressed
 * certificate is decompressed by the decompressors it is given (src/probe/decompress.ts).
 *
 * TLS 1.2: ServerHello, Certificate, ServerKeyExchange, CertificateRequest, ServerHelloDone.
 * TLS 1.3: ServerHello, then the encrypted flight (RFC 8446 §4.3–4.4.4) decrypted with the
 * handshake traffic keys, and the server Finished checked against the key schedule.
 */
import { DecodeError } from '../bytes/errors.ts';
import { equalBytes } from '../bytes/hex.ts';
import {
  applicationSecrets,
  cipherSuiteParams,
  finishedVerifyData,
  type HandshakeSecrets,
  handshakeSecrets,
  Transcript,
} from '../crypto/key-schedule.ts';
import {
  deriveSharedSecret,
  generateKeyShare,
  isSupportedKeyShareGroup,
  type KeyShare,
} from '../crypto/key-share.ts';
import { tls13KeyLogLines } from '../crypto/keylog.ts';
import { type RandomSource, systemRandom } from '../crypto/random.ts';
import {
  createRecordProtection,
  decryptRecord,
  encryptRecord,
  type RecordProtectionState,
} from '../crypto/record-protection.ts';
import type { Extension } from '../extensions/types.ts';
import type { Certificate } from '../handshake/certificate.ts';
import { encodeClientHello, encodeClientHelloMessage } from '../handshake/client-hello.ts';
import { HANDSHAKE_TYPES, handshakeTypeName } from '../handshake/header.ts';
import { type ParsedHandshakeMessage, parseHandshakeMessage } from '../handshake/messages.ts';
import { HandshakeReassembler, type ReassembledMessage } from '../handshake/reassembler.ts';
import type { ServerHello } from '../handshake/server-hello.ts';
import type { ClientHello } from '../handshake/types.ts';
import { ALERT } from '../iana/alerts.ts';
import {
  alertLevelName,
  alertName,
  cipherSuiteInfo,
  cipherSuiteName,
  extensionTypeName,
  groupName,
} from '../iana/lookup.ts';
import { RecordDeframer } from '../records/deframer.ts';
import { notTlsReason } from '../records/not-tls.ts';
import { contentTypeName, type DecodedRecord, encodeRecord } from '../records/record.ts';
import {
  type CertificateDecompressors,
  type CompressedCertificate,
  compressedCertificateOf,
  decompressCertificate,
} from './decompress.ts';
import { EXT, findRawExtension, secondClientHello } from './hello.ts';
import type {
  DecryptedContent,
  ProbeAlert,
  ProbeExtension,
  ProbeHelloRetryRequest,
  ProbeServerHello,
  ProbeServerKeyExchange,
  StopReason,
  TranscriptRecord,
} from './types.ts';
import {
  type ConformanceEvent,
  checkConformance,
  extensionValue,
  retryGroup,
  type ServerViolation,
  selectedAlpn,
  serverShare,
} from './violations.ts';

/** Options of a {@link ProbeEngine}. */
export interface ProbeEngineOptions {
  readonly retryOnHelloRetryRequest?: boolean;
  readonly decrypt?: boolean;
  readonly keylog?: (line: string) => void;
  /** Most bytes accepted from the server (default 256 KiB). */
  readonly maxBytes?: number;
  /** For the share made after a HelloRetryRequest. */
  readonly random?: RandomSource;
  /**
   * The exact bytes of the first flight, when they are not `encodeClientHello(hello)` (probe's
   * `bytes`). The TLS 1.3 transcript starts from the ClientHello message carried in them, so
   * a hello that was sent byte for byte is hashed byte for byte.
   */
  readonly helloBytes?: Uint8Array;
  /**
   * Stop once the ServerHello has been read, in every version: no TLS 1.2 Certificate or
   * ServerKeyExchange is read and no TLS 1.3 flight is decrypted (`stopReason` `server_hello`).
   * For scanners, which only ask what the server picked.
   */
  readonly stopAfterServerHello?: boolean;
  /**
   * Abort where a client must (RFC 8446 and friends): on a server violation whose rule names
   * an alert, send that alert and stop (default true). `false` records the violation and
   * reads on, for research.
   */
  readonly abortOnViolation?: boolean;
  /**
   * Decompressors for a TLS 1.3 CompressedCertificate (RFC 8879), by algorithm name
   * (default none: such a certificate is reported, not read). `hellokit/node` passes Node's
   * zlib and brotli; see `webCertificateDecompressors()` elsewhere.
   */
  readonly decompressors?: CertificateDecompressors;
}

/** The violation the engine aborted on and the alert it sent. */
export interface ViolationAbort {
  readonly rule: ServerViolation['rule'];
  readonly rfc: string;
  readonly message: string;
  /** The alert sent (fatal), by name and code. */
  readonly alert: { readonly name: string; readonly description: number; readonly encrypted: boolean };
}

/** What one `receive` call asks of the driver. */
export interface EngineStep {
  /** Bytes to write now (the second ClientHello). */
  readonly send: readonly Uint8Array[];
  /** True once the engine has stopped; `stopReason` says why. */
  readonly done: boolean;
}

type Phase = 'server_hello' | 'tls12' | 'tls13' | 'done';

const TLS13 = 0x0304;
const FIRST_BYTES = 64;

function extensionsOf(list: readonly Extension[] | null): ProbeExtension[] {
  return (list ?? []).map((e) => ({ type: e.type, name: extensionTypeName(e.type), body: e.body }));
}

function u16(b: Uint8Array, at: number): number {
  return (b[at] << 8) | b[at + 1];
}

/** The protocol an ALPN extension selects (ServerHello / EncryptedExtensions: a one-entry list), read by its codec. */
function alpnOf(
  extensions: readonly Extension[] | null,
  context: 'server_hello' | 'encrypted_extensions',
): string | null {
  return selectedAlpn(findRawExtension(extensions, EXT.alpn), context);
}

/**
 * The first ClientHello handshake message inside `bytes` (TLS records), exactly as written,
 * or undefined when the records do not carry a whole one.
 */
function clientHelloMessageIn(bytes: Uint8Array): Uint8Array | undefined {
  try {
    const reassembler = new HandshakeReassembler();
    for (const record of new RecordDeframer({ strict: false, detectNotTls: false }).push(bytes)) {
      if (record.contentType !== 22) continue;
      const [first] = reassembler.push(record.fragment, record.offset + 5);
      if (first) return first.msgType === HANDSHAKE_TYPES.client_hello ? first.raw : undefined;
    }
  } catch {
    // records or a handshake header that do not decode: there is no message to hash
  }
  return undefined;
}

/**
 * The probe's client state machine. `hello` may be null when the bytes sent (`helloBytes`)
 * do not parse as a ClientHello: the engine then reads the answer but cannot answer a
 * HelloRetryRequest.
 * @example
 * const engine = new ProbeEngine(hello, hello.keyShares);
 * socket.write(engine.helloBytes);
 * socket.on('data', (chunk) => { const step = engine.receive(chunk, now()); step.send.forEach((b) => socket.write(b)); });
 */
export class ProbeEngine {
  /** The first ClientHello's record bytes. */
  readonly helloBytes: Uint8Array;
  readonly sent: ClientHello[] = [];
  readonly transcript: TranscriptRecord[] = [];
  readonly alerts: ProbeAlert[] = [];
  readonly serverMessages: string[] = [];
  /** The certificates (DER) of a plain Certificate message; see {@link certificates} for a compressed one. */
  readonly certificateChain: Uint8Array[] = [];
  /** The server's CompressedCertificate, decompressed by {@link certificates} once reading has stopped. */
  compressedCertificate?: CompressedCertificate;
  serverHello?: ProbeServerHello;
  helloRetryRequest?: ProbeHelloRetryRequest;
  serverKeyExchange?: ProbeServerKeyExchange;
  encryptedExtensions?: ProbeExtension[];
  certificateRequested = false;
  finishedVerified = false;
  retried = false;
  stopReason: StopReason | null = null;
  error?: string;
  notTls?: { firstBytes: Uint8Array; reason: string };
  bytesReceived = 0;
  /** The server's RFC violations seen so far (src/probe/violations.ts). */
  readonly violations: ServerViolation[] = [];
  /** Set when the engine aborted on a violation. */
  abortedOn?: ViolationAbort;
  /** True once the server's close_notify came: later records are the server's violation. */
  private closeNotifyReceived = false;
  /** The ServerHello and HelloRetryRequest as parsed, for the conformance rules. */
  private parsedServerHello?: ServerHello;
  private parsedRetry?: ServerHello;
  /** `bytesReceived` when the ServerHello was read (every byte of that read counted). */
  private receivedAtServerHello = 0;

  private phase: Phase = 'server_hello';
  private readonly hello: ClientHello | null;
  private keyShares: readonly KeyShare[];
  private readonly options: ProbeEngineOptions;
  private readonly maxBytes: number;
  private readonly deframer = new RecordDeframer({ strict: true });
  private readonly reassembler = new HandshakeReassembler();
  private innerReassembler = new HandshakeReassembler();
  private firstBytes = new Uint8Array(0);
  private clientHello1Message: Uint8Array | undefined;
  private clientHello2Message?: Uint8Array;
  private helloRetryRequestMessage?: Uint8Array;
  private negotiatedVersion = 0;
  private tls13?: {
    transcript: Transcript;
    secrets: HandshakeSecrets;
    server: RecordProtectionState;
    client: RecordProtectionState;
  };

  /**
   * @throws {TypeError} when there is neither a hello nor `options.helloBytes`
   * @throws {EncodeError} when `hello` is to be encoded (no `helloBytes`) and cannot be
   */
  constructor(
    hello: ClientHello | null,
    keyShares: readonly KeyShare[] = [],
    options: ProbeEngineOptions = {},
  ) {
    this.hello = hello;
    this.keyShares = keyShares;
    this.options = options;
    this.maxBytes = options.maxBytes ?? 256 * 1024;
    if (options.helloBytes) {
      this.helloBytes = options.helloBytes;
      this.clientHello1Message = clientHelloMessageIn(options.helloBytes);
    } else {
      if (!hello) throw new TypeError('ProbeEngine needs a hello or "helloBytes"');
      this.helloBytes = encodeClientHello(hello);
      this.clientHello1Message = encodeClientHelloMessage(hello);
    }
    if (hello) this.sent.push(hello);
  }

  /** The ClientHello the server is answering now (the second one after a HelloRetryRequest); none for raw bytes that do not parse. */
  private get lastSent(): ClientHello | undefined {
    return this.sent[this.sent.length - 1];
  }

  /** True once the engine has stopped reading. */
  get done(): boolean {
    return this.phase === 'done';
  }

  /** Logs bytes written to the server as records (bytes that are not whole records are logged raw). */
  logSent(bytes: Uint8Array, atMs: number): void {
    const d = new RecordDeframer({ strict: false, detectNotTls: false });
    let records: DecodedRecord[] = [];
    try {
      records = d.push(bytes);
    } catch {
      records = [];
    }
    let logged = 0;
    for (const r of records) {
      const length = r.fragment.length;
      this.transcript.push({
        direction: 'sent',
        atMs,
        contentType: r.contentType,
        contentTypeName: contentTypeName(r.contentType),
        version: r.version,
        length,
        bytes: bytes.slice(r.offset, r.offset + 5 + length),
      });
      logged = r.offset + 5 + length;
    }
    if (logged < bytes.length) {
      const rest = bytes.subarray(logged);
      this.transcript.push({
        direction: 'sent',
        atMs,
        contentType: rest[0],
        contentTypeName: contentTypeName(rest[0]),
        version: rest.length >= 3 ? u16(rest, 1) : 0,
        length: rest.length >= 5 ? u16(rest, 3) : 0,
        bytes: rest.slice(),
      });
    }
  }

  /** Feeds bytes from the server. */
  receive(chunk: Uint8Array, atMs: number): EngineStep {
    const send: Uint8Array[] = [];
    if (this.phase === 'done' || chunk.length === 0) return { send, done: this.done };
    let data = chunk;
    let overCap = false;
    if (this.bytesReceived + data.length > this.maxBytes) {
      data = data.subarray(0, this.maxBytes - this.bytesReceived);
      overCap = true;
    }
    this.bytesReceived += data.length;
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
        this.notTls = {
          firstBytes: this.firstBytes,
          reason: notTlsReason(this.firstBytes) ?? e.message,
        };
        this.stop('not_tls', e.message);
      } else {
        this.stop('protocol_error', `the server's records do not decode: ${(e as Error).message}`);
      }
      return { send, done: true };
    }
    for (const record of records) {
      if (this.closeNotifyReceived) {
        this.afterCloseNotify(record);
        continue;
      }
      if (this.done) break;
      this.handleRecord(record, atMs, send);
    }
    if (overCap && !this.done) this.stop('max_bytes', `stopped reading after ${this.maxBytes} bytes`);
    return { send, done: this.done };
  }

  /** Stops the engine (the driver calls this on close, reset, timeout). The first reason wins. */
  stop(reason: StopReason, error?: string): void {
    if (this.phase === 'done') return;
    const reading = this.phase === 'tls12' || this.phase === 'tls13';
    this.phase = 'done';
    this.stopReason = reason;
    if (error !== undefined && this.error === undefined) this.error = error;
    if (reading && this.parsedServerHello && (reason === 'idle_timeout' || reason === 'timeout'))
      this.conform({
        kind: 'end',
        serverHello: this.parsedServerHello,
        flightEnded: false,
        silence: true,
        bytesAfterServerHello: this.bytesReceived - this.receivedAtServerHello,
      });
  }

  /**
   * Runs the conformance rules on `event` and records what they find. Returns true when the
   * engine aborted: the alert the rule names is in `send` and the engine has stopped.
   */
  private conform(event: ConformanceEvent, send?: Uint8Array[]): boolean {
    const abortOn = this.options.abortOnViolation !== false && send !== undefined;
    const verdict = checkConformance(event, abortOn);
    this.violations.push(...verdict.violations);
    if (!abortOn || !verdict.abort) return false;
    const { violation, alert } = verdict.abort;
    const description = ALERT[alert];
    const content = Uint8Array.of(2, description);
    const client = this.phase === 'tls13' ? this.tls13?.client : undefined;
    // After the TLS 1.3 ServerHello the client's alert is protected with its handshake traffic key (RFC 8446 §5).
    send.push(
      client
        ? encryptRecord(client, 21, content).record
        : encodeRecord({ contentType: 21, version: 0x0303, fragment: content }),
    );
    this.abortedOn = {
      rule: violation.rule,
      rfc: violation.rfc,
      message: violation.message,
      alert: { name: alert, description, encrypted: client !== undefined },
    };
    this.stop('violation', `${violation.message} (${violation.rfc})`);
    return true;
  }

  /** A record after the server's close_notify: RFC 8446 §6.1 says none may come. */
  private afterCloseNotify(record: DecodedRecord): void {
    if (this.violations.some((v) => v.rule === 'alert_after_close_notify')) return;
    const f = record.fragment;
    this.conform({
      kind: 'after_close_notify',
      contentType: record.contentType,
      alert: record.contentType === 21 && f.length >= 2 ? { level: f[0], description: f[1] } : null,
    });
  }

  /** The bytes that arrived but never completed a record (for not_tls/closed reporting). */
  get firstReceivedBytes(): Uint8Array {
    return this.firstBytes;
  }

  private handleRecord(record: DecodedRecord, atMs: number, send: Uint8Array[]): void {
    const bytes = encodeRecord(record);
    const entry: {
      -readonly [K in keyof TranscriptRecord]: TranscriptRecord[K];
    } = {
      direction: 'received',
      atMs,
      contentType: record.contentType,
      contentTypeName: contentTypeName(record.contentType),
      version: record.version,
      length: record.fragment.length,
      bytes,
    };
    this.transcript.push(entry);
    switch (record.contentType) {
      case 21:
        this.handleAlert(record.fragment, false);
        return;
      case 20:
        // change_cipher_spec: TLS 1.3 middlebox compatibility (RFC 8446 §5, D.4); ignored.
        return;
      case 22: {
        if (this.phase === 'tls13') {
          this.stop(
            'protocol_error',
            'the server sent a plaintext handshake record after its TLS 1.3 ServerHello',
          );
          return;
        }
        let messages: ReassembledMessage[];
        try {
          messages = this.reassembler.push(record.fragment, record.offset + 5);
        } catch (e) {
          this.stop('protocol_error', (e as Error).message);
          return;
        }
        entry.messages = messages.map((m) => handshakeTypeName(m.msgType));
        for (const m of messages) {
          if (this.done) break;
          this.handlePlainMessage(m, send);
        }
        return;
      }
      case 23:
        if (this.phase !== 'tls13') {
          this.stop('protocol_error', 'the server sent application_data before a TLS 1.3 ServerHello');
          return;
        }
        entry.decrypted = this.handleEncrypted(record, send);
        return;
      default:
        // heartbeat and anything else a lenient server might send: logged, not acted on
        return;
    }
  }

  private handleAlert(fragment: Uint8Array, encrypted: boolean): void {
    if (fragment.length < 2) {
      this.stop('protocol_error', `an alert record of ${fragment.length} byte(s)`);
      return;
    }
    const alert: ProbeAlert = {
      level: fragment[0],
      levelName: alertLevelName(fragment[0]),
      description: fragment[1],
      name: alertName(fragment[1]),
      encrypted,
    };
    this.alerts.push(alert);
    // A warning (other than close_notify, 0) is informational: s_server sends unrecognized_name
    // as a warning in TLS 1.2 and carries on. TLS 1.3 has no warnings but the level is what the server said.
    if (alert.level === 1 && alert.description !== 0) return;
    if (alert.description === 0) this.closeNotifyReceived = true;
    this.stop('alert');
  }

  private parse(m: ReassembledMessage | Uint8Array, version?: number): ParsedHandshakeMessage | null {
    const raw = m instanceof Uint8Array ? m : m.raw;
    try {
      return parseHandshakeMessage(raw, {
        strict: false,
        ...(version ? { version } : {}),
        ...(this.keyExchangeKind() ? { keyExchange: this.keyExchangeKind() } : {}),
      });
    } catch (e) {
      this.stop(
        'protocol_error',
        `cannot decode the server's ${handshakeTypeName(raw[0])}: ${(e as Error).message}`,
      );
      return null;
    }
  }

  private keyExchangeKind(): 'ecdhe' | 'dhe' | undefined {
    if (!this.serverHello) return undefined;
    const kx = cipherSuiteInfo(this.serverHello.cipherSuite)?.keyExchange;
    if (kx === 'ECDHE' || kx === 'ECDHE_PSK') return 'ecdhe';
    if (kx === 'DHE' || kx === 'DHE_PSK') return 'dhe';
    return undefined;
  }

  private handlePlainMessage(m: ReassembledMessage, send: Uint8Array[]): void {
    const name = handshakeTypeName(m.msgType);
    if (this.phase === 'server_hello') {
      if (m.msgType === HANDSHAKE_TYPES.hello_request) return;
      if (m.msgType !== HANDSHAKE_TYPES.server_hello) {
        this.serverMessages.push(name);
        this.stop('protocol_error', `expected a ServerHello, the server sent ${name}`);
        return;
      }
      const parsed = this.parse(m);
      if (parsed?.type !== 'server_hello') return;
      if (parsed.helloRetryRequest) {
        this.serverMessages.push('hello_retry_request');
        this.handleHelloRetryRequest(parsed, m.raw, send);
        return;
      }
      this.serverMessages.push(name);
      this.handleServerHello(parsed, m.raw, send);
      return;
    }
    this.serverMessages.push(name);
    if (this.phase !== 'tls12') return;
    const parsed = this.parse(m, this.negotiatedVersion);
    if (!parsed) return;
    switch (parsed.type) {
      case 'certificate':
        this.takeCertificate(parsed);
        return;
      case 'server_key_exchange': {
        const p = parsed.params;
        const group = p.kind === 'ecdhe' ? p.namedGroup : null;
        this.serverKeyExchange = {
          kind: p.kind,
          group,
          groupName: group === null ? null : groupName(group),
          dhBits: p.kind === 'dhe' ? bitLength(p.p) : null,
          signatureAlgorithm: parsed.signatureAlgorithm,
        };
        if (this.serverHello && group !== null) {
          this.serverHello = { ...this.serverHello, group, groupName: groupName(group) };
        }
        return;
      }
      case 'certificate_request':
        this.certificateRequested = true;
        return;
      case 'server_hello_done':
        this.stop('complete');
        return;
      default:
        return;
    }
  }

  /**
   * The server's certificates (DER, end-entity first) once reading has stopped: the plain
   * Certificate's, or the CompressedCertificate's decompressed with `options.decompressors`
   * (asynchronous, so a web `DecompressionStream` can do it). A certificate that cannot be
   * read leaves the chain empty and says why in `error`.
   */
  async certificates(): Promise<readonly Uint8Array[]> {
    const compressed = this.compressedCertificate;
    if (!compressed) return this.certificateChain;
    this.compressedCertificate = undefined;
    const message = await decompressCertificate(compressed, this.options.decompressors ?? {});
    if (typeof message === 'string') {
      this.error ??= message;
      return this.certificateChain;
    }
    try {
      const parsed = parseHandshakeMessage(message, { strict: false, version: TLS13 });
      if (parsed.type === 'certificate') this.takeCertificate(parsed);
    } catch (e) {
      this.error ??= `cannot decode the server's certificate: ${(e as Error).message}`;
    }
    return this.certificateChain;
  }

  private takeCertificate(m: Certificate): void {
    this.certificateChain.length = 0;
    for (const entry of m.certificateList) this.certificateChain.push(entry.certData);
  }

  private handleHelloRetryRequest(hrr: ServerHello, raw: Uint8Array, send: Uint8Array[]): void {
    const selectedGroup = retryGroup(hrr);
    const cookie = extensionValue<{ cookie: Uint8Array }>(
      findRawExtension(hrr.extensions, EXT.cookie),
      'hello_retry_request',
    )?.cookie;
    this.helloRetryRequest = {
      cipherSuite: hrr.cipherSuite,
      cipherSuiteName: cipherSuiteName(hrr.cipherSuite),
      selectedGroup,
      selectedGroupName: selectedGroup === null ? null : groupName(selectedGroup),
      cookieLength: cookie?.length ?? 0,
      extensions: extensionsOf(hrr.extensions),
    };
    const previousRetry = this.parsedRetry ?? null;
    this.parsedRetry = hrr;
    const answered = this.lastSent;
    if (answered) {
      const event = {
        kind: 'server_hello',
        hello: answered,
        message: hrr,
        previousRetry,
        keyShares: this.keyShares,
      } as const;
      if (this.conform(event, send)) return;
    }
    if (this.retried) {
      this.stop(
        'hello_retry_request',
        'the server sent a second HelloRetryRequest; no third ClientHello is sent',
      );
      return;
    }
    if (this.options.retryOnHelloRetryRequest === false) {
      this.stop('hello_retry_request');
      return;
    }
    if (!this.hello) {
      this.stop(
        'hello_retry_request',
        'the bytes sent do not parse as a ClientHello, so no second ClientHello can be built from them',
      );
      return;
    }
    let newShares: KeyShare[] | null = null;
    if (selectedGroup !== null) {
      if (!isSupportedKeyShareGroup(selectedGroup)) {
        this.stop(
          'hello_retry_request',
          `the server wants a key share for ${groupName(selectedGroup)}, which hellokit cannot make`,
        );
        return;
      }
      newShares = [generateKeyShare(selectedGroup, this.options.random ?? systemRandom)];
    }
    let second: ClientHello;
    let secondMessage: Uint8Array;
    let secondBytes: Uint8Array;
    try {
      second = secondClientHello(
        this.hello,
        newShares,
        findRawExtension(hrr.extensions, EXT.cookie)?.body ?? null,
      );
      secondMessage = encodeClientHelloMessage(second);
      secondBytes = encodeClientHello(second);
    } catch (e) {
      // a hello parsed leniently from raw bytes may hold fields the encoder refuses
      this.stop('hello_retry_request', `the second ClientHello cannot be encoded: ${(e as Error).message}`);
      return;
    }
    if (newShares) this.keyShares = newShares;
    this.helloRetryRequestMessage = raw;
    this.clientHello2Message = secondMessage;
    this.sent.push(second);
    this.retried = true;
    const out: Uint8Array[] = [];
    // A client in middlebox compatibility mode (non-empty session id) sends change_cipher_spec
    // before its second flight (RFC 8446 D.4); servers accept it either way.
    if (this.hello.legacySessionId.length > 0) out.push(new Uint8Array([20, 3, 3, 0, 1, 1]));
    out.push(secondBytes);
    for (const b of out) send.push(b);
  }

  private handleServerHello(sh: ServerHello, raw: Uint8Array, send: Uint8Array[]): void {
    const share = sh.version >= TLS13 ? serverShare(sh) : null;
    this.negotiatedVersion = sh.version;
    this.parsedServerHello = sh;
    this.receivedAtServerHello = this.bytesReceived;
    const mine = share ? this.keyShares.find((s) => s.group === share.group) : undefined;
    let secret: Uint8Array | Error | undefined;
    const sharedSecret = (): Uint8Array => {
      if (!mine || !share) throw new TypeError('no key share of ours for the server share');
      if (secret === undefined) {
        try {
          secret = deriveSharedSecret(mine, share.keyExchange);
        } catch (e) {
          secret = e as Error;
        }
      }
      if (secret instanceof Error) throw secret;
      return secret;
    };
    const group = sh.version >= TLS13 ? (share?.group ?? null) : null;
    this.serverHello = {
      version: sh.version,
      versionName: versionLabel(sh.version),
      cipherSuite: sh.cipherSuite,
      cipherSuiteName: cipherSuiteName(sh.cipherSuite),
      group,
      groupName: group === null ? null : groupName(group),
      alpn: sh.version >= TLS13 ? null : alpnOf(sh.extensions, 'server_hello'),
      random: sh.random,
      legacySessionIdEcho: sh.legacySessionIdEcho,
      downgrade: sh.downgrade,
      extensions: extensionsOf(sh.extensions),
    };
    const answered = this.lastSent;
    if (answered) {
      const event = {
        kind: 'server_hello',
        hello: answered,
        message: sh,
        previousRetry: this.parsedRetry ?? null,
        keyShares: this.keyShares,
        // The share is checked by computing the secret only when the probe goes on to decrypt
        // (scans that stop at the ServerHello pay no key agreement); its size is always checked.
        ...(this.options.stopAfterServerHello || this.options.decrypt === false ? {} : { sharedSecret }),
      } as const;
      if (this.conform(event, send)) return;
    }
    if (this.options.stopAfterServerHello) {
      this.stop('server_hello');
      return;
    }
    if (sh.version < TLS13) {
      this.phase = 'tls12';
      return;
    }
    if (this.options.decrypt === false) {
      this.stop('server_hello');
      return;
    }
    if (!share) {
      this.stop(
        'server_hello',
        'the TLS 1.3 ServerHello has no key_share (a PSK-only handshake?), nothing to decrypt with',
      );
      return;
    }
    if (!mine) {
      this.stop(
        'server_hello',
        `the server answered with a ${groupName(share.group)} share, but the hello's private key shares do not include that group`,
      );
      return;
    }
    const clientHello1 = this.clientHello1Message;
    if (!clientHello1) {
      this.stop(
        'server_hello',
        'the bytes sent carry no whole ClientHello message to start the transcript with',
      );
      return;
    }
    let params: ReturnType<typeof cipherSuiteParams>;
    let ikm: Uint8Array;
    try {
      params = cipherSuiteParams(sh.cipherSuite);
      ikm = sharedSecret();
    } catch (e) {
      this.stop('server_hello', (e as Error).message);
      return;
    }
    const transcript =
      this.retried && this.helloRetryRequestMessage && this.clientHello2Message
        ? Transcript.afterHelloRetryRequest(params.hash, clientHello1, this.helloRetryRequestMessage).update(
            this.clientHello2Message,
          )
        : new Transcript(params.hash).update(clientHello1);
    transcript.update(raw);
    const secrets = handshakeSecrets(params.hash, ikm, transcript.digest());
    this.emitKeyLog({
      clientHandshakeTrafficSecret: secrets.clientHandshakeTrafficSecret,
      serverHandshakeTrafficSecret: secrets.serverHandshakeTrafficSecret,
    });
    this.tls13 = {
      transcript,
      secrets,
      server: createRecordProtection(params, secrets.serverHandshakeTrafficSecret),
      client: createRecordProtection(params, secrets.clientHandshakeTrafficSecret),
    };
    if (this.reassembler.pending > 0) {
      this.stop('protocol_error', 'a handshake message after the TLS 1.3 ServerHello was not encrypted');
      return;
    }
    this.phase = 'tls13';
  }

  private emitKeyLog(secrets: Parameters<typeof tls13KeyLogLines>[1]): void {
    if (!this.options.keylog) return;
    try {
      // the client random: the hello's, or bytes 6..38 of the message sent (type, length, version first)
      const random = this.hello?.random ?? this.clientHello1Message?.subarray(6, 38);
      if (!random) return;
      for (const line of tls13KeyLogLines(random, secrets)) this.options.keylog(line);
    } catch (e) {
      // a failing key log sink must not stop the probe; the result says what happened
      this.error ??= `the key log could not be written: ${(e as Error).message}`;
    }
  }

  private handleEncrypted(record: DecodedRecord, send: Uint8Array[]): DecryptedContent | undefined {
    const state = this.tls13!;
    const header = encodeRecord(record).subarray(0, 5);
    let inner: ReturnType<typeof decryptRecord>;
    try {
      inner = decryptRecord(state.server, header, record.fragment);
    } catch (e) {
      this.stop(
        'protocol_error',
        `cannot decrypt the server's record ${state.server.sequence}: ${(e as Error).message}`,
      );
      return undefined;
    }
    const decrypted = {
      contentType: inner.contentType,
      contentTypeName: contentTypeName(inner.contentType),
      length: inner.content.length,
      messages: [] as string[],
    };
    if (inner.contentType === 21) {
      this.handleAlert(inner.content, true);
      return decrypted;
    }
    if (inner.contentType !== 22) {
      this.stop('protocol_error', `the server sent ${decrypted.contentTypeName} before its Finished`);
      return decrypted;
    }
    let messages: ReassembledMessage[];
    try {
      messages = this.innerReassembler.push(inner.content);
    } catch (e) {
      this.stop('protocol_error', (e as Error).message);
      return decrypted;
    }
    for (const m of messages) {
      decrypted.messages.push(handshakeTypeName(m.msgType));
      if (this.done) break;
      this.handleEncryptedMessage(m, send);
    }
    return decrypted;
  }

  private handleEncryptedMessage(m: ReassembledMessage, send: Uint8Array[]): void {
    const state = this.tls13!;
    const name = handshakeTypeName(m.msgType);
    this.serverMessages.push(name);
    if (m.msgType === HANDSHAKE_TYPES.finished) {
      const hash = state.transcript.hash;
      const expected = finishedVerifyData(
        hash,
        state.secrets.serverHandshakeTrafficSecret,
        state.transcript.digest(),
      );
      this.finishedVerified = equalBytes(expected, m.body);
      state.transcript.update(m.raw);
      const app = applicationSecrets(hash, state.secrets.masterSecret, state.transcript.digest());
      this.emitKeyLog(app);
      if (this.finishedVerified) this.stop('complete');
      else this.stop('protocol_error', 'the server Finished does not match the key schedule');
      return;
    }
    state.transcript.update(m.raw);
    if (m.msgType === HANDSHAKE_TYPES.compressed_certificate) {
      const compressed = compressedCertificateOf(m.body);
      if (typeof compressed === 'string') this.error ??= compressed;
      else {
        this.certificateChain.length = 0;
        this.compressedCertificate = compressed;
      }
      return;
    }
    const parsed = this.parse(m, TLS13);
    if (!parsed) return;
    switch (parsed.type) {
      case 'encrypted_extensions': {
        this.encryptedExtensions = extensionsOf(parsed.extensions);
        if (this.serverHello) {
          const alpn = alpnOf(parsed.extensions, 'encrypted_extensions');
          if (alpn !== null) this.serverHello = { ...this.serverHello, alpn };
        }
        const answered = this.lastSent;
        if (answered)
          this.conform(
            { kind: 'encrypted_extensions', hello: answered, extensions: parsed.extensions ?? [] },
            send,
          );
        return;
      }
      case 'certificate':
        this.takeCertificate(parsed);
        return;
      case 'certificate_request':
        this.certificateRequested = true;
        return;
      default:
        return;
    }
  }
}

/** `TLS 1.3`, `TLS 1.2`, ..., or the hex code. */
export function versionLabel(version: number): string {
  const names: Record<number, string> = {
    768: 'SSL 3.0',
    769: 'TLS 1.0',
    770: 'TLS 1.1',
    771: 'TLS 1.2',
    772: 'TLS 1.3',
  };
  return names[version] ?? `0x${version.toString(16).padStart(4, '0')}`;
}

function bitLength(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length && bytes[i] === 0) i++;
  if (i === bytes.length) return 0;
  return (bytes.length - i - 1) * 8 + (32 - Math.clz32(bytes[i]));
}
