/**
 * The decoder fuzzer's engine, platform-neutral: every case is derived from (seed, case
 * index), so any case replays alone. A case builds one input — random bytes, a generic
 * byte-level mutation of a corpus item, or a structured mutator from hellokit/arbitraries
 * applied to a real ClientHello — and runs it through one decoder family, checking that
 * nothing but DecodeError escapes, that the case finishes in time, and that whatever parses
 * strictly re-encodes byte-identically.
 */

import { MUTATORS, type Mutator } from '../arbitraries/mutators.ts';
import { DecodeError } from '../bytes/errors.ts';
import { concatBytes, equalBytes, toHex } from '../bytes/hex.ts';
import { Reader } from '../bytes/reader.ts';
import { Writer } from '../bytes/writer.ts';
import { captureHandshakes } from '../capture/handshakes.ts';
import { readCapture } from '../capture/read-capture.ts';
import { captureStreams } from '../capture/streams.ts';
import type { RandomSource } from '../crypto/random.ts';
import { decodeExtensions, encodeExtensions } from '../extensions/block.ts';
import { EXTENSION_CODECS } from '../extensions/registry.ts';
import type { MessageContext } from '../extensions/types.ts';
import { encodeClientHello, encodeClientHelloMessage, parseClientHello } from '../handshake/client-hello.ts';
import { encodeHandshakeMessage, parseHandshakeMessage } from '../handshake/messages.ts';
import { encodeServerHello, parseServerHello } from '../handshake/server-hello.ts';
import { encodeSslv2ClientHello, parseSslv2ClientHello } from '../handshake/sslv2-client-hello.ts';
import { decodeStream } from '../handshake/stream.ts';
import type { ClientHello } from '../handshake/types.ts';
import { decodeAlert, encodeAlert } from '../records/alert.ts';
import { decodeChangeCipherSpec } from '../records/change-cipher-spec.ts';
import { RecordDeframer } from '../records/deframer.ts';
import { decodeRecords, encodeRecords } from '../records/record.ts';
import { seedCapture } from './seed-capture.ts';

/** The bytes the fuzzer starts from. */
export interface FuzzInputs {
  /** ClientHello record bytes (fixtures/clients/*.bin). */
  readonly clientHellos: readonly Uint8Array[];
  /** Server flights as record bytes (fixtures/servers/*.bin). */
  readonly serverFlights: readonly Uint8Array[];
  /** SSLv2-compatible ClientHellos (fixtures/clients/sslv2/*.bin); random bytes stand in when none. */
  readonly sslv2Hellos?: readonly Uint8Array[];
}

/** Options of {@link runFuzz}. */
export interface FuzzOptions {
  /** Number of cases (default 1,000,000). */
  readonly cases?: number;
  /** Seed; case `i` of seed `s` is the same on every run. Default 1. */
  readonly seed?: number;
  /** First case index (default 0), to replay one case: `{ firstCase: i, cases: 1 }`. */
  readonly firstCase?: number;
  /** Stop starting new cases after this many milliseconds. */
  readonly timeLimitMs?: number;
  /** A case taking longer than this is a finding (default 2000 ms). */
  readonly caseTimeLimitMs?: number;
  /** Stop after this many findings (default 10). */
  readonly maxFindings?: number;
  /** Milliseconds clock (default Date.now). */
  readonly now?: () => number;
  /** Called every `progressEvery` cases (default 50,000). */
  readonly onProgress?: (summary: FuzzSummary) => void;
  readonly progressEvery?: number;
  /** Called before each case with its index (a watchdog can report the case that hangs). */
  readonly onCase?: (index: number) => void;
}

/** Something the fuzzer found. */
export interface FuzzFinding {
  readonly decoder: string;
  readonly kind: 'exception' | 'round-trip' | 'slow' | 'inconsistent';
  readonly caseIndex: number;
  readonly seed: number;
  readonly message: string;
  /** The input, hex. */
  readonly inputHex: string;
  /** How the input was made. */
  readonly origin: string;
}

/** Per-decoder counts. */
export interface DecoderCounts {
  runs: number;
  parsed: number;
  rejected: number;
}

/** What a run did. */
export interface FuzzSummary {
  readonly cases: number;
  readonly elapsedMs: number;
  readonly perDecoder: Record<string, DecoderCounts>;
  readonly findings: FuzzFinding[];
}

