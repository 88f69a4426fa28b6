/**
 * fast-check arbitraries for ClientHello builder options that vary what a hello looks like
 * (suites, groups, key shares, versions, extension order, GREASE, padding, record
 * fragmentation) while keeping it a hello that a server with an ECDSA P-256 certificate can
 * accept once it has the right SNI.
 */
import { fc } from '@fast-check/vitest';
import type { ClientHelloOptions } from '../../src/builder/client-hello.ts';

export const TLS13_SUITES = [
  'TLS_AES_128_GCM_SHA256',
  'TLS_AES_256_GCM_SHA384',
  'TLS_CHACHA20_POLY1305_SHA256',
];
/** ECDHE-ECDSA AEAD suites: Caddy's default TLS 1.2 list has only AEAD suites. */
export const ECDHE_ECDSA_SUITES = [
  'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256',
];
/** CBC suites: offered as extras, which some servers (Caddy) ignore. */
export const ECDHE_ECDSA_CBC_SUITES = [
  'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA',
  'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA',
];
/** Suites a server can only use with an RSA certificate. */
export const RSA_AUTH_SUITES = [
  'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
  'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA',
  'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA',
  'TLS_RSA_WITH_AES_128_GCM_SHA256',
  'TLS_RSA_WITH_AES_256_GCM_SHA384',
  'TLS_RSA_WITH_AES_128_CBC_SHA',
  'TLS_RSA_WITH_AES_256_CBC_SHA',
];
/** Groups every peer here accepts by default (Caddy 2.6's default curves are only these two). */
export const COMMON_GROUPS = ['x25519', 'secp256r1'];
/** Groups offered as extras: OpenSSL accepts them, Caddy ignores them by default. */
export const EXTRA_GROUPS = ['secp384r1', 'secp521r1'];

/** A non-empty subset of `items` in random order. */
export function someOf<T>(items: readonly T[]): fc.Arbitrary<T[]> {
  return fc.shuffledSubarray([...items], { minLength: 1 });
}

/** Builder options for a varied hello without SNI that an ECDSA-certificate server can complete. */
export const variedHello: fc.Arbitrary<ClientHelloOptions> = fc
  .record({
    tls: fc.constantFrom<'1.2' | '1.3' | 'both'>('1.2', '1.3', 'both'),
    tls13: someOf(TLS13_SUITES),
    ecdsa: someOf(ECDHE_ECDSA_SUITES),
    extra: fc.shuffledSubarray([...RSA_AUTH_SUITES, ...ECDHE_ECDSA_CBC_SUITES]),
    groups: fc
      .tuple(someOf(COMMON_GROUPS), fc.subarray(EXTRA_GROUPS))
      .chain(([common, extra]) =>
        fc.shuffledSubarray([...common, ...extra], { minLength: common.length + extra.length }),
      ),
    // key shares: a subset of the groups, possibly none (then a TLS 1.3 server sends a HelloRetryRequest)
    shareMask: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
    grease: fc.boolean(),
    echGrease: fc.boolean(),
    permuteExtensions: fc.boolean(),
    padding: fc.oneof(
      fc.constant<'boringssl'>('boringssl'),
      fc.constant<false>(false),
      fc.integer({ min: 1100, max: 1600 }),
    ),
    fragment: fc.integer({ min: 1, max: 4 }),
    seed: fc.integer(),
  })
  .map((v) => {
    const keyShares = v.groups.filter((_, i) => v.shareMask[i]);
    const groups = v.groups;
    const suites = v.tls === '1.2' ? [...v.ecdsa, ...v.extra] : [...v.tls13, ...v.ecdsa, ...v.extra];
    const options: ClientHelloOptions = {
      ...(v.tls === 'both' ? {} : { tls: v.tls }),
      cipherSuites: suites,
      groups,
      keyShares,
      grease: v.grease,
      echGrease: v.echGrease,
      permuteExtensions: v.permuteExtensions,
      padding: v.padding,
      fragment: v.fragment,
      seed: v.seed,
      alpn: null,
    };
    return options;
  });
