/** RFC 7748 §5.2 and §6 vectors, run through hellokit's key-share API (so the wire handling is covered too). */
import { describe, expect, test } from 'vitest';
import { fromHex, toHex } from '../../src/bytes/hex.ts';
import { deriveSharedSecret, generateKeyShare, respondToKeyShare } from '../../src/crypto/index.ts';

/** A RandomSource that hands out fixed bytes, to inject a known private key. */
function scripted(...chunks: string[]) {
  const queue = chunks.map(fromHex);
  return (n: number) => {
    const next = queue.shift();
    if (!next || next.length !== n) throw new Error(`scripted random: asked for ${n} bytes`);
    return next;
  };
}

describe('X25519 (RFC 7748)', () => {
  test.each([
    [
      'a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4',
      'e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c',
      'c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552',
    ],
    [
      '4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d',
      'e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493',
      '95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957',
    ],
  ])('§5.2 scalar %s times u gives the published output', (scalar, u, out) => {
    const share = generateKeyShare(0x001d, scripted(scalar));
    expect(toHex(deriveSharedSecret(share, fromHex(u)))).toBe(out);
  });

  test('§6.1 Alice and Bob derive the published public keys and shared secret', () => {
    const alice = generateKeyShare(
      0x001d,
      scripted('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a'),
    );
    expect(toHex(alice.keyExchange)).toBe('8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a');
    const bob = respondToKeyShare(
      0x001d,
      alice.keyExchange,
      scripted('5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb'),
    );
    expect(toHex(bob.keyExchange)).toBe('de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f');
    expect(toHex(bob.sharedSecret)).toBe('4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742');
    expect(toHex(deriveSharedSecret(alice, bob.keyExchange))).toBe(toHex(bob.sharedSecret));
  });

  test('§5.2 X448 vector', () => {
    const share = generateKeyShare(
      0x001e,
      scripted(
        '3d262fddf9ec8e88495266fea19a34d28882acef045104d0d1aae121700a779c984c24f8cdd78fbff44943eba368f54b29259a4f1c600ad3',
      ),
    );
    const u =
      '06fce640fa3487bfda5f6cf2d5263f8aad88334cbd07437f020f08f9814dc031ddbdc38c19c6da2583fa5429db94ada18aa7a7fb4ef8a086';
    expect(toHex(deriveSharedSecret(share, fromHex(u)))).toBe(
      'ce3e4ff95a60dc6697da1db1d85e6afbdf79b50a2412d7546d5f239fe14fbaadeb445fc66a01b0779d98223961111e21766282f73dd96b6f',
    );
  });
});
