import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  alertArb,
  clientHelloArb,
  extensionArb,
  extensionTypesWithBodyArb,
  greaseExtensionArb,
  keySharesOf,
  recordArb,
  serverHelloArb,
  typedExtensionArbs,
  unknownExtensionArb,
} from '../../src/arbitraries/index.ts';
import { Reader } from '../../src/bytes/reader.ts';
import { Writer } from '../../src/bytes/writer.ts';
import { codecForType, EXTENSION_CODECS } from '../../src/extensions/registry.ts';
import type { Extension } from '../../src/extensions/types.ts';
import { encodeClientHello, parseClientHello } from '../../src/handshake/client-hello.ts';
import { encodeServerHello, parseServerHello } from '../../src/handshake/server-hello.ts';
import type { ClientHello } from '../../src/handshake/types.ts';
import { decodeAlert, encodeAlert } from '../../src/records/alert.ts';
import { decodeRecord, encodeRecord } from '../../src/records/record.ts';

const RUNS = { numRuns: 60 };

function wire(exts: readonly Extension[] | null): { type: number; body: string }[] | null {
  return exts?.map((e) => ({ type: e.type, body: Buffer.from(e.body).toString('hex') })) ?? null;
}

function wireFields(h: ClientHello) {
  return {
    legacyVersion: h.legacyVersion,
    random: Array.from(h.random),
    legacySessionId: Array.from(h.legacySessionId),
    cipherSuites: [...h.cipherSuites],
    legacyCompressionMethods: [...h.legacyCompressionMethods],
    extensions: wire(h.extensions),
    fragments: h.record?.fragments ?? null,
  };
}

function types(h: ClientHello): number[] {
  return (h.extensions ?? []).map((e) => e.type);
}

function body(h: ClientHello, type: number): Uint8Array | undefined {
  return h.extensions?.find((e) => e.type === type)?.body;
}

function u16s(bytes: Uint8Array, width: 1 | 2): number[] {
  const r = new Reader(bytes);
  return r.u16List(width, 'list');
}

describe('records and alerts', () => {
  it('recordArb produces records that encode and decode back', () => {
    fc.assert(
      fc.property(recordArb(), (record) => {
        const back = decodeRecord(encodeRecord(record));
        expect(back.contentType).toBe(record.contentType);
        expect(back.version).toBe(record.version);
        expect(Array.from(back.fragment)).toEqual(Array.from(record.fragment));
      }),
      RUNS,
    );
  });

  it('alertArb produces alerts that encode and decode back', () => {
    fc.assert(
      fc.property(alertArb(), (alert) => {
        expect(decodeAlert(encodeAlert(alert))).toEqual(alert);
      }),
      RUNS,
    );
  });
});

describe('extensions', () => {
  it('every body grammar of a typed codec decodes strictly and re-encodes to the same body', () => {
    for (const context of [
      'client_hello',
      'server_hello',
      'hello_retry_request',
      'encrypted_extensions',
    ] as const) {
      for (const type of extensionTypesWithBodyArb(context)) {
        const codec = codecForType(type);
        if (!codec?.allowedIn.includes(context)) continue;
        fc.assert(
          fc.property(extensionArb(type, { context }), (ext) => {
            const r = new Reader(ext.body, { path: [codec.name] });
            const value = codec.decode(r, context);
            r.done();
            const w = new Writer();
            codec.encode(w, value, context);
            expect(Buffer.from(w.finish()).toString('hex')).toBe(Buffer.from(ext.body).toString('hex'));
            expect(ext.value).toEqual(value);
          }),
          { numRuns: 20 },
        );
      }
    }
  });

  it('typedExtensionArbs has an arbitrary for every ClientHello codec with a grammar', () => {
    const arbs = typedExtensionArbs('client_hello');
    for (const codec of EXTENSION_CODECS) {
      if (codec.allowedIn.includes('client_hello') && extensionTypesWithBodyArb().includes(codec.type)) {
        expect(arbs[codec.name]).toBeDefined();
      }
    }
  });

  it('unknown and GREASE extensions carry no typed value and a type hellokit does not decode', () => {
    fc.assert(
      fc.property(unknownExtensionArb(), greaseExtensionArb(), (unknown, grease) => {
        expect(codecForType(unknown.type)).toBeUndefined();
        expect(unknown.value).toBeUndefined();
        expect(grease.type & 0x0f0f).toBe(0x0a0a);
      }),
      RUNS,
    );
  });
});

