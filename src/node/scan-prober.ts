/**
 * What every question of `hellokit scan` sends its hellos through: bounded concurrency, retries
 * of transient failures, one deadline, one key share per group per scan, and the probe count.
 */
import { clientHello } from '../builder/client-hello.ts';
import { generateKeyShare, type KeyShare } from '../crypto/key-share.ts';
import { DISCOVERY_SIGNATURE_SCHEMES } from '../diagnose/certificate-discovery.ts';
import { silentFailure } from '../diagnose/run.ts';
import type { ProbeAnswer, ProbeFn } from '../diagnose/types.ts';
import type { ServerViolation } from '../probe/violations.ts';
import { probeFunction } from './diagnose.ts';
import { type NodeProbeResult, probe, probeServerHello } from './probe.ts';
import { withKeyShares } from './probe-hello.ts';
import type { HelloWithKeyShares, ProbeResult } from './probe-types.ts';

/** The classic groups the suite and version probes offer. */
export const CLASSIC_GROUPS: readonly number[] = [0x001d, 0x0017, 0x0018, 0x0019, 0x001e, 0x0100, 0x0101];

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
function transient(r: Pick<ProbeAnswer, 'outcome' | 'bytesReceived'>): boolean {
  return r.outcome === 'timeout' || r.outcome === 'connect_failed' || silentFailure(r);
}

/**
 * True when the answer refused the hello: no ServerHello, or a ServerHello followed by a fatal
 * alert (a server that decides after its ServerHello, as Go does for ALPN, still refuses).
 */
export function refused(r: Pick<ProbeAnswer, 'outcome' | 'alert' | 'violations'>): boolean {
  // An answer that breaks an RFC rule (a suite or version the hello did not offer, a bad key
  // share…) is never read as support for what the hello offered.
  return r.outcome !== 'server_hello' || r.alert?.level === 2 || (r.violations?.length ?? 0) > 0;
}

/** How a scan sends its hellos. */
export interface ScanProberOptions {
  readonly serverName: string | null;
  readonly concurrency: number;
  readonly probeTimeoutMs: number;
  readonly timeoutMs: number;
  readonly retries: number;
  readonly onProgress?: (probes: number) => void;
}

/** Sends a scan's hellos to one target and counts them. */
export class ScanProber {
  probes = 0;
  retries = 0;
  transientFailures = 0;
  /** The server's RFC violations seen in any answer, one entry per rule, with how many answers had it. */
  readonly violations: Map<string, ServerViolation & { answers: number }> = new Map();
  readonly serverName: string | null;
  private readonly target: string;
  private readonly limiter: Limiter;
  private readonly deadline: number;
  private readonly options: ScanProberOptions;
  // hellokit scan is a scanner, not a client keeping secrets: it makes one key share per group
  // once per scan and puts the same share in every hello of this scan. The scan sends nothing
  // encrypted under these keys, and what it decrypts (the certificates) the server shows anyone.
  // The shares live only as long as the scan.
  private readonly shares = new Map<number, KeyShare>();

  constructor(target: string, options: ScanProberOptions) {
    this.target = target;
    this.options = options;
    this.serverName = options.serverName;
    this.limiter = new Limiter(options.concurrency);
    this.deadline = Date.now() + options.timeoutMs;
  }

  private timeLeft(): number {
    const left = this.deadline - Date.now();
    if (left <= 0) throw new Error(`the scan ran out of time (--timeout ${this.options.timeoutMs / 1000} s)`);
    return Math.min(this.options.probeTimeoutMs, left);
  }

  /** Runs `attempt` in the limiter, retrying transient failures with backoff. */
  private run<T extends Pick<ProbeAnswer, 'outcome' | 'bytesReceived'>>(
    attempt: () => Promise<T>,
  ): Promise<T> {
    return this.limiter.run(async () => {
      for (let n = 0; ; n++) {
        const r = await attempt();
        this.probes++;
        for (const v of (r as { violations?: readonly ServerViolation[] }).violations ?? []) {
          const seen = this.violations.get(v.rule);
          if (seen) seen.answers++;
          else this.violations.set(v.rule, { ...v, answers: 1 });
        }
        this.options.onProgress?.(this.probes);
        if (!transient(r)) return r;
        if (n >= this.options.retries) {
          this.transientFailures++;
          return r;
        }
        this.retries++;
        await new Promise((res) => setTimeout(res, 50 * 2 ** n));
      }
    });
  }

  /** Sends `hello` and reads up to the ServerHello or HelloRetryRequest only. */
  serverHello(hello: HelloWithKeyShares): Promise<NodeProbeResult> {
    return this.run(() =>
      probeServerHello(this.target, { hello, timeoutMs: this.timeLeft(), retryOnHelloRetryRequest: false }),
    );
  }

  /** Sends `hello` and reads the whole TLS 1.2 flight (ServerKeyExchange included). */
  flight(hello: HelloWithKeyShares): Promise<ProbeResult> {
    return this.run(() =>
      probe(this.target, {
        hello,
        timeoutMs: this.timeLeft(),
        retryOnHelloRetryRequest: false,
        decrypt: false,
      }),
    );
  }

  /** A {@link ProbeFn} for the platform-neutral certificate discovery, through the same limits. */
  probeFunction(): ProbeFn {
    return (spec) => this.run(() => probeFunction(this.target, { timeoutMs: this.timeLeft() })(spec));
  }

  /** This scan's key shares for `groups`, made on first use. */
  sharesFor(groups: readonly number[]): KeyShare[] {
    return groups.map((g) => {
      let share = this.shares.get(g);
      if (!share) {
        share = generateKeyShare(g);
        this.shares.set(g, share);
      }
      return share;
    });
  }

  /**
   * A hello offering only `version` with `suites` and `groups`, and every signature scheme a
   * server key may need; TLS 1.3 hellos carry shares for `keyShares` (default x25519; `[]` for
   * an empty key_share).
   */
  hello(
    version: number,
    suites: readonly number[],
    groups: readonly number[] = CLASSIC_GROUPS,
    keyShares?: readonly number[],
  ): HelloWithKeyShares {
    const hello = clientHello({
      serverName: this.serverName,
      ...(version === 0x0304 ? { versions: [0x0304] } : { tls: '1.2' as const, legacyVersion: version }),
      cipherSuites: suites,
      groups,
      keyShares: version === 0x0304 ? [] : null,
      signatureAlgorithms: DISCOVERY_SIGNATURE_SCHEMES,
      alpn: null,
      padding: false,
      sessionId: version === 0x0304 ? 32 : 0,
    });
    const groupsToShare = version === 0x0304 ? (keyShares ?? [0x001d]) : [];
    return groupsToShare.length > 0 ? withKeyShares(hello, this.sharesFor(groupsToShare)) : hello;
  }
}

/** The suite the server picked in `version`, or null when it refused or answered another version. */
export function picked(r: ProbeResult, version: number): number | null {
  if (r.outcome === 'server_hello' && r.serverHello && r.serverHello.version === version && !refused(r))
    return r.serverHello.cipherSuite;
  if (r.outcome === 'hello_retry_request' && r.helloRetryRequest && version === 0x0304)
    return r.helloRetryRequest.cipherSuite;
  return null;
}
