/** The SNI rule: the working hello without a name, with an unknown one, with an IP literal. */
import { accepted, describeAnswer, pickAlert, refusalAlert } from './answer.ts';
import { finding, type ProbeRun } from './finding.ts';
import { alertField, type Rule, rule } from './rule.ts';
import type { Finding } from './types.ts';

export const sni: Rule<'sni.none' | 'sni.unknown' | 'sni.ip'> = rule({
  findings: ['sni_required', 'sni_optional', 'sni_unknown_name', 'sni_ip_literal'],
  reads: ['sni.none', 'sni.unknown', 'sni.ip'],
  check: (p, { working }) => {
    const without = p['sni.none'];
    const name = working.spec.serverName;
    if (!without || name === null) return null;
    const out: Finding[] = [];
    const noneOk = accepted(without.answer);
    if (!noneOk) {
      out.push(
        finding(
          'sni_required',
          'error',
          `The server needs SNI: without a name it answers ${describeAnswer(without.answer)}, with ${name} it answers ${describeAnswer(working.answer)}.`,
          [working, without, p['sni.unknown'], p['sni.ip']],
          {
            alert: refusalAlert(without.answer) ? pickAlert(refusalAlert(without.answer)!) : null,
            withSni: working.answer.outcome,
            withoutSni: without.answer.outcome,
          },
          `Send the host name as SNI (Node: tls.connect({ servername: '${name}' }); curl: use the name in the URL, with --connect-to or --resolve to pick the address, not https://IP/).`,
        ),
      );
    } else {
      out.push(
        finding(
          'sni_optional',
          'info',
          `The server answers hellos with or without SNI (without it: ${describeAnswer(without.answer)}).`,
          [working, without],
          { withSni: working.answer.outcome, withoutSni: without.answer.outcome },
        ),
      );
    }
    // When SNI is required, an unknown name or an IP literal that gets the same answer as no
    // name at all says nothing new (it is in sni_required's evidence).
    const sameAsNone = (run: ProbeRun) =>
      !noneOk &&
      run.answer.outcome === without.answer.outcome &&
      refusalAlert(run.answer)?.description === refusalAlert(without.answer)?.description;
    const unknown = p['sni.unknown'];
    if (unknown && !accepted(unknown.answer) && !sameAsNone(unknown)) {
      out.push(
        finding(
          'sni_unknown_name',
          'info',
          `A hello naming a host the server does not serve gets ${describeAnswer(unknown.answer)}.`,
          [working, unknown],
          alertField(unknown),
          'Send the exact host name the server serves.',
        ),
      );
    }
    const ip = p['sni.ip'];
    if (ip && !accepted(ip.answer) && !sameAsNone(ip)) {
      out.push(
        finding(
          'sni_ip_literal',
          'warning',
          `A client that sends an IP address as SNI (RFC 6066 forbids it, some proxies do it) gets ${describeAnswer(ip.answer)}.`,
          [working, ip],
          alertField(ip),
          'Send the host name as SNI, never an IP address; leave SNI out only if the server allows it.',
        ),
      );
    }
    return out;
  },
});
