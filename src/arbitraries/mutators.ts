/**
 * Mutators: each takes a valid ClientHello and returns exactly the broken bytes it
 * describes — one length field rewritten, one extension duplicated, one record retyped —
 * located with a field map of the message, so a failure names its cause. Deterministic for
 * a given random source: `mutate(hello, id, seed)` replays a case from its id and seed.
 * No fast-check here (the fuzz runner uses these too); `mutationArb` lives in mutation-arb.ts.
 */
import type { DecodeErrorCode } from '../bytes/errors.ts';
import { toHex } from '../bytes/hex.ts';
import { type RandomSource, seededRandom } from '../crypto/random.ts';
import { codecForType } from '../extensions/registry.ts';
import type { Extension } from '../extensions/types.ts';
import { encodeClientHello, encodeClientHelloMessage, parseClientHello } from '../handshake/client-hello.ts';
import type { ClientHello, RecordFraming } from '../handshake/types.ts';
import { fragmentBySizes } from '../records/fragment.ts';
import { CONTENT_TYPES, encodeRecords } from '../records/record.ts';
import { type ClientHelloFieldMap, clientHelloFieldMap, type FieldSpan } from './field-map.ts';

/** What a strict parse of the mutated bytes does: rejects them, accepts them, or either (it depends on the bytes). */
export type MutationExpectation = 'reject' | 'accept' | 'either';

/** The result of one mutation. */
export interface Mutation {
  /** The mutator's id. */
  readonly id: string;
  /** The broken hello: TLS records, ready to send. */
  readonly bytes: Uint8Array;
  /** Where to split the bytes into TCP writes (offsets into `bytes`), when the mutation is about writes. */
  readonly writes?: readonly number[];
  /** What was broken, with field paths and offsets. */
  readonly description: string;
  /** The field that was changed, as a path (`client_hello.cipher_suites`, `record[0].length`). */
  readonly field?: string;
  /** What a strict parse does with `bytes`. */
  readonly expect: MutationExpectation;
  /** When rejected, the DecodeError codes a strict parse may give. */
  readonly codes?: readonly DecodeErrorCode[];
}

/** Inputs some mutators take. */
export interface MutateOptions {
  /** The ClientHello that `swap-field` takes fields from (default: a built-in TLS 1.2 hello). */
  readonly donor?: Uint8Array | ClientHello;
  /** Split points for `split-records` (message offsets) and `split-writes` (byte offsets). */
  readonly points?: readonly number[];
}

/** One mutator. */
export interface Mutator {
  readonly id: string;
  readonly description: string;
  /** Whether the mutator can break this hello (e.g. `duplicate-extension` needs an extension). */
  applies(hello: Uint8Array | ClientHello): boolean;
  /**
   * The broken hello. `random` picks the field and the values; the same bytes from `random`
   * give the same mutation.
   * @throws {TypeError} when `hello` is not a valid ClientHello
   * @throws {RangeError} when the mutator does not apply to it
   */
  apply(hello: Uint8Array | ClientHello, random: RandomSource, options?: MutateOptions): Mutation;
}

interface Prepared {
  readonly hello: ClientHello;
  readonly bytes: Uint8Array;
  readonly message: Uint8Array;
  readonly framing: RecordFraming;
  readonly map: ClientHelloFieldMap;
}

const PREPARED = new WeakMap<object, Prepared>();

function prepare(input: Uint8Array | ClientHello): Prepared {
  const cached = PREPARED.get(input);
  if (cached) return cached;
  let hello: ClientHello;
  if (input instanceof Uint8Array) {
    try {
      hello = parseClientHello(input);
    } catch (e) {
      throw new TypeError(`mutators take a valid ClientHello: ${(e as Error).message}`);
    }
  } else hello = input;
  const message = encodeClientHelloMessage(hello);
  const framing: RecordFraming = hello.record ?? { version: 0x0301 };
  let map: ClientHelloFieldMap;
  try {
    map = clientHelloFieldMap(message);
  } catch (e) {
    throw new TypeError(`mutators take a valid ClientHello: ${(e as Error).message}`);
  }
  const prepared = { hello, bytes: encodeClientHello(hello), message, framing, map };
  PREPARED.set(input, prepared);
  return prepared;
}

