import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  type ServeEvent,
  type ServeRequestEvent,
  type ServeServer,
  startServe,
} from '../../src/node/serve.ts';
import { chromium, chromiumAvailable, SERVE_NAME as NAME } from '../helpers/chromium.ts';

const available = chromiumAvailable();

describe.skipIf(!available)('hellokit serve in a real browser (Chromium)', () => {
  let server: ServeServer;
  const connections: ServeEvent[] = [];
  const requests: ServeRequestEvent[] = [];
  const profile = mkdtempSync(join(tmpdir(), 'hellokit-chromium-'));
  beforeAll(async () => {
    server = await startServe({
      timeoutMs: 5000,
      onConnection: (_l, e) => connections.push(e),
      onRequest: (_l, e) => requests.push(e),
    });
  });
  afterAll(async () => {
    await server.close();
    rmSync(profile, { recursive: true, force: true });
  });

  test("the page Chromium gets shows Chromium's own JA4 (t13d…h2, as serve logged it) and its HTTP/2 fingerprint", async () => {
    const { stdout } = await chromium(profile, ['--dump-dom', `https://${NAME}:${server.port}/`]);
    const shown = /id="fp-ja4">([^<]+)</.exec(stdout)?.[1];
    const request = requests.find((r) => r.path === '/');
    expect(request?.version).toBe('h2');
    const connection = connections.find((c) => c.remote === request?.remote);
    expect(connection?.serverName).toBe(NAME);
    expect(shown).toBe(connection?.ja4);
    expect(shown).toMatch(/^t13d\d{4}h2_[0-9a-f]{12}_[0-9a-f]{12}$/);
    expect(stdout).toContain(`id="fp-akamai">${request?.akamai?.replaceAll('&', '&amp;')}<`);
    // Chromium's settings and window (Chrome has sent these since version 106).
    expect(request?.akamai).toMatch(/^1:65536;2:0;4:6291456;6:262144\|15663105\|0\|m,a,s,p$/);
    expect(stdout).toMatch(/Looks like <b>Chromium [\d.]+/);
  });

  test('Chromium renders the page (a screenshot; HELLOKIT_UPDATE_SCREENSHOT=1 writes docs/serve-page.png)', async () => {
    const out = process.env.HELLOKIT_UPDATE_SCREENSHOT
      ? fileURLToPath(new URL('../../docs/serve-page.png', import.meta.url))
      : join(profile, 'serve.png');
    await chromium(join(profile, 'shot'), [
      '--hide-scrollbars',
      '--window-size=1100,1500',
      `--screenshot=${out}`,
      `https://${NAME}:${server.port}/`,
    ]);
    expect(statSync(out).size).toBeGreaterThan(20_000);
  });
});
