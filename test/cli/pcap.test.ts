import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { concatBytes } from '../../src/bytes/hex.ts';
import { clientFingerprints } from '../../src/fingerprint/client-fingerprints.ts';
import { encodeClientHello } from '../../src/handshake/client-hello.ts';
import { syntheticCapture } from '../capture/helpers/synthetic-capture.ts';
import { ext, hello } from '../fingerprint/build.ts';
import { cli } from './run.ts';

const PCAP = join(process.cwd(), '..', 'shared', 'conformance', 'ja4', 'pcap');
const EXPECTED = join(process.cwd(), '..', 'shared', 'conformance', 'ja4', 'expected');

/** The NDJSON lines of `pcap --json`: the handshakes, then the summary (which must come last). */
function ndjson(stdout: string) {
  const lines = stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  const summary = lines.pop();
  expect(summary.type).toBe('summary');
  for (const l of lines) expect(l.type).toBe('handshake');
  return { handshakes: lines, summary };
}

describe('hellokit pcap', () => {
  it('lists each handshake of a capture with its server name and the reference JA4', async () => {
    const { code, stdout } = await cli(['pcap', '--json', join(PCAP, 'tls-sni.pcapng')]);
    expect(code).toBe(0);
    const { handshakes } = ndjson(stdout) as {
      handshakes: {
        client: { ip: string; port: number };
        serverName: string;
        ja4: string;
        transport: string;
      }[];
    };
    const expected = JSON.parse(readFileSync(join(EXPECTED, 'tls-sni.pcapng.json'), 'utf8')) as Record<
      string,
      string
    >[];
    const withJa4 = expected.filter((s) => s['JA4.1']);
    expect(withJa4.length).toBeGreaterThan(0);
    for (const s of withJa4) {
      const h = handshakes.find(
        (x) => x.transport === 'tcp' && x.client.ip === s.src && String(x.client.port) === s.srcport,
      );
      expect(h, `${s.src}:${s.srcport}`).toBeDefined();
      expect(h!.serverName).toBe(s.domain);
      expect(h!.ja4).toBe(s['JA4.1']);
    }
    expect(handshakes.some((h) => h.transport === 'quic' && h.ja4.startsWith('q13'))).toBe(true);
  });

  it("reports the ServerHello and a JA3S equal to tshark's when the capture has it", async () => {
    // tshark 4.0: tshark -r tls-alpn-h2.pcap -Y tls.handshake.type==2 -T fields -e tls.handshake.ja3s
    const { stdout } = await cli(['pcap', '--json', join(PCAP, 'tls-alpn-h2.pcap')]);
    const { handshakes } = ndjson(stdout);
    expect(handshakes[0].serverHello.ja3s).toBe('7f76f3e952a1bc7d407366fafe1db7ed');
  });

  it('reads what it can of a cut-short capture, warns where it stopped, and exits 0', async () => {
    const whole = new Uint8Array(readFileSync(join(PCAP, 'tls-sni.pcapng')));
    const cut = whole.subarray(0, Math.floor(whole.length * 0.6));
    const { code, stdout, stderr } = await cli(['pcap', '--json', '-'], cut);
    expect(code).toBe(0);
    const { handshakes, summary } = ndjson(stdout);
    expect(handshakes.length).toBeGreaterThan(0);
    expect(stderr).toMatch(/warning: .*stopped at byte offset \d+/);
    expect(summary.warnings).toEqual([expect.stringMatching(/stopped at byte offset \d+/)]);
    expect(summary.bytes).toBe(cut.length);
  });

  it('writes fingerprints whose JA4 part a needs escaping as JSON (ALPN `"…\\` under the reference rule)', async () => {
    // ALPN protocol_name_list with one name `"x\`: the reference rule keeps printable characters.
    const alpn = ext(16, [0, 4, 3, 0x22, 0x78, 0x5c]);
    const h = hello({ cipherSuites: [0x1301, 0x1302], extensions: [ext(43, [2, 3, 4]), alpn] });
    const capture = concatBytes(
      ...syntheticCapture({ connections: 1, hellos: [encodeClientHello(h)], spacingMicros: 1 }),
    );
    const { stdout, code } = await cli(['pcap', '--json', '--ja4-alpn', 'reference', '-'], capture);
    expect(code).toBe(0);
    const [line] = ndjson(stdout).handshakes;
    const expected = clientFingerprints(h, { alpnRule: 'reference' });
    expect(expected.ja4_r).toContain('"\\');
    for (const k of ['ja3', 'ja3Full', 'ja4', 'ja4_r', 'ja4_o', 'ja4_ro'] as const)
      expect(line[k]).toBe(expected[k]);
  });

  it('gives a hello met again (its fingerprints written from what the memo kept) the same fingerprints as the first time', async () => {
    // Three clients, each connecting four times, interleaved: the second and later lines of each
    // are written from the memo, and alternate with other clients' lines.
    const { fixtureHellos } = await import('../capture/helpers/synthetic-capture.ts');
    const hellos = fixtureHellos().slice(0, 3);
    const capture = concatBytes(...syntheticCapture({ connections: 12, hellos, spacingMicros: 1 }));
    for (const rule of ['spec', 'reference'] as const) {
      const { stdout, code } = await cli(['pcap', '--json', '--ja4-alpn', rule, '-'], capture);
      expect(code).toBe(0);
      const { handshakes } = ndjson(stdout);
      expect(handshakes).toHaveLength(12);
      for (const [i, line] of handshakes.entries()) {
        const expected = clientFingerprints(hellos[i % 3], { alpnRule: rule });
        for (const k of ['ja3', 'ja3Full', 'ja4', 'ja4_r', 'ja4_o', 'ja4_ro'] as const)
          expect(line[k], `${i} ${k}`).toBe(expected[k]);
      }
      // Different clients, different lines: the memo gave none of them another's.
      expect(new Set(handshakes.map((l) => l.ja4_ro)).size).toBe(
        new Set(hellos.map((h) => clientFingerprints(h).ja4_ro)).size,
      );
    }
  });

  it('ends the NDJSON with a summary of what was read', async () => {
    const file = join(PCAP, 'tls-sni.pcapng');
    const { stdout } = await cli(['pcap', '--json', file]);
    const { handshakes, summary } = ndjson(stdout);
    expect(summary).toMatchObject({
      format: 'pcapng',
      bytes: readFileSync(file).length,
      handshakes: handshakes.length,
      evicted: { idle: 0, count: 0, memory: 0 },
      warnings: [],
      warningCounts: {},
    });
    expect(summary.packets).toBeGreaterThanOrEqual(handshakes.length);
    expect(summary.elapsedMs).toBeGreaterThanOrEqual(0);
  });

  it('prints the same handshakes in text as in NDJSON', async () => {
    const file = join(PCAP, 'tls-sni.pcapng');
    const { handshakes } = ndjson((await cli(['pcap', '--json', file])).stdout);
    const { stdout } = await cli(['pcap', file]);
    const ja4s = [...stdout.matchAll(/^ {2}ja4 (\S+)/gm)].map((m) => m[1]);
    expect(ja4s).toEqual(handshakes.map((h) => h.ja4));
  });

  it('rejects a bad --flow-timeout and --max-flows with one line and exit 2', async () => {
    for (const flags of [
      ['--flow-timeout', 'soon'],
      ['--max-flows', '0'],
    ]) {
      const { code, stderr } = await cli(['pcap', ...flags, join(PCAP, 'tls-sni.pcapng')]);
      expect(code).toBe(2);
      expect(stderr.trim().split('\n')).toHaveLength(1);
      expect(stderr).toContain(flags[0]);
    }
  });

  it('exits 2 with one line for a file that is not a capture', async () => {
    const { code, stderr } = await cli(['pcap', '-'], new TextEncoder().encode('GET / HTTP/1.1\r\n\r\n'));
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^hellokit pcap: /);
  });
});
