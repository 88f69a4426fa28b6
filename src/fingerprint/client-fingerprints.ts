/**
 * Every client fingerprint of one hello, JA4's four forms and JA3 with its string, from one
 * reading of it: what a capture tool prints per handshake (`hellokit pcap --json`). Not in
 * the public entry point yet (the CLI imports it from here).
 */
import type { FingerprintableHello } from '../handshake/hello-fields.ts';
import type { AsciiText } from './ascii-list.ts';
import { helloSource } from './hello-source.ts';
import { type Ja3Fingerprints, ja3FromSource, ja3KeepingText, ja3Text } from './ja3.ts';
import {
  checkOptions,
  emitJa4,
  JA4,
  JA4_ALL,
  type Ja4Emitter,
  type Ja4Fingerprints,
  type Ja4Options,
  ja4FromSource,
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
  sink.ja3(ja3KeepingText(s), ja3Text);
  emitJa4(s, checked, ja4Only ? JA4 : JA4_ALL, sink);
}
