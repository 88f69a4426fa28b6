/**
 * `hellokit pcap --threads N`: worker threads decode and fingerprint what the reading thread
 * hands them, and the output is the one the reading thread alone writes, line for line and in
 * the same order. Runs the built CLI (tsc's dist/, whose worker script is dist/cli/pcap-worker.js)
 * in child processes, on a synthetic capture large enough for the workers to start (8 MiB).
 */
import { execFile } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuiltCli } from '../helpers/built-cli.ts';
import { fixtureHellos, syntheticCapture } from './helpers/synthetic-capture.ts';

const run = promisify(execFile);
const connections = 12_000;
let dir: string;
let capture: string;
let cli: string;

beforeAll(() => {
  ensureBuiltCli();
  cli = join(process.cwd(), 'dist/cli/main.js');
  dir = mkdtempSync(join(tmpdir(), 'hellokit-pcap-workers-'));
  capture = join(dir, 'many.pcap');
  const fd = openSync(capture, 'w');
  for (const chunk of syntheticCapture({ connections, hellos: fixtureHellos(), spacingMicros: 50_000 }))
    writeSync(fd, chunk);
  closeSync(fd);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function pcap(...args: string[]): Promise<{ stdout: string; stderr: string }> {
  return run(process.execPath, [cli, 'pcap', ...args, capture], { maxBuffer: 1 << 30 });
}

describe('hellokit pcap with worker threads', () => {
  it('writes the same NDJSON lines in the same order as with none, and the same summary', async () => {
    const [alone, workers] = await Promise.all([
      pcap('--json', '--threads', '0'),
      pcap('--json', '--threads', '2'),
    ]);
    const without = (s: string) => s.replace(/"elapsedMs":\d+/, '');
    const lines = workers.stdout.trim().split('\n');
    expect(lines).toHaveLength(connections + 1);
    // Connections come out in capture order: stream numbers rise line by line.
    const streams = lines.slice(0, -1).map((l) => JSON.parse(l).stream as number);
    expect(streams).toEqual([...streams].sort((x, y) => x - y));
    expect(without(workers.stdout)).toBe(without(alone.stdout));
    expect(JSON.parse(lines[connections])).toMatchObject({ type: 'summary', handshakes: connections });
    expect(workers.stderr).toBe(alone.stderr);
  }, 120_000);

  it('writes the same text output', async () => {
    const [alone, workers] = await Promise.all([pcap('--threads', '0'), pcap('--threads', '1')]);
    expect(workers.stdout.split('\n  ja4 ').length).toBe(connections + 1);
    expect(workers.stdout).toBe(alone.stdout);
  }, 120_000);

  it('refuses a thread count that is not a number', async () => {
    await expect(pcap('--threads', 'many')).rejects.toMatchObject({ code: 2 });
  });
});
