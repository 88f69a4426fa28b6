import { describe, expect, test } from 'vitest';
import { keySharesFollowingGroups } from '../../src/builder/coherence.ts';
import { clientHello } from '../../src/builder/index.ts';
import { toHex } from '../../src/bytes/hex.ts';
import { encodeClientHello, parseClientHello } from '../../src/handshake/client-hello.ts';
import { helloKeyShareGroups } from '../../src/node/probe-hello.ts';

const types = (h: { extensions: readonly { type: number }[] | null }) =>
  (h.extensions ?? []).map((e) => e.type);
const shareGroups = (h: ReturnType<typeof clientHello>) => helloKeyShareGroups(h);

describe('key shares follow the groups when only groups are given', () => {
  test('the first group gets the share (x25519,secp384r1 → x25519; never the default secp256r1)', () => {
    const h = clientHello({ groups: ['x25519', 'secp384r1'], seed: 1 });
    expect(shareGroups(h)).toEqual([0x001d]);
    expect(h.keyShares.map((k) => k.group)).toEqual([0x001d]);
  });

  test('a PQ hybrid first and a classic group second get two shares, as browsers send', () => {
    expect(shareGroups(clientHello({ groups: ['X25519MLKEM768', 'x25519', 'secp256r1'], seed: 1 }))).toEqual([
      0x11ec, 0x001d,
    ]);
    expect(keySharesFollowingGroups([0x11ec, 0x11eb])).toEqual([0x11ec]);
    expect(keySharesFollowingGroups([0x0018, 0x001d])).toEqual([0x0018]);
  });

  test('groups hellokit cannot compute are passed over; none computable asks for an HRR (empty list)', () => {
    expect(keySharesFollowingGroups([0x6399, 0x0017])).toEqual([0x0017]);
    const h = clientHello({ groups: [0x6399], seed: 1 });
    expect(toHex(h.extensions!.find((e) => e.type === 51)!.body)).toBe('0000');
  });

  test('explicit keyShares win, and a preset keeps its own shares unless groups are given', () => {
    expect(shareGroups(clientHello({ groups: ['x25519', 'secp384r1'], keyShares: ['secp384r1'] }))).toEqual([
      0x0018,
    ]);
    expect(
      shareGroups(clientHello({ preset: 'chrome', seed: 1 })).filter((g) => (g & 0x0f0f) !== 0x0a0a),
    ).toEqual([0x11ec, 0x001d]);
    expect(
      shareGroups(clientHello({ preset: 'chrome', groups: ['secp384r1', 'x25519'], seed: 1 })).filter(
        (g) => (g & 0x0f0f) !== 0x0a0a,
      ),
    ).toEqual([0x0018]);
  });
});

describe("tls: '1.2' leaves out every TLS 1.3-only part", () => {
  test('a preset keeps its TLS 1.2 parts and loses key_share, psk modes, versions, ECH, ALPS, cert compression', () => {
    const h = clientHello({ preset: 'chrome', tls: '1.2', seed: 1 });
    for (const t of [43, 45, 51, 27, 17613, 0xfe0d]) expect(types(h)).not.toContain(t);
    for (const t of [0, 10, 11, 13, 16, 23, 0xff01].filter((t) => t !== 0)) expect(types(h)).toContain(t);
    expect(h.cipherSuites.filter((s) => s >> 8 === 0x13)).toEqual([]);
    expect(h.keyShares).toEqual([]);
    expect(encodeClientHello(parseClientHello(encodeClientHello(h)))).toEqual(encodeClientHello(h));
  });

  test('a TLS 1.3-only extension forged in with a raw body stays', () => {
    const h = clientHello({
      tls: '1.2',
      extensionOrder: ['supported_groups', 'key_share'],
      extensionBodies: { 51: Uint8Array.of(0, 0) },
    });
    expect(types(h)).toContain(51);
    expect(h.forged).toContain('client_hello.extensions.key_share');
  });
});

