/**
 * `hellokit scan`, platform-neutral: which versions, cipher suites (in the server's order when
 * it has one), groups and certificates a server offers, found with many small probes run
 * concurrently through a {@link ScanTransport} (hellokit/node's `scanTarget` gives it sockets).
 *
 * Suites are found by elimination (offer a set, take out what the server picks, offer the
 * rest again) in several slices of the suite list at once, so the number of sequential
 * round trips is about the number of accepted suites per slice, not per version. TLS 1.2
 * curves are found by elimination too (groups.ts), the order is read by order.ts,
 * and the certificates by the platform-neutral discovery diagnose uses, with hellos built
 * from what the scan found accepted.
 */
import { isSupportedKeyShareGroup } from '../crypto/key-share.ts';
import { type CertificateChain, discoverCertificates } from '../diagnose/certificate-discovery.ts';
import { keyTypeOf } from '../diagnose/certificates.ts';
import type { ProbeSpec } from '../diagnose/types.ts';
import { CIPHER_SUITES } from '../iana/cipher-suites.ts';
import { NAMED_GROUPS } from '../iana/groups.ts';
import { cipherSuiteName, groupName, versionName } from '../iana/lookup.ts';
import { TLS10_VERSION, TLS11_VERSION, TLS12_VERSION, TLS13_VERSION } from '../iana/versions.ts';
import type { CertificateSummary } from '../probe/types.ts';
import type { ServerViolation } from '../probe/violations.ts';
import { dheGroups, ecdheCurves, type GroupNeedingCompany, type ScannedDhe } from './groups.ts';
import { serverOrder } from './order.ts';
import { CLASSIC_GROUPS, picked, ScanProber, type ScanTransport } from './prober.ts';

export type { GroupNeedingCompany, ScannedDhe } from './groups.ts';
export type { ScanTransport } from './prober.ts';

/** Options for {@link scanTarget}. */
export interface ScanOptions {
  /** SNI to send (default: the host when it is a name; none for an IP address). */
  readonly serverName?: string | null;
  /** Probes at once (default 16). */
  readonly concurrency?: number;
  /** Limit for one probe, ms (default 5 000). */
  readonly probeTimeoutMs?: number;
  /** The whole scan must end within this many ms (default 120 000). */
  readonly timeoutMs?: number;
  /** Retries of a probe that failed transiently (timeout, reset, no connection); default 2. */
  readonly retries?: number;
  /** Extra SNI names whose certificates to fetch. */
  readonly certificateNames?: readonly string[];
  /** Called after each probe, with how many ran so far. */
  readonly onProgress?: (probes: number) => void;
}

/** A suite the server accepts. */
export interface ScannedSuite {
  readonly code: number;
  readonly name: string;
}

/** What was found for one version. */
export interface ScannedVersion {
  readonly version: string;
  readonly code: number;
  readonly supported: boolean;
  /** Suites accepted, in the server's order when `serverOrder`, else in code order. */
  readonly cipherSuites: readonly ScannedSuite[];
  /** True when the server picks by its own preference; null when the answers do not tell. */
  readonly serverOrder: boolean | null;
  /** The order in words: `server order`, `client order: …`, `server order, but honours a client that prefers ChaCha20`. */
  readonly serverOrderDescription: string;
  /** Groups accepted with this version (TLS 1.3: key exchange groups; TLS 1.0–1.2: ECDHE curves). */
  readonly groups: readonly string[];
  /** TLS 1.0–1.2: curves of `groups` the server takes only when the hello offers another curve too. */
  readonly groupsNeedingCompany: readonly GroupNeedingCompany[];
  /** TLS 1.0–1.2 finite-field DHE, when a DHE suite is accepted; else null. */
  readonly dhe: ScannedDhe | null;
}

/** One hello that got a certificate chain. */
export interface ScannedHello {
  readonly probe: string;
  readonly label: string;
  readonly serverName: string | null;
  readonly version: string;
  readonly cipherSuite: string;
}

