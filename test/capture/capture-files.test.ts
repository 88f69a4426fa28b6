import { describe, expect, test } from 'vitest';
import { concatBytes } from '../../src/bytes/hex.ts';
import { DecodeError } from '../../src/bytes/index.ts';
import { readCapture } from '../../src/capture/index.ts';
import {
  block,
  decryptionSecrets,
  enhancedPacket,
  interfaceDescription,
  obsoletePacket,
  sectionHeader,
  simplePacket,
  writePcap,
} from './helpers/capture-writer.ts';

const a = new Uint8Array([1, 2, 3, 4, 5]);
const b = new Uint8Array([9, 8, 7]);

describe('classic pcap', () => {
  for (const littleEndian of [true, false]) {
    for (const nanosecond of [false, true]) {
      test(`reads ${littleEndian ? 'little' : 'big'}-endian files with ${nanosecond ? 'nano' : 'micro'}second timestamps`, () => {
        const file = writePcap(
          [
            { seconds: 1700000000, fraction: nanosecond ? 123456789 : 123456, data: a },
            { seconds: 1700000001, fraction: 5, data: b, originalLength: 1500 },
          ],
          { littleEndian, nanosecond, linkType: 113 },
        );
        const { packets, warnings, format } = readCapture(file);
        expect(format).toBe('pcap');
        expect(warnings).toEqual([]);
        expect(packets).toHaveLength(2);
        expect(packets[0].linkType).toBe(113);
        expect(Array.from(packets[0].data)).toEqual([1, 2, 3, 4, 5]);
        expect(packets[0].seconds).toBe(1700000000);
        expect(packets[0].nanoseconds).toBe(nanosecond ? 123456789 : 123456000);
        expect(packets[0].time).toBeCloseTo(1700000000.123456, 5);
        expect(packets[1].nanoseconds).toBe(nanosecond ? 5 : 5000);
        expect(packets[1].originalLength).toBe(1500);
        expect(packets[1].fileOffset).toBe(24 + 16 + 5);
      });
    }
  }

  test('stops with a warning at a record that claims more than the snap length allows', () => {
    const file = writePcap([{ seconds: 1, fraction: 0, data: a }], { snaplen: 65535 });
    const bad = concatBytes(
      file,
      new Uint8Array([0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0x7f, 0, 0, 0, 0]),
    );
    const { packets, warnings } = readCapture(bad);
    expect(packets).toHaveLength(1);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`byte offset ${file.length}`);
  });
});

describe('pcapng', () => {
  function twoSections(): Uint8Array {
    // Section 1, little-endian: Ethernet in microseconds and raw IP in nanoseconds.
    // Section 2, big-endian: one interface with 2^-10 s resolution and a 100 s offset.
    return concatBytes(
      sectionHeader(true),
      interfaceDescription(1, true),
      interfaceDescription(101, true, { tsresol: 9 }),
      enhancedPacket(0, 1_700_000_000_250_000n, a, true),
      enhancedPacket(1, 1_700_000_000_123_456_789n, b, true),
      block(0x0bad, new Uint8Array([1, 2, 3, 4, 5, 6]), true),
      decryptionSecrets(0x544c534b, 'CLIENT_RANDOM 00 11\n', true),
      simplePacket(b, true),
      sectionHeader(false),
      interfaceDescription(276, false, { tsresol: 0x8a, tsoffset: 100n }),
      obsoletePacket(0, 1024n * 5n + 512n, a, false),
      enhancedPacket(0, 0n, b, false),
    );
  }

  test('reads several sections in both byte orders, each with its own interfaces', () => {
    const { packets, warnings, format } = readCapture(twoSections());
    expect(format).toBe('pcapng');
    expect(warnings).toEqual([]);
    expect(packets.map((p) => p.linkType)).toEqual([1, 101, 1, 276, 276]);
    expect(packets.map((p) => p.interfaceId)).toEqual([0, 1, 0, 0, 0]);
    expect(packets.map((p) => p.data.length)).toEqual([5, 3, 3, 5, 3]);
  });

  test('applies each interface’s if_tsresol and if_tsoffset', () => {
    const { packets } = readCapture(twoSections());
    expect(packets[0].seconds).toBe(1_700_000_000);
    expect(packets[0].nanoseconds).toBe(250_000_000);
    expect(packets[1].seconds).toBe(1_700_000_000);
    expect(packets[1].nanoseconds).toBe(123_456_789);
    // 2^-10 s ticks: 5.5 s after the 100 s offset.
    expect(packets[3].time).toBe(105.5);
    expect(packets[4].time).toBe(100);
  });

  test('gives a Simple Packet Block the previous packet’s time', () => {
    const { packets } = readCapture(twoSections());
    expect(packets[2].time).toBe(packets[1].time);
  });

  test('exposes a Decryption Secrets Block as TLS key log text', () => {
    const { decryptionSecrets: secrets } = readCapture(twoSections());
    expect(secrets).toHaveLength(1);
    expect(secrets[0].typeName).toBe('tls-key-log');
    expect(secrets[0].text).toBe('CLIENT_RANDOM 00 11\n');
  });

  test('stops with a warning when a block’s trailing length differs from its leading length', () => {
    const file = twoSections();
    const good = concatBytes(sectionHeader(true), interfaceDescription(1, true));
    const bad = enhancedPacket(0, 0n, a, true);
    new DataView(bad.buffer).setUint32(bad.length - 4, 999, true);
    const { packets, warnings } = readCapture(concatBytes(good, bad, file));
    expect(packets).toHaveLength(0);
    expect(warnings).toEqual([expect.stringContaining(`reading stopped at byte offset ${good.length}`)]);
  });

  test('skips a packet naming an undescribed interface with a warning', () => {
    const file = concatBytes(
      sectionHeader(true),
      interfaceDescription(1, true),
      enhancedPacket(3, 0n, a, true),
      enhancedPacket(0, 0n, b, true),
    );
    const { packets, warnings } = readCapture(file);
    expect(packets).toHaveLength(1);
    expect(warnings[0]).toContain('interface 3');
  });
});

