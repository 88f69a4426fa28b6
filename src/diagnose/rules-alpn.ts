/** The ALPN rule: the working hello offering h2 and http/1.1, then only an unknown protocol. */
import { accepted, alertLabel, describeAnswer, refusalAlert } from './answer.ts';
import { finding } from './finding.ts';
import { alertField, type Rule, rule } from './rule.ts';
import type { Severity } from './types.ts';

export const alpn: Rule<'alpn.h2' | 'alpn.unknown'> = rule({
  findings: ['alpn'],
  reads: ['alpn.h2', 'alpn.unknown'],
  check: (p, { working }) => {
    const h2 = p['alpn.h2'];
    const unknown = p['alpn.unknown'];
    if (!h2) return null;
    const h2Ok = accepted(h2.answer);
    const chosen = h2Ok ? (h2.answer.serverHello?.alpn ?? null) : null;
    const parts: string[] = [];
    let severity: Severity = 'info';
    if (!h2Ok) {
      parts.push(`a hello offering h2 and http/1.1 gets ${describeAnswer(h2.answer)}`);
      severity = 'error';
    } else if (chosen) parts.push(`the server picks ${chosen} from h2 and http/1.1`);
    else parts.push('the server picks no protocol from h2 and http/1.1 (it ignores ALPN)');
    let unknownProtocol: string | null = null;
    if (unknown) {
      if (accepted(unknown.answer)) {
        unknownProtocol = 'ignored';
        parts.push('a client offering only a protocol it lacks still connects, with no protocol chosen');
      } else {
        unknownProtocol = refusalAlert(unknown.answer) ? 'alert' : unknown.answer.outcome;
        const a = refusalAlert(unknown.answer);
        parts.push(
          `a client offering only a protocol it lacks is refused: ${a ? `${alertLabel(a)}${unknown.answer.outcome === 'server_hello' ? ' after the ServerHello' : ''}` : describeAnswer(unknown.answer)}`,
        );
      }
    }
    const text = parts.join('; ');
    return finding(
      'alpn',
      severity,
      `${text.charAt(0).toUpperCase()}${text.slice(1)}.`,
      [working, h2, unknown],
      { chosen, unknownProtocol, ...alertField(h2Ok ? unknown : h2) },
      h2Ok ? undefined : 'Leave ALPN out for this server.',
    );
  },
});
