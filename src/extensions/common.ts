import { equalBytes, fromLatin1, latin1 } from '../bytes/hex.ts';

/**
 * The value of an extension whose body is empty in this message (encrypt_then_mac,
 * server_name in a ServerHello, early_data in a ClientHello, ...).
 */
export type EmptyValue = Readonly<Record<string, never>>;

/** The one empty value decoders return (frozen, so sharing it is safe). */
export const EMPTY: EmptyValue = Object.freeze({});

/**
 * Bytes for a field offered both as bytes and as a Latin-1 string view (host names, ALPN
 * ids). Latin-1 maps every byte to one character, so either restores the wire bytes
 * exactly; when both are given they must agree, so an edit to one is never silently lost.
 * @throws {TypeError} when neither is given or the two disagree
 */
export function bytesOrText(
  bytes: Uint8Array | undefined,
  text: string | undefined,
  what: string,
): Uint8Array {
  if (text === undefined) {
    if (bytes === undefined) throw new TypeError(`"${what}" needs bytes or a string`);
    return bytes;
  }
  const fromText = fromLatin1(text, what);
  if (bytes !== undefined && !equalBytes(bytes, fromText)) {
    throw new TypeError(
      `"${what}" has bytes and a string that disagree (${JSON.stringify(latin1(bytes))} vs ${JSON.stringify(text)}); drop one`,
    );
  }
  return fromText;
}

/** True when `value` is an object carrying `key` (how encoders tell the forms of a value apart). */
export function has<K extends string>(value: unknown, key: K): value is Record<K, unknown> {
  return typeof value === 'object' && value !== null && key in value;
}

/**
 * The codes seen so far in one list (extension types, groups), for duplicate checks. A
 * short array scanned linearly covers real hellos (a few dozen codes) without a Set per
 * list, which cost more than the scan; past 32 codes a Set keeps a hostile list of
 * thousands of entries linear.
 */
export class SeenCodes {
  private readonly list: number[] = [];
  private set: Set<number> | null = null;

  /** Adds `code`; false when it was already there. */
  add(code: number): boolean {
    if (this.set !== null) {
      if (this.set.has(code)) return false;
      this.set.add(code);
      return true;
    }
    const list = this.list;
    for (let i = 0; i < list.length; i++) if (list[i] === code) return false;
    list.push(code);
    if (list.length > 32) this.set = new Set(list);
    return true;
  }
}
