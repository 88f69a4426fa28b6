/**
 * Wire grammars of extension bodies (extension_data), one per extension type and message:
 * arbitraries of bytes that a strict peer accepts. The random lists are written from the
 * RFCs, not from hellokit's codecs, so a codec that rejects a valid body is caught by the
 * arbitraries' tests; the bodies of one given value (`serverNameBodyFor`, ...) are the
 * registry rows' own encoders, the one writer of each body.
 */
import fc from 'fast-check';
import {
  keyShareBody,
  serverNameBody,
  supportedGroupsBody,
  supportedVersionsBody,
} from '../builder/bodies.ts';
import { Writer } from '../bytes/writer.ts';
import { KEY_EXCHANGE_SIZES } from '../extensions/key-share.ts';
import type { MessageContext } from '../extensions/types.ts';

/** A body arbitrary for one extension type in one message. */
export type BodyArbitrary = fc.Arbitrary<Uint8Array>;

const utf8 = new TextEncoder();

function write(fn: (w: Writer) => void): Uint8Array {
  const w = new Writer(64);
  fn(w);
  return w.finish();
}

/** Lists of u16 values behind a `width`-byte length prefix. */
function u16ListBody(
  width: 1 | 2,
  values: fc.Arbitrary<number>,
  minLength = 1,
  maxLength = 16,
): BodyArbitrary {
  return fc.array(values, { minLength, maxLength }).map((list) =>
    write((w) =>
      w.prefixed(width, 'list', (w) =>
        list.forEach((v) => {
          w.u16(v);
        }),
      ),
    ),
  );
}

function u8ListBody(values: fc.Arbitrary<number>, minLength = 1, maxLength = 8): BodyArbitrary {
  return fc.array(values, { minLength, maxLength }).map((list) =>
    write((w) =>
      w.prefixed(1, 'list', (w) =>
        list.forEach((v) => {
          w.u8(v);
        }),
      ),
    ),
  );
}

const EMPTY: BodyArbitrary = fc.constant(new Uint8Array(0));

/** Common values, so shrinking lands on something a real peer knows. */
export const COMMON_GROUPS: readonly number[] = [
  0x001d, 0x0017, 0x0018, 0x0019, 0x001e, 0x0100, 0x0101, 0x11ec,
];
export const COMMON_SIGNATURE_SCHEMES: readonly number[] = [
  0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601, 0x0807, 0x0808, 0x0603, 0x0201, 0x0203,
];
export const COMMON_VERSIONS: readonly number[] = [0x0304, 0x0303, 0x0302, 0x0301];

const anyU16 = fc.integer({ min: 0, max: 0xffff });
const group = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...COMMON_GROUPS) },
  { weight: 1, arbitrary: anyU16 },
);
const scheme = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...COMMON_SIGNATURE_SCHEMES) },
  { weight: 1, arbitrary: anyU16 },
);

/** An LDH host name (RFC 1123 labels), the form servers accept in server_name. */
export const hostNameArb: fc.Arbitrary<string> = fc
  .tuple(
    fc.array(fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,14}[a-z0-9])?$/), { maxLength: 3 }),
    // The last label starts with a letter, so the name is never an IP literal (RFC 6066 §3).
    fc.stringMatching(/^[a-z]([a-z0-9-]{0,14}[a-z0-9])?$/),
  )
  .map(([labels, last]) => [...labels, last].join('.'));

/** server_name in a ClientHello: one host_name entry (RFC 6066 §3), written by the registry row. */
export const serverNameBodyFor: (host: string) => Uint8Array = serverNameBody;

/** supported_groups, signature_algorithms: a u16 list behind a u16 length. */
export const u16ListBodyFor: (values: readonly number[]) => Uint8Array = supportedGroupsBody;

/** supported_versions in a ClientHello: a u16 list behind a u8 length. */
export const supportedVersionsBodyFor: (versions: readonly number[]) => Uint8Array = supportedVersionsBody;

/** key_share in a ClientHello: client_shares (RFC 8446 §4.2.8). */
export const keyShareBodyFor: (entries: readonly { group: number; keyExchange: Uint8Array }[]) => Uint8Array =
  keyShareBody;

const alpnId = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('h2', 'http/1.1', 'h3', 'acme-tls/1', 'spdy/3.1') },
  { weight: 1, arbitrary: fc.stringMatching(/^[!-~]{1,20}$/) },
);
const alpnList = fc.uniqueArray(alpnId, { minLength: 1, maxLength: 4 }).map((ids) =>
  write((w) =>
    w.prefixed(2, 'protocol_name_list', (w) =>
      ids.forEach((id) => {
        w.vector(1, 'name', utf8.encode(id));
      }),
    ),
  ),
);
const alpnSingle = alpnId.map((id) =>
  write((w) => w.prefixed(2, 'protocol_name_list', (w) => w.vector(1, 'name', utf8.encode(id)))),
);

