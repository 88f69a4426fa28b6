/**
 * `hellokit scan`: which versions, cipher suites (in the server's order when it has one),
 * groups and certificates a server offers, found with many small probes run concurrently.
 *
 * Suites are found by elimination (offer a set, take out what the server picks, offer the
 * rest again) in several slices of the suite list at once, so the number of sequential
 * round trips is about the number of accepted suites per slice, not per version.
 */
import { clientHello, DEFAULT_OPTIONS } from '../builder/client-hello.ts';
import { generateKeyShare, type KeyShare } from '../crypto/key-share.ts';
import { silentFailure } from '../diagnose/run.ts';
import { CIPHER_SUITES } from '../iana/cipher-suites.ts';
import { NAMED_GROUPS } from '../iana/groups.ts';
import { cipherSuiteName, groupName, parseGroupList } from '../iana/lookup.ts';
import type { CertificateSummary } from './certificates.ts';
import { parseProbeTarget, probe, probeServerHello } from './probe.ts';
import { withKeyShares } from './probe-hello.ts';
import type { HelloWithKeyShares, ProbeResult } from './probe-types.ts';

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
  /** True when the server picks by its own preference; null when there was nothing to compare. */
  readonly serverOrder: boolean | null;
  /** Groups accepted with this version (TLS 1.3: key exchange groups; TLS 1.2: ECDHE curves). */
  readonly groups: readonly string[];
}

/** The certificate chain served for one SNI value. */
export interface ScannedCertificates {
  readonly serverName: string | null;
  readonly outcome: string;
  readonly certificates: readonly CertificateSummary[];
}

/** What {@link scanTarget} found. */
export interface ScanResult {
  readonly target: string;
  readonly serverName: string | null;
  readonly versions: readonly ScannedVersion[];
  readonly certificates: readonly ScannedCertificates[];
  /** Probes sent, retries included. */
  readonly probes: number;
  readonly retries: number;
  /** Probes that still failed transiently after their retries (their answers count as refusals). */
  readonly transientFailures: number;
  readonly elapsedMs: number;
  /** Set when the server could not be reached at all. */
  readonly error?: string;
}

const VERSIONS: readonly [string, number][] = [
  ['TLS 1.3', 0x0304],
  ['TLS 1.2', 0x0303],
  ['TLS 1.1', 0x0302],
  ['TLS 1.0', 0x0301],
];

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

/** Groups worth trying: every registered ECDHE, FFDHE and hybrid group (not private or GREASE). */
function candidateGroups(version: number): number[] {
  return NAMED_GROUPS.filter((g) =>
    version === 0x0304 ? g.kind !== 'ecdhe' || g.code >= 0x0017 : g.kind === 'ecdhe',
  )
    .map((g) => g.code)
    .filter((c) => (c & 0x0f0f) !== 0x0a0a);
}

const CLASSIC_GROUPS = [0x001d, 0x0017, 0x0018, 0x0019, 0x001e, 0x0100, 0x0101];

/** The key share groups of the builder's default hello, which the certificate probes send. */
const DEFAULT_KEY_SHARES = parseGroupList(DEFAULT_OPTIONS.keyShares);

const ECDHE_SUITES = new Set<number>(
  CIPHER_SUITES.filter((c) => c.keyExchange === 'ECDHE').map((c) => c.code),
);