/** A fast deterministic generator (xorshift32 over a splitmix seed); not for secrets. */
export function caseRandom(seed: number, index: number): () => number {
  let z = (Math.imul(seed | 0, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b)) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x7feb352d) >>> 0;
  z = Math.imul(z ^ (z >>> 15), 0x846ca68b) >>> 0;
  let x = (z ^ (z >>> 16)) >>> 0 || 0x6d2b79f5;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
}

interface Rng {
  int(n: number): number;
  chance(p: number): boolean;
  bytes(n: number): Uint8Array;
  pick<T>(items: readonly T[]): T;
  source: RandomSource;
}

function rngFrom(next: () => number): Rng {
  const int = (n: number): number => (n <= 1 ? 0 : next() % n);
  const bytes = (n: number): Uint8Array => {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = next() & 0xff;
    return out;
  };
  return {
    int,
    chance: (p) => next() / 0x100000000 < p,
    bytes,
    pick: (items) => items[int(items.length)],
    source: bytes,
  };
}

const CONTEXTS: readonly MessageContext[] = [
  'client_hello',
  'server_hello',
  'hello_retry_request',
  'encrypted_extensions',
  'certificate',
  'certificate_request',
  'new_session_ticket',
];

const HANDSHAKE_TYPES = [0, 1, 2, 4, 5, 8, 11, 12, 13, 14, 15, 16, 20, 22, 24, 25, 254];

interface Corpus {
  readonly streams: Uint8Array[];
  readonly hellos: { bytes: Uint8Array; hello: ClientHello; mutators: Mutator[] }[];
  readonly messages: Uint8Array[];
  readonly serverHellos: Uint8Array[];
  readonly blocks: { bytes: Uint8Array; context: MessageContext }[];
  readonly bodies: { type: number; body: Uint8Array }[];
  readonly captures: Uint8Array[];
  readonly sslv2Hellos: readonly Uint8Array[];
}

function blockBytes(exts: Parameters<typeof encodeExtensions>[1]): Uint8Array {
  const w = new Writer(256);
  encodeExtensions(w, exts);
  return w.finish();
}

/** Builds the corpus from real bytes (done once per run). */
export function buildCorpus(inputs: FuzzInputs): Corpus {
  const streams = [...inputs.clientHellos, ...inputs.serverFlights];
  const hellos = inputs.clientHellos.map((bytes) => {
    const hello = parseClientHello(bytes);
    return { bytes, hello, mutators: MUTATORS.filter((m) => m.applies(hello)) };
  });
  const messages: Uint8Array[] = [];
  const serverHellos: Uint8Array[] = [];
  const blocks: Corpus['blocks'] = [];
  const bodies: Corpus['bodies'] = [];
  for (const stream of streams) {
    const decoded = decodeStream(stream, { strict: false });
    for (const m of decoded.messages) {
      if (!('raw' in m)) continue;
      messages.push(m.raw);
      if (m.type === 'server_hello') serverHellos.push(m.raw);
      if (
        (m.type === 'client_hello' || m.type === 'server_hello' || m.type === 'encrypted_extensions') &&
        m.extensions
      ) {
        const context: MessageContext =
          m.type === 'server_hello' ? (m.helloRetryRequest ? 'hello_retry_request' : 'server_hello') : m.type;
        blocks.push({ bytes: blockBytes(m.extensions), context });
        for (const e of m.extensions) bodies.push({ type: e.type, body: e.body });
      }
    }
  }
  const captures: Uint8Array[] = [];
  for (let i = 0; i < Math.min(inputs.clientHellos.length, 4); i++) {
    captures.push(
      seedCapture(
        inputs.clientHellos[i],
        inputs.serverFlights[i % inputs.serverFlights.length] ?? new Uint8Array(0),
      ),
    );
  }
  const sslv2Hellos = inputs.sslv2Hellos ?? [];
  return { streams, hellos, messages, serverHellos, blocks, bodies, captures, sslv2Hellos };
}

