/**
 * Every client fingerprint of one hello, JA4's four forms and JA3 with its string, from one
 * reading of it: what a capture tool prints per handshake (`hellokit pcap --json`). Not in
 * the public entry point yet (the CLI imports it from here).
 */
import type { FingerprintableHello } from '../handshake/hello-fields.ts';
import { AsciiText, U16List } from './ascii-list.ts';
import { TextMemo } from './digest.ts';
import { type BodySpan, contentEnd, type HelloSource, helloSource } from './hello-source.ts';
import { type Ja3Fingerprints, ja3FromSource, ja3KeepingText, ja3Text } from './ja3.ts';
import {
  checkOptions,
  emitJa4,
  JA4,
  JA4_ALL,
  type Ja4AlpnRule,
  type Ja4Emitter,
  type Ja4Fingerprints,
  type Ja4Options,
  type Ja4Transport,
  ja4FromSource,
  TRANSPORT_CHAR,
} from './ja4.ts';

/** The four JA4 forms and JA3 with its string. */
export interface ClientFingerprints extends Ja4Fingerprints, Ja3Fingerprints {}

/**
 * {@link ja4All} and {@link ja3All} of a ClientHello, typed or as bytes, the hello read once
 * (the same as calling both; `options` are JA4's).
 * @example
 * const { ja4, ja4_r, ja4_o, ja4_ro, ja3, ja3Full } = clientFingerprints(bytes);
 * @throws {DecodeError} when the bytes' lengths do not hold together
 */
export function clientFingerprints(
  hello: FingerprintableHello | Uint8Array,
  options: Ja4Options = {},
): ClientFingerprints {
  const checked = checkOptions(options);
  const s = helloSource(hello);
  const { ja4, ja4_r, ja4_o, ja4_ro } = ja4FromSource(s, checked);
  const { ja3, ja3Full } = ja3FromSource(s);
  return { ja4, ja4_r, ja4_o, ja4_ro, ja3, ja3Full };
}

/**
 * Where {@link clientFingerprintsTo} writes: JA3 with its string, then JA4's forms in the
 * order ja4, ja4_r, ja4_o, ja4_ro. The strings of JA3 and of the raw forms come as ASCII
 * bytes valid during the call, for a writer that copies them out (pcap's JSON lines).
 */
export interface FingerprintSink extends Ja4Emitter {
  /** JA3, and its string as `full.bytes[0, full.length)` (digits, `,` and `-`). */
  ja3(value: string, full: AsciiText): void;
  /**
   * Optional, for a sink that keeps what it wrote: the hello's fingerprints are those of an
   * earlier hello that the memo kept as `entry` (the same object for every such hello while
   * the memo keeps it). True when the sink wrote them itself (what it wrote for `entry`
   * before); false to be given the calls, then {@link replayed}.
   */
  again?(entry: object): boolean;
  /** Optional: the calls for `entry` were made (after {@link again} returned false). */
  replayed?(entry: object): void;
}

/**
 * {@link clientFingerprints} of a hello written to `sink` instead of returned: the same
 * values, with no string made for ja3Full, ja4_r and ja4_ro. With `ja4Only`, of JA4's forms
 * only ja4 itself is made (a text line shows JA4 and JA3).
 * @throws {DecodeError} when the bytes' lengths do not hold together
 */
export function clientFingerprintsTo(
  hello: FingerprintableHello | Uint8Array,
  options: Ja4Options,
  sink: FingerprintSink,
  ja4Only: boolean = false,
): void {
  const checked = checkOptions(options);
  const s = helloSource(hello);
  if (!memo.skips()) {
    writeKey(s, checked, ja4Only);
    const found = memo.find(key, 0, key.length);
    if (found !== undefined) {
      if (sink.again?.(found)) return;
      replay(found, sink);
      sink.replayed?.(found);
      return;
    }
  }
  // Recorded only when the memo keeps what it missed (not while it pauses).
  const to = memo.keeping ? recorder.start(sink) : sink;
  to.ja3(ja3KeepingText(s), ja3Text);
  emitJa4(s, checked, ja4Only ? JA4 : JA4_ALL, to);
  if (to === recorder) memo.keep(key, 0, key.length, recorder.calls);
}

/**
 * The fingerprints of a hello memoised by what they are made of ({@link writeKey}): a capture
 * holds a few client builds, each sending the same lists on every connection with only its
 * random, session id, key shares and GREASE values new, so a hit writes every form without
 * building or hashing a text. A browser that shuffles its extensions makes a new key each
 * time; the memo then pauses itself (digest.ts) and each text's own memo still serves part b
 * and the sorted forms. It pauses when fewer than half its lookups hit: a miss costs a key, a
 * lookup and copies of every text kept, and kept entries that never hit are old garbage.
 * 1,024 entries of at most 1 KiB of key and about 3 KiB of texts.
 */
const memo = new TextMemo<readonly Call[]>(1024, 2);

