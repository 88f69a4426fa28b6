/**
 * The truth about one server, settled with `openssl s_client` one hello at a time: versions,
 * suites per version by elimination, whose order decides, TLS 1.2 curves (alone and next to
 * the certificate's curve), TLS 1.3 groups, every certificate per version × authentication ×
 * SNI, and how the server answers without SNI, with an unknown name, with h2 or http/1.1
 * alone and with unknown ALPN.
 */
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { cipherSuiteName, groupName, lookupCipherSuite, lookupGroup } from '../../src/iana/lookup.ts';
import type { Answer, OrderKind, ServerTruth, TruthCertificate } from '../../test/matrix/truth.ts';

/** What one s_client run showed. */
export interface SClientRun {
  readonly answer: Answer;
  /** `TLSv1.3`, … when the handshake completed. */
  readonly protocol?: string;
  /** IANA code of the suite. */
  readonly suite?: number;
  /** IANA name of the key exchange group (`Server Temp Key`), or `DH-2048` for TLS 1.2 DHE. */
  readonly tempKey?: string;
  /**
   * The named curve of a TLS 1.2 ServerKeyExchange (read from `-msg`), also when s_client then
   * gave up by itself: OpenSSL as a client refuses a server's ECDSA certificate on a curve the
   * client did not offer (`wrong curve`), after the server has accepted the hello.
   */
  readonly serverKeyExchangeCurve?: string;
  readonly alpn: string | null;
  /** PEM of every certificate the server sent (with `-showcerts`). */
  readonly chain: readonly string[];
}

const DAY_MS = 86_400_000;
/** diagnose's expiry warning threshold (src/diagnose/certificates.ts). */
const EXPIRING_DAYS = 14;

const VERSION_FLAGS: readonly [string, string][] = [
  ['TLS 1.3', '-tls1_3'],
  ['TLS 1.2', '-tls1_2'],
  ['TLS 1.1', '-tls1_1'],
  ['TLS 1.0', '-tls1'],
];

/** TLS 1.2 curves OpenSSL 3.0 can offer, OpenSSL spelling. */
const TLS12_CURVES = [
  'X25519',
  'X448',
  'P-256',
  'P-384',
  'P-521',
  'brainpoolP256r1',
  'brainpoolP384r1',
  'brainpoolP512r1',
];
/** TLS 1.3 groups OpenSSL 3.0 can offer. */
const TLS13_GROUPS = [
  'X25519',
  'X448',
  'P-256',
  'P-384',
  'P-521',
  'ffdhe2048',
  'ffdhe3072',
  'ffdhe4096',
  'ffdhe6144',
  'ffdhe8192',
];
const TLS13_SUITES = [
  'TLS_AES_128_GCM_SHA256',
  'TLS_AES_256_GCM_SHA384',
  'TLS_CHACHA20_POLY1305_SHA256',
  'TLS_AES_128_CCM_SHA256',
  'TLS_AES_128_CCM_8_SHA256',
];
const CHACHA = new Set([0x1303, 0xcca8, 0xcca9, 0xccaa]);
const AUTH: readonly { name: string; sigalgs: string; cipher: string }[] = [
  {
    name: 'ECDSA',
    sigalgs: 'ECDSA+SHA256:ECDSA+SHA384:ECDSA+SHA512:ed25519:ed448',
    cipher: 'aECDSA:@SECLEVEL=0',
  },
  {
    name: 'RSA',
    sigalgs: 'rsa_pss_rsae_sha256:rsa_pss_rsae_sha384:rsa_pss_pss_sha256:RSA+SHA256:RSA+SHA384:RSA+SHA1',
    cipher: 'aRSA:@SECLEVEL=0',
  },
];

/** Every TLS ≤ 1.2 suite this OpenSSL knows, by OpenSSL name. */
function tls12CipherNames(): Promise<string[]> {
  return new Promise((resolve, reject) =>
    execFile('openssl', ['ciphers', '-tls1_2', 'ALL:COMPLEMENTOFALL:@SECLEVEL=0'], (error, stdout) =>
      error
        ? reject(error)
        : resolve(
            stdout
              .trim()
              .split(':')
              .filter((n) => !n.startsWith('TLS_')),
          ),
    ),
  );
}

/** A target and SNI: the flags every run shares. */
export interface Target {
  readonly host: string;
  readonly port: number;
  readonly serverName: string;
}