/** Byte-level mutation: flips, inserts, deletes, duplicates, interesting values, splices. */
function mutateBytes(rng: Rng, input: Uint8Array, corpus: Corpus): Uint8Array {
  let b: Uint8Array = input.slice();
  const ops = 1 + rng.int(4);
  for (let k = 0; k < ops; k++) {
    const at = rng.int(b.length + 1);
    switch (rng.int(8)) {
      case 0:
      case 1:
        if (b.length > 0) b[rng.int(b.length)] ^= 1 << rng.int(8);
        break;
      case 2:
        if (b.length > 0) b[rng.int(b.length)] = rng.pick([0, 1, 0x7f, 0x80, 0xff, 0xfe, 0x20, 0x40]);
        break;
      case 3: {
        const ins = rng.bytes(1 + rng.int(8));
        b = concatBytes(b.subarray(0, at), ins, b.subarray(at));
        break;
      }
      case 4: {
        const n = 1 + rng.int(16);
        b = concatBytes(b.subarray(0, at), b.subarray(Math.min(b.length, at + n)));
        break;
      }
      case 5: {
        const n = 1 + rng.int(32);
        b = concatBytes(b.subarray(0, at), b.subarray(at, at + n), b.subarray(at));
        break;
      }
      case 6:
        b = b.subarray(0, rng.int(b.length + 1)).slice();
        break;
      default: {
        const other = rng.pick(corpus.streams);
        const from = rng.int(other.length);
        b = concatBytes(b.subarray(0, at), other.subarray(from, from + 1 + rng.int(64)));
      }
    }
  }
  return b;
}

function randomBytes(rng: Rng): Uint8Array {
  const n = rng.chance(0.5) ? rng.int(16) : rng.int(400);
  const b = rng.bytes(n);
  if (n > 0 && rng.chance(0.5)) b[0] = rng.pick([22, 21, 20, 23, 1, 2]);
  if (n > 2 && rng.chance(0.5)) b[1] = 3;
  return b;
}

/** One decoder family: builds its input from the case's random and checks the decoder on it. */
interface Target {
  readonly name: string;
  readonly weight: number;
  input(rng: Rng, corpus: Corpus): { bytes: Uint8Array; origin: string };
  run(bytes: Uint8Array, rng: Rng, check: Check): void;
}

interface Check {
  parsed(decoder: string): void;
  rejected(decoder: string): void;
  roundTrip(decoder: string, expected: Uint8Array, actual: Uint8Array): void;
  inconsistent(decoder: string, message: string): void;
}

/** Runs `fn`, counting a DecodeError as a rejection; anything else propagates as a finding. */
function attempt<T>(decoder: string, check: Check, fn: () => T): T | undefined {
  try {
    const v = fn();
    check.parsed(decoder);
    return v;
  } catch (e) {
    if (e instanceof DecodeError) {
      check.rejected(decoder);
      return undefined;
    }
    throw new DecoderFailure(decoder, e);
  }
}

class DecoderFailure extends Error {
  readonly decoder: string;
  readonly failure: unknown;
  constructor(decoder: string, failure: unknown) {
    super(failure instanceof Error ? `${failure.name}: ${failure.message}` : String(failure));
    this.decoder = decoder;
    this.failure = failure;
  }
}

function fromStreams(rng: Rng, corpus: Corpus): { bytes: Uint8Array; origin: string } {
  if (rng.chance(0.15)) return { bytes: randomBytes(rng), origin: 'random bytes' };
  const i = rng.int(corpus.streams.length);
  return { bytes: mutateBytes(rng, corpus.streams[i], corpus), origin: `byte mutation of stream ${i}` };
}

function fromHellos(rng: Rng, corpus: Corpus): { bytes: Uint8Array; origin: string } {
  const roll = rng.int(10);
  const i = rng.int(corpus.hellos.length);
  const h = corpus.hellos[i];
  if (roll < 4 && h.mutators.length > 0) {
    const m = rng.pick(h.mutators);
    const result = m.apply(h.hello, rng.source);
    const bytes = rng.chance(0.3) ? mutateBytes(rng, result.bytes, corpus) : result.bytes;
    return { bytes, origin: `mutator ${m.id} on client hello ${i}: ${result.description}` };
  }
  if (roll < 9)
    return { bytes: mutateBytes(rng, h.bytes, corpus), origin: `byte mutation of client hello ${i}` };
  return { bytes: randomBytes(rng), origin: 'random bytes' };
}

