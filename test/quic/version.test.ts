import { describe, expect, test } from 'vitest';
import { toHex } from '../../src/bytes/hex.ts';
import {
  isSupportedQuicVersion,
  longPacketType,
  QUIC_VERSION,
  quicVersionName,
  quicVersionParams,
} from '../../src/quic/version.ts';

describe('QUIC versions', () => {
  test('v1 and v2 have their own Initial salt (RFC 9001 §5.2, RFC 9369 §3.3.1); other versions have none', () => {
    expect(toHex(quicVersionParams(QUIC_VERSION.v1)!.salt)).toBe('38762cf7f55934b34d179ae6a4c80cadccbb7f0a');
    expect(toHex(quicVersionParams(QUIC_VERSION.v2)!.salt)).toBe('0dede3def700a6db819381be6e269dcbf9bd2ed9');
    expect(quicVersionParams(0xff00001d)).toBeUndefined();
    expect(isSupportedQuicVersion(0x1a2a3a4a)).toBe(false);
  });

  test('long-header types: v1 reads the type bits in order, v2 rotates them (RFC 9369 §3.2)', () => {
    const types = (version: number) => [0xc0, 0xd0, 0xe0, 0xf0].map((b) => longPacketType(version, b));
    expect(types(QUIC_VERSION.v1)).toEqual(['initial', '0rtt', 'handshake', 'retry']);
    expect(types(QUIC_VERSION.v2)).toEqual(['retry', 'initial', '0rtt', 'handshake']);
    expect(types(0x1a2a3a4a)).toEqual(['initial', '0rtt', 'handshake', 'retry']);
  });

  test('version names', () => {
    expect(quicVersionName(1)).toBe('QUIC v1');
    expect(quicVersionName(0x6b3343cf)).toBe('QUIC v2');
    expect(quicVersionName(0xff00001d)).toBe('draft-29');
    expect(quicVersionName(0x1a2a3a4a)).toBe('0x1a2a3a4a (reserved)');
    expect(quicVersionName(0x12345678)).toBe('0x12345678');
  });
});
