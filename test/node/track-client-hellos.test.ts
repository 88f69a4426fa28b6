import { execFile } from 'node:child_process';
import { createSecureServer, type ServerHttp2Stream } from 'node:http2';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createTcpServer, type Socket } from 'node:net';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, test } from 'vitest';
import { ja4All } from '../../src/fingerprint/ja4.ts';
import { readClientHello } from '../../src/node/read-client-hello.ts';
import { selfSignedCertificate } from '../../src/node/self-signed.ts';
import { clientHelloOf, trackClientHellos } from '../../src/node/track-client-hellos.ts';
import { describeBrowser, launchBrowser, SERVE_NAME } from '../helpers/browsers.ts';

const run = promisify(execFile);

/** What curl really sends, caught on a plain TCP listener (the connection is then dropped). */
async function curlHello(args: string[]): Promise<string> {
  let ja4 = '';
  const sockets: Socket[] = [];
  const tcp = createTcpServer(async (s) => {
    sockets.push(s);
    s.on('error', () => {});
    const peeked = await readClientHello(s, { timeoutMs: 3000 }).catch(() => undefined);
    if (peeked) ja4 = ja4All(peeked.hello).ja4;
    s.destroy();
  });
  await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', r));
  await run('curl', [
    '-sk',
    '--max-time',
    '3',
    ...args,
    `https://127.0.0.1:${(tcp.address() as { port: number }).port}/`,
  ]).catch(() => {});
  for (const s of sockets) s.destroy();
  await new Promise<void>((r) => tcp.close(() => r()));
  return ja4;
}

describe('trackClientHellos', () => {
  let cert: string;
  let key: string;
  beforeAll(async () => {
    ({ cert, key } = await selfSignedCertificate(['localhost']));
  });

  test('an https.Server: each request sees the hello its connection came with, and the handshake is unchanged', async () => {
    const server = trackClientHellos(
      createHttpsServer({ cert, key }, (req, res) => {
        const h = clientHelloOf(req.socket);
        res.end(
          JSON.stringify({
            ja4: h?.ja4,
            ja3: h?.ja3,
            sni: h?.serverName,
            known: h?.knownClients.map((k) => k.preset),
          }),
        );
      }),
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    try {
      const { stdout } = await run('curl', [
        '-sk',
        '--max-time',
        '5',
        '--http1.1',
        `https://127.0.0.1:${port}/`,
      ]);
      const seen = JSON.parse(stdout);
      expect(seen.ja4).toBe(await curlHello(['--http1.1']));
      expect(seen.ja3).toMatch(/^[0-9a-f]{32}$/);
      expect(seen.sni).toBeNull();
      // Named by the SNI: a name reaches the server as sent.
      const named = JSON.parse(
        (
          await run('curl', [
            '-sk',
            '--max-time',
            '5',
            '--http1.1',
            '--resolve',
            `track.hellokit.test:${port}:127.0.0.1`,
            `https://track.hellokit.test:${port}/`,
          ])
        ).stdout,
      );
      expect(named.sni).toBe('track.hellokit.test');
    } finally {
      server.close();
    }
  });

  test('an HTTP/2 secure server: the hello is on the session socket of each stream', async () => {
    const server = trackClientHellos(createSecureServer({ cert, key }));
    server.on('stream', (stream: ServerHttp2Stream) => {
      const h = clientHelloOf(stream.session!.socket);
      stream.respond({ ':status': 200 });
      stream.end(JSON.stringify({ ja4: h?.ja4, known: h?.knownClients.map((k) => k.preset) }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    try {
      const seen = JSON.parse(
        (await run('curl', ['-sk', '--max-time', '5', '--http2', `https://127.0.0.1:${port}/`])).stdout,
      );
      expect(seen.ja4).toBe(await curlHello(['--http2']));
      expect(seen.known).toEqual(['curl']);
    } finally {
      server.close();
    }
  });

  test("a client that sends no TLS still gets the TLS server's own answer (bytes are put back)", async () => {
    const server = trackClientHellos(createHttpsServer({ cert, key }, (_req, res) => res.end('ok')));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    try {
      const result = await run('curl', ['-s', '--max-time', '5', `http://127.0.0.1:${port}/`]).then(
        () => 0,
        (e: { code: number }) => e.code,
      );
      // curl sees the TLS server's reply to a plain-HTTP request: not an HTTP answer (exit 52 or 56).
      expect([52, 56]).toContain(result);
      const { stdout } = await run('curl', ['-sk', '--max-time', '5', `https://127.0.0.1:${port}/`]);
      expect(stdout).toBe('ok');
    } finally {
      server.close();
    }
  });
});

describeBrowser('chromium', 'trackClientHellos with a real browser', () => {
  test('Chromium through an http2 server: its JA4 is the one with SNI and h2, known as chromium', async () => {
    const { cert, key } = await selfSignedCertificate([SERVE_NAME]);
    const server = trackClientHellos(createSecureServer({ cert, key }));
    let seen: string | undefined;
    server.on('stream', (stream: ServerHttp2Stream) => {
      const h = clientHelloOf(stream.session!.socket);
      seen ??= h?.ja4;
      stream.respond({ ':status': 200, 'content-type': 'text/html' });
      stream.end(
        `<p id="ja4">${h?.ja4}</p><p id="known">${h?.knownClients.map((k) => k.preset).join(',')}</p>`,
      );
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const browser = await launchBrowser('chromium');
    try {
      const page = await browser.newPage();
      await page.goto(`https://${SERVE_NAME}:${port}/`);
      const shown = await page.$eval('#ja4', (e) => e.textContent);
      const known = await page.$eval('#known', (e) => e.textContent);
      expect(seen).toMatch(/^t13d\d{4}h2_/);
      expect(shown).toBe(seen);
      expect(known).toBe('chrome');
    } finally {
      await browser.close();
      server.close();
    }
  }, 90_000);
});
