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
import { EXTENSION, type FingerprintableHello } from '../handshake/hello-fields.ts';
import { AsciiText, U16List } from './ascii-list.ts';
import { JA4_TEXT, memoSha256Hex12Of } from './digest.ts';
import { type BodySpan, contentEnd, type HelloSource, helloSource } from './hello-source.ts';

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

/** JA4's first character for each transport. */
export const TRANSPORT_CHAR: Readonly<Record<Ja4Transport, string>> = { tcp: 't', quic: 'q', dtls: 'd' };

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

const COMMA = 0x2c;
const UNDERSCORE = 0x5f;

/** Reused from call to call (JA4 runs synchronously): the lists and the text being hashed. */
const versions = new U16List();
const sigalgs = new U16List();
const partC = new U16List();
const sorted = new U16List();
const text = new AsciiText();

/** `00` to `99`: counts of 100 and more are written as 99. */
const TWO_DIGITS: readonly string[] = Array.from({ length: 100 }, (_, i) => (i < 10 ? `0${i}` : String(i)));

function twoDigits(count: number): string {
  return TWO_DIGITS[Math.min(count, 99)];
}

const HEX_DIGITS = '0123456789abcdef';

/**
 * The version the hello offers: the highest non-GREASE supported_versions value when
 * that extension is present (and lists one), else legacy_version. DTLS codes count down
 * (0xfefc is DTLS 1.3, 0xfeff DTLS 1.0), so for a list of DTLS codes the newest is the
 * numerically lowest; the spec's "highest value" is read as "newest version".
 */