/** One distinct certificate chain (by its leaf's SHA-256) and every hello that got it. */
export interface ScannedCertificates {
  /** `RSA 2048`, `EC P-256`, `Ed25519`, ... */
  readonly keyType: string;
  readonly certificates: readonly CertificateSummary[];
  readonly hellos: readonly ScannedHello[];
}

/** What {@link scanTarget} (and {@link scan}) found. */
export interface ScanResult {
  readonly target: string;
  /** The address the scan's first connection went to (hellokit/node's `ConnectedTarget.ip`); null when not known. */
  readonly ip: string | null;
  readonly serverName: string | null;
  readonly versions: readonly ScannedVersion[];
  readonly certificates: readonly ScannedCertificates[];
  /** Probes sent, retries included. */
  readonly probes: number;
  readonly retries: number;
  /** Probes that still failed transiently after their retries (their answers count as refusals). */
  readonly transientFailures: number;
  /**
   * The server's RFC violations (`ProbeResult.violations`), one per rule with the number of
   * answers that had it; such answers count as refusals, never as support.
   */
  readonly violations: readonly (ServerViolation & { readonly answers: number })[];
  /**
   * Set when a certificate probe (which reads the whole flight) got a CertificateRequest: the
   * server asks for a client certificate (mutual TLS). The CA names and signature schemes it
   * asks for; whether a client without one gets in is `hellokit diagnose`'s `client_certificate`.
   */
  readonly clientCertificate?: {
    readonly certificateAuthorities: readonly string[];
    readonly signatureAlgorithms: readonly string[];
  };
  readonly elapsedMs: number;
  /** Set when the server could not be reached at all. */
  readonly error?: string;
}

/** The versions a scan asks about, newest first. */
const VERSIONS: readonly number[] = [TLS13_VERSION, TLS12_VERSION, TLS11_VERSION, TLS10_VERSION];

const SCSV = new Set([0x00ff, 0x5600]);

const candidateCache = new Map<number, readonly number[]>();

/** The suites worth offering for a version: every registered suite valid in it (computed once). */
function candidateSuites(version: number): readonly number[] {
  let list = candidateCache.get(version);
  if (!list) {
    list = registeredSuites(version);
    candidateCache.set(version, list);
  }
  return list;
}

function registeredSuites(version: number): number[] {
  if (version === 0x0304) return CIPHER_SUITES.filter((s) => s.code >> 8 === 0x13).map((s) => s.code);
  return CIPHER_SUITES.filter(
    (s) =>
      !SCSV.has(s.code) &&
      s.code >> 8 !== 0x13 &&
      s.code !== 0 &&
      s.minVersion <= version &&
      s.maxVersion >= version &&
      s.code <= 0xffff,
  ).map((s) => s.code);
}

/** TLS 1.3 groups worth trying: every registered group but the old binary and small curves, no GREASE. */
const TLS13_GROUPS: readonly number[] = NAMED_GROUPS.filter((g) => g.kind !== 'ecdhe' || g.code >= 0x0017)
  .map((g) => g.code)
  .filter((c) => (c & 0x0f0f) !== 0x0a0a);

/** The key share a certificate hello sends in TLS 1.3: the first of these the server takes. */
const KEY_SHARE_PREFERENCE = [0x001d, 0x0017, 0x0018, 0x0019, 0x001e];

/** What one version's questions found, with the codes the certificate hellos are built from. */
interface VersionScan {
  readonly result: ScannedVersion;
  /** The chains found with hellos of this version, per SNI asked (the scan's, then the extra names). */
  readonly certificates: readonly CertificateChain[][];
}

/**
 * The hello the server accepted in `version`, as the certificate discovery starts from: its
 * accepted suites and groups (TLS 1.3: one key share the server takes and hellokit can compute).
 */