describe('options that contradict each other throw, naming the two fields', () => {
  const cases: [string, Parameters<typeof clientHello>[0], RegExp][] = [
    [
      'only TLS 1.3 suites with tls 1.2',
      { tls: '1.2', cipherSuites: ['TLS_AES_128_GCM_SHA256'] },
      /^"cipherSuites" and "tls" disagree: no cipher suite can be negotiated in TLS 1\.2$/,
    ],
    [
      'only TLS 1.2 suites with versions [1.3]',
      { versions: ['TLS 1.3'], cipherSuites: ['ECDHE-RSA-AES128-GCM-SHA256'] },
      /^"cipherSuites" and "versions" disagree: no cipher suite can be negotiated in TLS 1\.3$/,
    ],
    [
      'only TLS 1.2 suites with tls 1.3',
      { tls: '1.3', cipherSuites: ['ECDHE-RSA-AES128-GCM-SHA256'] },
      /^"cipherSuites" and "tls" disagree/,
    ],
    [
      'a key share for a group not offered',
      { groups: ['x25519', 'secp384r1'], keyShares: ['secp256r1'] },
      /^"keyShares" and "groups" disagree: a key share for secp256r1, a group not offered in groups \(RFC 8446 §4\.2\.8\)$/,
    ],
    [
      'key shares out of the groups order',
      { groups: ['x25519', 'secp384r1'], keyShares: ['secp384r1', 'x25519'] },
      /^"keyShares" and "groups" disagree: key shares must be in the order of groups/,
    ],
    [
      'key shares with no supported_groups',
      { groups: null, keyShares: ['x25519'] },
      /^"keyShares" and "groups" disagree: key shares are sent but supported_groups is left out/,
    ],
    [
      'TLS 1.3 with groups but no key_share',
      { keyShares: null },
      /^"keyShares" and "versions" disagree: TLS 1\.3 with supported_groups needs a key_share/,
    ],
    [
      'TLS 1.3 without signature_algorithms',
      { signatureAlgorithms: null },
      /^"signatureAlgorithms" and "versions" disagree: TLS 1\.3 needs signature_algorithms/,
    ],
    [
      'only legacy schemes for a TLS 1.3-only hello',
      { tls: '1.3', signatureAlgorithms: ['rsa_pkcs1_sha1', 'ecdsa_sha1'] },
      /^"signatureAlgorithms" and "versions" disagree: only legacy schemes/,
    ],
    [
      'tls 1.2 with versions that include 1.3',
      { tls: '1.2', versions: ['TLS 1.3', 'TLS 1.2'] },
      /^"tls" and "versions" disagree/,
    ],
  ];
  for (const [what, options, message] of cases) {
    test(`${what}: TypeError`, () => {
      expect(() => clientHello(options)).toThrow(TypeError);
      expect(() => clientHello(options)).toThrow(message);
    });
  }

  test('an empty list is a RangeError that says null leaves the extension out', () => {
    expect(() => clientHello({ groups: [] })).toThrow(RangeError);
    expect(() => clientHello({ groups: [] })).toThrow(/^"groups" is empty; .*use null to leave it out/);
    expect(() => clientHello({ cipherSuites: [] })).toThrow(/^"cipherSuites" is empty/);
  });

  test('a key share group named twice is a RangeError', () => {
    expect(() => clientHello({ keyShares: ['x25519', 'x25519'] })).toThrow(
      /^"keyShares" lists x25519 \(0x001d\) twice$/,
    );
  });

  test('a host name that is not ASCII is a TypeError pointing at the A-label', () => {
    expect(() => clientHello({ serverName: 'bücher.example' })).toThrow(/not ASCII.*A-label/);
  });

  test('a field forged on purpose is not checked against the others', () => {
    const keyShare = { type: 'key_share', body: Uint8Array.of(0, 6, 0, 0x17, 0, 2, 4, 1) };
    const h = clientHello({ groups: ['x25519'], keyShares: null, replaceExtensions: [keyShare] });
    expect(h.forged).toEqual(['client_hello.extensions.key_share']);
    const raw = clientHello({ tls: '1.2', rawCipherSuites: Uint8Array.of(0x13, 0x01) });
    expect(raw.forged).toEqual(['client_hello.cipher_suites']);
  });

  test('every preset still builds', async () => {
    const { PRESET_NAMES } = await import('../../src/builder/index.ts');
    for (const name of PRESET_NAMES) expect(clientHello({ preset: name, seed: 1 }).forged).toEqual([]);
  });
});

