/**
 * The SSLv2-compatible CLIENT-HELLO (RFC 5246 Appendix E.2, RFC 6101 Appendix E, the SSL 2.0
 * draft): what scanners and very old clients send instead of a TLS record. Parse and encode
 * back byte-identically, with the record header form (2-byte, or 3-byte with padding) kept.
 */
import type { Problem } from '../bytes/errors.ts';
import { Reader } from '../bytes/reader.ts';
import { Writer } from '../bytes/writer.ts';
import { cipherSuiteName, versionName } from '../iana/lookup.ts';

/**
 * The SSLv2 record header. `form: 2` is the 2-byte header (high bit set, length up to
 * 32767, no padding) that RFC 5246 E.2 requires; `form: 3` is SSL 2.0's 3-byte header
 * (length up to 16383, the is-escape bit, then a padding count) whose last `padding.length`
 * record bytes are padding.
 */
export type Sslv2RecordHeader =
  | { readonly form: 2 }
  | { readonly form: 3; readonly isEscape: boolean; readonly padding: Uint8Array };

/** Lengths written instead of the true ones, to forge a hello on purpose. */
export interface Sslv2LengthOverrides {
  /** The record length in the header (the 15 or 14 bits after the flag bits). */
  readonly msgLength?: number;
  readonly cipherSpecLength?: number;
  readonly sessionIdLength?: number;
  readonly challengeLength?: number;
}

/** An SSLv2-compatible CLIENT-HELLO. Byte fields of a parsed one are views into the input. */
export interface Sslv2ClientHello {
  readonly type: 'sslv2_client_hello';
  readonly header: Sslv2RecordHeader;
  /** 1 (CLIENT-HELLO) in every parsed hello; another value only when forged. */
  readonly msgType: number;
  /** The highest version the client offers: 0x0002 for SSL 2.0, 0x0300+ for SSL 3.0/TLS. */
  readonly version: number;
  /** 24-bit cipher specs in wire order: SSL 2.0 kinds, and TLS suites as `0x00XXYY`. */
  readonly cipherSpecs: readonly number[];
  /** Empty, or 16 bytes when an SSL 2.0 client resumes a session. */
  readonly sessionId: Uint8Array;
  /** 16 to 32 bytes; a TLS server uses it, left-padded with zeros, as ClientHello.random. */
  readonly challenge: Uint8Array;
  /** Lenient: bytes inside the record after the challenge (and before any padding). */
  readonly extra?: Uint8Array;
  /** Lenient: bytes after the record. */
  readonly trailing?: Uint8Array;
  /** Lenient: the faults found. */
  readonly problems?: Problem[];
  /** Encode only: forged lengths. */
  readonly lengthOverrides?: Sslv2LengthOverrides;
}

/** Options for {@link parseSslv2ClientHello}. */
export interface ParseSslv2ClientHelloOptions {
  /** Strict (default) rejects what RFC 5246 E.2 forbids; lenient collects it in `problems`. */
  readonly strict?: boolean;
  /** Offset of `bytes[0]` in the caller's input (default 0). */
  readonly baseOffset?: number;
}

const PATH = 'sslv2_client_hello';
const CLIENT_HELLO = 1;
/** msg_type, version, cipher_spec_length, session_id_length, challenge_length. */
const FIXED_LENGTH = 9;
const SSL3 = 0x0300;
const TLS12 = 0x0303;

/**
 * Whether `bytes` start like an SSLv2 CLIENT-HELLO: a 2-byte header (high bit set) and
 * msg_type 1. The 3-byte header form is only recognised by {@link parseSslv2ClientHello},
 * since its first byte can also start a TLS record.
 * @example isSslv2ClientHello(bytes) // true for what testssl.sh sends to test SSL 2.0
 */
export function isSslv2ClientHello(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && (bytes[0] & 0x80) !== 0 && bytes[2] === CLIENT_HELLO;
}

