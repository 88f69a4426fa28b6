/**
 * readClientHello and `hellokit serve` against misbehaving clients: each case ends in the
 * readClientHello error code docs/hostile-clients.md lists for it, within the server's
 * timeout, and the server lets go of the socket (getConnections back to 0).
 */
import type { Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { notTlsReason } from '../../src/records/not-tls.ts';
import {
  closedWithin,
  drained,
  dribbling,
  helloBytes,
  type Limits,
  openClient,
  type Recorded,
  seededBytes,
  sleep,
  startPeekTarget,
  startServeTarget,
  type Target,
  tlsRecord,
} from './clients.ts';

const LIMITS: Limits = { timeoutMs: 500, maxBytes: 2048 };
/** Slack over the timeout for timers and teardown on a loaded 2-core machine. */
const SLACK_MS = 1000;

const TARGETS: readonly [string, (limits: Limits) => Promise<Target>][] = [
  ['readClientHello', startPeekTarget],
  ['hellokit serve', startServeTarget],
];

interface Run {
  readonly record: Recorded;
  /**
   * ms from before the client connects to the server hanging up: it starts before the server's
   * accept, so a server timer that fires early shows even when the client's connect event is
   * late (a loaded machine).
   */
  readonly elapsedMs: number;
}

/**
 * Connects, lets `behave` misbehave, waits for the server to hang up, and returns what the
 * server recorded for this connection.
 */
async function misbehave(target: Target, behave: (s: Socket) => void | Promise<void>): Promise<Run> {
  const started = Date.now();
  const s = await openClient(target.port);
  const port = s.localPort!;
  await behave(s);
  const closed = await closedWithin(s, LIMITS.timeoutMs + SLACK_MS);
  const elapsedMs = Date.now() - started;
  expect(closed, 'the server did not hang up within its timeout').toBe(true);
  const record = await target.recorded(port);
  expect(record, `the server recorded nothing for client port ${port}`).toBeDefined();
  return { record: record!, elapsedMs };
}

for (const [label, start] of TARGETS) {
  describe(`hostile clients against ${label}`, () => {
    let target: Target;
    beforeAll(async () => {
      target = await start(LIMITS);
    });
    afterAll(() => target.close());
    afterEach(async () => {
      expect(await drained(target), 'connections left open on the server').toBe(0);
      target.forget();
    });

    test('a padded hello past maxBytes is too-large, at once', async () => {
      const bytes = helloBytes({ padding: 3000 });
      expect(bytes.length).toBeGreaterThan(LIMITS.maxBytes);
      const { record, elapsedMs } = await misbehave(target, (s) => {
        s.write(bytes);
      });
      expect(record.outcome, record.message).toBe('too-large');
      expect(record.message).toMatch(/larger than 2048 bytes|limit 2048/);
      expect(elapsedMs).toBeLessThan(LIMITS.timeoutMs);
    });

    test('a handshake header claiming a 16 MB ClientHello is too-large, at once', async () => {
      const { record, elapsedMs } = await misbehave(target, (s) => {
        s.write(tlsRecord(22, Uint8Array.of(1, 0xff, 0xff, 0xff, 3, 3, 0, 0)));
      });
      expect(record.outcome, record.message).toBe('too-large');
      expect(elapsedMs).toBeLessThan(LIMITS.timeoutMs);
    });

    test('a hello cut into 1-byte records (6 bytes on the wire per byte) is too-large past maxBytes', async () => {
      const body = new Uint8Array(4 + 2000);
      body.set([1, 0, 0x07, 0xd0]); // client_hello, 2000 bytes: under maxBytes itself
      const records = Array.from(body, (b) => tlsRecord(22, Uint8Array.of(b)));
      const { record, elapsedMs } = await misbehave(target, (s) => {
        s.write(Buffer.concat(records));
      });
      expect(record.outcome, record.message).toBe('too-large');
      expect(record.message).toMatch(/\(limit 2048\)/);
      if (record.bytes !== undefined) expect(record.bytes).toBeLessThan(LIMITS.maxBytes + 65_536);
      expect(elapsedMs).toBeLessThan(LIMITS.timeoutMs);
    });

    test('one byte per second is a timeout after timeoutMs, with one byte read', async () => {
      const bytes = helloBytes();
      let timer: NodeJS.Timeout | undefined;
      const { record, elapsedMs } = await misbehave(target, (s) => {
        let i = 0;
        const drip = () => {
          if (s.destroyed || i >= bytes.length) return;
          s.write(bytes.subarray(i, i + 1));
          i++;
          timer = setTimeout(drip, 1000);
        };
        drip();
      });
      clearTimeout(timer);
      expect(record.outcome, record.message).toBe('timeout');
      expect(record.message).toMatch(/no complete ClientHello within 500 ms \(got 1 bytes\)/);
      expect(elapsedMs).toBeGreaterThanOrEqual(LIMITS.timeoutMs - 5);
      expect(elapsedMs).toBeLessThan(LIMITS.timeoutMs + SLACK_MS);
    });

    test('a byte every 50 ms (each in time, the hello never) is a timeout for the whole hello', async () => {
      const bytes = helloBytes();
      let timer: NodeJS.Timeout | undefined;
      const { record, elapsedMs } = await misbehave(target, (s) => {
        let i = 0;
        const drip = () => {
          if (s.destroyed || i >= bytes.length) return;
          s.write(bytes.subarray(i, i + 1));
          i++;
          timer = setTimeout(drip, 50);
        };
        drip();
      });
      clearTimeout(timer);
      expect(record.outcome, record.message).toBe('timeout');
      const got = Number(/got (\d+) bytes/.exec(record.message)?.[1]);
      expect(got).toBeGreaterThanOrEqual(3);
      expect(got).toBeLessThan(bytes.length);
      expect(elapsedMs).toBeLessThan(LIMITS.timeoutMs + SLACK_MS);
    });

    test('half a hello, then FIN, is closed with the half it sent', async () => {
      const bytes = helloBytes();
      const half = bytes.length >> 1;
      const { record, elapsedMs } = await misbehave(target, (s) => {
        s.end(bytes.subarray(0, half));
      });
      expect(record.outcome, record.message).toBe('closed');
      expect(record.message).toContain(`after ${half} bytes, before its ClientHello was complete`);
      expect(elapsedMs).toBeLessThan(LIMITS.timeoutMs);
    });

    test('half a hello, then RST, is closed', async () => {
      const bytes = helloBytes();
      const { record } = await misbehave(target, async (s) => {
        s.write(bytes.subarray(0, bytes.length >> 1));
        await sleep(20);
        s.resetAndDestroy();
      });
      expect(record.outcome, record.message).toBe('closed');
    });

    test('connect, then close without a byte, is closed', async () => {
      const { record } = await misbehave(target, (s) => {
        s.end();
      });
      expect(record.outcome, record.message).toBe('closed');
      expect(record.message).toMatch(/before sending anything/);
    });

    test('connect, then silence, is a timeout that got nothing', async () => {
      const { record, elapsedMs } = await misbehave(target, () => {});
      expect(record.outcome, record.message).toBe('timeout');
      expect(record.message).toMatch(/\(got nothing\)/);
      expect(elapsedMs).toBeGreaterThanOrEqual(LIMITS.timeoutMs - 5);
    });

    test('an HTTP request is not-tls, named as one', async () => {
      const { record, elapsedMs } = await misbehave(target, (s) => {
        s.write('GET / HTTP/1.1\r\nHost: hostile.hellokit.test\r\n\r\n');
      });
      expect(record.outcome, record.message).toBe('not-tls');
      expect(record.message).toMatch(/an HTTP request \("GET \/ HTTP\/1\.1"\)/);
      expect(elapsedMs).toBeLessThan(LIMITS.timeoutMs);
    });

    test('an SSH banner is not-tls, named as one', async () => {
      const { record } = await misbehave(target, (s) => {
        s.write('SSH-2.0-OpenSSH_9.6p1 Ubuntu-3ubuntu13\r\n');
      });
      expect(record.outcome, record.message).toBe('not-tls');
      expect(record.message).toMatch(/an SSH banner/);
    });

    test('an SSLv2-compatible hello is not-tls, named as one', async () => {
      const { record } = await misbehave(target, (s) => {
        s.write(Uint8Array.of(0x80, 0x2e, 0x01, 0x03, 0x01, 0x00, 0x15, 0x00, 0x00, 0x00, 0x10));
      });
      expect(record.outcome, record.message).toBe('not-tls');
      expect(record.message).toMatch(/SSLv2-compatible/);
    });

    test('random bytes (40 seeded buffers of 2..512 bytes) are all not-tls, at once', async () => {
      const buffers: Uint8Array[] = [];
      for (let seed = 1; buffers.length < 40; seed++) {
        const b = seededBytes(seed, 2 + ((seed * 37) % 511));
        // Keep only streams that cannot start a TLS record, so the expected code is fixed.
        if (notTlsReason(b) !== null) buffers.push(b);
      }
      const runs = await Promise.all(
        buffers.map((b) =>
          misbehave(target, (s) => {
            s.write(b);
          }),
        ),
      );
      for (const { record, elapsedMs } of runs) {
        expect(record.outcome, record.message).toBe('not-tls');
        expect(elapsedMs).toBeLessThan(LIMITS.timeoutMs);
      }
    });

    if (label === 'readClientHello') {
      test('a hello in 1-byte writes that completes in time is read, byte for byte', async () => {
        const bytes = helloBytes();
        const s = await openClient(target.port);
        const port = s.localPort!;
        for (const b of bytes) {
          s.write(Uint8Array.of(b));
          await new Promise((r) => setImmediate(r));
        }
        expect(await closedWithin(s, LIMITS.timeoutMs + SLACK_MS)).toBe(true);
        const record = (await target.recorded(port))!;
        expect(record.outcome, record.message).toBe('ok');
        expect(record.bytes).toBe(bytes.length);
        expect(record.reads).toBeGreaterThan(1);
        expect(record.elapsedMs).toBeLessThan(LIMITS.timeoutMs);
      });
    } else {
      test('a real TLS client whose hello goes out in 1-byte writes gets its page', async () => {
        const raw = await openClient(target.port);
        const port = raw.localPort!;
        const page = await new Promise<string>((resolve, reject) => {
          const tls = tlsConnect({
            socket: dribbling(raw, 4096),
            servername: 'hostile.hellokit.test',
            rejectUnauthorized: false,
          });
          let text = '';
          tls.on('secureConnect', () => tls.write('GET / HTTP/1.1\r\nHost: hostile.hellokit.test\r\n\r\n'));
          tls.on('data', (d) => {
            text += d;
          });
          tls.on('end', () => resolve(text));
          tls.on('error', reject);
        });
        expect(page).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
        expect(page).toContain('server name          hostile.hellokit.test');
        const record = (await target.recorded(port))!;
        expect(record.outcome, record.message).toBe('ok');
        await closedWithin(raw, SLACK_MS);
      });
    }
  });
}
