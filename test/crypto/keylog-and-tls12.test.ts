import { describe, expect, test } from 'vitest';
import { fromHex, toHex } from '../../src/bytes/hex.ts';
import {
  keyLogLine,
  parseKeyLog,
  tls12ExtendedMasterSecret,
  tls12KeyLogLine,
  tls12MasterSecret,
  tls12Prf,
  tls13KeyLogLines,
} from '../../src/crypto/index.ts';

const RANDOM = fromHex('cb34ecb1e78163ba1c38c6dacb196a6dffa21a8d9912ec18a2ef6283024dece7');

describe('NSS key log', () => {
  test('a line is LABEL, client random hex and secret hex separated by single spaces', () => {
    expect(keyLogLine('EXPORTER_SECRET', RANDOM, fromHex('00ff'))).toBe(
      'EXPORTER_SECRET cb34ecb1e78163ba1c38c6dacb196a6dffa21a8d9912ec18a2ef6283024dece7 00ff',
    );
  });

  test('TLS 1.3 lines come in handshake order and skip unknown secrets', () => {
    const s = (n: number) => new Uint8Array(32).fill(n);
    const lines = tls13KeyLogLines(RANDOM, {
      clientHandshakeTrafficSecret: s(1),
      serverHandshakeTrafficSecret: s(2),
      clientApplicationTrafficSecret: s(3),
      serverApplicationTrafficSecret: s(4),
      exporterMasterSecret: s(5),
    });
    expect(lines.map((l) => l.split(' ')[0])).toEqual([
      'CLIENT_HANDSHAKE_TRAFFIC_SECRET',
      'SERVER_HANDSHAKE_TRAFFIC_SECRET',
      'CLIENT_TRAFFIC_SECRET_0',
      'SERVER_TRAFFIC_SECRET_0',
      'EXPORTER_SECRET',
    ]);
    expect(lines[2].split(' ')[2]).toBe('03'.repeat(32));
  });

  test('the TLS 1.2 line is CLIENT_RANDOM with the 48-byte master secret', () => {
    expect(tls12KeyLogLine(RANDOM, new Uint8Array(48).fill(0xaa))).toBe(
      `CLIENT_RANDOM ${toHex(RANDOM)} ${'aa'.repeat(48)}`,
    );
    expect(() => tls12KeyLogLine(RANDOM, new Uint8Array(32))).toThrow(/48 bytes/);
  });

  test('a client random that is not 32 bytes is refused', () => {
    expect(() => keyLogLine('CLIENT_RANDOM', new Uint8Array(31), new Uint8Array(48))).toThrow(
      /32 bytes, got 31/,
    );
  });

  test('parsing skips comments, blank lines and unknown labels, and round-trips', () => {
    const text = [
      '# SSL/TLS secrets log file',
      '',
      keyLogLine('CLIENT_HANDSHAKE_TRAFFIC_SECRET', RANDOM, new Uint8Array(32).fill(1)),
      'SOMETHING_NEW ab cd',
      `CLIENT_RANDOM ${toHex(RANDOM).toUpperCase()} ${'BB'.repeat(48)}`,
    ].join('\r\n');
    expect(parseKeyLog(text)).toEqual([
      { label: 'CLIENT_HANDSHAKE_TRAFFIC_SECRET', clientRandom: toHex(RANDOM), secret: '01'.repeat(32) },
      { label: 'CLIENT_RANDOM', clientRandom: toHex(RANDOM), secret: 'bb'.repeat(48) },
    ]);
  });
});

describe('TLS 1.2 PRF', () => {
  test('P_SHA256 matches the vector circulated on the TLS WG list', () => {
    const out = tls12Prf(
      'sha256',
      fromHex('9bbe436ba940f017b17652849a71db35'),
      'test label',
      fromHex('a0ba9f936cda311827a6f796ffd5198c'),
      100,
    );
    expect(toHex(out)).toBe(
      'e3f229ba727be17b8d122620557cd453c2aab21d07c3d495329b52d4e61edb5a6b301791e90d35c9c9a46b4e14baf9af0fa022f7077def17' +
        'abfd3797c0564bab4fbc91666e9def9b97fce34f796789baa48082d122ee42c5a72e5a5110fff70187347b66',
    );
  });

  test('shorter outputs are prefixes of longer ones', () => {
    const secret = new Uint8Array(48).fill(3);
    const long = tls12Prf('sha384', secret, 'key expansion', new Uint8Array(64), 200);
    expect(toHex(tls12Prf('sha384', secret, 'key expansion', new Uint8Array(64), 37))).toBe(
      toHex(long.subarray(0, 37)),
    );
  });

  test('master secret is PRF("master secret", client_random || server_random), 48 bytes', () => {
    const pms = new Uint8Array(32).fill(9);
    const server = new Uint8Array(32).fill(8);
    const ms = tls12MasterSecret('sha256', pms, RANDOM, server);
    expect(ms.length).toBe(48);
    expect(toHex(ms)).toBe(
      toHex(tls12Prf('sha256', pms, 'master secret', new Uint8Array([...RANDOM, ...server]), 48)),
    );
    expect(toHex(tls12ExtendedMasterSecret('sha256', pms, new Uint8Array(32)))).not.toBe(toHex(ms));
    expect(() => tls12MasterSecret('sha256', pms, RANDOM, new Uint8Array(28))).toThrow(/serverRandom/);
  });
});
