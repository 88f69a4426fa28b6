/**
 * ClientHello (RFC 8446 §4.1.2, RFC 5246 §7.4.1.2): parse from records or a bare message,
 * encode back byte-identically.
 */
import { DecodeError, type Problem } from '../bytes/errors.ts';
import { concatBytes } from '../bytes/hex.ts';
import { Reader } from '../bytes/reader.ts';
import { Writer } from '../bytes/writer.ts';
import { decodeExtensions, encodeExtensions } from '../extensions/block.ts';
import type { Extension } from '../extensions/types.ts';
import { fragmentBySizes } from '../records/fragment.ts';
import { notTlsError } from '../records/not-tls.ts';
import {
  CONTENT_TYPES,
  type DecodedRecord,
  RECORD_HEADER_LENGTH,
  readRecord,
  writeRecord,
} from '../records/record.ts';
import { HANDSHAKE_HEADER_LENGTH, HANDSHAKE_TYPES, handshakeTypeName, writeHandshake } from './header.ts';
import { HandshakeReassembler, remapProblem, type Segment, withInputOffsets } from './reassembler.ts';
import type { ClientHello, RecordFraming } from './types.ts';

/** Options for {@link parseClientHello}. */
export interface ParseClientHelloOptions {
  /** Strict (default) rejects what a strict server rejects; lenient collects it in `problems`. */
  readonly strict?: boolean;
  /** Offset of `bytes[0]` in the caller's input (default 0). */
  readonly baseOffset?: number;
}

const SUPPORTED_VERSIONS = 43;
const TLS13 = 0x0304;

/**
 * Parses a ClientHello from one or more TLS records (first byte 0x16) or from a bare
 * handshake message (first byte 0x01). The result keeps the record framing, so
 * `encodeClientHello(parseClientHello(b))` returns `b` exactly.
 *
 * Strict rules: legacy_session_id ≤ 32 bytes, cipher_suites non-empty and even,
 * compression methods non-empty and exactly `[0]` when TLS 1.3 is offered
 * (`illegal_parameter`), nothing after the message (lenient keeps it in `trailing`).
 *
 * Zero-copy, like Go's cryptobyte and rustls: the byte fields of the result (`random`,
 * `legacySessionId`, extension bodies, key shares, host names) are views into `bytes` — or,
 * for a hello split over several records, into the one buffer it was reassembled in. Copy
 * (`.slice()`) what you keep if you will overwrite `bytes` afterwards.
 *
 * @example
 * const hello = parseClientHello(bytes);
 * hello.cipherSuites; // [4866, 4867, ...]
 * @throws {DecodeError} with the field path (`client_hello.extensions[3]...`) and input offset
 */
export function parseClientHello(bytes: Uint8Array, options: ParseClientHelloOptions = {}): ClientHello {
  const baseOffset = options.baseOffset ?? 0;
  const strict = options.strict ?? true;
  if (bytes.length === 0) {
    throw new DecodeError({
      code: 'truncated',
      offset: baseOffset,
      path: 'client_hello',
      alert: 'decode_error',
      detail: 'no bytes',
    });
  }
  if (bytes[0] === CONTENT_TYPES.handshake) return parseFromRecords(bytes, strict, baseOffset);
  if (bytes[0] === HANDSHAKE_TYPES.client_hello) {
    const r = new Reader(bytes, { path: ['client_hello'], strict, baseOffset });
    const hello = readClientHelloMessage(r);
    if (!r.atEnd) {
      const n = r.remaining;
      r.problem('trailing', `${n} byte${n === 1 ? '' : 's'} after the handshake message`);
      return withFraming(hello, concatTrailing(hello.trailing, r.rest()), undefined, r.problems);
    }
    return strict ? hello : withFraming(hello, hello.trailing, undefined, r.problems);
  }
  const notTls = notTlsError(bytes, baseOffset, 'client_hello');
  if (notTls) throw notTls;
  throw new DecodeError({
    code: 'unexpected-message',
    offset: baseOffset,
    path: 'client_hello',
    alert: 'unexpected_message',
    detail: `expected a handshake record (0x16) or a client_hello message (0x01), got content type ${bytes[0]}`,
  });
}

function concatTrailing(a: Uint8Array | undefined, b: Uint8Array): Uint8Array {
  return !a || a.length === 0 ? b : concatBytes(a, b);
}