/**
 * One `openssl s_client` handshake with `args` (no SNI flag in `args`: `sni` says which:
 * the target's name, none, or another name). Never verifies; ends after the handshake.
 */
export function sClient(target: Target, args: readonly string[], sni: string | null = target.serverName) {
  const sniArgs = sni === null ? ['-noservername'] : ['-servername', sni];
  // Every TLS 1.3 suite unless the run picks its own: a server with only the AES-CCM suites
  // (which s_client leaves out by default) still speaks TLS 1.3.
  const suites = args.includes('-ciphersuites') ? [] : ['-ciphersuites', TLS13_SUITES.join(':')];
  return new Promise<SClientRun>((resolve) => {
    const child = execFile(
      'openssl',
      ['s_client', '-connect', `${target.host}:${target.port}`, ...sniArgs, '-showcerts', ...suites, ...args],
      { timeout: 10_000, maxBuffer: 1 << 22 },
      (_error, stdout, stderr) => resolve(parseRun(stdout, stderr)),
    );
    child.stdin?.end();
  });
}

function parseRun(stdout: string, stderr: string): SClientRun {
  const alert = /SSL alert number (\d+)/.exec(stderr);
  const cipher = /Cipher is (\S+)/.exec(stdout);
  const done = cipher && cipher[1] !== '(NONE)';
  const chain = [...stdout.matchAll(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g)].map(
    (m) => `${m[0]}\n`,
  );
  const alpn = /ALPN protocol: (\S+)/.exec(stdout)?.[1] ?? null;
  // `<<< TLS 1.2, Handshake [length …], ServerKeyExchange` then `0c LL LL LL 03 GG GG`: named_curve GG GG.
  const ske =
    /ServerKeyExchange\s*\n\s*0c [0-9a-f]{2} [0-9a-f]{2} [0-9a-f]{2} 03 ([0-9a-f]{2}) ([0-9a-f]{2})/.exec(
      stdout,
    );
  const serverKeyExchangeCurve = ske ? groupName(Number.parseInt(ske[1] + ske[2], 16)) : undefined;
  const curve = serverKeyExchangeCurve ? { serverKeyExchangeCurve } : {};
  if (!done || alert) {
    return { answer: alert ? `alert ${Number(alert[1])}` : 'closed', alpn, chain, ...curve };
  }
  return {
    answer: 'handshake',
    protocol: /New, (TLSv[\d.]+),/.exec(stdout)?.[1],
    suite: lookupCipherSuite(cipher[1]),
    tempKey: tempKey(stdout),
    alpn,
    chain,
    ...curve,
  };
}

/** `Server Temp Key: X25519, 253 bits` / `ECDH, prime256v1, 256 bits` / `DH, 2048 bits`. */
function tempKey(stdout: string): string | undefined {
  const line = /Server Temp Key: ([^\n]+)/.exec(stdout)?.[1];
  if (!line) return undefined;
  const parts = line.split(',').map((p) => p.trim());
  if (parts[0] === 'ECDH') return groupName(lookupGroup(parts[1]));
  if (parts[0] === 'DH') {
    const named = parts.find((p) => /^ffdhe\d+$/.test(p));
    return named ?? `DH-${Number.parseInt(parts[parts.length - 1], 10)}`;
  }
  return groupName(lookupGroup(parts[0]));
}

/** TLS ≤ 1.2 suites by code, OpenSSL spelling (filled once from `openssl ciphers`). */
const openssl12 = new Map<number, string>();
/** A suite as s_client's `-cipher`/`-ciphersuites` take it (TLS 1.3 suites keep their IANA name). */
const opensslName = (code: number): string => openssl12.get(code) ?? cipherSuiteName(code);

