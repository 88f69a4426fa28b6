/**
 * JA3 and JA3S (salesforce/ja3, BSD-3-Clause): MD5 of a comma-separated summary of the
 * hello, with values in decimal and list items joined by `-`.
 *
 * JA3  = `SSLVersion,Ciphers,Extensions,EllipticCurves,EllipticCurvePointFormats`
 * JA3S = `SSLVersion,Cipher,Extensions`
 */
import { md5 } from '@noble/hashes/legacy.js';
import { fromLatin1, toHex } from '../bytes/hex.ts';
import {
  EXTENSION,
  ecPointFormats,
  extensionBodies,
  type FingerprintableHello,
  supportedGroups,
} from '../handshake/hello-fields.ts';
import { isGrease, withoutGrease } from './grease.ts';

/** The ServerHello fields JA3S reads. */
export interface Ja3sInput {
  readonly legacyVersion: number;
  readonly cipherSuite: number;
  /** Extensions in wire order; `null` (or empty) when there are none. */
  readonly extensions: readonly { readonly type: number }[] | null;
}

function checkHello(hello: FingerprintableHello): void {
  if (typeof hello !== 'object' || hello === null || !Array.isArray(hello.cipherSuites)) {
    throw new TypeError('"hello" expected a ClientHello with cipherSuites and extensions');
  }
}

/**
 * The JA3 string of a ClientHello. GREASE values are left out of every list, as the
 * reference does. The version is legacy_version (771 for TLS 1.2 and 1.3 hellos alike).
 * When supported_groups or ec_point_formats appear more than once, the last one counts
 * (the reference overwrites as it walks the extensions).
 * @example ja3Full(hello) // '771,4865-4866-4867-49195,0-23-65281-10-11-35-16,29-23-24,0'
 */
export function ja3Full(hello: FingerprintableHello): string {
  checkHello(hello);
  const version = String(hello.legacyVersion);
  const ciphers = withoutGrease(hello.cipherSuites).join('-');
  const extensions = hello.extensions ?? [];
  const types = extensions
    .map((ext) => ext.type)
    .filter((t) => !isGrease(t))
    .join('-');
  const groupBodies = extensionBodies(hello, EXTENSION.supported_groups);
  const formatBodies = extensionBodies(hello, EXTENSION.ec_point_formats);
  const groups = groupBodies.length > 0 ? withoutGrease(supportedGroups(groupBodies.at(-1)!)).join('-') : '';
  const formats = formatBodies.length > 0 ? ecPointFormats(formatBodies.at(-1)!).join('-') : '';
  return `${version},${ciphers},${types},${groups},${formats}`;
}

/**
 * JA3 of a ClientHello: the MD5 of {@link ja3Full}, lower-case hex.
 * @example ja3(hello) // '1c258ebef8eee2dfa3df6d8d07285af9'
 */
export function ja3(hello: FingerprintableHello): string {
  return toHex(md5(fromLatin1(ja3Full(hello))));
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
  return toHex(md5(fromLatin1(ja3sFull(serverHello))));
}
