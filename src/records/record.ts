/**
 * TLSPlaintext records (RFC 8446 §5.1, RFC 5246 §6.2.1): a 5-byte header
 * (`ContentType type; ProtocolVersion legacy_record_version; uint16 length`) and a fragment.
 */
import { Reader } from '../bytes/reader.ts';
import { Writer } from '../bytes/writer.ts';
import { CONTENT_TYPE } from '../iana/content-types.ts';
import { contentTypeRegistry } from '../iana/lookup.ts';

/** ContentType codes by name, from the IANA layer. */
export const CONTENT_TYPES: typeof CONTENT_TYPE = CONTENT_TYPE;

/**
 * The name of a content type code, or `unknown(0x…)`.
 * @example contentTypeName(22) // 'handshake'
 */
export function contentTypeName(code: number): string {
  return contentTypeRegistry.name(code);
}

/** True for the content types a TLS (not DTLS) peer knows: 20..24 (RFC 8446 §5.1, RFC 6520). */
export function isKnownContentType(code: number): boolean {
  return code >= 20 && code <= 24;
}

/** Size of the record header. */
export const RECORD_HEADER_LENGTH = 5;
/** Largest TLSPlaintext fragment, 2^14 (RFC 8446 §5.1). */
export const MAX_PLAINTEXT_LENGTH = 16384;
/** Largest TLSCiphertext fragment, 2^14 + 256 (RFC 8446 §5.2). */
export const MAX_CIPHERTEXT_LENGTH: number = 16384 + 256;

/** One record. `fragment` is the payload; `lengthOverride` forges the length field on encode. */
export interface TLSPlaintext {
  readonly contentType: number;
  /** legacy_record_version, e.g. 0x0301 for a first ClientHello, 0x0303 otherwise. */
  readonly version: number;
  readonly fragment: Uint8Array;
  /** Written instead of `fragment.length` (a deliberate lie). */
  readonly lengthOverride?: number;
}

/** A decoded record with its place in the input. */
export interface DecodedRecord extends TLSPlaintext {
  /** Offset of the record header in the caller's input. */
  readonly offset: number;
}

/** Options for record decoding. */
export interface RecordDecodeOptions {
  /** Enforce RFC 8446 §5.1/§5.2 limits (default true). */
  readonly strict?: boolean;
  /** Offset of `bytes[0]` in the caller's input (default 0). */
  readonly baseOffset?: number;
}

/**
 * Writes one record.
 * @example encodeRecord({ contentType: 21, version: 0x0303, fragment: new Uint8Array([2, 40]) })
 */
export function encodeRecord(record: TLSPlaintext): Uint8Array {
  const w = new Writer(record.fragment.length + RECORD_HEADER_LENGTH);
  writeRecord(w, record);
  return w.finish();
}

/** Writes several records back to back. */
export function encodeRecords(records: readonly TLSPlaintext[]): Uint8Array {
  const w = new Writer();
  for (const record of records) writeRecord(w, record);
  return w.finish();
}

/** Writes one record into `w`. */
export function writeRecord(w: Writer, record: TLSPlaintext): void {
  w.u8(record.contentType, 'content_type');
  w.u16(record.version, 'legacy_record_version');
  w.vector(2, 'fragment', record.fragment, record.lengthOverride);
}

/**
 * Checks a record header against RFC 8446 §5.1/§5.2: known content type
 * (`unexpected_message`), fragment ≤ 2^14 (2^14+256 for application_data, which may be
 * ciphertext) (`record_overflow`), no zero-length handshake or alert fragment.
 * Faults go through `r.problem` so lenient readers collect them. `at` is the header's index.
 */
export function checkRecordHeader(r: Reader, contentType: number, length: number, at: number): void {
  if (!isKnownContentType(contentType)) {
    r.problem('unexpected-message', `unknown content type ${contentType}`, {
      at,
      field: 'content_type',
      alert: 'unexpected_message',
    });
  }
  const max = contentType === CONTENT_TYPES.application_data ? MAX_CIPHERTEXT_LENGTH : MAX_PLAINTEXT_LENGTH;
  if (length > max) {
    r.problem('too-large', `fragment of ${length} bytes exceeds ${max} (RFC 8446 §5.1/§5.2)`, {
      at: at + 3,
      field: 'length',
      alert: 'record_overflow',
    });
  }
  if (length === 0 && (contentType === CONTENT_TYPES.handshake || contentType === CONTENT_TYPES.alert)) {
    r.problem('bad-length', `zero-length ${contentTypeName(contentType)} fragment (RFC 8446 §5.1)`, {
      at: at + 3,
      field: 'length',
      alert: 'unexpected_message',
    });
  }
}

/**
 * Reads one record from `r` (path `record`). The fragment is a view into the input.
 * @throws {DecodeError} `truncated` when the header or fragment is cut short
 */
export function readRecord(r: Reader): DecodedRecord {
  const at = r.pos;
  const offset = r.offset;
  const contentType = r.u8('content_type');
  const version = r.u16('legacy_record_version');
  const lengthAt = r.pos;
  const length = r.u16('length');
  checkRecordHeader(r, contentType, length, at);
  if (r.remaining < length) {
    r.fail('truncated', `fragment length ${length} runs past the end (${r.remaining} bytes left)`, {
      at: lengthAt,
      field: 'fragment',
    });
  }
  const fragment = r.bytes(length, 'fragment');
  return { contentType, version, fragment, offset };
}

/**
 * Decodes a byte string made of whole records.
 * @example decodeRecords(bytes).map((r) => contentTypeName(r.contentType))
 * @throws {DecodeError} on a cut-short record or (strict) a §5.1 limit
 */
export function decodeRecords(bytes: Uint8Array, options: RecordDecodeOptions = {}): DecodedRecord[] {
  const r = new Reader(bytes, { path: ['records'], strict: options.strict, baseOffset: options.baseOffset });
  const out: DecodedRecord[] = [];
  for (let i = 0; !r.atEnd; i++) out.push(r.enter(i, () => readRecord(r)));
  return out;
}

/**
 * Decodes exactly one record; bytes after it are `trailing`.
 * @throws {DecodeError}
 */
export function decodeRecord(bytes: Uint8Array, options: RecordDecodeOptions = {}): DecodedRecord {
  const r = new Reader(bytes, { path: ['record'], strict: options.strict, baseOffset: options.baseOffset });
  const record = readRecord(r);
  r.done();
  return record;
}
