/**
 * streamHandshakes reads a connection whose client bytes are one record holding one
 * ClientHello (nearly every connection in a capture) without the general stream decoder;
 * what it finds must be what the general decoder finds: the same hello fields, the same
 * problems (paths, offsets, details), the same fingerprints, the same warnings.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type CapturedHandshake, streamHandshakes } from '../../src/capture/stream-handshakes.ts';
import type { CapturedStream } from '../../src/capture/streams.ts';
import { ja3Full } from '../../src/fingerprint/ja3.ts';
import { ja4All } from '../../src/fingerprint/ja4.ts';
import { decodeStream } from '../../src/handshake/stream.ts';

const dir = join(process.cwd(), 'fixtures', 'clients');
const hellos = readdirSync(dir)
  .filter((f) => f.endsWith('.bin'))
  .sort()
  .map((f) => ({ name: f, bytes: new Uint8Array(readFileSync(join(dir, f))) }))
  .filter((h) => h.bytes[0] === 0x16);

function stream(clientBytes: Uint8Array): CapturedStream {
  return {
    transport: 'tcp',
    index: 7,
    client: { ip: '192.0.2.1', port: 50000 },
    server: { ip: '192.0.2.2', port: 443 },
    firstSeen: 1,
    clientBytes,
    serverBytes: new Uint8Array(0),
  };
}

/** What the general decoder makes of the same bytes (the path streamHandshakes takes for anything else). */
function general(bytes: Uint8Array, start: number) {
  const d = decodeStream(bytes.subarray(start), { strict: false });
  return d.messages
    .filter((m) => m.type === 'client_hello')
    .map((m) => {
      const hello = m as unknown as CapturedHandshake['clientHello'] & { problems?: unknown[] };
      return { hello, problems: (hello.problems ?? []) as CapturedHandshake['problems'] };
    });
}

function same(found: CapturedHandshake[], bytes: Uint8Array, start: number): void {
  const expected = general(bytes, start);
  expect(found).toHaveLength(expected.length);
  for (let i = 0; i < found.length; i++) {
    const h = found[i].clientHello;
    const e = expected[i].hello;
    expect(h.legacyVersion).toBe(e.legacyVersion);
    expect(h.cipherSuites).toEqual(e.cipherSuites);
    expect((h.extensions ?? []).map((x) => [x.type, Array.from(x.body)])).toEqual(
      (e.extensions ?? []).map((x) => [x.type, Array.from(x.body)]),
    );
    expect(ja4All(h)).toEqual(ja4All(e));
    expect(ja3Full(h)).toBe(ja3Full(e));
    expect(found[i].problems.map((p) => ({ ...p }))).toEqual(expected[i].problems.map((p) => ({ ...p })));
  }
}

/** The offset of a hello's legacy_compression_methods vector in its record bytes. */
function compressionAt(bytes: Uint8Array): number {
  let q = 5 + 4 + 2 + 32;
  q += 1 + bytes[q];
  q += 2 + ((bytes[q] << 8) | bytes[q + 1]);
  return q;
}

describe('streamHandshakes on a single-record ClientHello', () => {
  it('finds what the general decoder finds, for every captured client hello', () => {
    expect(hellos.length).toBeGreaterThan(10);
    for (const { name, bytes } of hellos) {
      const found = streamHandshakes(stream(bytes));
      expect(found, name).toHaveLength(1);
      expect(found[0].clientHelloOffset).toBe(5);
      same(found, bytes, 0);
    }
  });

  it('finds the same problems: compression methods other than null with TLS 1.3 offered', () => {
    const { bytes } = hellos.find((h) => h.name.startsWith('chromium-sni'))!;
    const bad = bytes.slice();
    const at = compressionAt(bad);
    expect(bad[at]).toBe(1);
    bad[at + 1] = 1; // deflate instead of null
    const found = streamHandshakes(stream(bad));
    expect(found[0].problems.length).toBeGreaterThan(0);
    same(found, bad, 0);
  });

  it('keeps the stream offsets when a proxy exchange comes first', () => {
    const { bytes } = hellos[0];
    const prefix = new TextEncoder().encode('CONNECT example.com:443 HTTP/1.1\r\n\r\n');
    const joined = new Uint8Array(prefix.length + bytes.length);
    joined.set(prefix);
    joined.set(bytes, prefix.length);
    const found = streamHandshakes(stream(joined));
    expect(found[0].clientHelloOffset).toBe(prefix.length + 5);
    same(found, joined, prefix.length);
  });

  it('leaves a hello whose lengths do not hold together to the general decoder, which warns', () => {
    const { bytes } = hellos[0];
    const bad = bytes.slice();
    // The cipher suites' length now runs past the message.
    const q = 5 + 4 + 2 + 32;
    const suites = q + 1 + bad[q];
    bad[suites] = 0xff;
    const warnings: string[] = [];
    expect(streamHandshakes(stream(bad), warnings)).toEqual([]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /^tcp stream 7 \(192\.0\.2\.1:50000 → 192\.0\.2\.2:443\): client bytes stop decoding: /,
    );
  });
});
