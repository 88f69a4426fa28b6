/** Building findings: a probe's part as evidence, and lists in words. */
import { describeAnswer, pickAlert } from './answer.ts';
import type { Evidence, Finding, ProbeAnswer, ProbeSpec, Severity } from './types.ts';

/** A probe and what it got. */
export interface ProbeRun {
  readonly spec: ProbeSpec;
  readonly answer: ProbeAnswer;
}

/** What the probe sent, in words, with the hello's size when known. */
function describeSent(run: ProbeRun): string {
  const size = run.answer.helloLength;
  const sni = run.spec.serverName === null ? 'no SNI' : `SNI ${run.spec.serverName}`;
  return `${run.spec.label} (${sni}${size ? `, ${size}-byte hello` : ''})`;
}

/** One probe's part in a finding. */
export function evidence(run: ProbeRun): Evidence {
  return {
    probe: run.spec.id,
    sent: describeSent(run),
    got: describeAnswer(run.answer),
    outcome: run.answer.outcome,
    ...(run.answer.alert ? { alert: pickAlert(run.answer.alert) } : {}),
  };
}

/** A finding with the runs that show it (runs not sent are left out of the evidence). */
export function finding(
  id: string,
  severity: Severity,
  explanation: string,
  runs: readonly (ProbeRun | undefined)[],
  extra: Record<string, unknown> = {},
  fix?: string,
): Finding {
  return {
    id,
    severity,
    explanation,
    evidence: runs.filter((r): r is ProbeRun => r !== undefined).map(evidence),
    ...(fix ? { fix } : {}),
    ...extra,
  };
}

/** `a, b and c`. */
export function list(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

/** `a, b or c`. */
export function orList(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}
