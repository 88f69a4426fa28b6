import { execFile } from 'node:child_process';
import { connect as http2Connect } from 'node:http2';
import { connect } from 'node:net';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type ServeRequestEvent, type ServeServer, startServe } from '../../src/node/serve.ts';
import { serveInProcess } from '../cli/run.ts';

const run = promisify(execFile);

/** curl -sk with `args`; resolves stdout (with -i, the head too). */
async function curl(port: number, path: string, args: string[] = []): Promise<string> {
  const { stdout } = await run('curl', [
    '-sk',
    '--max-time',
    '5',
    ...args,
    `https://127.0.0.1:${port}${path}`,
  ]);
  return stdout;
}

function head(response: string): { status: number; headers: Record<string, string>; body: string } {
  const split = response.indexOf('\r\n\r\n');
  const lines = response.slice(0, split).split('\r\n');
  const headers: Record<string, string> = {};
  for (const l of lines.slice(1))
    headers[l.slice(0, l.indexOf(':')).toLowerCase()] = l.slice(l.indexOf(':') + 1).trim();
  return { status: Number(lines[0].split(' ')[1]), headers, body: response.slice(split + 4) };
}

describe('hellokit serve: content for each client', () => {
  let server: ServeServer;
  const requests: ServeRequestEvent[] = [];
  beforeAll(async () => {
    server = await startServe({ timeoutMs: 3000, onRequest: (_l, e) => requests.push(e) });
  });
  afterAll(() => server.close());

  test('a browser (Accept: text/html) gets one self-contained HTML page with the hello, fingerprints and hex', async () => {
    const r = head(await curl(server.port, '/', ['-i', '-H', 'Accept: text/html,application/xhtml+xml']));
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.body).toMatch(/^<!doctype html>/);
    expect(r.body).toContain('<meta name="viewport"');
    expect(r.body).toMatch(/id="fp-ja4">t13[di]\d{4}h2_[0-9a-f]{12}_[0-9a-f]{12}</);
    expect(r.body).toContain('data-copy="fp-ja4"');
    expect(r.body).toContain('TLS_AES_256_GCM_SHA384');
    expect(r.body).toContain('HTTP/2 (Akamai)');
    expect(r.body).toContain('records[0].content_type');
    // No external assets: nothing is loaded from anywhere else.
    expect(r.body).not.toMatch(/<(script|link|img)[^>]+(src|href)=/);
  });

  test('curl gets text on /; /json and /api/all give the same JSON with CORS, over HTTP/1.1 and HTTP/2', async () => {
    expect(await curl(server.port, '/')).toMatch(/^Your ClientHello: \d+ bytes/);
    for (const [path, version] of [
      ['/json', '--http1.1'],
      ['/api/all', '--http2'],
    ]) {
      const r = head(await curl(server.port, path, ['-i', version]));
      expect(r.status).toBe(200);
      expect(r.headers['content-type']).toBe('application/json');
      expect(r.headers['access-control-allow-origin']).toBe('*');
      const body = JSON.parse(r.body);
      expect(body.schema).toBe('hellokit.serve/1');
      expect(body.tls.hello.type).toBe('client_hello');
      expect(body.http.version).toBe(version === '--http2' ? 'h2' : 'http/1.1');
      expect(body.http.userAgent).toMatch(/^curl\//);
      expect(body.knownClients.map((k: { preset: string }) => k.preset)).toEqual(
        version === '--http2' ? ['curl'] : [],
      );
    }
  });

  test("over HTTP/2 curl's SETTINGS, WINDOW_UPDATE and pseudo-header order make its Akamai fingerprint", async () => {
    const body = JSON.parse(await curl(server.port, '/api/all', ['--http2']));
    expect(body.http.headerOrder.slice(0, 4)).toEqual([':method', ':path', ':scheme', ':authority']);
    const settings = body.http.settings
      .map((s: { id: number; value: number }) => `${s.id}:${s.value}`)
      .join(';');
    expect(body.http.akamai).toBe(`${settings}|${body.http.windowUpdate}|0|m,p,s,a`);
    // nghttp2 (curl's HTTP/2) asks for 100 streams and turns server push off.
    expect(body.http.settings).toContainEqual({ id: 3, value: 100 });
    expect(body.http.settings).toContainEqual({ id: 2, value: 0 });
    expect(body.http.akamaiHash).toMatch(/^[0-9a-f]{32}$/);
  });

  test("Node's HTTP/2 client with Chrome's settings gets Chrome's Akamai fingerprint text on /api/clean", async () => {
    const session = http2Connect(`https://127.0.0.1:${server.port}`, {
      rejectUnauthorized: false,
      settings: {
        headerTableSize: 65536,
        enablePush: false,
        initialWindowSize: 6291456,
        maxHeaderListSize: 262144,
      },
    });
    session.on('connect', () => session.setLocalWindowSize(15728640));
    const text = await new Promise<string>((resolve, reject) => {
      const req = session.request({
        ':method': 'GET',
        ':authority': `127.0.0.1:${server.port}`,
        ':scheme': 'https',
        ':path': '/api/clean',
      });
      let data = '';
      req.on('data', (d) => {
        data += d;
      });
      req.on('end', () => resolve(data));
      req.on('error', reject);
    });
    session.close();
    const clean = JSON.parse(text);
    expect(clean.schema).toBe('hellokit.serve-clean/1');
    expect(Object.keys(clean).sort()).toEqual(
      [
        'schema',
        'ja3',
        'ja3Full',
        'ja4',
        'ja4_r',
        'ja4_o',
        'ja4_ro',
        'akamai',
        'akamaiHash',
        'knownClients',
      ].sort(),
    );
    expect(clean.akamai).toMatch(/^1:65536;2:0;4:6291456;6:262144\|15663105\|0\|/);
    expect(requests.some((e) => e.path === '/api/clean' && e.akamai === clean.akamai)).toBe(true);
  });

  test('a preflight gets 204 with CORS; another path gets 404 naming the paths there are', async () => {
    const pre = head(await curl(server.port, '/json', ['-i', '-X', 'OPTIONS', '--http1.1']));
    expect(pre.status).toBe(204);
    expect(pre.headers['access-control-allow-origin']).toBe('*');
    const missing = head(await curl(server.port, '/nope', ['-i', '--http1.1']));
    expect(missing.status).toBe(404);
    expect(missing.body).toMatch(/try \/, \/json, \/api\/all, \/api\/clean or \/inspect/);
  });

  test('a plain-HTTP request on the TLS port gets a 400 that says to use https', async () => {
    const { stdout } = await run('curl', ['-s', '-i', '--max-time', '5', `http://127.0.0.1:${server.port}/`]);
    const r = head(stdout);
    expect(r.status).toBe(400);
    expect(r.body).toBe(`This port speaks HTTPS: use https://127.0.0.1:${server.port}/\n`);
  });
});

