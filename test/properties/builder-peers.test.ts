/**
 * Property: every hello the builder makes from the CLI's hello flags (preset, tls, ciphers,
 * groups, key-shares, sigalgs, alpn, grease, pad, fragment; no forging options), drawn from
 * the IANA tables, is one a strict real server negotiates over: the answer is a ServerHello
 * (after a HelloRetryRequest the probe answers), or a refusal for a reason a client can
 * negotiate — handshake_failure (40), protocol_version (70), insufficient_security (71) —
 * never illegal_parameter (47), decode_error (50) or unexpected_message (10), which would
 * mean the hello itself is malformed or self-contradictory.
 *
 * The peers: `openssl s_server` in three configurations with random `-groups`,
 * `-ciphersuites`, `-cipher` and versions (started once, reused by every run), GnuTLS,
 * Caddy (Go crypto/tls) and Node, each with an ECDSA P-256 certificate for NAME.
 */
import { fc } from '@fast-check/vitest';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type BuiltClientHello, clientHello } from '../../src/builder/client-hello.ts';
import { PRESET_NAMES } from '../../src/builder/presets/index.ts';
import type { Flags } from '../../src/cli/args.ts';
import { helloOptionsFromFlags } from '../../src/cli/hello-flags.ts';
import { isSupportedKeyShareGroup } from '../../src/crypto/key-share.ts';
import { CIPHER_SUITES, type CipherSuiteInfo } from '../../src/iana/cipher-suites.ts';
import { NAMED_GROUPS } from '../../src/iana/groups.ts';
import { SIGNATURE_SCHEMES } from '../../src/iana/signature-schemes.ts';
import { validateClientHello } from '../../src/lint/index.ts';
import { probe } from '../../src/node/index.ts';
import type { ProbeResult } from '../../src/node/probe-types.ts';
import { describePeer, type Peer, type PeerOptions, startPeer, stopAll } from '../peers/index.ts';

const NAME = 'hellokit.test';
const RUNS = 200;
/** fast-check seed for the server configurations and every run (printed on failure). */
const SEED = Number(process.env.HELLOKIT_PROPERTY_SEED ?? Date.now() % 2 ** 31);

// --- client side: the CLI's hello flags, values from the IANA tables -----------------------

/** Suites a client could sensibly offer: assigned, not signalling, ECDHE/DHE/RSA key exchange
 * with RSA or ECDSA authentication (or TLS 1.3's), AEAD or SHA-family MACs. */
const SUITES = (CIPHER_SUITES as readonly CipherSuiteInfo[]).filter(
  (s) =>
    s.iana &&
    !s.scsv &&
    ['ECDHE', 'DHE', 'RSA', 'any'].includes(s.keyExchange) &&
    ['ECDSA', 'RSA', 'any'].includes(s.authentication) &&
    (s.aead || ['SHA', 'SHA256', 'SHA384'].includes(s.mac)),
);
/** What real servers pick from, so most runs reach a ServerHello. */
const COMMON_SUITES = SUITES.filter((s) =>
  /^TLS_(AES_\d+_GCM|CHACHA20|ECDHE_(ECDSA|RSA)_WITH_(AES_\d+_GCM|CHACHA20|AES_\d+_CBC_SHA$))/.test(s.name),
);
const fits = (s: CipherSuiteInfo, v: number) => s.minVersion <= v && v <= s.maxVersion;

/** Groups hellokit can make a key share for (no ffdhe above 3072 bits: slow, and nothing new). */
const GROUPS: string[] = NAMED_GROUPS.filter(
  (g) => g.iana && isSupportedKeyShareGroup(g.code) && !/^ffdhe(4096|6144|8192)$/.test(g.name),
).map((g) => g.name);
const CLASSIC = ['x25519', 'secp256r1', 'secp384r1'];

const SCHEMES = SIGNATURE_SCHEMES.filter((s) => s.iana);
const MODERN_SCHEMES = SCHEMES.filter((s) => !s.legacy).map((s) => s.name);

const csv = (xs: readonly string[]) => xs.join(',');