/**
 * Parses an SSLv2-compatible CLIENT-HELLO record. The result keeps the header form,
 * padding and (lenient) extra bytes, so `encodeSslv2ClientHello(parseSslv2ClientHello(b))`
 * returns `b` exactly.
 *
 * Strict rules (RFC 5246 E.2 and the SSL 2.0 draft): msg_type 1; cipher_spec_length a
 * multiple of 3 (also in lenient mode, since the list cannot be cut into specs) and not 0;
 * session_id_length 0 or 16, and 0 when the version is TLS 1.2 or later; challenge_length
 * 16..32; the 2-byte header when the version is SSL 3.0 or later; nothing after the
 * challenge or the record.
 *
 * @example
 * const hello = parseSslv2ClientHello(bytes);
 * hello.cipherSpecs.map(sslv2CipherSpecName); // ['SSL_CK_RC4_128_WITH_MD5', ...]
 * @throws {DecodeError} with the field path (`sslv2_client_hello.cipher_specs`) and offset
 */
export function parseSslv2ClientHello(
  bytes: Uint8Array,
  options: ParseSslv2ClientHelloOptions = {},
): Sslv2ClientHello {
  const strict = options.strict ?? true;
  const baseOffset = options.baseOffset ?? 0;
  const r = new Reader(bytes, { path: [PATH], strict, baseOffset });
  const msgLength = r.u16('msg_length');
  const first = msgLength >> 8;
  const form = first & 0x80 ? 2 : 3;
  const length = msgLength & (form === 2 ? 0x7fff : 0x3fff);
  const paddingCount = form === 3 ? r.u8('padding_length') : 0;
  const recordStart = r.pos;
  if (length > r.remaining) {
    r.fail('truncated', `record length ${length} runs past the end (${r.remaining} bytes left)`, {
      at: 0,
      field: 'msg_length',
    });
  }
  if (paddingCount > length) {
    r.fail('bad-length', `padding ${paddingCount} is longer than the record (${length} bytes)`, {
      at: 2,
      field: 'padding_length',
      alert: 'illegal_parameter',
    });
  }
  // The fields are read from a reader that ends where the record's data (before padding)
  // ends, so a length that runs past the record is `truncated` there.
  const fields = new Reader(bytes.subarray(0, recordStart + length - paddingCount), {
    path: [PATH],
    strict,
    baseOffset,
  });
  fields.pos = recordStart;
  const hello = readFields(fields);
  const problems = [...r.problems, ...fields.problems.splice(0)];
  let extra: Uint8Array | undefined;
  if (!fields.atEnd) {
    const n = fields.remaining;
    fields.problem('trailing', `${n} byte${n === 1 ? '' : 's'} in the record after the challenge`);
    problems.push(...fields.problems.splice(0));
    extra = fields.rest();
  }
  r.pos = recordStart + length;
  let header: Sslv2RecordHeader = { form: 2 };
  if (form === 3) {
    header = {
      form: 3,
      isEscape: (first & 0x40) !== 0,
      padding: bytes.subarray(r.pos - paddingCount, r.pos),
    };
    if (hello.version >= SSL3) {
      r.problem(
        'illegal-value',
        `a hello offering ${versionName(hello.version)} must use the 2-byte header (RFC 5246 Appendix E.2: the highest bit of msg_length MUST be 1)`,
        { at: 0, field: 'msg_length' },
      );
      problems.push(...r.problems.splice(0));
    }
  }
  let trailing: Uint8Array | undefined;
  if (!r.atEnd) {
    const n = r.remaining;
    r.problem('trailing', `${n} byte${n === 1 ? '' : 's'} after the record`);
    problems.push(...r.problems.splice(0));
    trailing = r.rest();
  }
  const out: Sslv2ClientHello = {
    ...hello,
    header,
    ...(extra ? { extra } : {}),
    ...(trailing ? { trailing } : {}),
  };
  return strict ? out : { ...out, problems: sortProblems(problems) };
}

