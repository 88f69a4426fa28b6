/**
 * `hellokit decode` keeps its peak memory bounded on the worst input its 16 MiB limit lets in:
 * 3,355,443 empty records (`17 03 03 00 00` repeated), the most records and messages the
 * limit allows. The CLI runs as users run it, built and in its own process, its output read
 * through a pipe; the process reports its own peak RSS (getrusage) as it exits.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
// Inside the repository (ignored by git) so the build finds the package's node_modules.
const WORK = join(ROOT, 'tmp', `decode-memory-${process.pid}`);
const DIST = join(WORK, 'dist');
const PEAK_LIMIT_BYTES = 200 * 1024 * 1024;
const RECORDS = Math.floor((16 * 1024 * 1024) / 5);

interface Run {
  code: number | null;
  peakRssBytes: number;
  seconds: number;
  stdoutBytes: number;
  /** The last 64 KiB of stdout, or all of it when asked. */
  tail: string;
  stderr: string;
}

/** Runs the built CLI with a preloaded module that prints the peak RSS to fd 3 on exit. */
function runDecode(args: string[], keepAll = false): Promise<Run> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(
      process.execPath,
      ['--import', join(WORK, 'peak-rss.mjs'), join(DIST, 'cli', 'main.js'), 'decode', ...args],
      { stdio: ['ignore', 'pipe', 'pipe', 'pipe'] },
    );
    let stdoutBytes = 0;
    const kept: Buffer[] = [];
    let tail = '';
    let stderr = '';
    let peak = '';
    child.stdout!.on('data', (d: Buffer) => {
      stdoutBytes += d.length;
      if (keepAll) kept.push(d);
      else tail = (tail + d.toString('latin1')).slice(-65536);
    });
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d;
    });
    (child.stdio[3] as NodeJS.ReadableStream).on('data', (d: Buffer) => {
      peak += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 110_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({
        code,
        peakRssBytes: Number(peak) * 1024,
        seconds: (performance.now() - started) / 1000,
        stdoutBytes,
        tail: keepAll ? Buffer.concat(kept).toString('utf8') : tail,
        stderr,
      });
    });
  });
}

/** Prints what was measured, and checks that the run succeeded within the peak. */
function expectBoundedRun(mode: string, r: Run): void {
  console.log(
    `[decode-memory] ${mode}: peak RSS ${(r.peakRssBytes / 1024 / 1024).toFixed(1)} MB, ${r.seconds.toFixed(1)} s, ${r.stdoutBytes} bytes out`,
  );
  expect(r.code).toBe(0);
  expect(r.peakRssBytes).toBeGreaterThan(0);
  expect(r.peakRssBytes).toBeLessThan(PEAK_LIMIT_BYTES);
}

describe('hellokit decode on 16 MiB of empty records (built CLI, own process)', () => {
  const binary = join(WORK, 'empty-records.bin');
  const hex = join(WORK, 'empty-records.hex');

  beforeAll(() => {
    mkdirSync(WORK, { recursive: true });
    execFileSync(
      process.execPath,
      [
        join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'),
        '-p',
        join(ROOT, 'tsconfig.build.json'),
        '--outDir',
        DIST,
      ],
      {
        stdio: 'inherit',
      },
    );
    writeFileSync(
      join(WORK, 'peak-rss.mjs'),
      "import { writeSync } from 'node:fs';\nprocess.on('exit', () => writeSync(3, String(process.resourceUsage().maxRSS)));\n",
    );
    const bytes = new Uint8Array(RECORDS * 5);
    for (let i = 0; i < bytes.length; i += 5) bytes.set([0x17, 0x03, 0x03], i);
    writeFileSync(binary, bytes);
    // the same bytes as hex text, 32 MiB: the form `xxd -p` and Wireshark give
    writeFileSync(hex, Buffer.from(bytes).toString('hex'));
  });
  afterAll(() => rmSync(WORK, { recursive: true, force: true }));

  test('--annotate of one handshake message sent a byte a record (the labels wait for the message): peak RSS under 200 MB', async () => {
    // a 2^18-byte ClientHello, one byte in each of 262,148 records
    const message = new Uint8Array(4 + 262143);
    message.set([0x01, 0x03, 0xff, 0xff]);
    const spread = new Uint8Array(message.length * 6);
    for (let i = 0; i < message.length; i++) spread.set([0x16, 3, 3, 0, 1, message[i]], i * 6);
    const file = join(WORK, 'spread-message.bin');
    writeFileSync(file, spread);
    const r = await runDecode([file, '--annotate']);
    expectBoundedRun('--annotate, a message over 100000 records', r);
    expect(r.tail).toMatch(/^0927bf {2}00 +records\[99999\]\.fragment$/m);
    expect(r.tail).toMatch(/truncated: --max-records 100000 reached at record 100000 \(offset 600000\)/);
  });

  test('text: peak RSS under 200 MB, 100000 records listed and the truncation stated', async () => {
    const r = await runDecode([binary]);
    expectBoundedRun('text', r);
    // records come first, then messages: the tail holds the last messages
    expect(r.tail).toMatch(/^application_data @500000 \(record 99999\)$/m);
    expect(r.tail).not.toMatch(/\(record 100000\)/);
    expect(r.tail).toMatch(
      /truncated: listing stopped at --max-records 100000: the next record starts at offset 500000, and the last 16277215 bytes are not decoded\n$/,
    );
  });

  test('--annotate: peak RSS under 200 MB, the dump ends with the truncation line', async () => {
    const r = await runDecode([binary, '--annotate']);
    expectBoundedRun('--annotate', r);
    expect(r.tail).toMatch(/^07a11e {2}00 00 +records\[99999\]\.length = 0$/m);
    expect(r.tail).toMatch(/truncated: --max-records 100000 reached at record 100000 \(offset 500000\)/);
  });

  test('--json: peak RSS under 200 MB, one valid document with 100000 records and messages and `truncated`', async () => {
    const r = await runDecode([binary, '--json'], true);
    expectBoundedRun('--json', r);
    expect(r.stderr).toMatch(/^hellokit decode: listing stopped at --max-records 100000/);
    const doc = JSON.parse(r.tail);
    expect(Object.keys(doc)).toEqual(['schema', 'records', 'messages', 'truncated']);
    expect(doc.records).toHaveLength(100000);
    expect(doc.records[99999]).toMatchObject({ index: 99999, offset: 499995, contentType: 23, length: 0 });
    expect(doc.messages).toHaveLength(100000);
    expect(doc.messages[99999]).toMatchObject({ type: 'application_data', recordIndex: 99999 });
    expect(doc.truncated).toEqual({
      maxRecords: 100000,
      at: 'record',
      offset: 500000,
      bytesNotDecoded: 16277215,
    });
  });

  test('32 MiB of hex text decoding to the 16 MiB: peak RSS under 200 MB', async () => {
    const r = await runDecode([hex]);
    expectBoundedRun('hex text', r);
    expect(r.tail).toMatch(/the last 16277215 bytes are not decoded\n$/);
  });
});