/** One call a sink received: which, and its arguments (texts copied). */
type Call =
  | { readonly kind: 'ja3'; readonly value: string; readonly text: AsciiText }
  | { readonly kind: 'hashed'; readonly form: 'ja4' | 'ja4_o'; readonly value: string }
  | { readonly kind: 'raw'; readonly form: 'ja4_r' | 'ja4_ro'; readonly a: string; readonly text: AsciiText };

function replay(calls: readonly Call[], sink: FingerprintSink): void {
  for (const c of calls) {
    if (c.kind === 'ja3') sink.ja3(c.value, c.text);
    else if (c.kind === 'hashed') sink.hashed(c.form, c.value);
    else sink.raw(c.form, c.a, c.text);
  }
}

/** A copy of the text a sink is handed (valid during the call only). */
function copied(text: AsciiText): AsciiText {
  return new AsciiText(text.bytes.slice(0, text.length), text.length);
}

/** Passes each call on to the sink, and keeps a copy of it for the memo. */
class Recorder implements FingerprintSink {
  calls: Call[] = [];
  private sink!: FingerprintSink;

  start(sink: FingerprintSink): this {
    this.sink = sink;
    this.calls = [];
    return this;
  }

  ja3(value: string, full: AsciiText): void {
    this.calls.push({ kind: 'ja3', value, text: copied(full) });
    this.sink.ja3(value, full);
  }

  hashed(form: 'ja4' | 'ja4_o', value: string): void {
    this.calls.push({ kind: 'hashed', form, value });
    this.sink.hashed(form, value);
  }

  raw(form: 'ja4_r' | 'ja4_ro', a: string, text: AsciiText): void {
    this.calls.push({ kind: 'raw', form, a, text: copied(text) });
    this.sink.raw(form, a, text);
  }
}

const recorder = new Recorder();

/** The memo's key, as u16 values (read as bytes by the memo). */
const keyList = new U16List();
const key: { bytes: Uint8Array; view: DataView; length: number } = {
  bytes: new Uint8Array(0),
  view: new DataView(new ArrayBuffer(0)),
  length: 0,
};

/** The count written for an extension the hello does not have. */
const ABSENT = 0xffff;

/**
 * Everything JA3 and JA4 read of a hello, GREASE left out as they leave it out, so two hellos
 * with the same key have the same fingerprints: the forms asked for and the options,
 * legacy_version, SNI present, the cipher and extension lists, the supported_versions,
 * signature_algorithms and supported_groups values, and the ALPN and ec_point_formats bodies
 * byte for byte. Each list is preceded by its count ({@link ABSENT} for a missing extension).
 */
function writeKey(
  s: HelloSource,
  options: { transport: Ja4Transport; alpnRule: Ja4AlpnRule },
  ja4Only: boolean,
): void {
  const k = keyList;
  // Room for every value: a body of n bytes gives at most n values.
  k.reset(
    16 +
      s.ciphers.length +
      s.extensionTypes.length +
      spanLength(s.supportedVersions) +
      spanLength(s.signatureAlgorithms) +
      spanLength(s.supportedGroups) +
      spanLength(s.alpn) +
      spanLength(s.ecPointFormats),
  );
  k.push(
    (((ja4Only ? 2 : 0) | (options.alpnRule === 'spec' ? 1 : 0)) << 8) |
      TRANSPORT_CHAR[options.transport].charCodeAt(0),
  );
  k.push(s.legacyVersion);
  k.push(s.hasServerName ? 1 : 0);
  list(s.ciphers);
  list(s.extensionTypes);
  u16sWithoutGrease(s.supportedVersions, 1);
  u16sWithoutGrease(s.signatureAlgorithms, 2);
  u16sWithoutGrease(s.supportedGroups, 2);
  bodyBytes(s.alpn);
  bodyBytes(s.ecPointFormats);
  if (key.bytes.buffer !== k.values.buffer) {
    key.bytes = new Uint8Array(k.values.buffer);
    key.view = new DataView(k.values.buffer);
  }
  key.length = 2 * k.length;
}

function spanLength(span: BodySpan): number {
  return span.data === null ? 0 : span.end - span.start;
}

function list(from: U16List): void {
  keyList.push(from.length);
  keyList.values.set(from.values.subarray(0, from.length), keyList.length);
  keyList.length += from.length;
}

/** The values of a u16 list with a `width`-byte length prefix, read as the fingerprints read it. */
function u16sWithoutGrease(span: BodySpan, width: 1 | 2): void {
  if (span.data === null) {
    keyList.push(ABSENT);
    return;
  }
  const at = keyList.length;
  keyList.push(0);
  keyList.pushU16sWithoutGrease(span.data, span.start + width, contentEnd(span, width));
  keyList.values[at] = keyList.length - at - 1;
}

function bodyBytes(span: BodySpan): void {
  const data = span.data;
  if (data === null) {
    keyList.push(ABSENT);
    return;
  }
  keyList.push(span.end - span.start);
  for (let i = span.start; i < span.end; i++) keyList.values[keyList.length++] = data[i];
}

/** Hellos the fingerprint memo holds now (the tests check it stays bounded). */
export function fingerprintMemoSize(): number {
  return memo.size;
}