describe('clientHelloArb', () => {
  it('produces hellos that encode and strictly parse back equal', () => {
    fc.assert(
      fc.property(clientHelloArb(), (hello) => {
        const bytes = encodeClientHello(hello);
        const back = parseClientHello(bytes);
        expect(wireFields(back)).toEqual(wireFields(hello));
        expect(encodeClientHello(back)).toEqual(bytes);
      }),
      { numRuns: 150 },
    );
  });

  it('serverName: null (as in clientHello) never has a server_name extension', () => {
    fc.assert(
      fc.property(clientHelloArb({ serverName: null }), (h) => {
        expect(types(h)).not.toContain(0);
      }),
      RUNS,
    );
  });

  it('serverName: a string puts that host in server_name', () => {
    fc.assert(
      fc.property(clientHelloArb({ serverName: 'example.com' }), (h) => {
        expect(Buffer.from(body(h, 0)!.subarray(5)).toString()).toBe('example.com');
      }),
      RUNS,
    );
  });

  it("versions: ['TLS1.3'] gives supported_versions [0x0304] only, even with GREASE", () => {
    fc.assert(
      fc.property(clientHelloArb({ versions: ['TLS1.3'], grease: true }), (h) => {
        expect(u16s(body(h, 43)!, 1)).toEqual([0x0304]);
      }),
      RUNS,
    );
  });

  it('groups are respected exactly in supported_groups, and key shares come from them', () => {
    fc.assert(
      fc.property(
        clientHelloArb({ groups: ['x25519', 'secp384r1'], validForTls13: true, grease: true }),
        (h) => {
          expect(u16s(body(h, 10)!, 2)).toEqual([0x001d, 0x0018]);
          const shares = new Reader(body(h, 51)!).list(2, 'client_shares', (r) => {
            const group = r.u16('group');
            r.vectorBytes(2, 'key_exchange');
            return group;
          });
          expect(shares.length).toBeGreaterThan(0);
          for (const g of shares) expect([0x001d, 0x0018]).toContain(g);
        },
      ),
      RUNS,
    );
  });

  it('validForTls13 has everything a TLS 1.3 server needs', () => {
    fc.assert(
      fc.property(clientHelloArb({ validForTls13: true }), (h) => {
        expect(h.legacyVersion).toBe(0x0303);
        expect(u16s(body(h, 43)!, 1)).toContain(0x0304);
        expect(h.cipherSuites.some((s) => s >= 0x1301 && s <= 0x1303)).toBe(true);
        expect(h.legacyCompressionMethods).toEqual([0]);
        expect(body(h, 13)).toBeDefined();
        const groups = u16s(body(h, 10)!, 2);
        const shares = new Reader(body(h, 51)!).list(2, 'client_shares', (r) => {
          const group = r.u16('group');
          r.vectorBytes(2, 'key_exchange');
          return group;
        });
        expect(shares.some((g) => groups.includes(g) && (g & 0x0f0f) !== 0x0a0a)).toBe(true);
      }),
      RUNS,
    );
  });

  it('realKeyShares gives real, reproducible key shares', () => {
    const arb = clientHelloArb({ validForTls13: true, realKeyShares: true, groups: ['x25519'] });
    const [a] = fc.sample(arb, { seed: 42, numRuns: 1 });
    const [b] = fc.sample(arb, { seed: 42, numRuns: 1 });
    expect(keySharesOf(a)).toHaveLength(1);
    expect(a.keyShares).toEqual(keySharesOf(a));
    expect(keySharesOf(a)[0].keyExchange).toEqual(keySharesOf(b)[0].keyExchange);
    expect(body(a, 51)!.subarray(6)).toEqual(keySharesOf(a)[0].keyExchange);
  });

  it('withExtensions and withoutExtensions are honoured', () => {
    fc.assert(
      fc.property(
        clientHelloArb({
          withExtensions: ['application_layer_protocol_negotiation', 23],
          withoutExtensions: ['key_share', 'supported_groups'],
        }),
        (h) => {
          expect(types(h)).toEqual(expect.arrayContaining([16, 23]));
          expect(types(h)).not.toContain(51);
          expect(types(h)).not.toContain(10);
        },
      ),
      RUNS,
    );
  });

  it('grease: false has no GREASE value anywhere; grease: true has a GREASE suite and extension', () => {
    const isGrease = (v: number) => (v & 0x0f0f) === 0x0a0a && v >> 8 === (v & 0xff);
    fc.assert(
      fc.property(clientHelloArb({ grease: false, unknownExtensions: false }), (h) => {
        expect(h.cipherSuites.filter(isGrease).length + types(h).filter(isGrease).length).toBe(0);
      }),
      RUNS,
    );
    fc.assert(
      fc.property(clientHelloArb({ grease: true }), (h) => {
        expect(h.cipherSuites.some(isGrease)).toBe(true);
        expect(types(h).some(isGrease)).toBe(true);
      }),
      RUNS,
    );
  });

  it('padding and fragment options add a padding extension and split the records', () => {
    fc.assert(
      fc.property(clientHelloArb({ padding: true, fragment: true }), (h) => {
        expect(types(h)).toContain(21);
        expect(h.record?.fragments?.length).toBeGreaterThan(1);
        const back = parseClientHello(encodeClientHello(h));
        expect(back.record?.fragments).toEqual(h.record?.fragments);
      }),
      RUNS,
    );
  });

  it('pre_shared_key, when asked for, is the last extension', () => {
    fc.assert(
      fc.property(
        clientHelloArb({
          withExtensions: ['pre_shared_key'],
          shuffleExtensions: true,
          padding: true,
          grease: true,
        }),
        (h) => {
          expect(types(h).at(-1)).toBe(41);
          parseClientHello(encodeClientHello(h));
        },
      ),
      RUNS,
    );
  });
});

describe('serverHelloArb', () => {
  it('produces ServerHellos and HelloRetryRequests that encode and strictly parse back equal', () => {
    for (const options of [
      {},
      { tls: '1.3' as const },
      { tls: '1.2' as const },
      { helloRetryRequest: true },
    ]) {
      fc.assert(
        fc.property(serverHelloArb(options), (hello) => {
          const bytes = encodeServerHello(hello);
          const back = parseServerHello(bytes);
          expect(back.helloRetryRequest).toBe(hello.helloRetryRequest);
          expect(back.version).toBe(hello.version);
          expect(back.cipherSuite).toBe(hello.cipherSuite);
          expect(wire(back.extensions)).toEqual(wire(hello.extensions));
          expect(encodeServerHello(back)).toEqual(bytes);
        }),
        RUNS,
      );
    }
  });
});
