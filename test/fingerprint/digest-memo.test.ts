import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fromLatin1 } from '../../src/bytes/hex.ts';
import {
  digestMemoSizes,
  MEMO_ENTRIES,
  MEMO_PAUSE,
  MEMO_TEXT_LIMIT,
  MEMO_WINDOW,
  md5Hex,
  memoIndex,
  memoMd5Hex,
  memoSha256Hex12,
  setDigestMemo,
  sha256Hex,
} from '../../src/fingerprint/digest.ts';
import { ja3, ja3All, ja3s, ja4, ja4All } from '../../src/fingerprint/index.ts';
import { parseClientHello } from '../../src/handshake/client-hello.ts';

const dir = join(process.cwd(), 'fixtures', 'clients');
const captured = readdirSync(dir)
  .filter((f) => f.endsWith('.bin'))
  .map((f) => [f, new Uint8Array(readFileSync(join(dir, f)))] as const);

/** Every fingerprint of `bytes`, from the bytes and from the typed hello. */
function everyFingerprint(bytes: Uint8Array) {
  const parsed = parseClientHello(bytes);
  return {
    fromBytes: [ja4All(bytes), ja4(bytes, { transport: 'quic' }), ja3All(bytes), ja3(bytes)],
    fromHello: [ja4All(parsed), ja4(parsed, { alpnRule: 'reference' }), ja3All(parsed), ja3(parsed)],
  };
}

const text = (i: number) => fromLatin1(`0a0b,${i.toString(16).padStart(4, '0')}`);

afterEach(() => setDigestMemo(true));

