/**
 * The agreement table of docs/scan.md: scans every server of the matrix with hellokit now,
 * and prints one markdown row per server saying, for hellokit, testssl and sslscan, whether
 * each agrees with what `openssl s_client` settled (test/matrix/truth.json).
 *
 *   npx vite-node scripts/matrix/table.ts
 */
import { scanTarget } from '../../src/node/scan.ts';
import { MATRIX } from '../../test/matrix/configurations.ts';
import { type ScanFacts, scanFacts } from '../../test/matrix/read-scan.ts';
import { matrixRuns } from '../../test/matrix/runs.ts';
import {
  type Disagreement,
  type OrderKind,
  readTruth,
  type ScannerReport,
  type TruthEntry,
} from '../../test/matrix/truth.ts';
import { stopAll } from '../../test/peers/peers.ts';
import { disagreements } from './reports.ts';

const DAY_MS = 86_400_000;

/** hellokit's scan as a {@link ScannerReport}, so it is judged like the other two. */
function report(facts: ScanFacts, seconds: number): ScannerReport {
  const order: Record<string, OrderKind> = {};
  for (const [v, kind] of Object.entries(facts.order)) if (kind !== 'unknown') order[v] = kind;
  return {
    versions: facts.versions,
    suites: facts.suites,
    order,
    tls12Curves: facts.tls12Curves,
    tls13Groups: facts.tls13Groups,
    certificates: facts.certificates.map((c) => {
      const days = Math.floor((Date.parse(c.notAfter) - Date.now()) / DAY_MS);
      return {
        keyType: c.keyType,
        status: days < 0 ? 'expired' : days < 14 ? 'expiring' : 'valid',
        selfSigned: c.selfSigned,
      };
    }),
    seconds,
  };
}

const COLUMNS: readonly [string, (field: string) => boolean][] = [
  ['versions', (f) => f === 'versions'],
  ['suites', (f) => f.startsWith('suites ')],
  ['order', (f) => f.startsWith('order ')],
  ['groups', (f) => /curves|groups/.test(f)],
  ['certificates', (f) => f === 'certificates'],
];

function cell(
  tool: string,
  column: string,
  entry: TruthEntry,
  found: readonly Disagreement[],
  test: (f: string) => boolean,
) {
  const known = tool === 'hellokit' || (tool === 'testssl' ? entry.testssl : entry.sslscan) !== undefined;
  if (!known) return '?';
  // sslscan marks one preferred suite per version and says nothing about whose order it is.
  if (tool === 'sslscan' && column === 'order') return '–';
  return found.some((d) => d.tool === tool && (test(d.field) || d.field === 'error')) ? '✗' : '✓';
}

async function main(): Promise<void> {
  const truth = readTruth();
  const scans = matrixRuns(async (config, peer) => {
    const started = Date.now();
    const r = await scanTarget(`${peer.host}:${peer.port}`, {
      serverName: config.serverName,
      timeoutMs: 90_000,
    });
    return { facts: scanFacts(r), seconds: (Date.now() - started) / 1000, probes: r.probes };
  });
  const lines = [
    '| server | versions | suites | order | groups | certificates | hellokit probes, s |',
    '|---|---|---|---|---|---|---|',
  ];
  const details: string[] = [];
  for (const config of MATRIX) {
    const entry = truth.servers.find((s) => s.id === config.id);
    if (!entry) continue;
    const { facts, seconds, probes } = await scans(config.id);
    const found = [...disagreements('hellokit', report(facts, seconds), entry.truth), ...entry.disagreements];
    const cells = COLUMNS.map(([column, test]) =>
      ['hellokit', 'testssl', 'sslscan'].map((tool) => cell(tool, column, entry, found, test)).join(' '),
    );
    lines.push(`| \`${config.id}\` | ${cells.join(' | ')} | ${probes}, ${seconds.toFixed(1)} |`);
    for (const d of found.filter((x) => x.tool === 'hellokit'))
      details.push(
        `- ${config.id} ${d.field}: hellokit ${JSON.stringify(d.tool_says)}, s_client ${JSON.stringify(d.s_client_says)}`,
      );
  }
  process.stdout.write(`${lines.join('\n')}\n\n${details.join('\n')}\n`);
}

main()
  .catch((error: Error) => {
    process.stderr.write(`table: ${error.message}\n`);
    process.exitCode = 1;
  })
  .finally(stopAll);
