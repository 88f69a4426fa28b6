/** The CompressedCertificate body (RFC 8879 §4) as the engine reads it before decompressing. */
import { describe, expect, it } from 'vitest';
import { compressedCertificateOf } from '../../src/probe/decompress.ts';

describe('compressedCertificateOf', () => {
  it('reads algorithm, uncompressed_length and the compressed message by their lengths', () => {
    const body = Uint8Array.of(0, 2, 0, 1, 0, 0, 0, 3, 9, 8, 7);
    expect(compressedCertificateOf(body)).toEqual({
      algorithm: 2,
      uncompressedLength: 256,
      data: Uint8Array.of(9, 8, 7),
    });
  });

  it('names a compressed message whose length runs past the body, and bytes left after it', () => {
    expect(compressedCertificateOf(Uint8Array.of(0, 1, 0, 0, 100, 0, 0, 9, 1, 2))).toMatch(
      /CompressedCertificate does not decode: .*compressed_certificate_message/,
    );
    expect(compressedCertificateOf(Uint8Array.of(0, 1, 0, 0, 100, 0, 0, 1, 1, 2))).toMatch(
      /CompressedCertificate does not decode: .*unread byte/,
    );
  });

  it('refuses an empty compressed message (its vector is <1..2^24-1>)', () => {
    expect(compressedCertificateOf(Uint8Array.of(0, 1, 0, 0, 100, 0, 0, 0))).toMatch(/does not decode/);
  });
});