function offeredVersion(s: HelloSource): number {
  const body = s.supportedVersions;
  if (body.data === null) return s.legacyVersion;
  versions.reset(0);
  versions.pushU16sWithoutGrease(body.data, body.start + 1, contentEnd(body, 1));
  if (versions.length === 0) return s.legacyVersion;
  let allDtls = true;
  let max = 0;
  let min = 0xffff;
  for (let i = 0; i < versions.length; i++) {
    const v = versions.values[i];
    if (v >> 8 !== 0xfe) allDtls = false;
    if (v > max) max = v;
    if (v < min) min = v;
  }
  return allDtls ? min : max;
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
function alpnChars(alpn: BodySpan, rule: Ja4AlpnRule): string {
  // The first protocol name, clipped to the body; none when the list is empty.
  const { data, start } = alpn;
  if (data === null) return '00';
  const listEnd = contentEnd(alpn, 2);
  if (listEnd <= start + 2) return '00';
  const from = start + 3;
  const to = from + Math.min(data[start + 2], listEnd - from);
  if (to <= from) return '00';
  const first = data[from];
  const last = data[to - 1];
  if (rule === 'reference') {
    // The reference tool renders the value as text and prints '99' when its first
    // character is outside ASCII; we also keep any other unprintable byte out of the
    // fingerprint by writing '9' for it.
    if (first > 0x7f) return '99';
    const char = (b: number) => (isPrintableAscii(b) ? String.fromCharCode(b) : '9');
    return char(first) + char(last);
  }
  if (isAlphanumeric(first) && isAlphanumeric(last)) return String.fromCharCode(first, last);
  // The first and last hex digits of the whole value.
  return HEX_DIGITS[first >> 4] + HEX_DIGITS[last & 15];
}

/** Returned for the default options (what most callers pass), so no object is made per call. */
const DEFAULT_OPTIONS: { transport: Ja4Transport; alpnRule: Ja4AlpnRule } = {
  transport: 'tcp',
  alpnRule: 'spec',
};

/** The options with their defaults, each checked (internal; clientFingerprints checks them too). */
export function checkOptions(options: Ja4Options): { transport: Ja4Transport; alpnRule: Ja4AlpnRule } {
  const transport = options.transport ?? 'tcp';
  const alpnRule = options.alpnRule ?? 'spec';
  if (transport === 'tcp' && alpnRule === 'spec') return DEFAULT_OPTIONS;
  if (!Object.hasOwn(TRANSPORT_CHAR, transport)) {
    throw new TypeError(`"transport" expected 'tcp', 'quic' or 'dtls', got ${JSON.stringify(transport)}`);
  }
  if (alpnRule !== 'spec' && alpnRule !== 'reference') {
    throw new TypeError(`"alpnRule" expected 'spec' or 'reference', got ${JSON.stringify(alpnRule)}`);
  }
  return { transport, alpnRule };
}

/** Which forms to build. */
/** The forms, as bits of a `forms` argument. */
export const JA4: number = 1;
const JA4_R = 2;
const JA4_O = 4;
const JA4_RO = 8;

/**
 * Writes the text of parts b and c into `text`, `b_c` (the raw forms' tail), and returns
 * where b ends. Part b: the list, `,`-separated; numeric order of u16 is the order of their
 * hex. `values` counts every value the two parts hold (for the buffer's size).
 */
function writeB(list: U16List, values: number): number {
  text.reset(5 * values + 2);
  text.hexList(list.values, list.length, COMMA);
  const end = text.length;
  text.byte(UNDERSCORE);
  return end;
}

/**
 * Part c: the list, then `_` and the signature algorithms in wire order (no underscore when
 * there are none: spec, "Extension hash").
 */
function writeC(list: U16List): void {
  text.hexList(list.values, list.length, COMMA);
  if (sigalgs.length > 0) {
    text.byte(UNDERSCORE);
    text.hexList(sigalgs.values, sigalgs.length, COMMA);
  }
}

/**
 * `a_b_c` with parts b and c hashed from `text` (b ends at `bEnd`; c follows its `_`), each in
 * its own memo (`original`: JA4_o's, whose part c never repeats for a browser that shuffles).
 */
function hashed(a: string, bEnd: number, noB: boolean, noC: boolean, original: boolean): string {
  const b = noB ? EMPTY_HASH : memoSha256Hex12Of(text, 0, bEnd, original ? JA4_TEXT.originalB : JA4_TEXT.b);
  const c = noC
    ? EMPTY_HASH
    : memoSha256Hex12Of(text, bEnd + 1, text.length, original ? JA4_TEXT.originalC : JA4_TEXT.c);
  return `${a}_${b}_${c}`;
}

/** The forms of `forms` (others are ''), with the shared work done once. */
function compute(
  hello: FingerprintableHello | Uint8Array,
  options: Ja4Options,
  forms: number,
): Ja4Fingerprints {
  const checked = checkOptions(options);
  return ja4FromSource(helloSource(hello), checked, forms);
}

/**
 * Receives JA4's forms as {@link emitJa4} makes them, in the order ja4, ja4_r, ja4_o, ja4_ro.
 * Internal: a writer that copies the raw forms' text out (pcap's JSON lines) takes them so,
 * without a string made for each.
 */
export interface Ja4Emitter {
  /** A hashed form. */
  hashed(form: 'ja4' | 'ja4_o', value: string): void;
  /**
   * A raw form: part `a`, `_`, then `text.bytes[0, text.length)` (lower-case hex, `,` and
   * `_`: ASCII), valid during the call only.
   */
  raw(form: 'ja4_r' | 'ja4_ro', a: string, text: AsciiText): void;
}

/** The forms of `forms` from fields already read, to `emit`, with the shared work done once. */
export function emitJa4(
  s: HelloSource,
  { transport, alpnRule }: { transport: Ja4Transport; alpnRule: Ja4AlpnRule },
  forms: number,
  emit: Ja4Emitter,
): void {
  const ciphers = s.ciphers;
  const types = s.extensionTypes;

  const a =
    TRANSPORT_CHAR[transport] +
    (VERSION_CODE.get(offeredVersion(s)) ?? '00') +
    // SNI present, even with an empty body, means the client meant a domain.
    (s.hasServerName ? 'd' : 'i') +
    twoDigits(ciphers.length) +
    // The count includes SNI and ALPN.
    twoDigits(types.length) +
    alpnChars(s.alpn, alpnRule);

  sigalgs.reset(0);
  const sigBody = s.signatureAlgorithms;
  if (sigBody.data !== null)
    sigalgs.pushU16sWithoutGrease(sigBody.data, sigBody.start + 2, contentEnd(sigBody, 2));
  // The sorted list of part c leaves out the two extensions part a describes.
  partC.reset(types.length);
  for (let i = 0; i < types.length; i++) {
    const t = types.values[i];
    if (t !== EXTENSION.server_name && t !== EXTENSION.application_layer_protocol_negotiation) partC.push(t);
  }
  // Part c is all zeros when the list without SNI/ALPN is empty, in both orders (the
  // reference output shows `_o` zeros for a hello whose only extension is SNI).
  const noC = partC.length === 0;

  if (forms & (JA4 | JA4_R)) {
    ciphers.sortedInto(sorted);
    const b = writeB(sorted, ciphers.length + types.length + sigalgs.length);
    partC.sortedInto(sorted);
    writeC(sorted);
    if (forms & JA4) emit.hashed('ja4', hashed(a, b, ciphers.length === 0, noC, false));
    if (forms & JA4_R) emit.raw('ja4_r', a, text);
  }
  if (forms & (JA4_O | JA4_RO)) {
    const b = writeB(ciphers, ciphers.length + types.length + sigalgs.length);
    // The original-order list keeps SNI and ALPN, as the reference tool's output does.
    writeC(types);
    if (forms & JA4_O) emit.hashed('ja4_o', hashed(a, b, ciphers.length === 0, noC, true));
    if (forms & JA4_RO) emit.raw('ja4_ro', a, text);
  }
}

/** Every form JA4 has. */
export const JA4_ALL: number = JA4 | JA4_R | JA4_O | JA4_RO;

/** The forms {@link collect} was given (others are ''). */
const collected: { -readonly [K in keyof Ja4Fingerprints]: string } = {
  ja4: '',
  ja4_r: '',
  ja4_o: '',
  ja4_ro: '',
};
const collect: Ja4Emitter = {
  hashed(form, value) {
    collected[form] = value;
  },
  raw(form, a, raw) {
    collected[form] = `${a}_${raw.text()}`;
  },
};

/**
 * The forms of `forms` from fields already read (clientFingerprints reads them once for JA4
 * and JA3). Internal: `s` is the shared {@link helloSource} result, valid until its next call.
 */
export function ja4FromSource(
  s: HelloSource,
  options: { transport: Ja4Transport; alpnRule: Ja4AlpnRule },
  forms: number = JA4_ALL,
): Ja4Fingerprints {
  collected.ja4 = collected.ja4_r = collected.ja4_o = collected.ja4_ro = '';
  emitJa4(s, options, forms, collect);
  const { ja4, ja4_r, ja4_o, ja4_ro } = collected;
  return { ja4, ja4_r, ja4_o, ja4_ro };
}

/**
 * All four JA4 forms of a ClientHello, typed or as bytes (records or the bare handshake
 * message: then only the fields JA4 reads are read, and the framing lengths checked).
 * The work the forms share (reading the hello, part a, the lists) is done once.
 * @example
 * const { ja4, ja4_r, ja4_o, ja4_ro } = ja4All(parseClientHello(bytes));
 * ja4 // 't13d1516h2_8daaf6152771_e5627efa2ab1'
 * @example ja4All(bytes).ja4 // the same, straight from the bytes
 * @throws {DecodeError} when the bytes' lengths do not hold together
 */
export function ja4All(hello: FingerprintableHello | Uint8Array, options: Ja4Options = {}): Ja4Fingerprints {
  return compute(hello, options, JA4_ALL);
}

/**
 * JA4 of a ClientHello, typed or as bytes (see {@link ja4All}).
 * @example ja4(hello) // 't13d1516h2_8daaf6152771_e5627efa2ab1'
 * @example ja4(hello, { transport: 'quic' }) // 'q13d1516h2_8daaf6152771_e5627efa2ab1'
 * @example ja4(hello, { alpnRule: 'reference' }) // as FoxIO's reference tool prints it
 * @example ja4(bytes) // from a captured record, without a typed decode
 */
export function ja4(hello: FingerprintableHello | Uint8Array, options: Ja4Options = {}): string {
  return compute(hello, options, JA4).ja4;
}

/** JA4_r: JA4 with the sorted lists in place of their hashes. */
export function ja4_r(hello: FingerprintableHello | Uint8Array, options: Ja4Options = {}): string {
  return compute(hello, options, JA4_R).ja4_r;
}

/** JA4_o: JA4 hashed over the lists in wire order (SNI and ALPN kept). */
export function ja4_o(hello: FingerprintableHello | Uint8Array, options: Ja4Options = {}): string {
  return compute(hello, options, JA4_O).ja4_o;
}

/** JA4_ro: the lists in wire order, unhashed (SNI and ALPN kept). */
export function ja4_ro(hello: FingerprintableHello | Uint8Array, options: Ja4Options = {}): string {
  return compute(hello, options, JA4_RO).ja4_ro;
}
