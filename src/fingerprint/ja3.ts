/**
 * JA3 and JA3S (salesforce/ja3, BSD-3-Clause): MD5 of a comma-separated summary of the
 * hello, with values in decimal and list items joined by `-`.
 *
 * JA3  = `SSLVersion,Ciphers,Extensions,EllipticCurves,EllipticCurvePointFormats`
 * JA3S = `SSLVersion,Cipher,Extensions`
 */
import { fromLatin1 } from '../bytes/hex.ts';
import type { FingerprintableHello } from '../handshake/hello-fields.ts';
import { AsciiText, U16List } from './ascii-list.ts';
import { memoMd5Hex, memoMd5HexOf } from './digest.ts';
import { contentEnd, type HelloSource, helloSource } from './hello-source.ts';

/** The ServerHello fields JA3S reads. */
export interface Ja3sInput {
  readonly legacyVersion: number;
  readonly cipherSuite: number;
  /** Extensions in wire order; `null` (or empty) when there are none. */
  readonly extensions: readonly { readonly type: number }[] | null;
}

/** JA3 and the string it hashes. */
export interface Ja3Fingerprints {
  readonly ja3: string;
  readonly ja3Full: string;
}

const COMMA = 0x2c;
const DASH = 0x2d;

/** Reused from call to call (JA3 runs synchronously). */
const groups = new U16List();
const text = new AsciiText();

/** Writes the JA3 string of `hello` into `text`. */
function write(hello: FingerprintableHello | Uint8Array): void {
  writeFrom(helloSource(hello));
}

/** Writes the JA3 string of fields already read into `text`. */
function writeFrom(s: HelloSource): void {
  const groupBody = s.supportedGroups;
  const formatBody = s.ecPointFormats;
  groups.reset(0);
  if (groupBody.data !== null)
    groups.pushU16sWithoutGrease(groupBody.data, groupBody.start + 2, contentEnd(groupBody, 2));
  text.reset(
    6 * (s.ciphers.length + s.extensionTypes.length + groups.length) +
      4 * (formatBody.end - formatBody.start) +
      16,
  );
  text.decimal(s.legacyVersion);
  text.byte(COMMA);
  text.decimalList(s.ciphers.values, 0, s.ciphers.length, DASH);
  text.byte(COMMA);
  text.decimalList(s.extensionTypes.values, 0, s.extensionTypes.length, DASH);
  text.byte(COMMA);
  text.decimalList(groups.values, 0, groups.length, DASH);
  text.byte(COMMA);
  if (formatBody.data !== null) {
    const from = formatBody.start + 1;
    const data = formatBody.data;
    const to = contentEnd(formatBody, 1);
    for (let i = from; i < to; i++) {
      if (i > from) text.byte(DASH);
      text.decimal(data[i]);
    }
  }
}

/**
 * The JA3 string of a ClientHello, typed or as bytes (records or the bare handshake
 * message, read as ja4All reads them). GREASE values are left out of every list, as the
 * reference does. The version is legacy_version (771 for TLS 1.2 and 1.3 hellos alike).
 * When supported_groups or ec_point_formats appear more than once, the last one counts
 * (the reference overwrites as it walks the extensions).
 * @example ja3Full(hello) // '771,4865-4866-4867-49195,0-23-65281-10-11-35-16,29-23-24,0'
 * @throws {DecodeError} when the bytes' lengths do not hold together
 */
export function ja3Full(hello: FingerprintableHello | Uint8Array): string {
  write(hello);
  return text.text();
}

/**
 * JA3 of a ClientHello: the MD5 of {@link ja3Full}, lower-case hex.
 * @example ja3(hello) // '1c258ebef8eee2dfa3df6d8d07285af9'
 */
export function ja3(hello: FingerprintableHello | Uint8Array): string {
  write(hello);
  return memoMd5HexOf(text, 0, text.length);
}

/**
 * JA3 and its string from fields already read (clientFingerprints reads them once for JA4
 * and JA3). Internal: `s` is the shared {@link helloSource} result, valid until its next call.
 */
export function ja3FromSource(s: HelloSource): Ja3Fingerprints {
  const ja3 = ja3KeepingText(s);
  return { ja3, ja3Full: text.text() };
}

/**
 * JA3 of fields already read, its string left in {@link ja3Text} (as bytes, until the next
 * JA3 call) for a writer that copies it out instead of making a string of it. Internal.
 */
export function ja3KeepingText(s: HelloSource): string {
  writeFrom(s);
  return memoMd5HexOf(text, 0, text.length);
}

/** The JA3 string {@link ja3KeepingText} wrote: digits, `,` and `-` (ASCII). Internal. */
export const ja3Text: AsciiText = text;

/** JA3 and its string, the hello read once. */
export function ja3All(hello: FingerprintableHello | Uint8Array): Ja3Fingerprints {
  return ja3FromSource(helloSource(hello));
}

/**
 * The JA3S string of a ServerHello. Like the reference (salesforce/ja3 `ja3s.py`), the
 * extension list is kept as sent, GREASE included: a server echoing GREASE is itself a
 * trait worth seeing.
 * @example ja3sFull({ legacyVersion: 0x0303, cipherSuite: 0xc02f, extensions: [{ type: 0xff01 }] }) // '771,49199,65281'
 */
export function ja3sFull(serverHello: Ja3sInput): string {
  if (
    typeof serverHello !== 'object' ||
    serverHello === null ||
    typeof serverHello.cipherSuite !== 'number'
  ) {
    throw new TypeError(
      '"serverHello" expected a ServerHello with legacyVersion, cipherSuite and extensions',
    );
  }
  const types = (serverHello.extensions ?? []).map((ext) => ext.type).join('-');
  return `${serverHello.legacyVersion},${serverHello.cipherSuite},${types}`;
}

/** JA3S of a ServerHello: the MD5 of {@link ja3sFull}, lower-case hex. */
export function ja3s(serverHello: Ja3sInput): string {
  return memoMd5Hex(fromLatin1(ja3sFull(serverHello)));
}