function acceptedSpec(
  version: number,
  suites: readonly number[],
  groups: readonly number[],
  serverName: string | null,
): ProbeSpec | null {
  const base = {
    id: `accepted.${version.toString(16)}`,
    label: `${versionName(version)} as accepted`,
    serverName,
  };
  if (version === 0x0304) {
    const share =
      KEY_SHARE_PREFERENCE.find((g) => groups.includes(g)) ?? groups.find((g) => isSupportedKeyShareGroup(g));
    if (share === undefined) return null;
    return { ...base, versions: [version], cipherSuites: suites, groups: [share], keyShareGroups: [share] };
  }
  return {
    ...base,
    versions: [version],
    cipherSuites: suites,
    groups: groups.length > 0 ? groups : CLASSIC_GROUPS,
  };
}

/** The chains of several discoveries as one list, each chain once with every hello that got it. */
function mergeChains(lists: readonly CertificateChain[][]): CertificateChain[] {
  const byLeaf = new Map<
    string,
    { certificates: CertificateChain['certificates']; hellos: CertificateChain['hellos'][number][] }
  >();
  for (const chain of lists.flat()) {
    const key = chain.certificates[0]?.sha256 ?? chain.certificates[0]?.subject ?? '';
    const known = byLeaf.get(key);
    if (!known) byLeaf.set(key, { certificates: chain.certificates, hellos: [...chain.hellos] });
    else
      for (const h of chain.hellos) if (!known.hellos.some((k) => k.probe === h.probe)) known.hellos.push(h);
  }
  return [...byLeaf.values()];
}

/** Who {@link scan} scans: `host:port` as the result shows it, and the SNI its hellos send. */
export interface ScanSubject {
  readonly target: string;
  readonly serverName: string | null;
}

/**
 * Scans the server behind `transport`: versions, suites per version with the server's order,
 * groups per version (TLS 1.2 curves with the ones that need company, DHE parameters) and every
 * certificate chain with the hellos that got it.
 * @example const r = await scan(transport, { target: '127.0.0.1:8443', serverName: 'hellokit.test' });
 */