function parseFromRecords(bytes: Uint8Array, strict: boolean, baseOffset: number): ClientHello {
  const r = new Reader(bytes, { path: ['records'], strict, baseOffset });
  const first = readHandshakeRecord(r, 0, baseOffset);
  const f = first.fragment;
  // Fast path: nearly every ClientHello is one record holding exactly that one message.
  // The reassembler would join, copy and track segments for nothing; this decodes the
  // fragment in place (one segment), so the hello's bytes are views into `bytes` as on the
  // bare-message path. Anything else takes the general path.
  if (f.length >= HANDSHAKE_HEADER_LENGTH && HANDSHAKE_HEADER_LENGTH + readU24(f, 1) === f.length) {
    const inputOffset = first.offset + RECORD_HEADER_LENGTH;
    return finishFromRecords(
      r,
      strict,
      f,
      inputOffset,
      [{ start: 0, inputOffset }],
      0,
      [f.length],
      [first.version],
    );
  }
  const reassembler = new HandshakeReassembler();
  const sizes: number[] = [];
  const versions: number[] = [];
  let record = first;
  for (let i = 0; ; ) {
    sizes.push(record.fragment.length);
    versions.push(record.version);
    const messages = reassembler.push(record.fragment, record.offset + RECORD_HEADER_LENGTH);
    if (messages.length > 0) {
      const message = messages[0];
      const extra = reassembler.pending + messages.slice(1).reduce((n, m) => n + m.raw.length, 0);
      return finishFromRecords(
        r,
        strict,
        message.raw,
        message.offset,
        message.segments,
        extra,
        sizes,
        versions,
      );
    }
    i++;
    if (r.atEnd) {
      throw new DecodeError({
        code: 'truncated',
        offset: reassembler.pendingOffset ?? r.offset,
        path: 'client_hello',
        alert: 'decode_error',
        detail: `the records end inside the ClientHello (${reassembler.pending} bytes of it arrived)`,
      });
    }
    record = readHandshakeRecord(r, i, baseOffset);
  }
}

/** Record `i` of a ClientHello's records (path `records[i]`); it must carry handshake data. */
function readHandshakeRecord(r: Reader, i: number, baseOffset: number): DecodedRecord {
  r.pushPath(i);
  try {
    const rec = readRecord(r);
    if (rec.contentType !== CONTENT_TYPES.handshake) {
      r.fail('unexpected-message', `record ${i} has content type ${rec.contentType}, not handshake (22)`, {
        at: rec.offset - baseOffset,
        field: 'content_type',
        alert: 'unexpected_message',
      });
    }
    return rec;
  } finally {
    r.popPath();
  }
}

/**
 * Decodes the reassembled ClientHello message `raw` (whose bytes came from `segments`) and
 * checks what follows it: `extra` bytes in its last record, then whatever `r` has left.
 */
function finishFromRecords(
  r: Reader,
  strict: boolean,
  raw: Uint8Array,
  offset: number,
  segments: readonly Segment[],
  extra: number,
  sizes: number[],
  versions: number[],
): ClientHello {
  if (raw[0] !== HANDSHAKE_TYPES.client_hello) {
    throw new DecodeError({
      code: 'unexpected-message',
      offset,
      path: 'client_hello.msg_type',
      alert: 'unexpected_message',
      detail: `expected client_hello (1), got ${handshakeTypeName(raw[0])} (${raw[0]})`,
    });
  }
  const mr = new Reader(raw, { path: ['client_hello'], strict });
  const hello = withInputOffsets(segments, () => readClientHelloMessage(mr));
  const after = r.remaining;
  let problems: Problem[] | undefined;
  if (!strict) problems = [...r.problems, ...mr.problems.map((p) => remapProblem(p, segments))];
  if (extra > 0 || after > 0) {
    const detail =
      extra > 0
        ? `${extra} bytes after the ClientHello in its last record`
        : `${after} bytes after the ClientHello's records (decodeStream reads a whole flight)`;
    const p: Problem = {
      code: 'trailing',
      offset: extra > 0 ? r.offset - extra : r.offset,
      path: 'client_hello',
      alert: 'decode_error',
      detail,
    };
    if (strict) throw new DecodeError(p);
    problems!.push(p);
  }
  let framing: RecordFraming = { version: versions[0] };
  if (sizes.length > 1) framing = { version: versions[0], fragments: sizes };
  if (versions.some((v) => v !== versions[0])) framing = { ...framing, versions };
  return withFraming(hello, hello.trailing, framing, problems);
}