const TARGETS: readonly Target[] = [
  {
    name: 'records',
    weight: 1,
    input: fromStreams,
    run(bytes, rng, check) {
      const records = attempt('records.strict', check, () => decodeRecords(bytes));
      if (records) check.roundTrip('records.strict', bytes, encodeRecords(records));
      attempt('records.lenient', check, () => decodeRecords(bytes, { strict: false }));
      const strict = rng.chance(0.5);
      const deframed = attempt('deframer', check, () => {
        const d = new RecordDeframer({ strict, detectNotTls: rng.chance(0.5) });
        const out = [];
        for (let at = 0; at < bytes.length; ) {
          const n = 1 + rng.int(rng.chance(0.3) ? 4 : 64);
          out.push(...d.push(bytes.subarray(at, at + n)));
          at += n;
        }
        d.end();
        return out;
      });
      if (records && deframed && strict) {
        if (
          deframed.length !== records.length ||
          deframed.some((r, i) => !equalBytes(r.fragment, records[i].fragment))
        ) {
          check.inconsistent(
            'deframer',
            `deframer gave ${deframed.length} records, decodeRecords ${records.length}`,
          );
        }
      }
    },
  },
  {
    name: 'client_hello',
    weight: 4,
    input: fromHellos,
    run(bytes, _rng, check) {
      // A bare handshake message (first byte 1) comes back from encodeClientHelloMessage;
      // encodeClientHello always writes records.
      const encode = bytes[0] === 1 ? encodeClientHelloMessage : encodeClientHello;
      const hello = attempt('parseClientHello.strict', check, () => parseClientHello(bytes));
      if (hello) check.roundTrip('parseClientHello.strict', bytes, encode(hello));
      const lenient = attempt('parseClientHello.lenient', check, () =>
        parseClientHello(bytes, { strict: false }),
      );
      if (lenient && (lenient.problems ?? []).length === 0) {
        check.roundTrip('parseClientHello.lenient', bytes, encode(lenient));
      }
    },
  },
  {
    name: 'sslv2_client_hello',
    weight: 1,
    input(rng, corpus) {
      if (rng.chance(0.1) || corpus.sslv2Hellos.length === 0)
        return { bytes: randomBytes(rng), origin: 'random bytes' };
      const i = rng.int(corpus.sslv2Hellos.length);
      return {
        bytes: mutateBytes(rng, corpus.sslv2Hellos[i], corpus),
        origin: `byte mutation of SSLv2 hello ${i}`,
      };
    },
    run(bytes, _rng, check) {
      // Lenient keeps what strict rejects (extra bytes, padding, trailing data), so both re-encode exactly.
      const hello = attempt('parseSslv2ClientHello.strict', check, () => parseSslv2ClientHello(bytes));
      if (hello) check.roundTrip('parseSslv2ClientHello.strict', bytes, encodeSslv2ClientHello(hello));
      const lenient = attempt('parseSslv2ClientHello.lenient', check, () =>
        parseSslv2ClientHello(bytes, { strict: false }),
      );
      if (lenient) check.roundTrip('parseSslv2ClientHello.lenient', bytes, encodeSslv2ClientHello(lenient));
    },
  },
  {
    name: 'server_hello',
    weight: 2,
    input(rng, corpus) {
      if (rng.chance(0.1) || corpus.serverHellos.length === 0)
        return { bytes: randomBytes(rng), origin: 'random bytes' };
      const i = rng.int(corpus.serverHellos.length);
      return {
        bytes: mutateBytes(rng, corpus.serverHellos[i], corpus),
        origin: `byte mutation of server hello ${i}`,
      };
    },
    run(bytes, _rng, check) {
      const hello = attempt('parseServerHello.strict', check, () => parseServerHello(bytes));
      if (hello) check.roundTrip('parseServerHello.strict', bytes, encodeServerHello(hello));
      attempt('parseServerHello.lenient', check, () => parseServerHello(bytes, { strict: false }));
    },
  },
  {
    name: 'handshake',
    weight: 3,
    input(rng, corpus) {
      const i = rng.int(corpus.messages.length);
      const base = rng.chance(0.1) ? randomBytes(rng) : mutateBytes(rng, corpus.messages[i], corpus);
      const bytes = base.length > 0 ? base : Uint8Array.of(0);
      if (rng.chance(0.3)) bytes[0] = rng.pick(HANDSHAKE_TYPES);
      return { bytes, origin: `byte mutation of handshake message ${i}, msg_type ${bytes[0]}` };
    },
    run(bytes, rng, check) {
      const version = rng.pick([undefined, 0x0303, 0x0304]);
      const keyExchange = rng.pick([undefined, 'ecdhe', 'dhe'] as const);
      const m = attempt('parseHandshakeMessage.strict', check, () =>
        parseHandshakeMessage(bytes, { version, keyExchange }),
      );
      if (m) check.roundTrip('parseHandshakeMessage.strict', m.raw, encodeHandshakeMessage(m));
      attempt('parseHandshakeMessage.lenient', check, () =>
        parseHandshakeMessage(bytes, { version, keyExchange, strict: false }),
      );
    },
  },
  {
    name: 'stream',
    weight: 2,
    input: fromStreams,
    run(bytes, rng, check) {
      const version = rng.pick([undefined, 0x0303, 0x0304]);
      attempt('decodeStream.strict', check, () => decodeStream(bytes, { version }));
      attempt('decodeStream.lenient', check, () => decodeStream(bytes, { strict: false, version }));
    },
  },
  {
    name: 'extensions',
    weight: 3,
    input(rng, corpus) {
      if (rng.chance(0.5)) {
        const { type, body } = rng.pick(corpus.bodies);
        const b = rng.chance(0.7) ? mutateBytes(rng, body, corpus) : body;
        const w = new Writer(b.length + 8);
        w.prefixed(2, 'extensions', (w) => {
          w.u16(rng.chance(0.8) ? type : rng.pick(EXTENSION_CODECS).type);
          w.vector(2, 'extension_data', b.subarray(0, 0xffff));
        });
        return { bytes: w.finish(), origin: `one extension of type ${type}, body mutated` };
      }
      const i = rng.int(corpus.blocks.length);
      return {
        bytes: mutateBytes(rng, corpus.blocks[i].bytes, corpus),
        origin: `byte mutation of extensions block ${i}`,
      };
    },
    run(bytes, _rng, check) {
      for (const context of CONTEXTS) {
        for (const strict of [true, false]) {
          const decoder = `decodeExtensions.${strict ? 'strict' : 'lenient'}`;
          const r = new Reader(bytes, { path: [context], strict });
          const exts = attempt(decoder, check, () => decodeExtensions(r, context));
          if (exts && strict)
            check.roundTrip(`${decoder}[${context}]`, bytes.subarray(0, r.pos), blockBytes(exts));
          if (exts && strict) {
            for (const e of exts) {
              if (e.value === undefined) continue;
              const codec = EXTENSION_CODECS.find((c) => c.type === e.type)!;
              const w = new Writer(e.body.length + 8);
              try {
                codec.encode(w, e.value, context);
              } catch (err) {
                throw new DecoderFailure(`${codec.name}.encode[${context}]`, err);
              }
              check.roundTrip(`${codec.name}[${context}]`, e.body, w.finish());
            }
          }
        }
      }
    },
  },
  {
    name: 'alert',
    weight: 1,
    input(rng) {
      return { bytes: rng.bytes(rng.int(5)), origin: 'random bytes' };
    },
    run(bytes, _rng, check) {
      const alert = attempt('decodeAlert', check, () => decodeAlert(bytes));
      if (alert) check.roundTrip('decodeAlert', bytes, encodeAlert(alert));
      attempt('decodeAlert.lenient', check, () => decodeAlert(bytes, { strict: false }));
      attempt('decodeChangeCipherSpec', check, () => decodeChangeCipherSpec(bytes));
    },
  },
  {
    name: 'capture',
    weight: 1,
    input(rng, corpus) {
      const i = rng.int(corpus.captures.length);
      return { bytes: mutateBytes(rng, corpus.captures[i], corpus), origin: `byte mutation of capture ${i}` };
    },
    run(bytes, rng, check) {
      attempt('readCapture', check, () => readCapture(bytes));
      if (rng.chance(0.5)) attempt('captureStreams', check, () => captureStreams(bytes));
      else attempt('captureHandshakes', check, () => captureHandshakes(bytes));
    },
  },
];

