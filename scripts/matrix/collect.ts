/**
 * Collects the truth about every server of the matrix (test/matrix/configurations.ts) into
 * test/matrix/truth.json: starts each server with the harness, settles what it does with
 * `openssl s_client`, and records what testssl.sh and sslscan report next to it.
 *
 *   npx vite-node scripts/matrix/collect.ts [--only ID,ID] [--no-testssl] [--parallel N]
 *
 * `--only` re-collects those servers and keeps the others' entries; `--no-testssl` keeps each
 * server's previous testssl report (testssl takes 40–170 s per server). `--recheck` starts no
 * server: it compares the stored reports with the stored truth again.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MATRIX, type MatrixConfiguration, startConfiguration } from '../../test/matrix/configurations.ts';
import type { TruthEntry, TruthFile } from '../../test/matrix/truth.ts';
import { stopAll } from '../../test/peers/peers.ts';
import { sslscan, testsslJson } from '../../test/peers/reference-scanners.ts';
import { disagreements, fromSslscan, fromTestssl } from './reports.ts';
import { settle } from './s-client.ts';

const TRUTH = fileURLToPath(new URL('../../test/matrix/truth.json', import.meta.url));
const BIOME = fileURLToPath(new URL('../../node_modules/.bin/biome', import.meta.url));

/** Writes truth.json in the project's format (biome's, as `npx biome check` expects it). */
function save(file: TruthFile): void {
  writeFileSync(TRUTH, `${JSON.stringify(file, null, 2)}\n`);
  execFileSync(BIOME, ['format', '--write', TRUTH], { stdio: 'ignore' });
}
/** testssl: protocols, each cipher per protocol, server preferences, certificates, forward secrecy (curves). */
const TESTSSL_CHECKS = ['-p', '-E', '-P', '-S', '-f'];

function usage(message: string): never {
  process.stderr.write(`collect: ${message}\n`);
  process.exit(2);
}

function parseArgs(argv: readonly string[]) {
  let only: string[] | undefined;
  let testssl = true;
  let parallel = 3;
  let recheck = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--recheck') recheck = true;
    else if (a === '--only') only = (argv[++i] ?? usage('--only needs a list of ids')).split(',');
    else if (a === '--no-testssl') testssl = false;
    else if (a === '--parallel') {
      parallel = Number(argv[++i]);
      if (!Number.isInteger(parallel) || parallel < 1) usage('--parallel needs a positive integer');
    } else usage(`unknown argument "${a}"`);
  }
  for (const id of only ?? [])
    if (!MATRIX.some((c) => c.id === id))
      usage(`--only: no configuration "${id}" (known: ${MATRIX.map((c) => c.id).join(', ')})`);
  return { only, testssl, parallel, recheck };
}

function toolVersion(command: string, args: string[], pattern: RegExp): string {
  try {
    const out = execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return pattern.exec(out.replace(/\x1b\[[0-9;]*m/g, ''))?.[1]?.trim() ?? out.split('\n')[0];
  } catch (error) {
    return `unknown (${(error as Error).message.split('\n')[0]})`;
  }
}

let toolVersions: Record<string, string> | undefined;
function tools(): Record<string, string> {
  toolVersions ??= {
    openssl: toolVersion('openssl', ['version'], /^(.*)$/m),
    testssl: toolVersion('testssl', ['--version'], /testssl\s+(\S+)/),
    testsslChecks: TESTSSL_CHECKS.join(' '),
    sslscan: toolVersion('sslscan', ['--version'], /(\d+\.\d+\.\d+)/),
  };
  return toolVersions;
}

async function collectOne(
  config: MatrixConfiguration,
  previous: TruthEntry | undefined,
  withTestssl: boolean,
  collectedAt: number,
): Promise<TruthEntry> {
  const peer = await startConfiguration(config);
  try {
    const target = { host: peer.host, port: peer.port, serverName: config.serverName };
    const truth = await settle(target, collectedAt);
    let started = Date.now();
    const scan = fromSslscan(
      await sslscan(peer.host, peer.port, config.serverName),
      collectedAt,
      (Date.now() - started) / 1000,
    );
    let testssl = previous?.testssl;
    if (withTestssl) {
      started = Date.now();
      const entries = await testsslJson(peer.host, peer.port, config.serverName, TESTSSL_CHECKS);
      testssl = {
        ...fromTestssl(entries, collectedAt, Math.round((Date.now() - started) / 1000)),
        collectedAt: new Date(started).toISOString(),
      };
    }
    process.stderr.write(`collect: ${config.id} done\n`);
    return {
      id: config.id,
      collectedAt: new Date(collectedAt).toISOString(),
      software: peer.software,
      serverName: config.serverName,
      shows: config.shows,
      truth,
      ...(testssl ? { testssl } : {}),
      sslscan: scan,
      disagreements: [...disagreements('testssl', testssl, truth), ...disagreements('sslscan', scan, truth)],
    };
  } finally {
    await peer.stop();
  }
}

async function main(): Promise<void> {
  const { only, testssl, parallel, recheck } = parseArgs(process.argv.slice(2));
  const before: TruthFile | undefined = existsSync(TRUTH)
    ? JSON.parse(readFileSync(TRUTH, 'utf8'))
    : undefined;
  if (recheck) {
    if (!before) usage(`--recheck needs ${TRUTH}`);
    const servers = before.servers.map((s) => ({
      ...s,
      disagreements: [
        ...disagreements('testssl', s.testssl, s.truth),
        ...disagreements('sslscan', s.sslscan, s.truth),
      ],
    }));
    save({ ...before, servers });
    return;
  }
  const collectedAt = Date.now();
  const chosen = MATRIX.filter((c) => !only || only.includes(c.id));
  const results = new Map<string, TruthEntry>();
  const failed: string[] = [];
  const queue = [...chosen];
  await Promise.all(
    Array.from({ length: Math.min(parallel, queue.length) }, async () => {
      for (let c = queue.shift(); c; c = queue.shift()) {
        const previous = before?.servers.find((s) => s.id === c?.id);
        try {
          results.set(c.id, await collectOne(c, previous, testssl, collectedAt));
          write(before, results, collectedAt);
        } catch (error) {
          failed.push(c.id);
          process.stderr.write(`collect: ${c.id} failed: ${(error as Error).message}\n`);
        }
      }
    }),
  );
  const servers = write(before, results, collectedAt);
  process.stderr.write(`collect: wrote ${servers} servers to ${TRUTH}\n`);
  if (failed.length > 0) {
    process.stderr.write(`collect: not collected (previous entries kept): ${failed.join(', ')}\n`);
    process.exitCode = 1;
  }
}

/** Writes truth.json: the servers collected now, the others as they were before. */
function write(before: TruthFile | undefined, results: Map<string, TruthEntry>, collectedAt: number): number {
  const servers = MATRIX.map((c) => results.get(c.id) ?? before?.servers.find((s) => s.id === c.id)).filter(
    (s): s is TruthEntry => s !== undefined,
  );
  const file: TruthFile = {
    provenance: {
      collectedAt: new Date(collectedAt).toISOString(),
      command: `npx vite-node scripts/matrix/collect.ts ${process.argv.slice(2).join(' ')}`.trim(),
      tools: tools(),
    },
    servers,
  };
  save(file);
  return servers.length;
}

main()
  .catch((error: Error) => {
    process.stderr.write(`collect: ${error.message}\n`);
    process.exitCode = 1;
  })
  .finally(stopAll);
