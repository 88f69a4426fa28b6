import { describe, expect, it } from 'vitest';
import { clientHello } from '../../src/builder/index.ts';
import { DecodeError } from '../../src/bytes/errors.ts';
import { encodeClientHello, parseClientHello } from '../../src/handshake/client-hello.ts';

const PSK = { type: 41, body: Uint8Array.of(0, 7, 0, 1, 0xaa, 0, 0, 0, 0, 0, 33, 32, ...new Uint8Array(32)) };

function strictError(bytes: Uint8Array): DecodeError {
  try {
    parseClientHello(bytes);
  } catch (e) {
    if (e instanceof DecodeError) return e;
    throw e;
  }
  throw new Error('strict parse accepted the hello');
}

describe('rules that span extensions and groups', () => {
  it('rejects pre_shared_key without psk_key_exchange_modes with missing_extension (RFC 8446 §4.2.9)', () => {
    const bytes = encodeClientHello(
      clientHello({ serverName: 'hellokit.test', pskModes: null, addExtensions: [PSK], seed: 1 }),
    );
    const e = strictError(bytes);
    expect(e.code).toBe('missing');
    expect(e.alert).toBe('missing_extension');
    expect(e.path).toBe('client_hello.extensions');
    const lenient = parseClientHello(bytes, { strict: false });
    expect(lenient.problems?.map((p) => p.code)).toEqual(['missing']);
  });

  it('accepts pre_shared_key next to psk_key_exchange_modes', () => {
    const bytes = encodeClientHello(
      clientHello({ serverName: 'hellokit.test', addExtensions: [PSK], seed: 1 }),
    );
    expect(parseClientHello(bytes).extensions?.at(-1)?.type).toBe(41);
  });

  it('rejects an x25519 key share that is not 32 bytes with illegal_parameter', () => {
    const hello = clientHello({ serverName: 'hellokit.test', seed: 2 });
    const shares = hello.extensions!.find((e) => e.type === 51)!;
    // client_shares length, group x25519, key_exchange length 32 → 31, one byte dropped
    const body = shares.body;
    const short = new Uint8Array([
      ...body.subarray(0, 4),
      0,
      31,
      ...body.subarray(6, 6 + 31),
      ...body.subarray(6 + 32),
    ]);
    short[1] = body[1] - 1;
    const forged = {
      ...hello,
      extensions: hello.extensions!.map((e) => (e.type === 51 ? { type: 51, body: short } : e)),
    };
    const e = strictError(encodeClientHello(forged));
    expect(e.code).toBe('illegal-value');
    expect(e.alert).toBe('illegal_parameter');
    expect(e.path).toMatch(/key_share\.client_shares\[0\]\.key_exchange$/);
  });

  it('keeps key shares of unknown and GREASE groups whatever their size', () => {
    const bytes = encodeClientHello(clientHello({ serverName: 'hellokit.test', grease: true, seed: 3 }));
    const shares = parseClientHello(bytes).extensions!.find((e) => e.type === 51)!;
    expect(
      (shares.value as { clientShares: { keyExchange: Uint8Array }[] }).clientShares[0].keyExchange.length,
    ).toBe(1);
  });
});