function readFields(r: Reader): Omit<Sslv2ClientHello, 'header' | 'extra' | 'trailing'> {
  const msgTypeAt = r.pos;
  const msgType = r.u8('msg_type');
  if (msgType !== CLIENT_HELLO) {
    r.fail('unexpected-message', `expected CLIENT-HELLO (1), got SSLv2 message type ${msgType}`, {
      at: msgTypeAt,
      field: 'msg_type',
      alert: 'unexpected_message',
    });
  }
  const version = r.u16('version');
  const specsAt = r.pos;
  const cipherSpecLength = r.u16('cipher_spec_length');
  const sessionIdAt = r.pos;
  const sessionIdLength = r.u16('session_id_length');
  const challengeAt = r.pos;
  const challengeLength = r.u16('challenge_length');
  if (cipherSpecLength % 3 !== 0) {
    r.fail('bad-length', `length ${cipherSpecLength} is not a multiple of 3`, {
      at: specsAt,
      field: 'cipher_spec_length',
    });
  }
  if (cipherSpecLength === 0) {
    r.problem('empty-list', 'must not be empty (RFC 5246 Appendix E.2: it cannot be zero)', {
      at: specsAt,
      field: 'cipher_spec_length',
    });
  }
  if (version >= TLS12 && sessionIdLength !== 0) {
    r.problem(
      'illegal-value',
      `must be 0 for a client offering ${versionName(version)} (RFC 5246 Appendix E.2), got ${sessionIdLength}`,
      { at: sessionIdAt, field: 'session_id_length' },
    );
  } else if (sessionIdLength !== 0 && sessionIdLength !== 16) {
    r.problem('bad-length', `must be 0 or 16, got ${sessionIdLength}`, {
      at: sessionIdAt,
      field: 'session_id_length',
    });
  }
  if (challengeLength < 16 || challengeLength > 32) {
    r.problem('bad-length', `must be 16..32, got ${challengeLength}`, {
      at: challengeAt,
      field: 'challenge_length',
    });
  }
  const specs = r.bytes(cipherSpecLength, 'cipher_specs');
  const cipherSpecs = new Array<number>(cipherSpecLength / 3);
  for (let i = 0, p = 0; i < cipherSpecs.length; i++, p += 3) {
    cipherSpecs[i] = (specs[p] << 16) | (specs[p + 1] << 8) | specs[p + 2];
  }
  const sessionId = r.bytes(sessionIdLength, 'session_id');
  const challenge = r.bytes(challengeLength, 'challenge');
  return { type: 'sslv2_client_hello', msgType, version, cipherSpecs, sessionId, challenge };
}

function sortProblems(problems: Problem[]): Problem[] {
  return problems.sort((a, b) => a.offset - b.offset);
}

/**
 * The record bytes of an SSLv2 CLIENT-HELLO, lengths computed (or forged with
 * `lengthOverrides`); byte-identical for an unedited parse.
 * @example encodeSslv2ClientHello(parseSslv2ClientHello(bytes)) // equal to bytes
 * @throws {RangeError} for a cipher spec outside 0..0xffffff or a record too long for its header
 */