export async function scan(
  transport: ScanTransport,
  subject: ScanSubject,
  options: Omit<ScanOptions, 'serverName'> = {},
): Promise<ScanResult> {
  const started = Date.now();
  const { serverName } = subject;
  const prober = new ScanProber(transport, {
    serverName,
    concurrency: options.concurrency ?? 16,
    probeTimeoutMs: options.probeTimeoutMs ?? 5_000,
    timeoutMs: options.timeoutMs ?? 120_000,
    retries: options.retries ?? 2,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  const counts = () => ({
    probes: prober.probes,
    retries: prober.retries,
    transientFailures: prober.transientFailures,
    violations: [...prober.violations.values()],
  });

  // Reachability first: one modern hello; when nothing answers, stop.
  const first = await prober.serverHello(prober.hello(0x0304, candidateSuites(0x0304)));
  if (first.outcome === 'connect_failed' || first.outcome === 'not_tls') {
    return {
      target: subject.target,
      ip: first.target.ip ?? null,
      serverName,
      versions: [],
      certificates: [],
      ...counts(),
      elapsedMs: Date.now() - started,
      error:
        first.outcome === 'not_tls'
          ? `not TLS: ${first.notTls?.reason ?? ''}`
          : (first.error ?? 'no connection'),
    };
  }

  /** Every suite of `candidates` the server accepts in `version`, by elimination in `slices` slices. */
  const enumerate = async (
    version: number,
    candidates: readonly number[],
    slices: number,
  ): Promise<number[]> => {
    const size = Math.ceil(candidates.length / slices);
    const parts = Array.from({ length: slices }, (_, i) => candidates.slice(i * size, (i + 1) * size)).filter(
      (p) => p.length > 0,
    );
    const found = await Promise.all(
      parts.map(async (part) => {
        const left = [...part];
        const got: number[] = [];
        while (left.length > 0) {
          const s = picked(await prober.serverHello(prober.hello(version, left)), version);
          if (s === null || !left.includes(s)) break;
          got.push(s);
          left.splice(left.indexOf(s), 1);
        }
        return got;
      }),
    );
    return found.flat().sort((a, b) => a - b);
  };

  /** TLS 1.3: one group in supported_groups, an empty key_share; a server that has it asks for it. */
  const tls13Groups = async (): Promise<number[]> => {
    const results = await Promise.all(
      TLS13_GROUPS.map(async (g) => {
        const r = await prober.serverHello(prober.hello(0x0304, candidateSuites(0x0304), [g], []));
        const chosen = r.helloRetryRequest?.selectedGroup ?? r.serverHello?.group ?? null;
        return chosen === g ? g : null;
      }),
    );
    return results.filter((g): g is number => g !== null);
  };

  const probeAll = prober.probeFunction();
  let clientCertificate: ScanResult['clientCertificate'];
  const probe: typeof probeAll = async (spec) => {
    const answer = await probeAll(spec);
    const asked = answer.clientCertificate;
    if (asked && !clientCertificate)
      clientCertificate = {
        certificateAuthorities: asked.certificateAuthorities,
        signatureAlgorithms: asked.signatureAlgorithmNames ?? [],
      };
    return answer;
  };
  // Certificates with the scan's SNI (and without, which discovery adds), then with each extra name.
  const names = [serverName, ...(options.certificateNames ?? []).filter((n) => n !== serverName)];

  const scanVersion = async (code: number): Promise<VersionScan> => {
    const name = versionName(code);
    const candidates = candidateSuites(code);
    if (picked(await prober.serverHello(prober.hello(code, candidates)), code) === null) {
      return {
        result: {
          version: name,
          code,
          supported: false,
          cipherSuites: [],
          serverOrder: null,
          serverOrderDescription: 'not offered',
          groups: [],
          groupsNeedingCompany: [],
          dhe: null,
        },
        certificates: [],
      };
    }
    const [accepted, groups] = await Promise.all([
      enumerate(code, candidates, code === 0x0304 ? 1 : 12),
      code === 0x0304
        ? tls13Groups().then((g) => ({ groups: g, needCompany: [] }))
        : ecdheCurves(prober, code, candidates),
    ]);
    // The certificate probes of this version start now, while the order and DHE are read.
    const spec = acceptedSpec(code, accepted, groups.groups, serverName);
    const certificates = spec
      ? Promise.all(
          names.map((name) =>
            discoverCertificates(probe, { serverName: name, accepted: [{ ...spec, serverName: name }] }),
          ),
        )
      : Promise.resolve([]);
    const [order, dhe] = await Promise.all([
      serverOrder(prober, code, accepted),
      code === 0x0304 ? null : dheGroups(prober, code, accepted),
    ]);
    return {
      result: {
        version: name,
        code,
        supported: true,
        cipherSuites: order.suites.map((c) => ({ code: c, name: cipherSuiteName(c) })),
        serverOrder: order.serverOrder,
        serverOrderDescription: order.description,
        groups: groups.groups.map(groupName),
        groupsNeedingCompany: groups.needCompany,
        dhe,
      },
      certificates: await certificates,
    };
  };

  const scans = await Promise.all(VERSIONS.map(scanVersion));
  const discovered = scans.flatMap((v) => v.certificates);
  const certificates = mergeChains(discovered).map(
    (chain): ScannedCertificates => ({
      keyType: keyTypeOf(chain.certificates[0]),
      certificates: chain.certificates as readonly CertificateSummary[],
      hellos: chain.hellos.map((h) => ({
        probe: h.probe,
        label: h.label,
        serverName: h.serverName,
        version: versionName(h.version),
        cipherSuite: cipherSuiteName(h.cipherSuite),
      })),
    }),
  );
  return {
    target: subject.target,
    ip: first.target.ip ?? null,
    serverName,
    versions: scans.map((s) => s.result),
    certificates,
    ...counts(),
    ...(clientCertificate ? { clientCertificate } : {}),
    elapsedMs: Date.now() - started,
  };
}