/** Settles everything {@link ServerTruth} holds about `target`. */
export async function settle(target: Target, collectedAt: number): Promise<ServerTruth> {
  if (openssl12.size === 0) for (const n of await tls12CipherNames()) openssl12.set(lookupCipherSuite(n), n);
  const all12 = [...openssl12.values()].join(':');
  const versionArgs = (version: string, suites?: readonly number[]): string[] => {
    if (version === 'TLS 1.3') {
      const list = suites ? suites.map(opensslName).join(':') : TLS13_SUITES.join(':');
      return ['-tls1_3', '-ciphersuites', list];
    }
    const flag = VERSION_FLAGS.find(([v]) => v === version)?.[1] ?? '-tls1_2';
    const list = suites ? suites.map(opensslName).join(':') : all12;
    return [flag, '-cipher', `${list}:@SECLEVEL=0`];
  };
  const pick = async (
    version: string,
    suites: readonly number[],
    sigalgs: readonly string[] = [],
  ): Promise<number | null> => {
    const r = await sClient(target, [...versionArgs(version, suites), ...sigalgs]);
    return r.answer === 'handshake' && r.suite !== undefined && suites.includes(r.suite) ? r.suite : null;
  };
  /** Every suite of `candidates` the server picks, one elimination round at a time. */
  const eliminate = async (
    version: string,
    candidates: readonly number[],
    sigalgs: readonly string[] = [],
  ) => {
    const left = [...candidates];
    const accepted: number[] = [];
    for (;;) {
      const s = await pick(version, left, sigalgs);
      if (s === null) return accepted;
      accepted.push(s);
      left.splice(left.indexOf(s), 1);
    }
  };

  const versions: string[] = [];
  for (const [version] of VERSION_FLAGS)
    if ((await sClient(target, versionArgs(version))).answer === 'handshake') versions.push(version);

  const suites: Record<string, number[]> = {};
  const order: Record<string, OrderKind> = {};
  const serverPreference: Record<string, number[]> = {};
  for (const version of versions) {
    const candidates =
      version === 'TLS 1.3' ? TLS13_SUITES.map((n) => lookupCipherSuite(n)) : [...openssl12.keys()];
    // A server with an ECDSA and an RSA certificate may pick the certificate by the client's
    // signature algorithms (HAProxy does) and then refuse every suite of the other kind: in
    // TLS 1.2 the suites are also eliminated with ECDSA-only and RSA-only signature algorithms.
    const rounds = await Promise.all([
      eliminate(version, candidates),
      ...(version === 'TLS 1.3'
        ? []
        : AUTH.map((a) => eliminate(version, candidates, ['-sigalgs', a.sigalgs]))),
    ]);
    const accepted = [...new Set(rounds.flat())];
    suites[version] = [...accepted].sort((a, b) => a - b);
    if (accepted.length >= 2) {
      const settled = await orderOf(version, suites[version], pick);
      order[version] = settled.kind;
      if (settled.preference) serverPreference[version] = settled.preference;
    }
  }

  const tls12 = versions.includes('TLS 1.2');
  const tls12Curves: string[] = [];
  const needingCompany: string[] = [];
  const undecided: string[] = [];
  if (tls12) {
    const ecdhe = ['-tls1_2', '-cipher', 'ECDHE:@SECLEVEL=0', '-msg'];
    const refusedAlone: string[] = [];
    for (const curve of TLS12_CURVES) {
      const name = groupName(lookupGroup(curve));
      const alone = await sClient(target, [...ecdhe, '-curves', curve]);
      if (alone.serverKeyExchangeCurve === name) tls12Curves.push(name);
      else refusedAlone.push(curve);
    }
    // The companion is the certificate's curve: the one curve an ECDSA-only OpenSSL server
    // takes alone (P-256 when it takes several, or none).
    const companion = tls12Curves.includes('secp256r1')
      ? 'P-256'
      : (TLS12_CURVES.find((c) => tls12Curves.includes(groupName(lookupGroup(c)))) ?? 'P-256');
    const companionName = groupName(lookupGroup(companion));
    for (const curve of refusedAlone) {
      if (curve === companion) continue;
      const name = groupName(lookupGroup(curve));
      const withCompanion = await sClient(target, [...ecdhe, '-curves', `${curve}:${companion}`]);
      if (withCompanion.answer !== 'handshake') continue;
      if (withCompanion.serverKeyExchangeCurve === name) {
        tls12Curves.push(name);
        needingCompany.push(name);
      } else if (withCompanion.serverKeyExchangeCurve === companionName) {
        // The server chose the companion by its own preference: whether it takes `curve` stays open.
        undecided.push(name);
      }
    }
  }
  if (undecided.length > 0 && (await curvesFollowClient(target, tls12Curves))) undecided.length = 0;
  const tls13Groups: string[] = [];
  if (versions.includes('TLS 1.3')) {
    for (const g of TLS13_GROUPS) {
      const r = await sClient(target, ['-tls1_3', '-groups', g]);
      if (r.answer === 'handshake') tls13Groups.push(groupName(lookupGroup(g)));
    }
  }
  let tls12DheBits: number | null = null;
  if (tls12) {
    const dhe = await sClient(target, ['-tls1_2', '-cipher', 'kDHE:@SECLEVEL=0']);
    const bits = /^DH-(\d+)$/.exec(dhe.tempKey ?? '')?.[1] ?? /^ffdhe(\d+)$/.exec(dhe.tempKey ?? '')?.[1];
    if (dhe.answer === 'handshake' && bits) tls12DheBits = Number(bits);
  }

  const certificates = await certificatesOf(target, versions, collectedAt);

  // s_client's own hello (TLS 1.3 and 1.2), with every TLS 1.2 and 1.3 suite; when the server refuses it
  // but takes TLS 1.2 alone, SNI and ALPN are asked with TLS 1.2 alone, so each answer is about
  // the one thing varied.
  // Every TLS 1.3 suite too (sClient adds them): a server with only the AES-CCM ones is not
  // intolerant of TLS 1.3.
  const modern = ['-cipher', `${all12}:@SECLEVEL=0`];
  const tls13Intolerant =
    versions.includes('TLS 1.2') && (await sClient(target, modern)).answer !== 'handshake';
  const base = tls13Intolerant ? ['-tls1_2', ...modern] : modern;
  const sniRun = (sni: string | null) => sClient(target, base, sni).then((r) => r.answer);
  const [withName, without, unknownName] = await Promise.all([
    sniRun(target.serverName),
    sniRun(null),
    sniRun('unknown.hellokit.invalid'),
  ]);
  const [h2, unknown, h2Alone, http1Alone] = await Promise.all(
    ['h2,http/1.1', 'hellokit-x', 'h2', 'http/1.1'].map((alpn) => sClient(target, [...base, '-alpn', alpn])),
  );
  const alone = (r: SClientRun) =>
    r.answer === 'handshake' ? (r.alpn === null ? 'ignored' : 'chosen') : r.answer;
  return {
    versions,
    suites,
    order,
    serverPreference,
    tls12Curves: tls12Curves.sort(),
    tls12CurvesNeedingCompany: needingCompany.sort(),
    tls12CurvesUndecided: undecided.sort(),
    tls13Groups: tls13Groups.sort(),
    tls12DheBits,
    certificates,
    sni: { withName, without, unknownName },
    alpn: {
      chosen: h2.answer === 'handshake' ? h2.alpn : null,
      unknownOnly:
        unknown.answer === 'handshake' ? (unknown.alpn === null ? 'ignored' : 'handshake') : unknown.answer,
      alone: { h2: alone(h2Alone), 'http/1.1': alone(http1Alone) },
    },
    tls13Intolerant,
  };
}