const TOTAL_WEIGHT = TARGETS.reduce((n, t) => n + t.weight, 0);

function pickTarget(rng: Rng): Target {
  let roll = rng.int(TOTAL_WEIGHT);
  for (const t of TARGETS) {
    if (roll < t.weight) return t;
    roll -= t.weight;
  }
  return TARGETS[0];
}

/**
 * Runs the fuzzer over `inputs`.
 * @example
 * const summary = runFuzz({ clientHellos, serverFlights }, { cases: 20_000, seed: 1 });
 * summary.findings // []
 */
export function runFuzz(inputs: FuzzInputs, options: FuzzOptions = {}): FuzzSummary {
  const now = options.now ?? Date.now;
  const cases = options.cases ?? 1_000_000;
  const seed = options.seed ?? 1;
  const first = options.firstCase ?? 0;
  const caseLimit = options.caseTimeLimitMs ?? 2000;
  const maxFindings = options.maxFindings ?? 10;
  const progressEvery = options.progressEvery ?? 50_000;
  const corpus = buildCorpus(inputs);
  const perDecoder: Record<string, DecoderCounts> = {};
  const findings: FuzzFinding[] = [];
  const start = now();
  let done = 0;
  const counts = (decoder: string): DecoderCounts => {
    let c = perDecoder[decoder];
    if (!c) {
      c = { runs: 0, parsed: 0, rejected: 0 };
      perDecoder[decoder] = c;
    }
    return c;
  };
  const summary = (): FuzzSummary => ({ cases: done, elapsedMs: now() - start, perDecoder, findings });

  for (let index = first; index < first + cases; index++) {
    if (options.timeLimitMs !== undefined && now() - start > options.timeLimitMs) break;
    if (findings.length >= maxFindings) break;
    options.onCase?.(index);
    const rng = rngFrom(caseRandom(seed, index));
    const target = pickTarget(rng);
    let input: { bytes: Uint8Array; origin: string } = { bytes: new Uint8Array(0), origin: '' };
    const found = (decoder: string, kind: FuzzFinding['kind'], message: string): void => {
      findings.push({
        decoder,
        kind,
        caseIndex: index,
        seed,
        message,
        inputHex: toHex(input.bytes),
        origin: input.origin,
      });
    };
    const check: Check = {
      parsed: (d) => {
        const c = counts(d);
        c.runs++;
        c.parsed++;
      },
      rejected: (d) => {
        const c = counts(d);
        c.runs++;
        c.rejected++;
      },
      roundTrip: (d, expected, actual) => {
        if (!equalBytes(expected, actual)) {
          found(d, 'round-trip', `re-encoding differs: expected ${toHex(expected)}, got ${toHex(actual)}`);
        }
      },
      inconsistent: (d, message) => found(d, 'inconsistent', message),
    };
    const t0 = now();
    try {
      input = target.input(rng, corpus);
      target.run(input.bytes, rng, check);
    } catch (e) {
      if (e instanceof DecoderFailure) {
        const stack =
          e.failure instanceof Error ? (e.failure.stack ?? '').split('\n').slice(0, 4).join(' | ') : '';
        found(e.decoder, 'exception', `${e.message}${stack ? ` (${stack})` : ''}`);
      } else {
        found(
          `${target.name} (input or check)`,
          'exception',
          e instanceof Error ? `${e.name}: ${e.message}` : String(e),
        );
      }
    }
    const took = now() - t0;
    if (took > caseLimit) found(target.name, 'slow', `case took ${took} ms (limit ${caseLimit} ms)`);
    done++;
    if (options.onProgress && done % progressEvery === 0) options.onProgress(summary());
  }
  return summary();
}

/** One line: cases, cases/s and counts per decoder. */
export function formatSummary(s: FuzzSummary): string {
  const rate = s.elapsedMs > 0 ? Math.round((s.cases * 1000) / s.elapsedMs) : s.cases;
  const decoders = Object.entries(s.perDecoder)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, c]) => `${name}=${c.runs}(${c.parsed} ok/${c.rejected} rejected)`)
    .join(' ');
  return `fuzz: ${s.cases} cases in ${(s.elapsedMs / 1000).toFixed(1)} s (${rate} cases/s), ${s.findings.length} findings; ${decoders}`;
}
