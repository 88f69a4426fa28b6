/**
 * Fragmenting one payload (usually a handshake message) over several records, and
 * coalescing several messages into one record (RFC 8446 §5.1 allows both for handshake
 * data). Middleboxes and servers that assume "one message, one record" break on these.
 */
import { concatBytes } from '../bytes/hex.ts';
import { CONTENT_TYPES, MAX_PLAINTEXT_LENGTH, type TLSPlaintext } from './record.ts';

/** Header fields shared by the records produced. */
export interface RecordHeaderOptions {
  /** Default 22 (handshake). */
  readonly contentType?: number;
  /** Default 0x0301, what clients put on their first ClientHello record. */
  readonly version?: number;
}

function header(options: RecordHeaderOptions): { contentType: number; version: number } {
  return { contentType: options.contentType ?? CONTENT_TYPES.handshake, version: options.version ?? 0x0301 };
}

/**
 * Splits `payload` into records of the given fragment sizes (which must add up to its length;
 * zero sizes give zero-length records, which strict peers reject — on purpose only). The
 * fragments are views into `payload`, not copies.
 * @example fragmentBySizes(message, [1, message.length - 1]) // the first record holds 1 byte
 * @throws {RangeError} when the sizes do not add up
 */
export function fragmentBySizes(
  payload: Uint8Array,
  sizes: readonly number[],
  options: RecordHeaderOptions = {},
): TLSPlaintext[] {
  let total = 0;
  for (const size of sizes) {
    if (!Number.isInteger(size) || size < 0) throw new RangeError(`fragment size ${size} is not a size`);
    total += size;
  }
  if (total !== payload.length) {
    throw new RangeError(`fragment sizes add up to ${total}, the payload has ${payload.length} bytes`);
  }
  const h = header(options);
  const out: TLSPlaintext[] = [];
  let at = 0;
  for (const size of sizes) {
    out.push({ ...h, fragment: payload.subarray(at, at + size) });
    at += size;
  }
  return out;
}

/**
 * Splits `payload` at the given offsets (strictly increasing, inside the payload).
 * @example fragmentAt(message, [4]) // header in one record, body in the next
 * @throws {RangeError} on an offset outside 1..length-1 or out of order
 */
export function fragmentAt(
  payload: Uint8Array,
  offsets: readonly number[],
  options: RecordHeaderOptions = {},
): TLSPlaintext[] {
  const sizes: number[] = [];
  let previous = 0;
  for (const offset of offsets) {
    if (!Number.isInteger(offset) || offset <= previous || offset >= payload.length) {
      throw new RangeError(
        `split offset ${offset} must be an integer above ${previous} and below ${payload.length}`,
      );
    }
    sizes.push(offset - previous);
    previous = offset;
  }
  sizes.push(payload.length - previous);
  return fragmentBySizes(payload, sizes, options);
}

/**
 * Splits `payload` into `count` records of near-equal size (the first ones one byte longer).
 * @example fragmentInto(message, 3).length // 3
 * @throws {RangeError} when `count` is not in 1..payload.length
 */
export function fragmentInto(
  payload: Uint8Array,
  count: number,
  options: RecordHeaderOptions = {},
): TLSPlaintext[] {
  if (!Number.isInteger(count) || count < 1 || count > Math.max(1, payload.length)) {
    throw new RangeError(`"count" expected an integer 1..${Math.max(1, payload.length)}, got ${count}`);
  }
  const base = Math.floor(payload.length / count);
  const extra = payload.length % count;
  return fragmentBySizes(
    payload,
    Array.from({ length: count }, (_, i) => base + (i < extra ? 1 : 0)),
    options,
  );
}

/**
 * Splits `payload` into records of at most `maxFragmentLength` bytes (default 2^14), as a
 * TLS stack does; an empty payload gives one empty record.
 */
export function fragmentByMaxLength(
  payload: Uint8Array,
  maxFragmentLength: number = MAX_PLAINTEXT_LENGTH,
  options: RecordHeaderOptions = {},
): TLSPlaintext[] {
  if (!Number.isInteger(maxFragmentLength) || maxFragmentLength < 1) {
    throw new RangeError(`"maxFragmentLength" expected a positive integer, got ${maxFragmentLength}`);
  }
  const sizes: number[] = [];
  for (let left = payload.length; left > 0; left -= maxFragmentLength)
    sizes.push(Math.min(left, maxFragmentLength));
  if (sizes.length === 0) sizes.push(0);
  return fragmentBySizes(payload, sizes, options);
}

/**
 * Puts several messages into one record.
 * @example coalesce([serverHello, certificate, serverKeyExchange, serverHelloDone], { version: 0x0303 })
 * @throws {RangeError} when they exceed 2^14 bytes, unless `allowOversize` (a deliberate fault)
 */
export function coalesce(
  messages: readonly Uint8Array[],
  options: RecordHeaderOptions & { readonly allowOversize?: boolean } = {},
): TLSPlaintext {
  const fragment = concatBytes(...messages);
  if (fragment.length > MAX_PLAINTEXT_LENGTH && !options.allowOversize) {
    throw new RangeError(
      `${fragment.length} bytes do not fit one record (max ${MAX_PLAINTEXT_LENGTH}); pass allowOversize to forge one`,
    );
  }
  return { ...header(options), fragment };
}

/** The payloads of `records` joined (the inverse of fragmenting). */
export function joinFragments(records: readonly TLSPlaintext[]): Uint8Array {
  return concatBytes(...records.map((r) => r.fragment));
}
