/** The certificate rule: every chain found, or the working hello's and the no-SNI hello's. */
import { accepted } from './answer.ts';
import { certificateChecks } from './certificates.ts';
import { finding } from './finding.ts';
import { rule } from './rule.ts';
import type { Finding } from './types.ts';

/**
 * Certificate findings. With discovery, every chain is checked (once per distinct finding,
 * with the probes that got the chain); without it, the working hello's chain and the one
 * sent without SNI.
 */
export const certificates = rule({
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
    const seen = new Map<string, Finding>();
    for (const chain of chains) {
      const named = chain.hellos.find((h) => h.serverName !== null)?.serverName ?? null;
      const runs = chain.hellos.map((h) => observations.all.find((r) => r.spec.id === h.probe));
      for (const c of certificateChecks(
        named,
        { outcome: 'server_hello', certificates: chain.certificates },
        undefined,
        now,
      )) {
        const key = `${c.id} ${c.explanation}`;
        if (!seen.has(key)) seen.set(key, finding(c.id, c.severity, c.explanation, runs, c.extra, c.fix));
      }
    }
    return [...seen.values()];
  },
});
