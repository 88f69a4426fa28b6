import { execFile, spawn } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { connect, createServer, type Socket } from 'node:net';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { CommandIO } from '../../src/cli/command.ts';
import { runCli } from '../../src/cli/main.ts';
import { ja3 } from '../../src/fingerprint/ja3.ts';
import { ja4All } from '../../src/fingerprint/ja4.ts';
import { readClientHello } from '../../src/node/read-client-hello.ts';
import { type ServeEvent, type ServeServer, startServe } from '../../src/node/serve.ts';

const run = promisify(execFile);

/**
 * The hello a client really sends, caught by a plain TCP listener with readClientHello (then
 * the connection is dropped), so serve's answer can be compared with ja4All of it.
 */
async function captureHello(client: (port: number) => Promise<unknown>) {
  let peeked: Awaited<ReturnType<typeof readClientHello>> | undefined;
  const sockets: Socket[] = [];
  const server = createServer(async (s) => {
    sockets.push(s);
    s.on('error', () => {});
    peeked = await readClientHello(s, { timeoutMs: 3000 }).catch(() => undefined);
    s.destroy();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  await client((server.address() as { port: number }).port).catch(() => {});
  for (const s of sockets) s.destroy();
  await new Promise<void>((r) => server.close(() => r()));
  return peeked!;
}

function curl(port: number, extra: string[] = []): Promise<string> {
  return run('curl', ['-sk', '--max-time', '5', ...extra, `https://127.0.0.1:${port}/`]).then(
    (r) => r.stdout,
  );
}

function sClient(port: number, servername: string): Promise<string> {
  return new Promise((resolve) => {
    const p = spawn(
      'openssl',
      ['s_client', '-connect', `127.0.0.1:${port}`, '-servername', servername, '-quiet'],
      {
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    let out = '';
    p.stdout.on('data', (d) => {
      out += d;
    });
    p.on('close', () => resolve(out));
    setTimeout(() => p.kill(), 5000).unref();
  });
}

describe('hellokit serve', () => {
  let server: ServeServer;
  let jsonServer: ServeServer;
  const events: ServeEvent[] = [];
  beforeAll(async () => {
    server = await startServe({ onConnection: (_line, e) => events.push(e), timeoutMs: 3000 });
    jsonServer = await startServe({ json: true, timeoutMs: 3000 });
  });
  afterAll(async () => {
    await server.close();
    await jsonServer.close();
  });

  test('presents a fresh self-signed ECDSA P-256 certificate for localhost, 127.0.0.1 and ::1, valid from an hour ago to 30 days ahead', () => {
    const x = new X509Certificate(server.certificate);
    expect(x.subject).toBe('CN=localhost');
    expect(x.issuer).toBe('CN=localhost');
    expect(x.subjectAltName).toBe('DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1');
    expect(x.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expect(x.verify(x.publicKey)).toBe(true);
    expect(x.ca).toBe(false);
    expect(x.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
    const from = Date.parse(x.validFrom);
    const to = Date.parse(x.validTo);
    expect(Math.abs(Date.now() - 3_600_000 - from)).toBeLessThan(120_000);
    expect(to - from).toBe(30 * 86_400_000 + 3_600_000);
    expect(x.checkHost('localhost')).toBe('localhost');
    expect(x.checkIP('::1')).toBe('::1');
  });

  test('answers curl over HTTP with its own hello, and the JA4 matches ja4All of what curl sends', async () => {
    const expected = await captureHello((port) => curl(port, ['--tls-max', '1.3']));
    const page = await curl(server.port, ['--tls-max', '1.3']);
    expect(page).toMatch(/^Your ClientHello: \d+ bytes/);
    expect(page).toContain(`JA4                  ${ja4All(expected.hello).ja4}\n`);
    expect(page).toContain(`JA4_ro               ${ja4All(expected.hello).ja4_ro}\n`);
    expect(page).toContain('TLS_AES_256_GCM_SHA384');
    // The curl here is the one the curl preset was captured from.
    expect(page).toMatch(/^ {2}looks like {11}curl [\d.]+ .*\(hellokit's curl preset has the same JA4\)$/m);
  });

  test('--json answers / with the serve schema, the hello in the decode --json view', async () => {
    const expected = await captureHello((port) => curl(port));
    const all = JSON.parse(await curl(jsonServer.port));
    expect(all.schema).toBe('hellokit.serve/1');
    const view = all.tls.hello;
    expect(view.type).toBe('client_hello');
    expect(view.ja4).toBe(ja4All(expected.hello).ja4);
    // JA4's sorted form does not depend on the random parts of the hello; JA3 neither.
    expect(view.ja3).toBe(ja3(expected.hello));
    expect(view.serverName).toBeNull();
    expect(view.alpn).toContain('http/1.1');
  });

  test('answers openssl s_client (which sends no request) with the bare page, SNI included', async () => {
    const expected = await captureHello((port) => sClient(port, 'serve.hellokit.test'));
    const page = await sClient(server.port, 'serve.hellokit.test');
    expect(page).toContain('server name          serve.hellokit.test');
    expect(page).toContain(`JA4                  ${ja4All(expected.hello).ja4}`);
  });

  test('reports one line per connection, and a client that sends no TLS is reported and dropped', async () => {
    const before = events.length;
    await curl(server.port);
    const s = await new Promise<Socket>((resolve) => {
      const c = connect(server.port, '127.0.0.1', () => resolve(c));
    });
    s.on('error', () => {});
    s.write('hello?\r\n');
    await new Promise<void>((r) => s.on('close', () => r()));
    expect(events.length).toBe(before + 2);
    expect(events[before].ja4).toMatch(/^t1[23]i/);
    expect(events[before].knownClients?.map((k) => k.preset)).toEqual(['curl']);
    expect(events[before + 1].error).toMatch(/not speak TLS/);
  });
});

describe('hellokit serve (CLI)', () => {
  const io = (): CommandIO & { stderr: string } => {
    const o = {
      stderr: '',
      out: () => {},
      err: (t: string) => {
        o.stderr += t;
      },
      outBytes: () => {},
      readStdin: async () => new Uint8Array(0),
      isTTY: false,
    };
    return o;
  };

  test('a bad --port exits 2 naming the flag', async () => {
    const o = io();
    expect(await runCli(['serve', '--port', 'x'], o)).toBe(2);
    expect(o.stderr).toMatch(/--port/);
  });

  test('--cert without --key exits 2', async () => {
    const o = io();
    expect(await runCli(['serve', '--cert', '/nonexistent'], o)).toBe(2);
    expect(o.stderr).toMatch(/--cert needs --key/);
  });

  test('a port already in use exits 2 with one line', async () => {
    const busy = createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
    try {
      const o = io();
      const port = (busy.address() as { port: number }).port;
      expect(await runCli(['serve', '--port', String(port)], o)).toBe(2);
      expect(o.stderr.trim().split('\n')).toHaveLength(1);
      expect(o.stderr).toMatch(/EADDRINUSE/);
    } finally {
      busy.close();
    }
  });
});
