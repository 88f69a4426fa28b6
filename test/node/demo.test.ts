import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { CommandIO } from '../../src/cli/command.ts';
import { runCli } from '../../src/cli/main.ts';
import { type DemoServer, startDemoServer } from '../../src/node/demo-server.ts';
import { diagnoseTarget } from '../../src/node/diagnose.ts';
import { probe } from '../../src/node/probe.ts';

function bufferIO(isTTY = false): CommandIO & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    out: (t: string) => {
      io.stdout += t;
    },
    err: (t: string) => {
      io.stderr += t;
    },
    outBytes: () => {},
    readStdin: async () => new Uint8Array(0),
    isTTY,
  };
  return io;
}

describe('the demo server', () => {
  let demo: DemoServer;
  beforeAll(async () => {
    demo = await startDemoServer();
  });
  afterAll(async () => {
    await demo.close();
  });

  test('completes TLS 1.3 with its name and shows its ECDSA certificate', async () => {
    const r = await probe(`${demo.host}:${demo.port}`, { serverName: demo.name, timeoutMs: 5000 });
    expect(r.outcome).toBe('server_hello');
    expect(r.serverHello?.version).toBe(0x0304);
    expect(r.certificates[0]?.subject).toBe(`CN=${demo.name}`);
    expect(r.certificates[0]?.publicKey.type).toBe('EC');
  });

  test('answers a hello without SNI with a fatal internal_error (80)', async () => {
    const r = await probe(`${demo.host}:${demo.port}`, { timeoutMs: 5000 });
    expect(r.outcome).toBe('alert');
    expect(r.alert).toMatchObject({ level: 2, description: 80 });
  });

  test('diagnosing it finds sni_required (alert 80) and tls12_auth (ECDSA accepted, RSA rejected with 40)', async () => {
    const d = await diagnoseTarget(`${demo.host}:${demo.port}`, { serverName: demo.name, timeoutMs: 20_000 });
    const sni = d.findings.find((f) => f.id === 'sni_required');
    expect(sni?.alert).toMatchObject({ description: 80, name: 'internal_error' });
    expect(sni?.withSni).toBe('server_hello');
    const auth = d.findings.find((f) => f.id === 'tls12_auth');
    expect(auth?.accepted).toEqual(['ECDSA']);
    expect(auth?.rejected).toEqual(['RSA']);
    expect(auth?.alert).toMatchObject({ description: 40, name: 'handshake_failure' });
    expect(d.findings.find((f) => f.id === 'versions')?.accepted).toEqual(['TLS 1.3', 'TLS 1.2']);
    expect(d.findings.find((f) => f.id === 'tolerance')).toBeDefined();
    expect(d.skipped).toEqual([]);
  });
});

describe('hellokit diagnose (CLI)', () => {
  test('with no target diagnoses the built-in demo server, in a few plain lines, exit 0', async () => {
    const io = bufferIO();
    const code = await runCli(['diagnose'], io);
    expect(code).toBe(0);
    expect(io.stdout).toMatch(/built-in demo server/);
    expect(io.stdout).toMatch(/ERROR sni_required .*alert 80 internal_error/);
    expect(io.stdout).toMatch(/WARN {2}tls12_auth .*alert 40 handshake_failure/);
    expect(io.stdout.split('\n').length).toBeLessThan(25);
    expect(io.stderr).toBe(''); // not a terminal: no progress line
  });

  test("README's npm start example is what it prints: each shown line, and the number of probes", async () => {
    const readme = readFileSync(join(process.cwd(), 'README.md'), 'utf8');
    const block = /runs (\d+) probes against it[^`]*```\n([\s\S]*?)```/.exec(readme);
    expect(block).not.toBeNull();
    const shown = block![2].split('\n').filter((line) => line.trim() !== '' && line.trim() !== '…');
    expect(shown.length).toBeGreaterThan(3);
    const io = bufferIO();
    expect(await runCli(['diagnose'], io)).toBe(0);
    for (const line of shown) expect(io.stdout).toContain(line);
    expect(io.stdout).toMatch(new RegExp(`: ${block![1]} probes in `));
  });

  test('--json prints the findings with the contract fields', async () => {
    const io = bufferIO();
    expect(await runCli(['diagnose', '--json', '--concurrency', '4'], io)).toBe(0);
    const json = JSON.parse(io.stdout);
    const sni = json.findings.find((f: { id: string }) => f.id === 'sni_required');
    expect(sni.alert.description).toBe(80);
    const auth = json.findings.find((f: { id: string }) => f.id === 'tls12_auth');
    expect(auth).toMatchObject({ accepted: ['ECDSA'], rejected: ['RSA'], alert: { description: 40 } });
    expect(json.probes.length).toBeGreaterThan(20);
    expect(json.working).toBe('baseline');
    expect(json.accepted).toEqual(['baseline', 'version.tls1.2']);
  });

  test('on a terminal a progress line with the total goes to stderr', async () => {
    const io = bufferIO(true);
    expect(await runCli(['diagnose'], io)).toBe(0);
    expect(io.stderr).toMatch(/\r\x1b\[K\d+\/\d+ probes {2}\S/);
  });

  test('an unknown flag exits 2 with a one-line message naming it', async () => {
    const io = bufferIO();
    expect(await runCli(['diagnose', '--nope'], io)).toBe(2);
    expect(io.stderr.trim().split('\n')).toHaveLength(1);
    expect(io.stderr).toMatch(/--nope/);
  });

  test('a bad target or bad --concurrency exits 2 naming what was wrong', async () => {
    const a = bufferIO();
    expect(await runCli(['diagnose', 'host:70000'], a)).toBe(2);
    expect(a.stderr).toMatch(/bad target/);
    const b = bufferIO();
    expect(await runCli(['diagnose', '--concurrency', '0'], b)).toBe(2);
    expect(b.stderr).toMatch(/--concurrency/);
  });

  test('a closed port is the unreachable finding and exit 3, not a tool failure', async () => {
    const io = bufferIO();
    expect(await runCli(['diagnose', '127.0.0.1:1', '--json'], io)).toBe(3);
    expect(JSON.parse(io.stdout).findings[0].id).toBe('unreachable');
  });
});