describe('forged lists what the forging options set, as field-path prefixes', () => {
  test('a hello built valid has none', () => {
    expect(
      clientHello({ serverName: 'example.test', grease: true, padding: 512, fragment: 3 }).forged,
    ).toEqual([]);
  });

  test('each forging option names its field', () => {
    const cases: [Parameters<typeof clientHello>[0], string[]][] = [
      [{ record: { version: 0x0300 } }, ['record.legacy_record_version']],
      [{ record: { version: 0x0303 } }, []],
      [{ lengthOverrides: { handshake: 7 } }, ['client_hello.length', 'record.length']],
      [{ legacyVersion: 0x0301 }, ['client_hello.legacy_version']],
      [{ random: new Uint8Array(32) }, ['client_hello.random']],
      [{ sessionId: 40 }, ['client_hello.legacy_session_id']],
      [{ lengthOverrides: { legacySessionId: 1 } }, ['client_hello.legacy_session_id']],
      [{ lengthOverrides: { cipherSuites: 3 } }, ['client_hello.cipher_suites']],
      [
        { rawCipherSuites: Uint8Array.of(0x13, 0x01, 0xc0) },
        ['client_hello.cipher_suites', 'client_hello.legacy_compression_methods'],
      ],
      [{ compressionMethods: [1, 0] }, ['client_hello.legacy_compression_methods']],
      [{ lengthOverrides: { extensions: 9 } }, ['client_hello.extensions']],
      [
        { addExtensions: [{ type: 'supported_groups', body: Uint8Array.of(0, 2, 0, 0x1d) }] },
        ['client_hello.extensions', 'client_hello.extensions.supported_groups'],
      ],
      [
        { addExtensions: [{ type: 'encrypt_then_mac', body: new Uint8Array(0) }] },
        ['client_hello.extensions.encrypt_then_mac'],
      ],
      [
        { removeExtensions: ['signature_algorithms'], tls: '1.2' },
        ['client_hello.extensions.signature_algorithms'],
      ],
      [
        {
          extensionOrder: ['supported_groups', 'key_share', 'supported_versions', 'signature_algorithms', 22],
          extensionBodies: { 22: new Uint8Array(0) },
        },
        ['client_hello.extensions.encrypt_then_mac'],
      ],
    ];
    for (const [options, forged] of cases)
      expect(clientHello({ seed: 1, ...options }).forged, JSON.stringify(options)).toEqual(forged);
  });
});

describe('secure renegotiation stays signalled', () => {
  test("a preset whose client sends the SCSV keeps it after the caller's suites (RFC 5746 §3.4)", () => {
    const h = clientHello({
      preset: 'openssl-tls12',
      cipherSuites: ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'],
      seed: 1,
    });
    expect(h.cipherSuites).toEqual([0xc02f, 0x00ff]);
  });

  test('a caller who lists the SCSV keeps their order, and forged raw suites are left alone', () => {
    const h = clientHello({ preset: 'openssl-tls12', cipherSuites: [0x00ff, 0xc02f], seed: 1 });
    expect(h.cipherSuites).toEqual([0x00ff, 0xc02f]);
  });
});

describe('versions follow the suites when only the suites are given', () => {
  test('TLS 1.2 suites alone make a TLS 1.2 hello (no supported_versions, no key_share)', () => {
    const h = clientHello({
      preset: 'go',
      cipherSuites: ['TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256'],
      seed: 1,
    });
    const types = (h.extensions ?? []).map((e) => e.type);
    expect(types).not.toContain(43);
    expect(types).not.toContain(51);
  });

  test('TLS 1.3 suites alone make a TLS 1.3-only hello; given versions are kept as given', () => {
    const h = clientHello({ cipherSuites: ['TLS_AES_128_GCM_SHA256'], seed: 1 });
    const sv = (h.extensions ?? []).find((e) => e.type === 43);
    expect(sv && Array.from(sv.body)).toEqual([2, 3, 4]);
    expect(() =>
      clientHello({
        cipherSuites: ['TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256'],
        versions: ['TLSv1.3'],
        seed: 1,
      }),
    ).toThrow(/cipherSuites.*versions|versions.*cipherSuites/);
  });
});