const distinguishedNames = fc
  .array(fc.uint8Array({ minLength: 1, maxLength: 40 }), { minLength: 1, maxLength: 3 })
  .map((names) =>
    write((w) =>
      w.prefixed(2, 'authorities', (w) =>
        names.forEach((n) => {
          w.vector(2, 'DistinguishedName', n);
        }),
      ),
    ),
  );

const preSharedKeyClient = fc
  .array(
    fc.record({
      identity: fc.uint8Array({ minLength: 1, maxLength: 48 }),
      age: fc.integer({ min: 0, max: 0xffffffff }),
      binder: fc.uint8Array({ minLength: 32, maxLength: 48 }),
    }),
    { minLength: 1, maxLength: 2 },
  )
  .map((psks) =>
    write((w) => {
      w.prefixed(2, 'identities', (w) => {
        for (const p of psks) {
          w.vector(2, 'identity', p.identity);
          w.u32(p.age);
        }
      });
      w.prefixed(2, 'binders', (w) =>
        psks.forEach((p) => {
          w.vector(1, 'binder', p.binder);
        }),
      );
    }),
  );

/** A key share entry whose key_exchange has the size its group defines (any size for other groups). */
const keyShareEntry = (side: 0 | 1) =>
  group.chain((g) => {
    const size = KEY_EXCHANGE_SIZES.get(g)?.[side];
    return fc.record({
      group: fc.constant(g),
      keyExchange: fc.uint8Array(
        size ? { minLength: size, maxLength: size } : { minLength: 1, maxLength: 97 },
      ),
    });
  });

const keyShareClient = fc
  .uniqueArray(keyShareEntry(0), { selector: (e) => e.group, maxLength: 3 })
  .map(keyShareBodyFor);

const keyShareServer = keyShareEntry(1).map((e) =>
  write((w) => {
    w.u16(e.group);
    w.vector(2, 'key_exchange', e.keyExchange);
  }),
);

const echOuter = fc
  .record({
    kdf: fc.constantFrom(1, 2, 3),
    aead: fc.constantFrom(1, 2, 3),
    configId: fc.integer({ min: 0, max: 255 }),
    enc: fc.uint8Array({ minLength: 32, maxLength: 32 }),
    payload: fc.uint8Array({ minLength: 1, maxLength: 200 }),
  })
  .map((e) =>
    write((w) => {
      w.u8(0);
      w.u16(e.kdf);
      w.u16(e.aead);
      w.u8(e.configId);
      w.vector(2, 'enc', e.enc);
      w.vector(2, 'payload', e.payload);
    }),
  );

/** QUIC transport parameters (RFC 9000 §18): unique ids, one-byte varints. */
const quicTransportParameters = fc
  .uniqueArray(fc.record({ id: fc.integer({ min: 0, max: 63 }), value: fc.uint8Array({ maxLength: 16 }) }), {
    selector: (p) => p.id,
    maxLength: 4,
  })
  .map((params) =>
    write((w) => {
      for (const p of params) {
        w.u8(p.id);
        w.u8(p.value.length);
        w.bytes(p.value);
      }
    }),
  );

const u16Value = (min: number, max: number): BodyArbitrary =>
  fc.integer({ min, max }).map((v) => write((w) => w.u16(v)));

/**
 * Body grammars by extension type, for the ClientHello. A type missing here has no
 * grammar (its arbitrary falls back to bodies the codec accepts).
 */