describe('hellokit serve --json', () => {
  test('logs one NDJSON object per connection and per request on stdout', async () => {
    // Port 0: the server picks a free one and says which on its first line.
    const { io, port, stop } = await serveInProcess(['--json']);
    await curl(port, '/api/clean', ['--http2']);
    expect(await stop()).toBe(0);
    const lines = io.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.schema, l.event])).toEqual([
      ['hellokit.serve-log/1', 'connection'],
      ['hellokit.serve-log/1', 'request'],
    ]);
    expect(lines[0].ja4).toMatch(/^t13/);
    expect(lines[1].path).toBe('/api/clean');
    expect(lines[1].akamai).toMatch(/\|m,p,s,a$/);
  });
});

describe('hellokit serve under exhaustion', () => {
  test('connections that never finish a hello make room for a client that does', async () => {
    const server = await startServe({ timeoutMs: 5000, maxConnections: 20 });
    const idle = Array.from({ length: 40 }, () => {
      const s = connect(server.port, '127.0.0.1');
      s.on('error', () => {});
      s.write(Uint8Array.of(0x16));
      return s;
    });
    try {
      await new Promise((r) => setTimeout(r, 300));
      expect(await curl(server.port, '/')).toMatch(/^Your ClientHello/);
      expect(server.dropped.evicted).toBeGreaterThan(0);
    } finally {
      for (const s of idle) s.destroy();
      await server.close();
    }
  });
});
