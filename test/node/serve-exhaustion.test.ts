import { execFile, spawn } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { promisify } from 'node:util';
import { expect, test } from 'vitest';
import { ensureBuiltCli, peakRss } from '../helpers/built-cli.ts';

const run = promisify(execFile);

// The slow-loris case of `hellokit serve`: 500 connections that each trickle one byte a
// second (and come back when closed) must not lock out a real client, and the server's
// memory stays bounded. The server runs as its own process so its peak RSS is its own.
test('while 500 slow-loris connections trickle a byte a second, curl gets its page every time and RSS stays under 250 MB', async () => {
  const cli = ensureBuiltCli();
  const server = spawn(process.execPath, [cli, 'serve', '--port', '0'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  server.stderr.on('data', (d) => {
    stderr += d;
  });
  try {
    for (let i = 0; i < 300 && !/listening on https:\/\/127\.0\.0\.1:(\d+)/.test(stderr); i++)
      await new Promise((r) => setTimeout(r, 50));
    const port = Number(/listening on https:\/\/127\.0\.0\.1:(\d+)/.exec(stderr)?.[1]);
    expect(port).toBeGreaterThan(0);

    let stopping = false;
    const loris = new Set<Socket>();
    const hello = Uint8Array.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03]);
    const open = () => {
      if (stopping) return;
      const s = connect(port, '127.0.0.1');
      let sent = 0;
      const tick = setInterval(() => {
        if (!s.destroyed) s.write(hello.subarray(sent % hello.length, (sent % hello.length) + 1));
        sent++;
      }, 1000);
      s.on('error', () => {});
      s.on('close', () => {
        clearInterval(tick);
        loris.delete(s);
        setTimeout(open, 50);
      });
      loris.add(s);
    };
    for (let i = 0; i < 500; i++) open();
    await new Promise((r) => setTimeout(r, 1500));

    const pages: string[] = [];
    for (let i = 0; i < 6; i++) {
      const { stdout } = await run('curl', ['-sk', '--max-time', '5', `https://127.0.0.1:${port}/`]);
      pages.push(stdout);
      await new Promise((r) => setTimeout(r, 700));
    }
    stopping = true;
    for (const s of loris) s.destroy();
    expect(pages.every((p) => p.startsWith('Your ClientHello:'))).toBe(true);
    const rss = peakRss(server.pid!);
    console.log(`serve peak RSS with 500 slow-loris connections: ${(rss / 1048576).toFixed(0)} MB`);
    expect(rss).toBeLessThan(250 * 1024 * 1024);
  } finally {
    server.kill('SIGTERM');
  }
}, 60_000);
