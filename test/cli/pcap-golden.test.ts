/**
 * `hellokit pcap` writes the same bytes as it did when these digests were recorded: its
 * --json and text output and its warnings, for every capture of the JA4 conformance set, the
 * repository's fixture captures, and synthetic captures (with and without evictions by
 * count). A change that makes the reader faster must leave every byte as it was; one that
 * changes the output on purpose records new digests (and says why in its commit):
 *
 *   PCAP_GOLDEN=write npx vitest run test/cli/pcap-golden.test.ts
 *
 * With PCAP_GOLDEN=keep the outputs are also written to a temp dir, to diff against an
 * older build's.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { concatBytes } from '../../src/bytes/hex.ts';
import { fixtureHellos, syntheticCapture } from '../capture/helpers/synthetic-capture.ts';
import { cli } from './run.ts';

const DIGESTS = join(import.meta.dirname, 'fixtures', 'pcap-golden.json');
const CONFORMANCE = join(process.cwd(), '..', 'shared', 'conformance', 'ja4', 'pcap');
const FIXTURES = join(process.cwd(), 'fixtures', 'captures');
const mode = process.env.PCAP_GOLDEN;
const keepDir = mode === 'keep' ? mkdtempSync(join(tmpdir(), 'hellokit-pcap-golden-')) : undefined;
const recorded: Record<string, string> = existsSync(DIGESTS) ? JSON.parse(readFileSync(DIGESTS, 'utf8')) : {};
const seen: Record<string, string> = {};

function captures(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => /\.pcap(ng)?$/.test(f))
    .sort()
    .map((f) => join(dir, f));
}

/** Runs the command in-process on `input` (stdin); the digest of what it wrote, elapsed time left out. */
async function digest(name: string, flags: string[], input: Uint8Array): Promise<string> {
  const { code, stdout, stderr } = await cli(['pcap', ...flags, '-'], input);
  const text = `exit ${code}\n--- stdout\n${stdout.replace(/"elapsedMs":\d+/, '"elapsedMs":0')}--- stderr\n${stderr}`;
  if (keepDir) writeFileSync(join(keepDir, name), text);
  return createHash('sha256').update(text).digest('hex');
}

async function check(name: string, flags: string[], input: Uint8Array): Promise<void> {
  const actual = await digest(name, flags, input);
  seen[name] = actual;
  if (mode === 'write') {
    writeFileSync(DIGESTS, `${JSON.stringify({ ...recorded, ...seen }, null, 2)}\n`);
    return;
  }
  expect(recorded[name], `${name}: no digest recorded (PCAP_GOLDEN=write records it)`).toBeDefined();
  expect(actual, `${name}: the output changed${keepDir ? ` (written to ${keepDir})` : ''}`).toBe(
    recorded[name],
  );
}

const VARIANTS: [string, string[]][] = [
  ['json', ['--json']],
  ['text', []],
  ['json-2-flows', ['--json', '--max-flows', '2']],
  ['json-1ms-timeout', ['--json', '--flow-timeout', '1ms']],
];

describe('hellokit pcap writes the bytes it wrote before', () => {
  for (const file of [...captures(CONFORMANCE), ...captures(FIXTURES)]) {
    it(basename(file), async () => {
      const bytes = new Uint8Array(readFileSync(file));
      for (const [variant, flags] of VARIANTS) await check(`${basename(file)} ${variant}`, flags, bytes);
    });
  }

  it('synthetic capture of 3,000 connections, every one evicted or left at the end', async () => {
    const bytes = concatBytes(
      ...syntheticCapture({ connections: 3000, hellos: fixtureHellos(), spacingMicros: 50_000 }),
    );
    await check('synthetic-3000 json', ['--json'], bytes);
    await check('synthetic-3000 text', [], bytes);
    await check('synthetic-3000 json-100-flows', ['--json', '--max-flows', '100'], bytes);
  }, 60_000);
});