/** A uniform integer in 0..n-1 from the random source. */
export function randomInt(random: RandomSource, n: number): number {
  if (n <= 1) return 0;
  const b = random(4);
  return (((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) >>> 0) % n;
}

function pick<T>(random: RandomSource, items: readonly T[]): T {
  return items[randomInt(random, items.length)];
}

function fitSizes(sizes: readonly number[], total: number): number[] {
  const out: number[] = [];
  let at = 0;
  for (const size of sizes) {
    if (at + size >= total) break;
    out.push(size);
    at += size;
  }
  out.push(total - at);
  return out;
}

/** Frames `message` as `framing` says; sizes are refitted when the message length changed. */
function frame(message: Uint8Array, framing: RecordFraming, sizes?: readonly number[]): Uint8Array {
  const fitted = sizes ?? fitSizes(framing.fragments ?? [message.length], message.length);
  const records = fragmentBySizes(message, fitted, {
    contentType: framing.contentType ?? CONTENT_TYPES.handshake,
    version: framing.version,
  });
  const versions = framing.versions;
  return encodeRecords(
    versions && versions.length === records.length
      ? records.map((r, i) => ({ ...r, version: versions[i] }))
      : records,
  );
}

interface RecordSpan {
  readonly index: number;
  readonly start: number;
  readonly length: number;
}

function recordSpans(bytes: Uint8Array): RecordSpan[] {
  const out: RecordSpan[] = [];
  for (let at = 0, i = 0; at + 5 <= bytes.length; i++) {
    const length = (bytes[at + 3] << 8) | bytes[at + 4];
    out.push({ index: i, start: at, length });
    at += 5 + length;
  }
  return out;
}

function writeUint(buf: Uint8Array, at: number, width: number, value: number): void {
  for (let i = width - 1, v = value; i >= 0; i--, v = Math.floor(v / 256)) buf[at + i] = v & 0xff;
}

function readUint(buf: Uint8Array, at: number, width: number): number {
  let v = 0;
  for (let i = 0; i < width; i++) v = v * 256 + buf[at + i];
  return v;
}

const MAX_FOR_WIDTH = [0, 0xff, 0xffff, 0xffffff] as const;

/** Which length fields a length mutator targets. */
export type LengthTarget =
  | 'record'
  | 'handshake'
  | 'legacy_session_id'
  | 'cipher_suites'
  | 'legacy_compression_methods'
  | 'extensions'
  | 'extension_data'
  | 'inner';

/** The length fields, in the order the MUTATORS table lists them. */
export const LENGTH_TARGETS: readonly LengthTarget[] = [
  'record',
  'handshake',
  'legacy_session_id',
  'cipher_suites',
  'legacy_compression_methods',
  'extensions',
  'extension_data',
  'inner',
];

function spansFor(map: ClientHelloFieldMap, target: LengthTarget): FieldSpan[] {
  switch (target) {
    case 'handshake':
      return map.fields.filter((f) => f.path === 'client_hello.length');
    case 'legacy_session_id':
    case 'cipher_suites':
    case 'legacy_compression_methods':
    case 'extensions':
      return map.fields.filter((f) => f.path === `client_hello.${target}`);
    case 'extension_data':
      return map.fields.filter((f) => f.path.endsWith('.extension_data'));
    case 'inner':
      return map.fields.filter((f) => f.kind === 'vector' && f.depth >= 3);
    default:
      return [];
  }
}

/** A length field and what lies around it, in `buf` coordinates. */
interface LengthField {
  readonly path: string;
  /** Index of the length prefix. */
  readonly at: number;
  readonly width: number;
  readonly value: number;
  /** Bytes from the end of the prefix to the end of the parent window. */
  readonly room: number;
  readonly extensionType?: number;
}

function lengthFields(p: Prepared, target: LengthTarget): { fields: LengthField[]; inMessage: boolean } {
  if (target === 'record') {
    const fields = recordSpans(p.bytes).map((rec) => ({
      path: `record[${rec.index}].length`,
      at: rec.start + 3,
      width: 2,
      value: rec.length,
      room: p.bytes.length - rec.start - 5,
    }));
    return { fields, inMessage: false };
  }
  const fields = spansFor(p.map, target).map((f) => ({
    path: f.path,
    at: f.start,
    width: f.lengthWidth!,
    value: readUint(p.message, f.start, f.lengthWidth!),
    room: f.parentEnd - f.start - f.lengthWidth!,
    ...(f.extensionType === undefined ? {} : { extensionType: f.extensionType }),
  }));
  return { fields, inMessage: true };
}

function lengthMutator(target: LengthTarget, direction: 'longer' | 'shorter'): Mutator {
  const id = `length-${direction}:${target}`;
  const candidates = (p: Prepared): { fields: LengthField[]; inMessage: boolean } => {
    const all = lengthFields(p, target);
    const fields =
      direction === 'longer'
        ? all.fields.filter(
            (f) => f.room + 1 <= Math.min(MAX_FOR_WIDTH[f.width], target === 'record' ? 0xffff : Infinity),
          )
        : all.fields.filter((f) => f.value > 0);
    return { fields, inMessage: all.inMessage };
  };
  return {
    id,
    description:
      direction === 'longer'
        ? `rewrite the ${target} length to claim more bytes than its enclosing window holds`
        : `rewrite the ${target} length to claim fewer bytes than follow`,
    applies: (hello) => candidates(prepare(hello)).fields.length > 0,
    apply(hello, random) {
      const p = prepare(hello);
      const { fields, inMessage } = candidates(p);
      if (fields.length === 0) throw new RangeError(`${id} does not apply: no ${target} length field`);
      const f = pick(random, fields);
      const value =
        direction === 'longer'
          ? Math.min(MAX_FOR_WIDTH[f.width], f.room + 1 + randomInt(random, 4))
          : randomInt(random, f.value);
      const buf = (inMessage ? p.message : p.bytes).slice();
      writeUint(buf, f.at, f.width, value);
      const bytes = inMessage ? frame(buf, p.framing) : buf;
      const codec = f.extensionType === undefined ? undefined : codecForType(f.extensionType);
      let expect: MutationExpectation;
      let codes: DecodeErrorCode[] | undefined;
      if (target === 'inner' && !codec) expect = 'accept';
      else if (direction === 'longer') {
        expect = 'reject';
        codes = target === 'record' ? ['truncated', 'too-large'] : ['truncated'];
      } else if (target === 'handshake' || target === 'extensions') {
        expect = 'reject';
      } else expect = 'either';
      const where = inMessage ? `message offset ${f.at}` : `byte ${f.at}`;
      const description =
        direction === 'longer'
          ? `${f.path} at ${where}: length ${f.value} → ${value}, ${f.room} byte${f.room === 1 ? '' : 's'} follow in its window`
          : `${f.path} at ${where}: length ${f.value} → ${value}, ${f.value} bytes follow`;
      return { id, bytes, description, field: f.path, expect, ...(codes ? { codes } : {}) };
    },
  };
}

function reframed(p: Prepared, hello: ClientHello): Uint8Array {
  return frame(encodeClientHelloMessage(hello), p.framing);
}

function extensionList(p: Prepared): readonly Extension[] {
  return p.hello.extensions ?? [];
}

const PRE_SHARED_KEY = 41;

const DONOR: ClientHello = {
  legacyVersion: 0x0303,
  random: Uint8Array.from({ length: 32 }, (_, i) => 0xd0 ^ i),
  legacySessionId: new Uint8Array(0),
  cipherSuites: [0xc02f, 0xc030, 0x009c, 0x00ff],
  legacyCompressionMethods: [0],
  extensions: [
    { type: 0, body: Uint8Array.of(0, 16, 0, 0, 13, ...new TextEncoder().encode('donor.example')) },
    { type: 11, body: Uint8Array.of(1, 0) },
    { type: 23, body: new Uint8Array(0) },
    { type: 35, body: new Uint8Array(0) },
    { type: 0xff01, body: Uint8Array.of(0) },
  ],
};

/** A TLS 1.3 ServerHello's extensions: supported_versions and an x25519 key_share, server form. */
const SERVER_HELLO_EXTENSIONS: readonly Extension[] = [
  { type: 43, body: Uint8Array.of(0x03, 0x04) },
  { type: 51, body: Uint8Array.of(0x00, 0x1d, 0x00, 0x20, ...Array.from({ length: 32 }, (_, i) => i)) },
];

type SwapField = 'random' | 'legacy_session_id' | 'cipher_suites' | 'extensions' | 'extension';

const MESSAGE_BYTE_MUTATORS: readonly Mutator[] = [
  {
    id: 'truncate',
    description: 'cut the hello short at a random byte',
    applies: (hello) => prepare(hello).bytes.length > 1,
    apply(hello, random) {
      const p = prepare(hello);
      const cut = 1 + randomInt(random, p.bytes.length - 1);
      return {
        id: 'truncate',
        bytes: p.bytes.slice(0, cut),
        description: `cut the ${p.bytes.length}-byte hello to its first ${cut} bytes (${p.bytes.length - cut} removed)`,
        expect: 'reject',
        codes: ['truncated'],
      };
    },
  },
  ...LENGTH_TARGETS.flatMap((t) => [lengthMutator(t, 'longer'), lengthMutator(t, 'shorter')]),
  {
    id: 'duplicate-extension',
    description: 'send one extension twice',
    applies: (hello) => extensionList(prepare(hello)).some((e) => e.type !== PRE_SHARED_KEY),
    apply(hello, random) {
      const p = prepare(hello);
      const list = [...extensionList(p)];
      const candidates = list.map((e, i) => ({ e, i })).filter(({ e }) => e.type !== PRE_SHARED_KEY);
      if (candidates.length === 0)
        throw new RangeError('duplicate-extension does not apply: no extension to copy');
      const { e, i } = pick(random, candidates);
      const end =
        list.length > 0 && list[list.length - 1].type === PRE_SHARED_KEY ? list.length - 1 : list.length;
      const at = randomInt(random, end + 1);
      list.splice(at, 0, e);
      return {
        id: 'duplicate-extension',
        bytes: reframed(p, { ...p.hello, extensions: list }),
        description: `extension ${e.type} (extensions[${i}]) copied to position ${at}`,
        field: `client_hello.extensions[${at}]`,
        expect: 'reject',
        codes: ['duplicate'],
      };
    },
  },
  {
    id: 'remove-extension',
    description: 'leave one extension out',
    applies: (hello) => extensionList(prepare(hello)).length > 0,
    apply(hello, random) {
      const p = prepare(hello);
      const list = [...extensionList(p)];
      if (list.length === 0) throw new RangeError('remove-extension does not apply: no extensions');
      const i = randomInt(random, list.length);
      const [removed] = list.splice(i, 1);
      return {
        id: 'remove-extension',
        bytes: reframed(p, { ...p.hello, extensions: list }),
        description: `extension ${removed.type} (extensions[${i}]) removed`,
        field: `client_hello.extensions[${i}]`,
        expect: 'accept',
      };
    },
  },
  {
    id: 'reorder-extensions',
    description: 'shuffle the extensions (pre_shared_key stays last)',
    applies: (hello) => movable(extensionList(prepare(hello))).length > 1,
    apply(hello, random) {
      const p = prepare(hello);
      const list = extensionList(p);
      const moving = movable(list);
      if (moving.length < 2)
        throw new RangeError('reorder-extensions does not apply: fewer than two extensions');
      const order = moving.map((_, i) => i);
      for (let i = order.length - 1; i > 0; i--) {
        const j = randomInt(random, i + 1);
        [order[i], order[j]] = [order[j], order[i]];
      }
      if (order.every((v, i) => v === i)) order.push(order.shift()!);
      const shuffled = [...order.map((i) => moving[i]), ...list.slice(moving.length)];
      return {
        id: 'reorder-extensions',
        bytes: reframed(p, { ...p.hello, extensions: shuffled }),
        description: `extensions reordered: [${moving.map((e) => e.type).join(', ')}] → [${order.map((i) => moving[i].type).join(', ')}]`,
        field: 'client_hello.extensions',
        expect: 'accept',
      };
    },
  },
  {
    id: 'flip-bytes',
    description: 'flip bits in one to three bytes inside one field',
    applies: () => true,
    apply(hello, random) {
      const p = prepare(hello);
      const field = pick(
        random,
        p.map.fields.filter((f) => f.end > f.start),
      );
      const buf = p.message.slice();
      const count = 1 + randomInt(random, Math.min(3, field.end - field.start));
      const flipped: string[] = [];
      for (let k = 0; k < count; k++) {
        const at = field.start + randomInt(random, field.end - field.start);
        const mask = 1 + randomInt(random, 255);
        buf[at] ^= mask;
        flipped.push(`${at}^0x${mask.toString(16).padStart(2, '0')}`);
      }
      return {
        id: 'flip-bytes',
        bytes: frame(buf, p.framing),
        description: `${field.path} (message bytes ${field.start}..${field.end - 1}): flipped ${flipped.join(', ')}`,
        field: field.path,
        expect: 'either',
      };
    },
  },
  {
    id: 'swap-field',
    description: 'replace one field with the same field of another ClientHello (lengths recomputed)',
    applies: () => true,
    apply(hello, random, options = {}) {
      const p = prepare(hello);
      const donor = options.donor ? prepare(options.donor).hello : DONOR;
      const fields: SwapField[] = ['random', 'legacy_session_id', 'cipher_suites'];
      if (donor.extensions !== null) fields.push('extensions');
      if ((p.hello.extensions?.length ?? 0) > 0 && (donor.extensions?.length ?? 0) > 0)
        fields.push('extension');
      const field = pick(random, fields);
      let next: ClientHello;
      let description: string;
      switch (field) {
        case 'random':
          next = { ...p.hello, random: donor.random };
          description = `random replaced by the donor's ${toHex(donor.random)}`;
          break;
        case 'legacy_session_id':
          next = { ...p.hello, legacySessionId: donor.legacySessionId };
          description = `legacy_session_id (${p.hello.legacySessionId.length} bytes) replaced by the donor's (${donor.legacySessionId.length} bytes)`;
          break;
        case 'cipher_suites':
          next = { ...p.hello, cipherSuites: donor.cipherSuites };
          description = `cipher_suites replaced by the donor's [${donor.cipherSuites.map((s) => `0x${s.toString(16).padStart(4, '0')}`).join(', ')}]`;
          break;
        case 'extensions':
          next = { ...p.hello, extensions: donor.extensions };
          description = `extensions block replaced by the donor's (types ${(donor.extensions ?? []).map((e) => e.type).join(', ')})`;
          break;
        default: {
          const list = [...(p.hello.extensions ?? [])];
          const i = randomInt(random, list.length);
          const others = new Set(list.filter((_, k) => k !== i).map((e) => e.type));
          const pool = (donor.extensions ?? []).filter(
            (e) => !others.has(e.type) && e.type !== PRE_SHARED_KEY,
          );
          const replacement = pool.length > 0 ? pick(random, pool) : null;
          if (!replacement) {
            next = { ...p.hello, random: donor.random };
            description = `random replaced by the donor's ${toHex(donor.random)} (no donor extension fits)`;
            break;
          }
          const old = list[i];
          list[i] = replacement;
          next = { ...p.hello, extensions: list };
          description = `extensions[${i}] (type ${old.type}) replaced by the donor's extension ${replacement.type}`;
        }
      }
      return {
        id: 'swap-field',
        bytes: reframed(p, next),
        description,
        field: `client_hello.${field === 'extension' ? 'extensions[]' : field}`,
        expect: 'accept',
      };
    },
  },
  {
    id: 'swap-server-hello-extensions',
    description:
      "replace the extensions block with a TLS 1.3 ServerHello's (supported_versions and key_share in server form)",
    applies: () => true,
    apply(hello) {
      const p = prepare(hello);
      return {
        id: 'swap-server-hello-extensions',
        bytes: reframed(p, { ...p.hello, extensions: SERVER_HELLO_EXTENSIONS }),
        description:
          "extensions block replaced by a ServerHello's: supported_versions body 03 04 (selected_version) and key_share body 00 1d 00 20 ... (one KeyShareEntry, not client_shares)",
        field: 'client_hello.extensions',
        expect: SERVER_HELLO_EXTENSIONS.some((e) => codecForType(e.type)) ? 'reject' : 'accept',
      };
    },
  },
  {
    id: 'split-records',
    description: 'split the handshake message over several records at chosen points',
    applies: (hello) => prepare(hello).message.length > 1,
    apply(hello, random, options = {}) {
      const p = prepare(hello);
      const n = p.message.length;
      const points = splitPoints(random, n, options.points);
      const sizes = points.map((pt, i) => pt - (i === 0 ? 0 : points[i - 1]));
      sizes.push(n - points[points.length - 1]);
      return {
        id: 'split-records',
        bytes: frame(p.message, { version: p.framing.version, contentType: p.framing.contentType }, sizes),
        description: `handshake message (${n} bytes) split over ${sizes.length} records at message offsets [${points.join(', ')}]`,
        field: 'record',
        expect: 'accept',
      };
    },
  },
  {
    id: 'split-writes',
    description: 'send the same bytes in several TCP writes split at chosen points',
    applies: (hello) => prepare(hello).bytes.length > 1,
    apply(hello, random, options = {}) {
      const p = prepare(hello);
      const writes = splitPoints(random, p.bytes.length, options.points);
      return {
        id: 'split-writes',
        bytes: p.bytes,
        writes,
        description: `${p.bytes.length} bytes sent in ${writes.length + 1} writes split at [${writes.join(', ')}]`,
        expect: 'accept',
      };
    },
  },
  {
    id: 'record-type',
    description: 'give one record a content type other than handshake',
    applies: () => true,
    apply(hello, random) {
      const p = prepare(hello);
      const rec = pick(random, recordSpans(p.bytes));
      const type = pick(
        random,
        [20, 21, 23, 24, 0, 25, 0x80, 0xff].filter((t) => t !== p.bytes[rec.start]),
      );
      const bytes = p.bytes.slice();
      bytes[rec.start] = type;
      return {
        id: 'record-type',
        bytes,
        description: `record[${rec.index}].content_type at byte ${rec.start}: 22 → ${type}`,
        field: `record[${rec.index}].content_type`,
        expect: 'reject',
        codes: ['unexpected-message', 'not-tls'],
      };
    },
  },
  {
    id: 'record-version',
    description: 'give one record an odd legacy_record_version',
    applies: () => true,
    apply(hello, random) {
      const p = prepare(hello);
      const rec = pick(random, recordSpans(p.bytes));
      const old = readUint(p.bytes, rec.start + 1, 2);
      const version = pick(
        random,
        [0x0300, 0x0301, 0x0302, 0x0303, 0x0304, 0x0305, 0x0200, 0x0a0a, 0xffff, 0x0000].filter(
          (v) => v !== old,
        ),
      );
      const bytes = p.bytes.slice();
      writeUint(bytes, rec.start + 1, 2, version);
      return {
        id: 'record-version',
        bytes,
        description: `record[${rec.index}].legacy_record_version at byte ${rec.start + 1}: 0x${old.toString(16).padStart(4, '0')} → 0x${version.toString(16).padStart(4, '0')}`,
        field: `record[${rec.index}].legacy_record_version`,
        expect: 'accept',
      };
    },
  },
  {
    id: 'handshake-type',
    description: 'give the handshake message a msg_type other than client_hello',
    applies: () => true,
    apply(hello, random) {
      const p = prepare(hello);
      const type = pick(random, [0, 2, 4, 8, 11, 13, 15, 16, 20, 24, 254, 255]);
      const buf = p.message.slice();
      buf[0] = type;
      return {
        id: 'handshake-type',
        bytes: frame(buf, p.framing),
        description: `client_hello.msg_type at message offset 0: 1 → ${type}`,
        field: 'client_hello.msg_type',
        expect: 'reject',
        codes: ['unexpected-message'],
      };
    },
  },
  {
    id: 'legacy-version',
    description: 'set legacy_version to an odd value',
    applies: () => true,
    apply(hello, random) {
      const p = prepare(hello);
      const versionField = p.map.fields.find((f) => f.path === 'client_hello.legacy_version')!;
      const old = p.hello.legacyVersion;
      const version = pick(
        random,
        [0x0300, 0x0301, 0x0302, 0x0303, 0x0304, 0x0305, 0x7f1c, 0xfefd, 0x0a0a].filter((v) => v !== old),
      );
      const buf = p.message.slice();
      writeUint(buf, versionField.start, 2, version);
      return {
        id: 'legacy-version',
        bytes: frame(buf, p.framing),
        description: `client_hello.legacy_version at message offset ${versionField.start}: 0x${old.toString(16).padStart(4, '0')} → 0x${version.toString(16).padStart(4, '0')}`,
        field: 'client_hello.legacy_version',
        expect: 'accept',
      };
    },
  },
];

function movable(list: readonly Extension[]): readonly Extension[] {
  return list.length > 0 && list[list.length - 1].type === PRE_SHARED_KEY ? list.slice(0, -1) : list;
}

function splitPoints(random: RandomSource, length: number, given?: readonly number[]): number[] {
  if (given && given.length > 0) {
    const sorted = [...new Set(given)].sort((a, b) => a - b);
    for (const pt of sorted) {
      if (!Number.isInteger(pt) || pt < 1 || pt >= length) {
        throw new RangeError(`split point ${pt} must be an integer in 1..${length - 1}`);
      }
    }
    return sorted;
  }
  const count = 1 + randomInt(random, 3);
  const set = new Set<number>();
  for (let i = 0; i < count; i++) set.add(1 + randomInt(random, length - 1));
  return [...set].sort((a, b) => a - b);
}

/**
 * Every mutator, by id. Length mutators come in pairs per field (`length-longer:cipher_suites`,
 * `length-shorter:cipher_suites`); `inner` targets the vectors inside extension bodies
 * (server_name_list, host_name, client_shares, key_exchange, ...).
 */
export const MUTATORS: readonly Mutator[] = MESSAGE_BYTE_MUTATORS;

const BY_ID: ReadonlyMap<string, Mutator> = new Map(MUTATORS.map((m) => [m.id, m]));

/** The mutator with id `id`. @throws {RangeError} for an unknown id */
export function mutatorById(id: string): Mutator {
  const m = BY_ID.get(id);
  if (!m)
    throw new RangeError(`unknown mutator ${JSON.stringify(id)}; known: ${[...BY_ID.keys()].join(', ')}`);
  return m;
}

/**
 * Applies mutator `id` with a random source seeded by `seed`: the same hello, id and seed
 * give the same bytes on every platform (what `hellokit fuzz` replays a case from).
 * @example mutate(helloBytes, 'length-longer:cipher_suites', 7).description
 */
export function mutate(
  hello: Uint8Array | ClientHello,
  id: string,
  seed: number | string,
  options: MutateOptions = {},
): Mutation {
  return mutatorById(id).apply(hello, seededRandom(seed), options);
}