/** A simple counting semaphore for bounded concurrency. */
class Limiter {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly limit: number;
  constructor(limit: number) {
    if (!Number.isInteger(limit) || limit < 1)
      throw new RangeError(`"concurrency" expected a positive integer, got ${limit}`);
    this.limit = limit;
  }
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((r) => this.waiting.push(r));
    this.active++;
    try {
      return await fn();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}

/**
 * A failure that says nothing about the hello: no answer, no connection, or a {@link
 * silentFailure} (a reset, or a close before the server sent a byte). A server that refuses by
 * closing in silence costs a few retries per refusal, and is then counted as refusing.
 */
function transient(r: ProbeResult): boolean {
  return r.outcome === 'timeout' || r.outcome === 'connect_failed' || silentFailure(r);
}

/**
 * Scans `target`: versions, suites per version with the server's order, groups per version
 * and certificates (with the SNI, and without).
 * @example const r = await scanTarget('127.0.0.1:8443', { serverName: 'hellokit.test' });
 * @throws {TypeError} for a malformed target
 */
export async function scanTarget(target: string, options: ScanOptions = {}): Promise<ScanResult> {
  const started = Date.now();
  const { host, port } = parseProbeTarget(target);
  const serverName =
    options.serverName !== undefined ? options.serverName : /^[\d.]+$|:/.test(host) ? null : host;
  const limiter = new Limiter(options.concurrency ?? 16);
  const deadline = started + (options.timeoutMs ?? 120_000);
  const probeTimeoutMs = options.probeTimeoutMs ?? 5_000;
  const maxRetries = options.retries ?? 2;
  let probes = 0;
  let retries = 0;
  let transientFailures = 0;

  // hellokit scan is a scanner, not a client keeping secrets: it makes one key share per group
  // once per scan and puts the same share in every hello of this scan. The scan sends nothing
  // encrypted under these keys, and what it decrypts (the certificates) the server shows anyone.
  // The shares live only as long as this call.
  const shares = new Map<number, KeyShare>();
  const sharesFor = (groups: readonly number[]): KeyShare[] =>
    groups.map((g) => {
      let share = shares.get(g);
      if (!share) {
        share = generateKeyShare(g);
        shares.set(g, share);
      }
      return share;
    });

  // The suite, version and group questions need only the ServerHello (or HelloRetryRequest):
  // these probes stop reading there, parse no certificate and decrypt nothing.
  const send = (hello: HelloWithKeyShares): Promise<ProbeResult> =>
    limiter.run(async () => {
      for (let attempt = 0; ; attempt++) {
        const left = deadline - Date.now();
        if (left <= 0)
          throw new Error(`the scan ran out of time (--timeout ${(options.timeoutMs ?? 120_000) / 1000} s)`);
        const r = await probeServerHello(target, {
          hello,
          timeoutMs: Math.min(probeTimeoutMs, left),
          retryOnHelloRetryRequest: false,
        });
        probes++;
        options.onProgress?.(probes);
        if (!transient(r)) return r;
        if (attempt >= maxRetries) {
          transientFailures++;
          return r;
        }
        retries++;
        await new Promise((res) => setTimeout(res, 50 * 2 ** attempt));
      }
    });

  const helloFor = (
    version: number,
    suites: readonly number[],
    groups: readonly number[] = CLASSIC_GROUPS,
    keyShares?: readonly number[],
  ): HelloWithKeyShares => {
    const hello = clientHello({
      serverName,
      ...(version === 0x0304 ? { versions: [0x0304] } : { tls: '1.2' as const, legacyVersion: version }),
      cipherSuites: suites,
      groups,
      keyShares: version === 0x0304 ? [] : null,
      alpn: null,
      padding: false,
      sessionId: version === 0x0304 ? 32 : 0,
    });
    const groupsToShare = version === 0x0304 ? (keyShares ?? [0x001d]) : [];
    return groupsToShare.length > 0 ? withKeyShares(hello, sharesFor(groupsToShare)) : hello;
  };

  const picked = (r: ProbeResult, version: number): number | null => {
    if (r.outcome === 'server_hello' && r.serverHello && r.serverHello.version === version)
      return r.serverHello.cipherSuite;
    if (r.outcome === 'hello_retry_request' && r.helloRetryRequest && version === 0x0304)
      return r.helloRetryRequest.cipherSuite;
    return null;
  };

  // Reachability first: one modern hello; when nothing answers, stop.
  const first = await send(helloFor(0x0304, [...candidateSuites(0x0304)], CLASSIC_GROUPS));
  if (first.outcome === 'connect_failed' || first.outcome === 'not_tls') {
    return {
      target: `${host}:${port}`,
      serverName,
      versions: [],
      certificates: [],
      probes,
      retries,
      transientFailures,
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
          const s = picked(await send(helloFor(version, left)), version);
          if (s === null || !left.includes(s)) break;
          got.push(s);
          left.splice(left.indexOf(s), 1);
        }
        return got;
      }),
    );
    return found.flat().sort((a, b) => a - b);
  };

  /** The server's order of `accepted`, or null when it follows the client's. */
  const serverOrder = async (version: number, accepted: readonly number[]): Promise<number[] | null> => {
    if (accepted.length < 2) return null;
    const [forward, backward] = await Promise.all([
      send(helloFor(version, accepted)),
      send(helloFor(version, [...accepted].reverse())),
    ]);
    const a = picked(forward, version);
    const b = picked(backward, version);
    if (a === null || b === null || a !== b) return null;
    const order = [a];
    const left = accepted.filter((s) => s !== a);
    while (left.length > 1) {
      const s = picked(await send(helloFor(version, left)), version);
      if (s === null || !left.includes(s)) return null;
      order.push(s);
      left.splice(left.indexOf(s), 1);
    }
    return [...order, ...left];
  };

  const groupsFor = async (version: number): Promise<string[]> => {
    const candidates = candidateGroups(version);
    const results = await Promise.all(
      candidates.map(async (g) => {
        if (version === 0x0304) {
          // An empty key_share: a server that supports g answers with a HelloRetryRequest for it.
          const r = await send(helloFor(version, candidateSuites(0x0304), [g], []));
          const chosen = r.helloRetryRequest?.selectedGroup ?? r.serverHello?.group ?? null;
          return chosen === g ? g : null;
        }
        const ecdhe = candidateSuites(version).filter((s) => ECDHE_SUITES.has(s));
        const r = await send(helloFor(version, ecdhe, [g]));
        return picked(r, version) !== null ? g : null;
      }),
    );
    return results.filter((g): g is number => g !== null).map(groupName);
  };

  const scanVersion = async ([name, code]: [string, number]): Promise<ScannedVersion> => {
    const candidates = candidateSuites(code);
    const check = await send(helloFor(code, candidates));
    if (picked(check, code) === null) {
      return { version: name, code, supported: false, cipherSuites: [], serverOrder: null, groups: [] };
    }
    const [accepted, groups] = await Promise.all([
      enumerate(code, candidates, code === 0x0304 ? 1 : 12),
      groupsFor(code),
    ]);
    const order = await serverOrder(code, accepted);
    const suites = (order ?? accepted).map((c) => ({ code: c, name: cipherSuiteName(c) }));
    return {
      version: name,
      code,
      supported: true,
      cipherSuites: suites,
      serverOrder: accepted.length < 2 ? null : order !== null,
      groups,
    };
  };

  /** The default hello (its key share groups as default), with this scan's shares. */
  const certificateHello = (name: string | null): HelloWithKeyShares => {
    const defaults = clientHello({ serverName: name, padding: false, alpn: null, keyShares: [] });
    return withKeyShares(defaults, sharesFor(DEFAULT_KEY_SHARES));
  };

  const certNames = [...new Set([serverName, null, ...(options.certificateNames ?? [])])];
  const [versions, certificates] = await Promise.all([
    Promise.all(VERSIONS.map(scanVersion)),
    Promise.all(
      certNames.map(async (name): Promise<ScannedCertificates> => {
        const r = await limiter.run(() =>
          probe(target, {
            hello: certificateHello(name),
            timeoutMs: Math.min(probeTimeoutMs, Math.max(100, deadline - Date.now())),
          }),
        );
        probes++;
        return { serverName: name, outcome: r.outcome, certificates: r.certificates };
      }),
    ),
  ]);
  return {
    target: `${host}:${port}`,
    serverName,
    versions,
    certificates,
    probes,
    retries,
    transientFailures,
    elapsedMs: Date.now() - started,
  };
}
