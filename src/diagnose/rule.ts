/**
 * The shape of diagnose's rules and what they read: the observations of a run, a rule row
 * (the variation probes it reads, by typed id, and the findings it makes), and the helpers
 * the rows share.
 */
import { accepted, pickAlert, refusalAlert } from './answer.ts';
import type { Cause } from './bisect.ts';
import type { CertificateChain } from './certificate-discovery.ts';
import type { ProbeRun } from './finding.ts';
import type { VariationId } from './plan.ts';
import type { Finding } from './types.ts';

/** What the rules read: the hellos tried, the one that works, the cause search, the variations. */
export interface Observations {
  /** The candidate hellos sent, in order, until one was accepted (or all were refused). */
  readonly tried: readonly ProbeRun[];
  /** The first accepted candidate: the hello every variation changes. */
  readonly working?: ProbeRun;
  /** Bisection between the refused baseline and the working hello, when it ran. */
  readonly cause?: Cause;
  /** The variations sent, by id. */
  readonly variations: { readonly [K in VariationId]?: ProbeRun };
  /** Every run (for rules over all answers, such as server violations). */
  readonly all: readonly ProbeRun[];
  /** Every certificate chain found, when certificate discovery ran. */
  readonly certificateChains?: readonly DiscoveredChain[];
}

/** A certificate chain found by discovery, with the hellos that got it. */
export type DiscoveredChain = CertificateChain;

/** What a rule gets besides its probes. */
export interface RuleContext {
  readonly working: ProbeRun;
  readonly observations: Observations;
  /** Certificates are checked against this time (ms since the epoch). */
  readonly now: number;
}

/** The probes a rule reads, by id (undefined: not sent). */
export type RuleProbes<R extends VariationId> = { readonly [K in R]: ProbeRun | undefined };

/** One rule: the probes it reads and the findings it makes of them. */
export interface Rule<R extends VariationId = VariationId> {
  /** The finding ids it can make. */
  readonly findings: readonly string[];
  readonly reads: readonly R[];
  readonly check: (probes: RuleProbes<R>, ctx: RuleContext) => Finding | readonly Finding[] | null;
}

export function rule<const R extends VariationId>(r: Rule<R>): Rule<R> {
  return r;
}

export const alertField = (run: ProbeRun | undefined): Record<string, unknown> => {
  const a = run ? refusalAlert(run.answer) : undefined;
  return a ? { alert: pickAlert(a) } : {};
};

/** Which of a table's probes were accepted, by the names the table gives them; null when one did not run. */
export function sortOut<R extends VariationId>(
  table: readonly (readonly [R, string])[],
  p: RuleProbes<R>,
): { runs: ProbeRun[]; accepted: string[]; rejected: string[] } | null {
  const runs = table.map(([id]) => p[id]);
  if (runs.some((r) => r === undefined)) return null;
  return {
    runs: runs as ProbeRun[],
    accepted: table.filter(([id]) => accepted(p[id]?.answer)).map(([, n]) => n),
    rejected: table.filter(([id]) => !accepted(p[id]?.answer)).map(([, n]) => n),
  };
}