/**
 * Whether the server takes the client's first TLS 1.2 curve: then a companion P-256 chosen over
 * a curve means the server lacks that curve, and nothing is left undecided.
 */
async function curvesFollowClient(target: Target, accepted: readonly string[]): Promise<boolean> {
  const other = accepted.find((c) => c !== 'secp256r1');
  if (!other || !accepted.includes('secp256r1')) return false;
  const spelled = other === 'x25519' ? 'X25519' : other === 'x448' ? 'X448' : other;
  const ecdhe = ['-tls1_2', '-cipher', 'ECDHE:@SECLEVEL=0', '-msg', '-curves'];
  const [first, second] = await Promise.all([
    sClient(target, [...ecdhe, `${spelled}:P-256`]),
    sClient(target, [...ecdhe, `P-256:${spelled}`]),
  ]);
  return first.serverKeyExchangeCurve === other && second.serverKeyExchangeCurve === 'secp256r1';
}

/**
 * Whose order decides in `version`: the accepted suites offered forward and reversed. The same
 * pick both times is a server order, recovered by elimination. Different picks are a client
 * order, unless the same test without the ChaCha20 suites shows a server order and a client
 * that puts ChaCha20 first gets it (Go's crypto/tls: AES-GCM first unless the client prefers ChaCha20).
 */
