/**
 * Inputs for the decoder fuzzer's findings, kept as regression tests (none so far: the
 * million-case runs found no decoder bug; these pin two edge cases next to them). Each
 * asserts the correct behaviour: a DecodeError or a byte-identical re-encoding.
 */
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../src/bytes/errors.ts';
import { fromHex } from '../../src/bytes/hex.ts';
import {
  encodeClientHello,
  encodeClientHelloMessage,
  parseClientHello,
} from '../../src/handshake/client-hello.ts';

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

  it('a bare ClientHello handshake message round-trips through encodeClientHelloMessage (fuzz seed 1, case 959438)', () => {
    // encodeClientHello always writes records, so a bare message (first byte 1) comes back
    // byte-identically only from encodeClientHelloMessage; the first fuzz run flagged this.
    const bare = fromHex(`01000029${'0303'}${'11'.repeat(32)}00000213010100`);
    const hello = parseClientHello(bare);
    expect(encodeClientHelloMessage(hello)).toEqual(bare);
    expect(encodeClientHello(hello)).toEqual(fromHex(`160301002d${Buffer.from(bare).toString('hex')}`));
  });

  it('a minimal ClientHello without extensions re-encodes byte-identically', () => {
    const bytes = fromHex(`16030100${'2d'}01000029${'0303'}${'00'.repeat(32)}00000213010100`);
    const hello = parseClientHello(bytes);
    expect(encodeClientHello(hello)).toEqual(bytes);
  });
});
