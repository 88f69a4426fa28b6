/**
 * JA4, the TLS client fingerprint of FoxIO's JA4+ suite, with its `_r`, `_o` and `_ro`
 * forms. JA4 (TLS client fingerprinting) is BSD-3-Clause (Copyright (c) FoxIO); the other
 * JA4+ methods (JA4S, JA4H, JA4X, ...) are under the FoxIO License 1.1 and are not part
 * of hellokit.
 *
 * Layout (FoxIO `technical_details/JA4.md`):
 * `a_b_c` with
 * - a: protocol (`t`/`q`/`d`), version (2 chars), SNI (`d`/`i`), cipher count (2 digits),
 *   extension count (2 digits), ALPN (2 chars);
 * - b: sha256 of the sorted cipher list, first 12 hex digits;
 * - c: sha256 of the sorted extension list without SNI and ALPN, `_`, the signature
 *   algorithms in wire order; first 12 hex digits.
 * `_r` shows the lists instead of their hashes, `_o` keeps the wire order, `_ro` both.
 * docs/fingerprints.md lists every rule and every choice made where sources disagree.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { fromLatin1, toHex } from '../bytes/hex.ts';
import {
  EXTENSION,
  extensionBodies,
  type FingerprintableHello,
  firstAlpnProtocol,
  hasExtension,
  signatureAlgorithms,
  supportedVersions,
} from '../handshake/hello-fields.ts';
import { isGrease, withoutGrease } from './grease.ts';

/** What carried the hello: TLS over TCP (`t`), QUIC (`q`) or DTLS (`d`). */
export type Ja4Transport = 'tcp' | 'quic' | 'dtls';

/**
 * How to render a first ALPN value whose first or last byte is not ASCII alphanumeric.
 * - `'spec'` (default): the written specification — the first and last hex digits of the
 *   whole value (`0x30 0xAB` → `3b`).
 * - `'reference'`: what FoxIO's reference tool outputs (and its published test data
 *   expects) — `99` when the first byte is not ASCII (≥ 0x80), otherwise the first and
 *   last bytes as characters, a last byte that is not printable ASCII shown as `9`.
 */
export type Ja4AlpnRule = 'spec' | 'reference';

/** Options of {@link ja4} and its variants. */
export interface Ja4Options {
  /** Transport that carried the hello; default `'tcp'`. Not guessed from the hello. */
  readonly transport?: Ja4Transport;
  /** Rendering of a non-alphanumeric first ALPN value; default `'spec'`. */
  readonly alpnRule?: Ja4AlpnRule;
}

/** The four JA4 forms of one hello. */
export interface Ja4Fingerprints {
  readonly ja4: string;
  readonly ja4_r: string;
  readonly ja4_o: string;
  readonly ja4_ro: string;
}

const TRANSPORT_CHAR: Readonly<Record<Ja4Transport, string>> = { tcp: 't', quic: 'q', dtls: 'd' };

/**
 * Version codes. The spec names 0x0002 for SSL 2.0 (the version field of an SSLv2
 * CLIENT-HELLO); the reference tools use 0x0200 and 0x0100 for SSL 2.0 and 1.0, so both
 * spellings are accepted.
 */
const VERSION_CODE: ReadonlyMap<number, string> = new Map([
  [0x0304, '13'],
  [0x0303, '12'],
  [0x0302, '11'],
  [0x0301, '10'],
  [0x0300, 's3'],
  [0x0200, 's2'],
  [0x0002, 's2'],
  [0x0100, 's1'],
  [0xfeff, 'd1'],
  [0xfefd, 'd2'],
  [0xfefc, 'd3'],
]);

/** Written as the b or c part when its list is empty, instead of the hash of nothing. */
const EMPTY_HASH = '000000000000';

/** The two extensions part a already describes, left out of the sorted list of part c. */
const IN_PART_A: ReadonlySet<number> = new Set([
  EXTENSION.server_name,
  EXTENSION.application_layer_protocol_negotiation,
]);

function hash12(text: string): string {
  return toHex(sha256(fromLatin1(text))).slice(0, 12);
}

function hex4(value: number): string {
  return value.toString(16).padStart(4, '0');
}

function twoDigits(count: number): string {
  return String(Math.min(count, 99)).padStart(2, '0');
}

/**
 * The version the hello offers: the highest non-GREASE supported_versions value when
 * that extension is present (and lists one), else legacy_version. DTLS codes count down
 * (0xfefc is DTLS 1.3, 0xfeff DTLS 1.0), so for a list of DTLS codes the newest is the
 * numerically lowest; the spec's "highest value" is read as "newest version".
 */
function offeredVersion(hello: FingerprintableHello): number {
  const [body] = extensionBodies(hello, EXTENSION.supported_versions);
  const versions = body ? withoutGrease(supportedVersions(body)) : [];
  if (versions.length === 0) return hello.legacyVersion;
  const allDtls = versions.every((v) => v >> 8 === 0xfe);
  return allDtls ? Math.min(...versions) : Math.max(...versions);
}

function isAlphanumeric(byte: number): boolean {
  return (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a);
}

function isPrintableAscii(byte: number): boolean {
  return byte >= 0x21 && byte <= 0x7e;
}

/**
 * The two ALPN characters of part a. A one-byte value is both first and last.
 *
 * Deliberate choice: the written specification's hex rule is the default. FoxIO's
 * reference tool prints `99` for a first name that starts outside ASCII (its test capture
 * tls-non-ascii-alpn.pcapng, first name 0xBA 0xAD: reference `99`, spec `bd`); that
 * output is available as `alpnRule: 'reference'`. See docs/fingerprints.md.
 */