export function encodeSslv2ClientHello(hello: Sslv2ClientHello): Uint8Array {
  if (typeof hello !== 'object' || hello === null || !Array.isArray(hello.cipherSpecs)) {
    throw new TypeError('"hello" expected an Sslv2ClientHello with cipherSpecs, sessionId and challenge');
  }
  const o = hello.lengthOverrides ?? {};
  const w = new Writer(FIXED_LENGTH + hello.cipherSpecs.length * 3 + 64);
  w.u8(hello.msgType ?? CLIENT_HELLO, 'msg_type');
  w.u16(hello.version, 'version');
  w.u16(o.cipherSpecLength ?? hello.cipherSpecs.length * 3, 'cipher_spec_length');
  w.u16(o.sessionIdLength ?? hello.sessionId.length, 'session_id_length');
  w.u16(o.challengeLength ?? hello.challenge.length, 'challenge_length');
  for (const spec of hello.cipherSpecs) w.u24(spec, 'cipher_specs');
  w.bytes(hello.sessionId);
  w.bytes(hello.challenge);
  if (hello.extra) w.bytes(hello.extra);
  const header = hello.header ?? { form: 2 };
  if (header.form === 3) w.bytes(header.padding);
  const content = w.finish();
  const length = o.msgLength ?? content.length;
  const max = header.form === 2 ? 0x7fff : 0x3fff;
  if (!Number.isInteger(length) || length < 0 || length > max) {
    throw new RangeError(
      `"msgLength" expected 0..${max} for the ${header.form}-byte header, got ${length}${o.msgLength === undefined ? ' (the record is too long)' : ''}`,
    );
  }
  const headerBytes =
    header.form === 2
      ? [0x80 | (length >> 8), length & 0xff]
      : [(header.isEscape ? 0x40 : 0) | (length >> 8), length & 0xff, header.padding.length];
  if (header.form === 3 && header.padding.length > 0xff) {
    throw new RangeError(`"header.padding" expected at most 255 bytes, got ${header.padding.length}`);
  }
  const trailing = hello.trailing ?? new Uint8Array(0);
  const out = new Uint8Array(headerBytes.length + content.length + trailing.length);
  out.set(headerBytes);
  out.set(content, headerBytes.length);
  out.set(trailing, headerBytes.length + content.length);
  return out;
}

/** SSL 2.0 cipher kinds (SSL 2.0 draft Appendix C; the SHA and RC4-64 kinds from OpenSSL's ssl2.h). */
export const SSLV2_CIPHER_KINDS: ReadonlyMap<number, string> = new Map([
  [0x010080, 'SSL_CK_RC4_128_WITH_MD5'],
  [0x020080, 'SSL_CK_RC4_128_EXPORT40_WITH_MD5'],
  [0x030080, 'SSL_CK_RC2_128_CBC_WITH_MD5'],
  [0x040080, 'SSL_CK_RC2_128_CBC_EXPORT40_WITH_MD5'],
  [0x050080, 'SSL_CK_IDEA_128_CBC_WITH_MD5'],
  [0x060040, 'SSL_CK_DES_64_CBC_WITH_MD5'],
  [0x0700c0, 'SSL_CK_DES_192_EDE3_CBC_WITH_MD5'],
  [0x080080, 'SSL_CK_RC4_64_WITH_MD5'],
  [0x060140, 'SSL_CK_DES_64_CBC_WITH_SHA'],
  [0x0701c0, 'SSL_CK_DES_192_EDE3_CBC_WITH_SHA'],
]);

/**
 * The name of a 24-bit cipher spec: an SSL 2.0 kind (`SSL_CK_RC4_128_WITH_MD5`), a TLS
 * suite carried as `0x00XXYY` (its IANA name, RFC 5246 E.2), or `unknown(0x……)`.
 * @example sslv2CipherSpecName(0x00002f) // 'TLS_RSA_WITH_AES_128_CBC_SHA'
 */
export function sslv2CipherSpecName(spec: number): string {
  const kind = SSLV2_CIPHER_KINDS.get(spec);
  if (kind !== undefined) return kind;
  if (spec >> 16 === 0) {
    const name = cipherSuiteName(spec);
    if (!name.startsWith('unknown')) return name;
  }
  return `unknown(0x${spec.toString(16).padStart(6, '0')})`;
}

/**
 * The TLS cipher suites an SSLv2-compatible hello offers: its `0x00XXYY` specs as
 * `0xXXYY`, in wire order (RFC 5246 E.2); SSL 2.0 kinds are left out.
 * @example sslv2TlsCipherSuites(hello) // [0xc02b, 0x002f, ...]
 */
export function sslv2TlsCipherSuites(hello: Pick<Sslv2ClientHello, 'cipherSpecs'>): number[] {
  return hello.cipherSpecs.filter((s) => s >> 16 === 0);
}
