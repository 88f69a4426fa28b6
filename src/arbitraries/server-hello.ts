/** `serverHelloArb`: ServerHellos (TLS 1.3, TLS 1.2, HelloRetryRequest) that encode and parse back. */
import fc from 'fast-check';
import type { Extension, MessageContext } from '../extensions/types.ts';
import {
  downgradeSentinel,
  HELLO_RETRY_REQUEST_RANDOM,
  type ServerHello,
} from '../handshake/server-hello.ts';
import { extensionBodyArb } from './extension-bodies.ts';
import { decodeExtensionValue } from './extensions.ts';

/** Constraints of {@link serverHelloArb}. */
export interface ServerHelloArbOptions {
  /** `'1.3'` (supported_versions 0x0304, key_share), `'1.2'` (TLS 1.2 extensions or none); default either. */
  readonly tls?: '1.2' | '1.3';
  /** A HelloRetryRequest (TLS 1.3 only); default: never. */
  readonly helloRetryRequest?: boolean;
}

const TLS12_TYPES = [0xff01, 11, 23, 22, 35, 16, 5] as const;

function extension(type: number, body: Uint8Array, context: MessageContext): Extension {
  const value = decodeExtensionValue(type, body, context);
  return value === undefined ? { type, body } : { type, body, value };
}

function tls13(hrr: boolean): fc.Arbitrary<ServerHello> {
  const context: MessageContext = hrr ? 'hello_retry_request' : 'server_hello';
  return fc
    .record({
      random: hrr ? fc.constant(HELLO_RETRY_REQUEST_RANDOM) : fc.uint8Array({ minLength: 32, maxLength: 32 }),
      sessionId: fc.oneof(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ maxLength: 32 })),
      cipherSuite: fc.constantFrom(0x1301, 0x1302, 0x1303),
      keyShare: extensionBodyArb(51, context)!,
      cookie: hrr ? fc.option(extensionBodyArb(44, context)!, { nil: undefined }) : fc.constant(undefined),
      versionFirst: fc.boolean(),
    })
    .filter((p) => hrr || !equal(p.random, HELLO_RETRY_REQUEST_RANDOM))
    .map((p) => {
      const versions = extension(43, Uint8Array.of(3, 4), context);
      const share = extension(51, p.keyShare, context);
      const extensions = p.versionFirst ? [versions, share] : [share, versions];
      if (p.cookie) extensions.push(extension(44, p.cookie, context));
      return {
        type: 'server_hello',
        legacyVersion: 0x0303,
        random: p.random,
        legacySessionIdEcho: p.sessionId,
        cipherSuite: p.cipherSuite,
        legacyCompressionMethod: 0,
        extensions,
        helloRetryRequest: hrr,
        downgrade: downgradeSentinel(p.random),
        version: 0x0304,
      };
    });
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function tls12(): fc.Arbitrary<ServerHello> {
  const optional: Record<string, fc.Arbitrary<Uint8Array | undefined>> = {};
  for (const type of TLS12_TYPES)
    optional[String(type)] = fc.option(extensionBodyArb(type, 'server_hello')!, { nil: undefined });
  return fc
    .record({
      random: fc.uint8Array({ minLength: 32, maxLength: 32 }),
      sessionId: fc.uint8Array({ maxLength: 32 }),
      cipherSuite: fc.constantFrom(0xc02b, 0xc02f, 0xc030, 0xcca8, 0x009c, 0x002f),
      legacyVersion: fc.constantFrom(0x0303, 0x0302, 0x0301),
      hasExtensions: fc.boolean(),
      optional: fc.record(optional),
    })
    .filter((p) => !equal(p.random, HELLO_RETRY_REQUEST_RANDOM))
    .map((p) => {
      const extensions = p.hasExtensions
        ? Object.entries(p.optional)
            .filter((e): e is [string, Uint8Array] => e[1] !== undefined)
            .map(([type, body]) => extension(Number(type), body, 'server_hello'))
        : null;
      return {
        type: 'server_hello',
        legacyVersion: p.legacyVersion,
        random: p.random,
        legacySessionIdEcho: p.sessionId,
        cipherSuite: p.cipherSuite,
        legacyCompressionMethod: 0,
        extensions,
        helloRetryRequest: false,
        downgrade: downgradeSentinel(p.random),
        version: p.legacyVersion,
      };
    });
}

/**
 * ServerHello messages (encode with `encodeServerHello`) that strictly parse back to themselves.
 * @example fc.sample(serverHelloArb({ tls: '1.3' }), 1)[0].version // 0x0304
 */
export function serverHelloArb(options: ServerHelloArbOptions = {}): fc.Arbitrary<ServerHello> {
  if (options.helloRetryRequest) return tls13(true);
  if (options.tls === '1.3') return tls13(false);
  if (options.tls === '1.2') return tls12();
  return fc.oneof(tls13(false), tls12());
}