function alpnChars(value: Uint8Array | null, rule: Ja4AlpnRule): string {
  if (value === null || value.length === 0) return '00';
  const first = value[0];
  const last = value[value.length - 1];
  if (rule === 'reference') {
    // The reference tool renders the value as text and prints '99' when its first
    // character is outside ASCII; we also keep any other unprintable byte out of the
    // fingerprint by writing '9' for it.
    if (first > 0x7f) return '99';
    const char = (b: number) => (isPrintableAscii(b) ? String.fromCharCode(b) : '9');
    return char(first) + char(last);
  }
  if (isAlphanumeric(first) && isAlphanumeric(last)) return String.fromCharCode(first, last);
  const hex = toHex(value);
  return hex[0] + hex[hex.length - 1];
}

function checkOptions(options: Ja4Options): { transport: Ja4Transport; alpnRule: Ja4AlpnRule } {
  const transport = options.transport ?? 'tcp';
  const alpnRule = options.alpnRule ?? 'spec';
  if (!Object.hasOwn(TRANSPORT_CHAR, transport)) {
    throw new TypeError(`"transport" expected 'tcp', 'quic' or 'dtls', got ${JSON.stringify(transport)}`);
  }
  if (alpnRule !== 'spec' && alpnRule !== 'reference') {
    throw new TypeError(`"alpnRule" expected 'spec' or 'reference', got ${JSON.stringify(alpnRule)}`);
  }
  return { transport, alpnRule };
}

function checkHello(hello: FingerprintableHello): void {
  if (typeof hello !== 'object' || hello === null || !Array.isArray(hello.cipherSuites)) {
    throw new TypeError('"hello" expected a ClientHello with cipherSuites and extensions');
  }
}

/**
 * All four JA4 forms of a ClientHello.
 * @example
 * const { ja4, ja4_r, ja4_o, ja4_ro } = ja4All(parseClientHello(bytes));
 * ja4 // 't13d1516h2_8daaf6152771_e5627efa2ab1'
 */
export function ja4All(hello: FingerprintableHello, options: Ja4Options = {}): Ja4Fingerprints {
  checkHello(hello);
  const { transport, alpnRule } = checkOptions(options);

  const ciphers = withoutGrease(hello.cipherSuites).map(hex4);
  const extensionTypes = (hello.extensions ?? []).map((ext) => ext.type).filter((t) => !isGrease(t));

  const [alpnBody] = extensionBodies(hello, EXTENSION.application_layer_protocol_negotiation);
  const [sigalgBody] = extensionBodies(hello, EXTENSION.signature_algorithms);

  const a =
    TRANSPORT_CHAR[transport] +
    (VERSION_CODE.get(offeredVersion(hello)) ?? '00') +
    // SNI present, even with an empty body, means the client meant a domain.
    (hasExtension(hello, EXTENSION.server_name) ? 'd' : 'i') +
    twoDigits(ciphers.length) +
    // The count includes SNI and ALPN.
    twoDigits(extensionTypes.length) +
    alpnChars(alpnBody ? firstAlpnProtocol(alpnBody) : null, alpnRule);

  const sortedCiphers = [...ciphers].sort();
  const sortedExtensions = extensionTypes
    .filter((t) => !IN_PART_A.has(t))
    .map(hex4)
    .sort();
  // The original-order list keeps SNI and ALPN, as the reference tool's output does.
  const originalExtensions = extensionTypes.map(hex4);
  const sigalgs = sigalgBody ? withoutGrease(signatureAlgorithms(sigalgBody)).map(hex4).join(',') : '';

  // No trailing underscore when there are no signature algorithms (spec, "Extension hash").
  const c = (extensions: readonly string[]) => extensions.join(',') + (sigalgs === '' ? '' : `_${sigalgs}`);
  const hashB = (list: readonly string[]) => (list.length === 0 ? EMPTY_HASH : hash12(list.join(',')));
  // Part c is all zeros when the list without SNI/ALPN is empty, in both orders (the
  // reference output shows `_o` zeros for a hello whose only extension is SNI).
  const hashC = (list: readonly string[]) => (sortedExtensions.length === 0 ? EMPTY_HASH : hash12(c(list)));

  return {
    ja4: `${a}_${hashB(sortedCiphers)}_${hashC(sortedExtensions)}`,
    ja4_r: `${a}_${sortedCiphers.join(',')}_${c(sortedExtensions)}`,
    ja4_o: `${a}_${hashB(ciphers)}_${hashC(originalExtensions)}`,
    ja4_ro: `${a}_${ciphers.join(',')}_${c(originalExtensions)}`,
  };
}

/**
 * JA4 of a ClientHello.
 * @example ja4(hello) // 't13d1516h2_8daaf6152771_e5627efa2ab1'
 * @example ja4(hello, { transport: 'quic' }) // 'q13d1516h2_8daaf6152771_e5627efa2ab1'
 * @example ja4(hello, { alpnRule: 'reference' }) // as FoxIO's reference tool prints it
 */
export function ja4(hello: FingerprintableHello, options: Ja4Options = {}): string {
  return ja4All(hello, options).ja4;
}

/** JA4_r: JA4 with the sorted lists in place of their hashes. */
export function ja4_r(hello: FingerprintableHello, options: Ja4Options = {}): string {
  return ja4All(hello, options).ja4_r;
}

/** JA4_o: JA4 hashed over the lists in wire order (SNI and ALPN kept). */
export function ja4_o(hello: FingerprintableHello, options: Ja4Options = {}): string {
  return ja4All(hello, options).ja4_o;
}

/** JA4_ro: the lists in wire order, unhashed (SNI and ALPN kept). */
export function ja4_ro(hello: FingerprintableHello, options: Ja4Options = {}): string {
  return ja4All(hello, options).ja4_ro;
}