/** Offsets where a record (pcap) or block (pcapng) ends, walked independently of the reader. */
function boundaries(file: Uint8Array): number[] {
  const v = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const out: number[] = [];
  if (file[0] === 0x0a) {
    let le = true;
    for (let pos = 0; pos < file.length; ) {
      if (v.getUint32(pos, false) === 0x0a0d0d0a) le = v.getUint32(pos + 8, true) === 0x1a2b3c4d;
      pos += v.getUint32(pos + 4, le);
      out.push(pos);
    }
  } else {
    const le = v.getUint32(0, true) === 0xa1b2c3d4 || v.getUint32(0, true) === 0xa1b23c4d;
    for (let pos = 24; pos < file.length; ) {
      pos += 16 + v.getUint32(pos + 8, le);
      out.push(pos);
    }
  }
  return out;
}

describe('readCapture', () => {
  test('throws DecodeError for bytes that are not a capture', () => {
    expect(() => readCapture(new TextEncoder().encode('GET / HTTP/1.1\r\n'))).toThrow(DecodeError);
    expect(() => readCapture(new Uint8Array([0xa1]))).toThrow(DecodeError);
  });

  const files = {
    pcap: writePcap(
      Array.from({ length: 30 }, (_, i) => ({
        seconds: i,
        fraction: i,
        data: new Uint8Array(40 + i).fill(i),
      })),
    ),
    pcapBigEndianNano: writePcap(
      Array.from({ length: 30 }, (_, i) => ({
        seconds: i,
        fraction: i,
        data: new Uint8Array(33 + i).fill(i),
      })),
      { littleEndian: false, nanosecond: true },
    ),
    pcapng: concatBytes(
      sectionHeader(false),
      interfaceDescription(1, false),
      ...Array.from({ length: 30 }, (_, i) =>
        enhancedPacket(0, BigInt(i), new Uint8Array(41 + i).fill(i), false),
      ),
      decryptionSecrets(0x544c534b, 'CLIENT_RANDOM aa bb\n', false),
      sectionHeader(true),
      interfaceDescription(1, true),
      ...Array.from({ length: 10 }, (_, i) =>
        enhancedPacket(0, BigInt(i), new Uint8Array(29 + i).fill(i), true),
      ),
    ),
  };
  for (const [name, file] of Object.entries(files)) {
    test(`${name}: a file cut at every 97th byte gives the whole packets before the cut and a warning naming the offset`, () => {
      const whole = readCapture(file).packets;
      for (let cut = 97; cut < file.length; cut += 97) {
        const { packets, warnings } = readCapture(file.subarray(0, cut));
        const complete = whole.filter((p) => p.fileOffset + 16 + p.data.length <= cut);
        expect(packets.length).toBeGreaterThanOrEqual(complete.length - 1);
        expect(packets.length).toBeLessThanOrEqual(complete.length);
        for (const [i, p] of packets.entries()) expect(p.data).toEqual(whole[i].data);
        if (packets.length === whole.length) continue;
        if (warnings.length === 0) {
          // A cut that falls exactly between records looks like a complete, shorter file.
          expect(boundaries(file)).toContain(cut);
          continue;
        }
        // The warning names the offset of the first block or record it could not read, a
        // boundary: the file up to there reads cleanly with the same packets.
        expect(warnings).toHaveLength(1);
        const stoppedAt = Number(/byte offset (\d+)/.exec(warnings[0])?.[1]);
        expect(stoppedAt).toBeLessThan(cut);
        expect(stoppedAt).toBeGreaterThan(packets.at(-1)?.fileOffset ?? -1);
        const clean = readCapture(file.subarray(0, stoppedAt));
        expect(clean.warnings).toEqual([]);
        expect(clean.packets).toHaveLength(packets.length);
      }
    });
  }

  test('damaged bytes never make it throw', () => {
    const file = files.pcapng;
    for (let at = 0; at < file.length; at += 7) {
      const damaged = file.slice();
      damaged[at] ^= 0x5a;
      if (at < 4) continue; // the magic itself decides whether it is a capture
      expect(() => readCapture(damaged)).not.toThrow();
    }
  });
});