/** CLI hello flags that build a coherent hello (a contradiction would be a usage error). */
const helloFlags: fc.Arbitrary<Flags> = fc
  .record({
    preset: fc.option(fc.constantFrom(...PRESET_NAMES), { nil: undefined, freq: 3 }),
    tls: fc.constantFrom<'1.2' | '1.3' | undefined>(undefined, '1.2', '1.3'),
    common: fc.shuffledSubarray(
      COMMON_SUITES.map((s) => s.name),
      { minLength: 1 },
    ),
    others: fc.shuffledSubarray(
      SUITES.map((s) => s.name),
      { maxLength: 4 },
    ),
    setCiphers: fc.boolean(),
    groups: fc.option(
      fc.tuple(fc.shuffledSubarray(GROUPS, { minLength: 1, maxLength: 5 }), fc.constantFrom(...CLASSIC)),
      { nil: undefined },
    ),
    keyShareMask: fc.option(fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }), { nil: undefined }),
    sigalgs: fc.option(
      fc.tuple(
        // Mostly the scheme the peers' P-256 certificate signs with, so most runs can succeed.
        fc.oneof(
          { weight: 4, arbitrary: fc.constant('ecdsa_secp256r1_sha256') },
          { weight: 1, arbitrary: fc.constantFrom(...MODERN_SCHEMES) },
        ),
        fc.shuffledSubarray(
          SCHEMES.map((s) => s.name),
          { maxLength: 6 },
        ),
      ),
      { nil: undefined },
    ),
    alpn: fc.option(fc.constantFrom('', 'h2', 'http/1.1', 'h2,http/1.1', 'http/1.1,h2'), { nil: undefined }),
    grease: fc.boolean(),
    pad: fc.option(
      fc.oneof(fc.constantFrom('boringssl', 'none'), fc.integer({ min: 7000, max: 8000 }).map(String)),
      {
        nil: undefined,
      },
    ),
    fragment: fc.option(fc.integer({ min: 1, max: 4 }).map(String), { nil: undefined }),
    seed: fc.integer().map(String),
  })
  .map((r) => {
    const flags: Record<string, string | boolean> = { sni: NAME, seed: r.seed };
    // A TLS 1.2-only capture has no TLS 1.3 suites or key shares to offer.
    const tls = r.preset === 'openssl-tls12' && r.tls === '1.3' ? undefined : r.tls;
    if (r.preset) flags.preset = r.preset;
    if (tls) flags.tls = tls;
    if (r.setCiphers || tls !== undefined) {
      const v = tls === '1.3' ? 0x0304 : 0x0303;
      const suites = [...r.common, ...r.others.filter((s) => !r.common.includes(s))];
      // The version asked for needs a suite it can negotiate (else the builder refuses).
      if (!suites.some((n) => fits(SUITES.find((s) => s.name === n)!, v)))
        suites.push(tls === '1.3' ? 'TLS_AES_128_GCM_SHA256' : 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256');
      flags.ciphers = csv(suites);
    }
    if (r.groups) {
      const [picked, classic] = r.groups;
      const groups = picked.includes(classic) ? picked : [...picked, classic];
      flags.groups = csv(groups);
      // Explicit key shares: a subsequence of the groups, in their order (RFC 8446 §4.2.8).
      if (r.keyShareMask) flags['key-shares'] = csv(groups.filter((_, i) => r.keyShareMask![i]));
    }
    if (r.sigalgs) flags.sigalgs = csv([...new Set([r.sigalgs[0], ...r.sigalgs[1]])]);
    if (r.alpn !== undefined) flags.alpn = r.alpn;
    if (r.grease) flags.grease = true;
    if (r.pad !== undefined) flags.pad = r.pad;
    if (r.fragment !== undefined) flags.fragment = r.fragment;
    // --key-shares '' is not a flag value; an empty mask means "follow the groups".
    if (flags['key-shares'] === '') delete flags['key-shares'];
    return flags as Flags;
  });

// --- the oracle ----------------------------------------------------------------------------

/** Refusals a client can negotiate its way out of (RFC 8446 §6.2, RFC 5246 §7.2.2). */
const NEGOTIABLE = new Set([40, 70, 71]);

function verdict(r: ProbeResult): string | null {
  if (r.outcome === 'server_hello') return null;
  if (r.outcome === 'alert' && r.alert && NEGOTIABLE.has(r.alert.description)) return null;
  const alert = r.alert ? ` alert ${r.alert.name} (${r.alert.description})` : '';
  const hrr = r.helloRetryRequest ? ' after a HelloRetryRequest' : '';
  return `${r.outcome}${alert}${hrr}: ${r.conclusion}`;
}

function flagLine(flags: Flags): string {
  return Object.entries(flags)
    .map(([k, v]) => (v === true ? `--${k}` : `--${k} ${JSON.stringify(v)}`))
    .join(' ');
}

/**
 * Runs the property against a peer; `minServerHellos` keeps it from passing on refusals alone
 * (restrictive random server configurations refuse more, so they get a lower bar).
 */
async function checkAgainst(
  target: () => string,
  runs: number,
  minServerHellos: number,
  pickTarget?: (i: number) => string,
) {
  let serverHellos = 0;
  let retries = 0;
  await fc.assert(
    fc.asyncProperty(helloFlags, fc.nat(), async (flags, pick) => {
      let hello: BuiltClientHello;
      try {
        hello = clientHello(helloOptionsFromFlags('probe', flags));
      } catch (e) {
        throw new Error(`the builder refused coherent flags ${flagLine(flags)}: ${(e as Error).message}`);
      }
      expect(hello.forged, flagLine(flags)).toEqual([]);
      // The hello lints clean: no problem of severity 'error'.
      const lintErrors = validateClientHello(hello).filter((p) => p.severity === 'error');
      expect(
        lintErrors.map((p) => `${p.rule} ${p.path}`),
        flagLine(flags),
      ).toEqual([]);
      const where = pickTarget ? pickTarget(pick) : target();
      const r = await probe(where, { hello, timeoutMs: 10_000, idleTimeoutMs: 8000 });
      const bad = verdict(r);
      if (bad !== null) throw new Error(`${where} ${flagLine(flags)} → ${bad}`);
      if (r.outcome === 'server_hello') serverHellos++;
      if (r.helloRetryRequest) retries++;
    }),
    { numRuns: runs, seed: SEED, endOnFailure: true, includeErrorInReport: true },
  );
  // The property must exercise both paths, not only refusals.
  expect(serverHellos, `ServerHellos in ${runs} runs (seed ${SEED})`).toBeGreaterThanOrEqual(minServerHellos);
  return { serverHellos, retries };
}

// --- the peers -----------------------------------------------------------------------------

const TLS13 = ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256'];
const TLS12_ECDSA = [
  'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256',
  'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA',
];
const SERVER_GROUPS = ['x25519', 'secp256r1', 'secp384r1', 'secp521r1', 'x448', 'ffdhe2048'];

/** Three random s_server configurations, fixed by SEED. */
const OPENSSL_CONFIGS: PeerOptions[] = fc.sample(
  fc.record({
    // Random groups around one classic group, so every configuration can complete a handshake.
    groups: fc
      .tuple(fc.constantFrom(...CLASSIC), fc.shuffledSubarray(SERVER_GROUPS))
      .map(([classic, more]) => [...new Set([...more, classic])]),
    ciphers: fc
      .tuple(fc.shuffledSubarray(TLS13, { minLength: 1 }), fc.shuffledSubarray(TLS12_ECDSA, { minLength: 1 }))
      .map(([a, b]) => [...a, ...b]),
    versions: fc.constantFrom<PeerOptions['versions']>(['TLS1.2', 'TLS1.3'], ['TLS1.3'], ['TLS1.2']),
  }),
  { numRuns: 3, seed: SEED },
);

afterAll(stopAll);

describe.concurrent(`builder hellos against strict peers (seed ${SEED})`, () => {
  describePeer('openssl', () => {
    const servers: Peer[] = [];
    beforeAll(async () => {
      for (const config of OPENSSL_CONFIGS)
        servers.push(await startPeer('openssl', { names: [NAME], ...config }));
    });
    test(`openssl s_server, three random configurations: ${RUNS} runs`, async () => {
      const at = (i: number) => `${servers[i % 3].host}:${servers[i % 3].port}`;
      try {
        await checkAgainst(() => at(0), RUNS, RUNS / 10, at);
      } catch (e) {
        const configs = OPENSSL_CONFIGS.map((c, i) => `${at(i)} ${JSON.stringify(c)}`).join('\n');
        throw new Error(`${(e as Error).message}\ns_server configurations:\n${configs}`);
      }
    }, 240_000);
  });

  for (const kind of ['gnutls', 'caddy', 'node'] as const) {
    describePeer(kind, () => {
      test(`${kind}: ${RUNS} runs`, async () => {
        const peer = await startPeer(kind, { names: [NAME] });
        await checkAgainst(() => `${peer.host}:${peer.port}`, RUNS, RUNS / 5);
      }, 240_000);
    });
  }
});

describePeer('openssl', () => {
  test('the issue 12 case: --groups x25519,secp384r1 against s_server -groups P-384 gets a HelloRetryRequest and a handshake', async () => {
    const peer = await startPeer('openssl', { names: [NAME], groups: ['P-384'] });
    const hello = clientHello(helloOptionsFromFlags('probe', { sni: NAME, groups: 'x25519,secp384r1' }));
    const r = await probe(`${peer.host}:${peer.port}`, { hello, timeoutMs: 10_000 });
    expect(r.outcome, r.conclusion).toBe('server_hello');
    expect(r.helloRetryRequest?.selectedGroupName).toBe('secp384r1');
    expect(r.serverHello?.groupName).toBe('secp384r1');
    expect(r.finishedVerified).toBe(true);
  });
});