const CLIENT_HELLO: ReadonlyMap<number, BodyArbitrary> = new Map<number, BodyArbitrary>([
  [0, hostNameArb.map(serverNameBodyFor)],
  [1, fc.integer({ min: 1, max: 4 }).map((v) => Uint8Array.of(v))],
  [
    5,
    fc.constant(Uint8Array.of(1, 0, 0, 0, 0)), // status_request: ocsp, no responder ids, no extensions
  ],
  [10, u16ListBody(2, group)],
  [11, u8ListBody(fc.constantFrom(0, 1, 2)).map((b) => (b.includes(0) ? b : Uint8Array.of(1, 0)))],
  [13, u16ListBody(2, scheme)],
  [14, u16ListBody(2, fc.constantFrom(1, 2, 5, 6, 7, 8)).map((b) => write((w) => w.bytes(b).u8(0)))],
  [15, fc.constantFrom(Uint8Array.of(1), Uint8Array.of(2))],
  [16, alpnList],
  [17, fc.constant(Uint8Array.of(0, 5, 1, 0, 0, 0, 0))], // status_request_v2: one ocsp_multi item
  [18, EMPTY],
  [21, fc.integer({ min: 0, max: 300 }).map((n) => new Uint8Array(n))],
  [22, EMPTY],
  [23, EMPTY],
  [27, u16ListBody(1, fc.constantFrom(1, 2, 3), 1, 3)],
  [28, u16Value(64, 16385)],
  [35, fc.oneof(EMPTY, fc.uint8Array({ minLength: 1, maxLength: 64 }))],
  [41, preSharedKeyClient],
  [42, EMPTY],
  [43, u16ListBody(1, fc.oneof(fc.constantFrom(...COMMON_VERSIONS), anyU16), 1, 6)],
  [44, fc.uint8Array({ minLength: 1, maxLength: 64 }).map((c) => write((w) => w.vector(2, 'cookie', c)))],
  [45, u8ListBody(fc.constantFrom(0, 1), 1, 2)],
  [47, distinguishedNames],
  [49, EMPTY],
  [50, u16ListBody(2, scheme)],
  [51, keyShareClient],
  [57, quicTransportParameters],
  [
    17513,
    fc.uniqueArray(alpnId, { minLength: 1, maxLength: 3 }).map((ids) =>
      write((w) =>
        w.prefixed(2, 'supported_protocols', (w) =>
          ids.forEach((id) => {
            w.vector(1, 'p', utf8.encode(id));
          }),
        ),
      ),
    ),
  ],
  [0xfe0d, echOuter],
  [0xff01, fc.constant(Uint8Array.of(0))], // renegotiation_info on an initial handshake: empty verify data
]);

const SERVER_HELLO: ReadonlyMap<number, BodyArbitrary> = new Map<number, BodyArbitrary>([
  [0, EMPTY],
  [1, fc.integer({ min: 1, max: 4 }).map((v) => Uint8Array.of(v))],
  [5, EMPTY],
  [11, fc.constant(Uint8Array.of(1, 0))],
  [16, alpnSingle],
  [22, EMPTY],
  [23, EMPTY],
  [35, EMPTY],
  [41, u16Value(0, 3)],
  [43, fc.constantFrom(0x0304, 0x0303).map((v) => write((w) => w.u16(v)))],
  [51, keyShareServer],
  [0xff01, fc.constant(Uint8Array.of(0))],
]);

const HELLO_RETRY_REQUEST: ReadonlyMap<number, BodyArbitrary> = new Map<number, BodyArbitrary>([
  [43, fc.constant(Uint8Array.of(3, 4))],
  [44, fc.uint8Array({ minLength: 1, maxLength: 64 }).map((c) => write((w) => w.vector(2, 'cookie', c)))],
  [51, group.map((g) => write((w) => w.u16(g)))],
]);

const ENCRYPTED_EXTENSIONS: ReadonlyMap<number, BodyArbitrary> = new Map<number, BodyArbitrary>([
  [0, EMPTY],
  [1, fc.integer({ min: 1, max: 4 }).map((v) => Uint8Array.of(v))],
  [10, u16ListBody(2, group)],
  [16, alpnSingle],
  [28, u16Value(64, 16385)],
  [42, EMPTY],
  [57, quicTransportParameters],
]);

const BY_CONTEXT: Readonly<Partial<Record<MessageContext, ReadonlyMap<number, BodyArbitrary>>>> = {
  client_hello: CLIENT_HELLO,
  server_hello: SERVER_HELLO,
  hello_retry_request: HELLO_RETRY_REQUEST,
  encrypted_extensions: ENCRYPTED_EXTENSIONS,
};

/**
 * The body grammar of extension `type` in `context`, or undefined when hellokit's
 * arbitraries have none.
 * @example fc.sample(extensionBodyArb(0, 'client_hello')!, 1) // [Uint8Array [0, 14, 0, 0, 11, ...]]
 */
export function extensionBodyArb(
  type: number,
  context: MessageContext = 'client_hello',
): BodyArbitrary | undefined {
  return BY_CONTEXT[context]?.get(type);
}

/** Extension types that have a body grammar in `context`. */
export function extensionTypesWithBodyArb(context: MessageContext = 'client_hello'): number[] {
  return [...(BY_CONTEXT[context]?.keys() ?? [])];
}
