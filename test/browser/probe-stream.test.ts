/**
 * probeStream() in real browsers: headless Chromium and Firefox ESR (puppeteer-core) load the browser bundle
 * (`hellokit/browser`, built here as `npm run build` builds it), opens a WebSocket to a
 * WebSocket-to-TCP bridge on loopback in front of a real TLS server (openssl s_server), wraps
 * it with webSocketDuplex() and probes. What the page gets must be what probe() in Node gets
 * from the same server: the same engine over a different byte stream.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { fromHex, toHex } from '../../src/bytes/hex.ts';
import { summarizeCertificates } from '../../src/node/certificates.ts';
import { probe } from '../../src/node/probe.ts';
import { probeStream } from '../../src/probe/index.ts';
import type { ProbeResult } from '../../src/probe/types.ts';
import { webSocketDuplex } from '../../src/web-socket-duplex.ts';
import { buildBrowserBundle, describeBrowser, launchBrowser } from '../helpers/browsers.ts';
import { type Bridge, startBridge } from '../helpers/web-socket-bridge.ts';
import { describePeer, type Peer, startPeer } from '../peers/index.ts';

const NAME = 'hellokit.test';

/** A result as JSON can carry it out of the page: every Uint8Array as hex. */
type Carried = Record<string, unknown> & { certificates: string[] };
const carry = (r: ProbeResult<unknown>): Carried =>
  JSON.parse(JSON.stringify(r, (_k, v) => (v instanceof Uint8Array ? toHex(v) : v)));

/**
 * What must not differ between two probes of one server with one hello: the outcome, what the
 * ServerHello negotiated and which extensions it carried, the server's flight, the Finished
 * check and the violations (the randoms, key shares and timings differ on every connection).
 */
function negotiated(r: Carried) {
  const hello = r.serverHello as Record<string, unknown> | undefined;
  const types = (list: unknown) => (list as { type: number }[] | undefined)?.map((e) => e.type);
  return {
    outcome: r.outcome,
    stopReason: r.stopReason,
    alerts: r.alerts,
    error: r.error,
    serverHello: hello && {
      version: hello.version,
      versionName: hello.versionName,
      cipherSuite: hello.cipherSuite,
      cipherSuiteName: hello.cipherSuiteName,
      group: hello.group,
      groupName: hello.groupName,
      alpn: hello.alpn,
      downgrade: hello.downgrade,
      extensions: types(hello.extensions),
    },
    encryptedExtensions: types(r.encryptedExtensions),
    serverMessages: r.serverMessages,
    certificateRequested: r.certificateRequested,
    finishedVerified: r.finishedVerified,
    violations: r.violations,
  };
}

/** The page-side probe: the bundle's probeStream over a WebSocket to the bridge, the result as JSON. */
const probeInPage = (page: Page, options: Record<string, unknown>): Promise<Carried> =>
  page.evaluate(`(async () => {
    const { probeStream, toHex, webSocketDuplex } = await import('/hellokit.js');
    const socket = new WebSocket('ws://' + location.host + '/bridge');
    const r = await probeStream(webSocketDuplex(socket), ${JSON.stringify(options)});
    return JSON.parse(JSON.stringify(r, (k, v) => (v instanceof Uint8Array ? toHex(v) : v)));
  })()`) as Promise<Carried>;