/**
 * `hello`'s fields, then `trailing`, `record` and (lenient) `problems` when given, in that
 * order. Built field by field rather than spread: the same keys in the same order, and a
 * spread that adds keys was the slowest step of a lenient decode.
 */
function withFraming(
  hello: ClientHello,
  trailing: Uint8Array | undefined,
  record: RecordFraming | undefined,
  problems: Problem[] | undefined,
): ClientHello {
  const out: Mutable<ClientHello> = {
    legacyVersion: hello.legacyVersion,
    random: hello.random,
    legacySessionId: hello.legacySessionId,
    cipherSuites: hello.cipherSuites,
    legacyCompressionMethods: hello.legacyCompressionMethods,
    extensions: hello.extensions,
  };
  if (trailing) out.trailing = trailing;
  if (record) out.record = record;
  if (problems) out.problems = problems;
  return out;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function readU24(b: Uint8Array, at: number): number {
  return (b[at] << 16) | (b[at + 1] << 8) | b[at + 2];
}

/**
 * Reads a whole ClientHello handshake message (header and body) from `r`, whose path should
 * be `['client_hello']`. Bytes after the message are left in `r`.
 */
export function readClientHelloMessage(r: Reader): ClientHello {
  const typeAt = r.pos;
  const msgType = r.u8('msg_type');
  if (msgType !== HANDSHAKE_TYPES.client_hello) {
    r.fail(
      'unexpected-message',
      `expected client_hello (1), got ${handshakeTypeName(msgType)} (${msgType})`,
      {
        at: typeAt,
        alert: 'unexpected_message',
      },
    );
  }
  // The body is read through `r` narrowed to it (no sub-reader), as decodeExtensions does.
  const outerEnd = r.openVector(3, 'length');
  try {
    return readClientHelloBody(r);
  } finally {
    r.closeVector(outerEnd);
  }
}

/**
 * Reads a ClientHello body (everything after the handshake header) from `r`; the whole
 * window must be used (lenient: leftovers go to `trailing`).
 */
export function readClientHelloBody(r: Reader): ClientHello {
  const legacyVersion = r.u16('legacy_version');
  const random = r.bytes(32, 'random');
  const legacySessionId = r.vectorBytes(1, 'legacy_session_id', LEGACY_SESSION_ID_LIMITS);
  const cipherSuites = r.u16List(2, 'cipher_suites', CIPHER_SUITES_LIMITS);
  const compressionAt = r.pos;
  const legacyCompressionMethods = r.u8List(1, 'legacy_compression_methods', COMPRESSION_METHODS_LIMITS);
  const extensionsAt = r.pos;
  const extensions: Extension[] | null = r.atEnd ? null : decodeExtensions(r, 'client_hello');
  if (extensions && offersTls13(extensions)) {
    if (legacyCompressionMethods.length !== 1 || legacyCompressionMethods[0] !== 0) {
      r.problem(
        'illegal-value',
        `TLS 1.3 is offered, so legacy_compression_methods must be exactly [0] (RFC 8446 §4.1.2), got [${legacyCompressionMethods.join(', ')}]`,
        { at: compressionAt, field: 'legacy_compression_methods', alert: 'illegal_parameter' },
      );
    }
  }
  if (extensions && hasType(extensions, PRE_SHARED_KEY) && !hasType(extensions, PSK_KEY_EXCHANGE_MODES)) {
    r.problem('missing', 'pre_shared_key is offered without psk_key_exchange_modes (RFC 8446 §4.2.9)', {
      at: extensionsAt,
      field: 'extensions',
    });
  }
  let trailing: Uint8Array | undefined;
  if (!r.atEnd) {
    const n = r.remaining;
    r.problem('trailing', `${n} unread byte${n === 1 ? '' : 's'} after the extensions`);
    trailing = r.rest();
  }
  const hello: Mutable<ClientHello> = {
    legacyVersion,
    random,
    legacySessionId,
    cipherSuites,
    legacyCompressionMethods,
    extensions,
  };
  if (trailing) hello.trailing = trailing;
  return hello;
}

const PRE_SHARED_KEY = 41;
const PSK_KEY_EXCHANGE_MODES = 45;
// The vector limits as constants, not literals: a literal is a new object on every decode.
const LEGACY_SESSION_ID_LIMITS = { max: 32 } as const;
const CIPHER_SUITES_LIMITS = { min: 2 } as const;
const COMPRESSION_METHODS_LIMITS = { min: 1 } as const;

function hasType(extensions: readonly Extension[], type: number): boolean {
  for (const e of extensions) if (e.type === type) return true;
  return false;
}

/** True when a supported_versions extension offers TLS 1.3 (read from its raw body). */
export function offersTls13(extensions: readonly Extension[]): boolean {
  for (const ext of extensions) {
    if (ext.type !== SUPPORTED_VERSIONS) continue;
    const b = ext.body;
    for (let i = 1; i + 1 < b.length && i < 1 + b[0]; i += 2)
      if (((b[i] << 8) | b[i + 1]) === TLS13) return true;
    return false;
  }
  return false;
}

/**
 * The bare handshake message (header and body) of `hello`, with computed lengths unless
 * `lengthOverrides` forge them.
 * @throws {RangeError} when `random` is not 32 bytes
 */
export function encodeClientHelloMessage(hello: ClientHello): Uint8Array {
  const w = new Writer(clientHelloMessageLength(hello));
  writeClientHelloMessage(w, hello);
  return w.finish();
}

/** The length of the encoded message, so the writer is allocated once at the right size. */
function clientHelloMessageLength(hello: ClientHello): number {
  let n = 4 + 2 + 32 + 1 + hello.legacySessionId.length + 2 + 2 * hello.cipherSuites.length + 1;
  n += hello.legacyCompressionMethods.length;
  if (hello.extensions !== null) {
    n += 2;
    for (const e of hello.extensions) n += 4 + e.body.length;
  }
  return n + (hello.trailing?.length ?? 0);
}

/** Writes the handshake message of `hello` into `w`. */
export function writeClientHelloMessage(w: Writer, hello: ClientHello): void {
  writeHandshake(
    w,
    HANDSHAKE_TYPES.client_hello,
    (w) => writeClientHelloBody(w, hello),
    hello.lengthOverrides?.handshake,
  );
}

/** Writes the ClientHello body (no handshake header). */
export function writeClientHelloBody(w: Writer, hello: ClientHello): void {
  if (hello.random.length !== 32) {
    throw new RangeError(`"random" expected Uint8Array of length 32, got ${hello.random.length}`);
  }
  const o = hello.lengthOverrides ?? {};
  w.u16(hello.legacyVersion, 'legacy_version');
  w.bytes(hello.random);
  w.vector(1, 'legacy_session_id', hello.legacySessionId, o.legacySessionId);
  w.prefixed(
    2,
    'cipher_suites',
    (w) => {
      for (const suite of hello.cipherSuites) w.u16(suite, 'cipher_suite');
    },
    o.cipherSuites,
  );
  w.prefixed(
    1,
    'legacy_compression_methods',
    (w) => {
      for (const m of hello.legacyCompressionMethods) w.u8(m, 'compression_method');
    },
    o.legacyCompressionMethods,
  );
  if (hello.extensions !== null) encodeExtensions(w, hello.extensions, o.extensions);
  if (hello.trailing) w.bytes(hello.trailing);
}

/**
 * The record bytes of `hello`: its handshake message framed as `hello.record` says (one
 * record with version 0x0301 when absent). Byte-identical for an unedited parse.
 * @throws {RangeError} when `record.fragments` do not add up to the message length
 */
export function encodeClientHello(hello: ClientHello): Uint8Array {
  const framing = hello.record ?? { version: 0x0301 };
  if (framing.fragments === undefined && framing.versions === undefined) {
    // One record (the usual case): header and message written into one exactly sized buffer.
    const length = clientHelloMessageLength(hello);
    const w = new Writer(RECORD_HEADER_LENGTH + length);
    w.u8(framing.contentType ?? CONTENT_TYPES.handshake, 'content_type');
    w.u16(framing.version, 'legacy_record_version');
    w.prefixed(2, 'fragment', (w) => writeClientHelloMessage(w, hello));
    return w.finish();
  }
  const message = encodeClientHelloMessage(hello);
  const sizes = framing.fragments ?? [message.length];
  const records = fragmentBySizes(message, sizes, {
    contentType: framing.contentType ?? CONTENT_TYPES.handshake,
    version: framing.version,
  });
  const versions = framing.versions;
  if (versions && versions.length !== records.length) {
    throw new RangeError(`record.versions has ${versions.length} entries for ${records.length} records`);
  }
  // One output buffer of the exact size: the record headers plus the message.
  const w = new Writer(message.length + RECORD_HEADER_LENGTH * records.length);
  for (let i = 0; i < records.length; i++) {
    writeRecord(w, versions ? { ...records[i], version: versions[i] } : records[i]);
  }
  return w.finish();
}