async function orderOf(
  version: string,
  accepted: readonly number[],
  pick: (version: string, suites: readonly number[]) => Promise<number | null>,
): Promise<{ kind: OrderKind; preference?: number[] }> {
  const fixed = async (list: readonly number[]): Promise<boolean> => {
    if (list.length < 2) return false;
    const [a, b] = await Promise.all([pick(version, list), pick(version, [...list].reverse())]);
    return a !== null && a === b;
  };
  const eliminate = async (list: readonly number[]): Promise<number[]> => {
    const left = [...list];
    const out: number[] = [];
    while (left.length > 0) {
      const s = await pick(version, left);
      if (s === null) break;
      out.push(s);
      left.splice(left.indexOf(s), 1);
    }
    return out;
  };
  // The preference is kept only when one client could see all of it (not when a certificate
  // switch by signature algorithms hides part of the suites from each hello).
  const whole = (list: number[], of: readonly number[]) => (list.length === of.length ? list : undefined);
  if (await fixed(accepted))
    return { kind: 'server', preference: whole(await eliminate(accepted), accepted) };
  const chacha = accepted.filter((s) => CHACHA.has(s));
  const rest = accepted.filter((s) => !CHACHA.has(s));
  if (chacha.length > 0 && (await fixed(rest))) {
    // Each ChaCha20 suite first in turn: with two certificates only the one of the served kind can win.
    const firsts = await Promise.all(chacha.map((c) => pick(version, [c, ...rest])));
    if (firsts.some((picked, i) => picked === chacha[i]))
      return { kind: 'server-except-chacha20', preference: whole(await eliminate(rest), rest) };
  }
  return { kind: 'client' };
}

/** Every distinct chain: per version × authentication (ECDSA, RSA by sigalgs and suites; by suites alone below TLS 1.2) × SNI or none. */
async function certificatesOf(
  target: Target,
  versions: readonly string[],
  collectedAt: number,
): Promise<TruthCertificate[]> {
  const byLeaf = new Map<string, { chain: readonly string[]; hellos: string[] }>();
  const runs: Promise<void>[] = [];
  for (const version of versions)
    for (const auth of AUTH)
      for (const sni of [target.serverName, null]) {
        const flag = VERSION_FLAGS.find(([v]) => v === version)?.[1] ?? '-tls1_2';
        // signature_algorithms exists from TLS 1.2 on: older versions pick by suite alone.
        const args =
          version === 'TLS 1.3'
            ? [flag, '-sigalgs', auth.sigalgs]
            : version === 'TLS 1.2'
              ? [flag, '-sigalgs', auth.sigalgs, '-cipher', auth.cipher]
              : [flag, '-cipher', auth.cipher];
        runs.push(
          sClient(target, args, sni).then((r) => {
            if (r.answer !== 'handshake' || r.chain.length === 0) return;
            const leaf = new X509Certificate(r.chain[0]).fingerprint256;
            const hello = `${version} ${auth.name} ${sni === null ? 'no-SNI' : 'SNI'}`;
            const seen = byLeaf.get(leaf) ?? { chain: r.chain, hellos: [] };
            seen.hellos.push(hello);
            byLeaf.set(leaf, seen);
          }),
        );
      }
  await Promise.all(runs);
  return [...byLeaf.values()]
    .map(({ chain, hellos }) => {
      const leaf = new X509Certificate(chain[0]);
      const daysLeft = Math.floor((Date.parse(leaf.validTo) - collectedAt) / DAY_MS);
      return {
        keyType: keyType(leaf),
        subject: leaf.subject.replace(/\n/g, ', '),
        selfSigned: leaf.issuer === leaf.subject && leaf.verify(leaf.publicKey),
        status: daysLeft < 0 ? 'expired' : daysLeft < EXPIRING_DAYS ? 'expiring' : 'valid',
        daysLeft,
        chainLength: chain.length,
        hellos: hellos.sort(),
      } satisfies TruthCertificate;
    })
    .sort((a, b) => a.keyType.localeCompare(b.keyType));
}

const CURVE_KEY: Record<string, string> = {
  prime256v1: 'ecdsa-p256',
  secp384r1: 'ecdsa-p384',
  secp521r1: 'ecdsa-p521',
};

/** `ecdsa-p256`, `rsa-2048`, `ed25519`, … of a certificate's public key. */
export function keyType(cert: X509Certificate): string {
  const key = cert.publicKey;
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'ec')
    return CURVE_KEY[details.namedCurve ?? ''] ?? `ecdsa-${details.namedCurve}`;
  if (key.asymmetricKeyType === 'rsa' || key.asymmetricKeyType === 'rsa-pss')
    return `${key.asymmetricKeyType}-${details.modulusLength}`;
  return key.asymmetricKeyType ?? 'unknown';
}
