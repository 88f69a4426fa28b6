/**
 * The interpretation: from what the probes got, findings in plain words, each with the
 * probes that show it and, where there is one, what a client can do. When no hello is
 * accepted there is one finding, not one per refused variation; otherwise every rule of
 * {@link RULES} reads the variations of the working hello.
 */
import { describeAnswer, pickAlert, refusalAlert } from './answer.ts';
import { finding, type ProbeRun } from './finding.ts';
import { type Observations, RULES, type RuleProbes } from './rules.ts';
import type { Finding, Severity } from './types.ts';

export type { ProbeRun } from './finding.ts';
export type { Observations } from './rules.ts';

/** The findings when no hello got a handshake going: unreachable, not TLS, or every hello refused. */
function noWorkingHello(o: Observations): Finding[] {
  const first = o.tried[0];
  if (!first) return [];
  if (first.answer.outcome === 'connect_failed') {
    return [
      finding(
        'unreachable',
        'error',
        `Could not connect to the server${first.answer.error ? `: ${first.answer.error}` : ''}.`,
        [first],
        {},
        'Check the host and port, and that nothing blocks the connection.',
      ),
    ];
  }
  if (first.answer.outcome === 'not_tls') {
    return [
      finding(
        'not_tls',
        'error',
        'The server answered with something that is not TLS.',
        [first],
        {},
        'Check the port: it may serve plain HTTP or another protocol.',
      ),
    ];
  }
  const tried = o.tried.map((r) => `${r.spec.label}: ${describeAnswer(r.answer)}`);
  const noName = first.spec.serverName === null;
  const alert = refusalAlert(first.answer);
  return [
    finding(
      'handshake_refused',
      'error',
      `The server accepted none of the ${o.tried.length} hellos tried${o.tried.some((r) => r.answer.violations?.length) ? ' without breaking an RFC (see server_violation)' : ''} (${tried.join('; ')})${noName ? '. No SNI was sent: the server may need a host name' : ''}.`,
      o.tried,
      { tried: o.tried.map((r) => r.spec.id), ...(alert ? { alert: pickAlert(alert) } : {}) },
      noName
        ? 'Run again with --sni NAME (the host name the server serves).'
        : 'Check the name sent as SNI and that the port serves TLS to clients like this one.',
    ),
  ];
}

/** One `server_violation` finding per distinct rule the server broke, in any answer. */
function serverViolations(all: readonly ProbeRun[]): Finding[] {
  const byRule = new Map<string, { rfc: string; message: string; runs: ProbeRun[] }>();
  for (const run of all) {
    for (const v of run.answer.violations ?? []) {
      const seen = byRule.get(v.rule);
      if (seen) {
        if (!seen.runs.includes(run)) seen.runs.push(run);
      } else byRule.set(v.rule, { rfc: v.rfc, message: v.message, runs: [run] });
    }
  }
  return [...byRule].map(([rule, v]) =>
    finding(
      'server_violation',
      'error',
      `The server breaks ${v.rfc} (${rule}): ${v.message}. Answers like this are not read as support for what the hello offered.`,
      v.runs,
      { rule, rfc: v.rfc },
      'Report it to the server operator; a strict client aborts such a handshake.',
    ),
  );
}

const RANK: Readonly<Record<Severity, number>> = { error: 0, warning: 1, info: 2 };

/**
 * Findings from what the probes got, worst first. Variations that did not run (left out by
 * the time budget) leave out the findings that need them. Certificates are checked against
 * `now` (ms since the epoch).
 * @example interpret(observations).map((f) => f.id) // ['sni_required', 'tls12_auth', 'versions', ...]
 */
export function interpret(o: Observations, now: number = Date.now()): Finding[] {
  const findings: Finding[] = [];
  const working = o.working;
  if (!working) findings.push(...noWorkingHello(o));
  else {
    for (const rule of RULES) {
      const probes = Object.fromEntries(rule.reads.map((id) => [id, o.variations[id]])) as RuleProbes<
        (typeof rule.reads)[number]
      >;
      const made = rule.check(probes, { working, observations: o, now });
      if (made === null) continue;
      if (Array.isArray(made)) findings.push(...made);
      else findings.push(made as Finding);
    }
  }
  findings.push(...serverViolations(o.all));
  return findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => RANK[a.f.severity] - RANK[b.f.severity] || a.i - b.i)
    .map(({ f }) => f);
}
