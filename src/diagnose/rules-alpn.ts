/**
 * The ALPN rule: the working hello offering h2 and http/1.1, each of them alone, then only an
 * unknown protocol.
 */
import { accepted, alertLabel, describeAnswer, pickAlert, refusalAlert } from './answer.ts';
import { finding, type ProbeRun } from './finding.ts';
import { alertField, type Rule, rule } from './rule.ts';
import type { AnswerAlert, Severity } from './types.ts';

/** Each common protocol offered alone, and who offers only it. */
const ALONE = [
  ['alpn.h2_alone', 'h2', 'gRPC clients'],
  ['alpn.http1_alone', 'http/1.1', 'curl --http1.1 and HTTP/1.1-only libraries'],
] as const;

/** How a refused probe was refused, in words: the alert (after the ServerHello, if so) or the answer. */
function refusal(run: ProbeRun): string {
  const a = refusalAlert(run.answer);
  if (!a) return describeAnswer(run.answer);
  return `${alertLabel(a)}${run.answer.outcome === 'server_hello' ? ' after the ServerHello' : ''}`;
}

export const alpn: Rule<'alpn.h2' | 'alpn.h2_alone' | 'alpn.http1_alone' | 'alpn.unknown'> = rule({
  findings: ['alpn'],
  reads: ['alpn.h2', 'alpn.h2_alone', 'alpn.http1_alone', 'alpn.unknown'],
  check: (p, { working }) => {
    const h2 = p['alpn.h2'];
    const unknown = p['alpn.unknown'];
    if (!h2) return null;
    const h2Ok = accepted(h2.answer);
    const chosen = h2Ok ? (h2.answer.serverHello?.alpn ?? null) : null;
    const parts: string[] = [];
    let severity: Severity = 'info';
    let fix: string | undefined;
    if (!h2Ok) {
      parts.push(`a hello offering h2 and http/1.1 gets ${describeAnswer(h2.answer)}`);
      severity = 'error';
      fix = 'Leave ALPN out for this server.';
    } else if (chosen) parts.push(`the server picks ${chosen} from h2 and http/1.1`);
    else parts.push('the server picks no protocol from h2 and http/1.1 (it ignores ALPN)');
    const refusedAlone: string[] = [];
    const alerts: Record<string, AnswerAlert | null> = {};
    for (const [id, protocol, who] of ALONE) {
      const run = p[id];
      if (!run || accepted(run.answer)) continue;
      refusedAlone.push(protocol);
      const a = refusalAlert(run.answer);
      alerts[protocol] = a ? pickAlert(a) : null;
      parts.push(`a client offering only ${protocol} (${who}) is refused: ${refusal(run)}`);
    }
    // Most HTTP clients offer http/1.1 (alone, or after h2): a server without it refuses them
    // all, where a server without h2 refuses only clients that cannot do without HTTP/2.
    if (h2Ok && refusedAlone.includes('http/1.1')) {
      severity = 'warning';
      fix = `A client must offer ${chosen ?? 'the protocol the server speaks'} to connect; the operator should add http/1.1 to the server's ALPN protocols if HTTP/1.1 clients are meant to connect.`;
    }
    let unknownProtocol: string | null = null;
    if (unknown) {
      if (accepted(unknown.answer)) {
        unknownProtocol = 'ignored';
        parts.push('a client offering only a protocol it lacks still connects, with no protocol chosen');
      } else {
        unknownProtocol = refusalAlert(unknown.answer) ? 'alert' : unknown.answer.outcome;
        parts.push(`a client offering only a protocol it lacks is refused: ${refusal(unknown)}`);
      }
    }
    const text = parts.join('; ');
    return finding(
      'alpn',
      severity,
      `${text.charAt(0).toUpperCase()}${text.slice(1)}.`,
      [working, h2, ...ALONE.map(([id]) => p[id]), unknown],
      { chosen, unknownProtocol, refusedAlone, alerts, ...alertField(h2Ok ? unknown : h2) },
      fix,
    );
  },
});