describe('the digest memo', () => {
  it('found captured hellos to read', () => {
    expect(captured.length).toBeGreaterThan(10);
  });

  it.each(captured)('%s: every fingerprint is the same with the memo as without it', (_, bytes) => {
    setDigestMemo(false);
    const uncached = everyFingerprint(bytes);
    expect(digestMemoSizes()).toEqual({ sha256: 0, md5: 0 });
    setDigestMemo(true);
    // The first call fills the memo, the second reads it.
    expect(everyFingerprint(bytes)).toEqual(uncached);
    expect(digestMemoSizes().sha256).toBeGreaterThan(0);
    expect(digestMemoSizes().md5).toBeGreaterThan(0);
    expect(everyFingerprint(bytes)).toEqual(uncached);
  });

  it('gives the same digests for every fixture when the memo is shared by all of them', () => {
    setDigestMemo(false);
    const uncached = captured.map(([, bytes]) => everyFingerprint(bytes));
    setDigestMemo(true);
    for (let round = 0; round < 2; round++)
      expect(captured.map(([, bytes]) => everyFingerprint(bytes))).toEqual(uncached);
  });

  it('keeps JA3S equal with and without the memo', () => {
    const serverHello = { legacyVersion: 0x0303, cipherSuite: 0xc02f, extensions: [{ type: 0xff01 }] };
    setDigestMemo(false);
    const uncached = ja3s(serverHello);
    setDigestMemo(true);
    expect([ja3s(serverHello), ja3s(serverHello)]).toEqual([uncached, uncached]);
  });

  it('holds at most MEMO_ENTRIES texts, forgetting the oldest', () => {
    setDigestMemo(true);
    // Each text looked up twice: half the lookups hit, so the memo keeps looking (see below).
    for (let i = 0; i < MEMO_ENTRIES + 500; i++) {
      for (let twice = 0; twice < 2; twice++) {
        expect(memoSha256Hex12(text(i))).toBe(sha256Hex(text(i), 12));
        expect(memoMd5Hex(text(i))).toBe(md5Hex(text(i)));
      }
    }
    expect(digestMemoSizes()).toEqual({ sha256: MEMO_ENTRIES, md5: MEMO_ENTRIES });
    // The forgotten and the kept texts both still give their own digest.
    expect(memoSha256Hex12(text(0))).toBe(sha256Hex(text(0), 12));
    expect(memoSha256Hex12(text(MEMO_ENTRIES + 499))).toBe(sha256Hex(text(MEMO_ENTRIES + 499), 12));
    expect(digestMemoSizes().sha256).toBe(MEMO_ENTRIES);
  });

  it('does not keep a text longer than MEMO_TEXT_LIMIT', () => {
    setDigestMemo(true);
    const long = new Uint8Array(MEMO_TEXT_LIMIT + 1).fill(0x61);
    expect(memoSha256Hex12(long)).toBe(sha256Hex(long, 12));
    expect(memoMd5Hex(long)).toBe(md5Hex(long));
    expect(digestMemoSizes()).toEqual({ sha256: 0, md5: 0 });
  });

  it('tells apart texts that are not ASCII', () => {
    setDigestMemo(true);
    const texts = [
      Uint8Array.of(0x61, 0xff),
      Uint8Array.of(0x61, 0xfe),
      Uint8Array.of(0xef, 0xbb, 0xbf, 0x61),
    ];
    for (let round = 0; round < 2; round++)
      for (const t of texts) expect(memoSha256Hex12(t)).toBe(sha256Hex(t, 12));
    expect(digestMemoSizes().sha256).toBe(texts.length);
  });

  it('keeps two texts whose bucket index collides apart', () => {
    // Two texts with the same 30-bit memo index, found by the birthday bound (about 2^15 tries).
    const seen = new Map<number, Uint8Array>();
    let pair: [Uint8Array, Uint8Array] | null = null;
    for (let i = 0; pair === null; i++) {
      const t = fromLatin1(`13,${i.toString(16)}`);
      const other = seen.get(memoIndex(t));
      if (other) pair = [other, t];
      else seen.set(memoIndex(t), t);
    }
    const [a, b] = pair;
    expect(memoIndex(a)).toBe(memoIndex(b));
    setDigestMemo(true);
    for (let round = 0; round < 2; round++) {
      expect(memoSha256Hex12(a)).toBe(sha256Hex(a, 12));
      expect(memoSha256Hex12(b)).toBe(sha256Hex(b, 12));
      expect(memoMd5Hex(b)).toBe(md5Hex(b));
      expect(memoMd5Hex(a)).toBe(md5Hex(a));
    }
    expect(digestMemoSizes()).toEqual({ sha256: 2, md5: 2 });
  });

  it('copies the text it keeps, so a reused buffer does not change what it holds', () => {
    setDigestMemo(true);
    const buffer = fromLatin1('0a0b,0c0d');
    const first = memoSha256Hex12(buffer);
    buffer[0] = 0x31;
    expect(memoSha256Hex12(buffer)).toBe(sha256Hex(buffer, 12));
    expect(memoSha256Hex12(fromLatin1('0a0b,0c0d'))).toBe(first);
  });

  it('hashes every text again when switched off', () => {
    setDigestMemo(false);
    expect(memoSha256Hex12(text(1))).toBe(sha256Hex(text(1), 12));
    expect(memoMd5Hex(text(1))).toBe(md5Hex(text(1)));
    expect(digestMemoSizes()).toEqual({ sha256: 0, md5: 0 });
  });

  it('stops keeping texts that never repeat for a while, then tries again, with every digest right', () => {
    setDigestMemo(true);
    // A window of texts seen once each (a browser that shuffles its extensions): no hit.
    for (let i = 0; i < MEMO_WINDOW; i++) expect(memoSha256Hex12(text(i))).toBe(sha256Hex(text(i), 12));
    const kept = digestMemoSizes().sha256;
    expect(kept).toBeGreaterThan(MEMO_WINDOW - 10);
    // Paused: nothing more is kept, and a text seen before is hashed again, rightly.
    for (let i = 0; i < MEMO_PAUSE; i++) {
      const t = text(MEMO_WINDOW + i);
      expect(memoSha256Hex12(t)).toBe(sha256Hex(t, 12));
    }
    expect(digestMemoSizes().sha256).toBe(kept);
    // After the pause it looks again: a new text is kept, a kept one found.
    const fresh = text(10 * MEMO_PAUSE);
    expect(memoSha256Hex12(fresh)).toBe(sha256Hex(fresh, 12));
    expect(digestMemoSizes().sha256).toBe(kept + 1);
    expect(memoSha256Hex12(fresh)).toBe(sha256Hex(fresh, 12));
    expect(digestMemoSizes().sha256).toBe(kept + 1);
  });

  it('keeps texts that repeat as often as one lookup in a few (no pause)', () => {
    setDigestMemo(true);
    for (let i = 0; i < 4 * MEMO_WINDOW; i++) {
      const t = text(i % 8 === 0 ? 0 : i);
      expect(memoSha256Hex12(t)).toBe(sha256Hex(t, 12));
    }
    // Every new text was kept (up to the bound): one lookup in eight hit.
    expect(digestMemoSizes().sha256).toBe(
      Math.min(MEMO_ENTRIES, 4 * MEMO_WINDOW - (4 * MEMO_WINDOW) / 8 + 1),
    );
  });
});
