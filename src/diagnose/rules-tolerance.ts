/** The tolerance rule: GREASE, padding into the F5 range, a large hello in two segments, a hello over several records. */
import { accepted, describeAnswer } from './answer.ts';
import { finding, list, type ProbeRun } from './finding.ts';
import { alertField, type Rule, rule } from './rule.ts';
import type { Finding } from './types.ts';

/** A tolerance check: a variation that only changes the hello's shape, never what it offers. */
const TOLERANCE = [
  {
    id: 'grease_intolerance',
    probes: ['grease'],
    passed: 'GREASE',
    explain: (got: string) =>
      `The server (or a middlebox in front of it) fails hellos with GREASE values (RFC 8701): ${got}, while the same hello without them works.`,
    fix: 'Turn GREASE off in the client for this server, and report the intolerance to its operator.',
  },
  {
    id: 'padding_intolerance',
    probes: ['padding.256_511'],
    passed: 'a 300-byte hello',
    explain: (got: string) =>
      `A hello of 256 to 511 bytes gets ${got} (a known F5 bug), while the same hello unpadded works: clients must pad such hellos to 512 bytes.`,
    fix: 'Pad the ClientHello to at least 512 bytes with the padding extension (RFC 7685), as BoringSSL does.',
  },
  {
    id: 'large_hello_intolerance',
    probes: ['large.padded', 'pq.hybrid'],
    passed: 'a 1.8 KB hello in two TCP segments',
    explain: (got: string) =>
      `A hello larger than one TCP segment (post-quantum key shares make them ~1.8 KB) gets ${got}, while the same hello small works.`,
    fix: 'Leave out post-quantum key shares for this server (offer the hybrid in supported_groups only), or keep the hello under ~1400 bytes.',
  },
  {
    id: 'fragmentation_intolerance',
    probes: ['fragmented'],
    passed: 'a hello split over 3 records',
    explain: (got: string) =>
      `A hello split over several TLS records gets ${got}, while the same hello in one record works: something in the path reads only the first record.`,
    fix: 'Send the ClientHello in one record.',
  },
] as const;

export const tolerance: Rule<'grease' | 'padding.256_511' | 'large.padded' | 'pq.hybrid' | 'fragmented'> =
  rule({
    findings: [...TOLERANCE.map((t) => t.id), 'tolerance'],
    reads: ['grease', 'padding.256_511', 'large.padded', 'pq.hybrid', 'fragmented'],
    check: (p, { working }) => {
      const out: Finding[] = [];
      const passed: string[] = [];
      for (const t of TOLERANCE) {
        const runs = t.probes.map((id) => p[id]).filter((r): r is ProbeRun => r !== undefined);
        if (runs.length === 0) continue;
        const failed = runs.find((r) => !accepted(r.answer));
        if (!failed) {
          passed.push(t.passed);
          continue;
        }
        out.push(
          finding(
            t.id,
            'error',
            t.explain(describeAnswer(failed.answer)),
            [working, ...runs],
            alertField(failed),
            t.fix,
          ),
        );
      }
      if (passed.length > 0 && out.length === 0) {
        out.push(
          finding(
            'tolerance',
            'info',
            `The server tolerates ${list(passed)}.`,
            [p.grease, p['padding.256_511'], p['large.padded'], p['pq.hybrid'], p.fragmented],
            { passed },
          ),
        );
      }
      return out;
    },
  });