describePeer('openssl', () => {
  let work: string;
  /** openssl s_server with TLS 1.2 and 1.3, and one with TLS 1.2 only, each behind a bridge. */
  const servers: Partial<Record<'tls13' | 'tls12', { peer: Peer; bridge: Bridge }>> = {};
  const server = (which: 'tls13' | 'tls12') => {
    const s = servers[which];
    if (!s) throw new Error(`the ${which} server did not start`);
    return s;
  };
  /** What probe() in Node gets from the same server. */
  const inNode = async ({ peer }: { peer: Peer }) =>
    carry(await probe({ host: peer.host, port: peer.port }, { serverName: NAME }));

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'hellokit-probe-stream-'));
    await buildBrowserBundle(join(work, 'hellokit.js'));
    const files = {
      '/': { type: 'text/html; charset=utf-8', body: '<!doctype html><title>probeStream</title>' },
      '/hellokit.js': {
        type: 'text/javascript; charset=utf-8',
        body: readFileSync(join(work, 'hellokit.js'), 'utf8'),
      },
    };
    for (const [which, versions] of [
      ['tls13', ['TLS1.2', 'TLS1.3']],
      ['tls12', ['TLS1.2']],
    ] as const) {
      const peer = await startPeer('openssl', { names: [NAME], versions: [...versions] });
      servers[which] = { peer, bridge: await startBridge(peer, files) };
    }
  });
  afterAll(async () => {
    for (const s of Object.values(servers)) {
      await s.bridge.close();
      await s.peer.stop();
    }
    if (work) await rm(work, { recursive: true, force: true });
  });

  for (const [name, title] of [
    ['chromium', 'Chromium'],
    ['firefox', 'Firefox ESR'],
  ] as const) {
    describeBrowser(name, `probeStream in ${title}, through a WebSocket-to-TCP bridge`, () => {
      let browser: Browser;
      beforeAll(async () => {
        browser = await launchBrowser(name);
      });
      afterAll(async () => {
        await browser?.close();
      });
      /** A page on the bridge's origin (it serves the bundle too). */
      const pageAt = async (bridge: Bridge): Promise<Page> => {
        const page = await browser.newPage();
        await page.goto(`http://127.0.0.1:${bridge.port}/`, { waitUntil: 'load' });
        return page;
      };

      test('TLS 1.3: the page gets what probe() gets — version, suite, group, the decrypted certificate, a verified Finished', async () => {
        const { peer, bridge } = server('tls13');
        const page = await pageAt(bridge);
        const before = bridge.connections();
        const options = { serverName: NAME, target: { host: peer.host, port: peer.port } };
        const inPage = await probeInPage(page, options);
        await page.close();
        const expected = await inNode(server('tls13'));
        expect(bridge.connections()).toBe(before + 1);
        expect(inPage.target).toEqual(options.target);
        expect(negotiated(inPage)).toEqual(negotiated(expected));
        expect(negotiated(inPage)).toMatchObject({
          outcome: 'server_hello',
          serverHello: { versionName: 'TLS 1.3' },
          finishedVerified: true,
        });
        // The page has raw DER (the core has no X.509 parser); summarised in Node, it is probe()'s chain.
        expect(inPage.certificates.length).toBeGreaterThan(0);
        expect(await summarizeCertificates(inPage.certificates.map((c) => fromHex(c)))).toEqual(
          expected.certificates,
        );
        expect(
          (expected.certificates as unknown as { subjectAltNames: string[] }[])[0].subjectAltNames,
        ).toEqual([`DNS:${NAME}`]);
      });

      test('TLS 1.2 only: the page reads the plaintext certificate and the server key exchange as probe() does', async () => {
        const page = await pageAt(server('tls12').bridge);
        const inPage = await probeInPage(page, { serverName: NAME });
        await page.close();
        const expected = await inNode(server('tls12'));
        expect(negotiated(inPage)).toEqual(negotiated(expected));
        expect(negotiated(inPage).serverHello?.versionName).toBe('TLS 1.2');
        expect((inPage.serverKeyExchange as { groupName?: string } | undefined)?.groupName).toBe(
          (expected.serverKeyExchange as { groupName?: string } | undefined)?.groupName,
        );
        expect(await summarizeCertificates(inPage.certificates.map((c) => fromHex(c)))).toEqual(
          expected.certificates,
        );
      });
    });
  }

  test('webSocketDuplex in Node (the ws package) through the same bridge: the same answer again', async () => {
    const socket = new WebSocket(`ws://127.0.0.1:${server('tls13').bridge.port}/bridge`);
    const r = await probeStream(webSocketDuplex(socket), { serverName: NAME, summarizeCertificates });
    const expected = await inNode(server('tls13'));
    expect(negotiated(carry(r))).toEqual(negotiated(expected));
    expect(carry(r).certificates).toEqual(expected.certificates);
  });
});

describe('webSocketDuplex', () => {
  test('a bridge whose server refuses the TCP connection: the WebSocket closes with 1011 and the probe says so', async () => {
    // A bridge to a port nothing listens on (the bridge's own port, closed again).
    const probeBridge = await startBridge({ host: '127.0.0.1', port: 1 });
    try {
      const socket = new WebSocket(`ws://127.0.0.1:${probeBridge.port}/bridge`);
      const r = await probeStream(webSocketDuplex(socket), { serverName: NAME, timeoutMs: 10_000 });
      expect(r.outcome).not.toBe('server_hello');
      expect(r.error).toBe('the WebSocket closed with code 1011: ECONNREFUSED');
    } finally {
      await probeBridge.close();
    }
  });

  test('a WebSocket that cannot connect: the probe reports it, it does not hang', async () => {
    const gone = await startBridge({ host: '127.0.0.1', port: 1 });
    const port = gone.port;
    await gone.close();
    const r = await probeStream(webSocketDuplex(new WebSocket(`ws://127.0.0.1:${port}/bridge`)), {
      timeoutMs: 10_000,
    });
    expect(r.outcome).not.toBe('server_hello');
    expect(r.error).toMatch(/^the WebSocket (could not connect|failed|closed before it opened)/);
  });

  test('a text message (no bridge sends one) fails the stream: the probe names it', async () => {
    // Not a bridge: a WebSocket server that answers the hello with text, which a byte stream cannot carry.
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    server.on('connection', (ws) => ws.once('message', () => ws.send('HTTP/1.1 400 Bad Request')));
    await new Promise((r) => server.once('listening', r));
    try {
      const { port } = server.address() as { port: number };
      const r = await probeStream(webSocketDuplex(new WebSocket(`ws://127.0.0.1:${port}/`)), {
        timeoutMs: 10_000,
      });
      expect(r.outcome).not.toBe('server_hello');
      expect(r.error).toBe('the WebSocket sent a text message; a TCP bridge sends binary only');
    } finally {
      for (const ws of server.clients) ws.terminate();
      await new Promise((r) => server.close(r));
    }
  });

  test('a closed WebSocket or something else is refused with a TypeError', async () => {
    expect(() => webSocketDuplex({} as never)).toThrow(
      new TypeError('"socket" expected a WebSocket (send, close, addEventListener)'),
    );
    const closed = { binaryType: '', readyState: 3, send() {}, close() {}, addEventListener() {} };
    expect(() => webSocketDuplex(closed)).toThrow(
      new TypeError('"socket" expected a connecting or open WebSocket, got readyState 3'),
    );
  });
});
