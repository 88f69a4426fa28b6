import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { CommandIO } from '../../src/cli/command.ts';
import { runCli } from '../../src/cli/main.ts';
import { describePeer, type Peer, startPeer, stopAll } from '../peers/index.ts';

const NAME = 'hellokit.test';

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CommandIO = {
    out: (t) => {
      out += t;
    },
    err: (t) => {
      err += t;
    },
    outBytes: () => {},
    readStdin: async () => new Uint8Array(0),
    isTTY: false,
  };
  const code = await runCli(args, io);
  return { code, out, err };
}

test('probe with no target, a bad port or a bad flag value is a usage error (exit 2)', async () => {
  expect((await cli(['probe'])).code).toBe(2);
  expect((await cli(['probe', '127.0.0.1:99999'])).err).toMatch(/port must be 1\.\.65535/);
  expect((await cli(['probe', '127.0.0.1:1', '--timeout', 'soon'])).code).toBe(2);
  expect((await cli(['probe', '127.0.0.1:1', '--groups', 'nosuchgroup'])).code).toBe(2);
});

test('a probe whose connection never opens says the hello was not sent, and exits 3 (unreachable)', async () => {
  const { code, out } = await cli(['probe', '127.0.0.1:1']);
  expect(code).toBe(3);
  expect(out).toMatch(/^→ ClientHello not sent to 127\.0\.0\.1:1 \(1 record\), TLS 1\.3\+1\.2, /m);
  expect(out).not.toMatch(/sent ClientHello/);
  expect(out).toMatch(/^= could not connect to 127\.0\.0\.1:1: ECONNREFUSED/m);
});

describePeer('caddy', () => {
  let caddy: Peer;
  const dir = mkdtempSync(join(tmpdir(), 'hellokit-probe-cli-'));
  beforeAll(async () => {
    caddy = await startPeer('caddy', { names: [NAME] });
  });
  afterAll(async () => {
    await stopAll();
    rmSync(dir, { recursive: true, force: true });
  });

  test('without --sni the story ends in internal_error and the hint to use --sni (exit 0)', async () => {
    const r = await cli(['probe', `127.0.0.1:${caddy.port}`]);
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n');
    expect(lines[0]).toMatch(
      /^→ sent ClientHello to 127\.0\.0\.1:\d+: \d+ bytes in 1 record, TLS 1\.3\+1\.2, .*no SNI/,
    );
    expect(r.out).toMatch(/← fatal alert internal_error \(80\)/);
    expect(lines[lines.length - 1]).toBe(
      '= fatal alert internal_error (80) — the hello had no SNI and this server picks certificates by name; try --sni NAME',
    );
  });

  test('--sni --json gives outcome, serverHello, certificates and timings; --keylog writes the secrets', async () => {
    const keylog = join(dir, 'keys.log');
    const r = await cli(['probe', `127.0.0.1:${caddy.port}`, '--sni', NAME, '--json', '--keylog', keylog]);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out);
    expect(json.outcome).toBe('server_hello');
    expect(json.serverHello).toMatchObject({
      version: 0x0304,
      cipherSuiteName: 'TLS_AES_128_GCM_SHA256',
      group: 0x001d,
    });
    expect(json.certificates[0]).toMatchObject({ subject: `CN=${NAME}`, subjectAltNames: [`DNS:${NAME}`] });
    expect(json.certificates[0].publicKey).toEqual({ type: 'EC', curve: 'P-256', size: 256 });
    expect(json.timings.totalMs).toBeGreaterThan(0);
    expect(json.finishedVerified).toBe(true);
    expect(readFileSync(keylog, 'utf8').trim().split('\n')).toHaveLength(5);
  });

  test('a TLS 1.2 hello with only RSA suites: handshake_failure and the ECDSA hint', async () => {
    const r = await cli([
      'probe',
      `127.0.0.1:${caddy.port}`,
      '--sni',
      NAME,
      '--tls',
      '1.2',
      '--ciphers',
      'ECDHE-RSA-AES128-GCM-SHA256:AES128-GCM-SHA256',
    ]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(
      /= fatal alert handshake_failure \(40\) — the hello offered only RSA-authenticated suites/,
    );
  });

  test('--keylog to a path that cannot be written is a usage error', async () => {
    const r = await cli(['probe', `127.0.0.1:${caddy.port}`, '--keylog', join(dir, 'missing', 'keys.log')]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/cannot write the key log/);
  });
});
