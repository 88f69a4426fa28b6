/** A diagnosis as text for people: one line per finding, the fix under it. */
import type { Diagnosis, Severity } from './types.ts';

const MARK: Readonly<Record<Severity, string>> = { error: 'ERROR', warning: 'WARN ', info: 'ok   ' };

/** Options for {@link formatDiagnosis}. */
export interface FormatOptions {
  /** Also list each finding's evidence (the probes and what came back). */
  readonly verbose?: boolean;
  /** A line printed before the findings (e.g. what the demo server is). */
  readonly intro?: string;
  /** Dresses each finding's mark (`ERROR`, `WARN`, `ok`), e.g. in a colour on a terminal. */
  readonly mark?: (severity: Severity, mark: string) => string;
}

/**
 * The diagnosis as plain text: a header line, then each finding (worst first) with its
 * fix, then a one-line summary.
 * @example console.log(formatDiagnosis(await diagnose(probe, options)));
 */
export function formatDiagnosis(d: Diagnosis, options: FormatOptions = {}): string {
  const lines: string[] = [];
  if (options.intro) lines.push(options.intro, '');
  const sni = d.serverName === null ? 'no SNI' : `SNI ${d.serverName}`;
  lines.push(
    `Diagnosis of ${d.target} (${sni}): ${d.probes.length} probes in ${(d.elapsedMs / 1000).toFixed(1)} s`,
  );
  lines.push('');
  for (const f of d.findings) {
    lines.push(
      `${options.mark ? options.mark(f.severity, MARK[f.severity]) : MARK[f.severity]} ${f.id.padEnd(18)} ${f.explanation}`,
    );
    if (f.fix) lines.push(`${' '.repeat(25)}fix: ${f.fix}`);
    if (options.verbose) {
      for (const e of f.evidence) lines.push(`${' '.repeat(25)}- ${e.probe}: ${e.sent} -> ${e.got}`);
    }
  }
  if (d.skipped.length > 0) {
    lines.push('', `Not run (time budget or unreachable server): ${d.skipped.join(', ')}`);
  }
  const errors = d.findings.filter((f) => f.severity === 'error').length;
  const warnings = d.findings.filter((f) => f.severity === 'warning').length;
  lines.push('');
  lines.push(
    errors + warnings === 0
      ? 'No problems found.'
      : `${errors} problem${errors === 1 ? '' : 's'} that break${errors === 1 ? 's' : ''} clients, ${warnings} warning${warnings === 1 ? '' : 's'}.${options.verbose ? '' : ' (--verbose shows the evidence, --json everything)'}`,
  );
  return `${lines.join('\n')}\n`;
}
