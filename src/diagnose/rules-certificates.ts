/** The certificate rule: every chain found, or the working hello's and the no-SNI hello's. */
import { accepted } from './answer.ts';
import { certificateChecks, chainCertificateChecks } from './certificates.ts';
import { finding } from './finding.ts';
import { type Rule, rule } from './rule.ts';

/**
 * Certificate findings. With discovery, every check runs on every chain (each finding names
 * its chain and has the probes that got it as evidence); without it, the working hello's
 * chain and the one sent without SNI.
 */
export const certificates: Rule<'sni.none'> = rule({
  findings: [
    'certificate',
    'cert_name_mismatch',
    'cert_expired',
    'cert_not_yet_valid',
    'cert_expiring',
    'cert_self_signed',
    'cert_chain',
    'cert_without_sni',
  ],
  reads: ['sni.none'],
  check: (p, { working, observations, now }) => {
    const without = p['sni.none'];
    const chains = observations.certificateChains;
    if (chains === undefined || chains.length === 0) {
      return certificateChecks(
        working.spec.serverName,
        working.answer,
        accepted(without?.answer) ? without?.answer : undefined,
        now,
      ).map((c) =>
        finding(
          c.id,
          c.severity,
          c.explanation,
          c.id === 'cert_without_sni' ? [working, without] : [working],
          c.extra,
          c.fix,
        ),
      );
    }
    return chainCertificateChecks(working.spec.serverName, chains, now).map((c) => {
      const hellos = new Set(c.chain.hellos);
      const runs = observations.all.filter((r) => hellos.has(r.spec.id));
      return finding(c.id, c.severity, c.explanation, runs, c.extra, c.fix);
    });
  },
});
