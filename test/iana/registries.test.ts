import { describe, expect, it } from 'vitest';
import {
  ALERT,
  ALERT_DESCRIPTIONS,
  ALPN_PROTOCOLS,
  alertLevelName,
  alertName,
  alpnName,
  alpnProtocolInfo,
  CERTIFICATE_COMPRESSION_ALGORITHM,
  CERTIFICATE_TYPE,
  CLIENT_CERTIFICATE_TYPE,
  COMPRESSION_METHOD,
  CONTENT_TYPE,
  certificateCompressionAlgorithmName,
  compressionMethodName,
  contentTypeRegistry,
  EC_POINT_FORMAT,
  EXTENSION_TYPE,
  EXTENSION_TYPES,
  extensionTypeInfo,
  extensionTypeName,
  GREASE_VALUES,
  groupInfo,
  groupName,
  HANDSHAKE_TYPE,
  HEARTBEAT_MESSAGE_TYPE,
  HEARTBEAT_MODE,
  handshakeTypeRegistry,
  lookupExtensionType,
  lookupGroup,
  lookupSignatureScheme,
  MAX_FRAGMENT_LENGTHS,
  maxFragmentLengthRegistry,
  NAME_TYPE,
  NAMED_GROUP,
  NAMED_GROUPS,
  PROTOCOL_VERSIONS,
  PSK_KEY_EXCHANGE_MODE,
  SIGNATURE_SCHEME,
  SIGNATURE_SCHEMES,
  signatureSchemeInfo,
  signatureSchemeName,
  VERSION,
  versionName,
} from '../../src/iana/index.ts';

describe('named groups', () => {
  it.each([
    [1, 'sect163k1'],
    [23, 'secp256r1'],
    [24, 'secp384r1'],
    [25, 'secp521r1'],
    [26, 'brainpoolP256r1'],
    [29, 'x25519'],
    [30, 'x448'],
    [31, 'brainpoolP256r1tls13'],
    [34, 'GC256A'],
    [40, 'GC512C'],
    [41, 'curveSM2'],
    [0x0100, 'ffdhe2048'],
    [0x0104, 'ffdhe8192'],
    [0x0200, 'MLKEM512'],
    [0x0201, 'MLKEM768'],
    [0x0202, 'MLKEM1024'],
    [0x11eb, 'SecP256r1MLKEM768'],
    [0x11ec, 'X25519MLKEM768'],
    [0x11ed, 'SecP384r1MLKEM1024'],
    [0x6399, 'X25519Kyber768Draft00'],
    [0xff01, 'arbitrary_explicit_prime_curves'],
  ])('names code %i %s as IANA does', (code, name) => {
    expect(groupName(code)).toBe(name);
    expect(lookupGroup(name)).toBe(code);
  });

  it('sorts groups by kind: ECDHE curves, FFDHE, ML-KEM alone, hybrids', () => {
    expect(groupInfo('x25519')?.kind).toBe('ecdhe');
    expect(groupInfo('ffdhe3072')?.kind).toBe('ffdhe');
    expect(groupInfo('MLKEM768')?.kind).toBe('kem');
    expect(groupInfo('X25519MLKEM768')?.kind).toBe('hybrid');
    expect(groupInfo(0x6399)?.kind).toBe('hybrid');
    expect(NAMED_GROUPS.filter((g) => g.kind === 'ffdhe')).toHaveLength(5);
  });

  it('knows the OpenSSL and NIST spellings', () => {
    expect(lookupGroup('prime256v1')).toBe(NAMED_GROUP.secp256r1);
    expect(lookupGroup('P-256')).toBe(23);
    expect(lookupGroup('P-521')).toBe(25);
    expect(lookupGroup('ML-KEM-768')).toBe(0x0201);
    expect(lookupGroup('X25519Kyber768')).toBe(0x6399);
  });

  it('has every sect*/secp* curve of RFC 4492 (codes 1-25)', () => {
    for (let code = 1; code <= 25; code++) expect(groupName(code)).toMatch(/^sec[pt]\d+[kr]\d$/);
  });
});

describe('signature schemes', () => {
  it.each([
    [0x0201, 'rsa_pkcs1_sha1'],
    [0x0203, 'ecdsa_sha1'],
    [0x0401, 'rsa_pkcs1_sha256'],
    [0x0403, 'ecdsa_secp256r1_sha256'],
    [0x0503, 'ecdsa_secp384r1_sha384'],
    [0x0603, 'ecdsa_secp521r1_sha512'],
    [0x0708, 'sm2sig_sm3'],
    [0x0709, 'gostr34102012_256a'],
    [0x0804, 'rsa_pss_rsae_sha256'],
    [0x0807, 'ed25519'],
    [0x0808, 'ed448'],
    [0x0809, 'rsa_pss_pss_sha256'],
    [0x081a, 'ecdsa_brainpoolP256r1tls13_sha256'],
    [0x0904, 'mldsa44'],
    [0x0905, 'mldsa65'],
    [0x0906, 'mldsa87'],
  ])('names code %i %s as IANA does', (code, name) => {
    expect(signatureSchemeName(code)).toBe(name);
    expect(lookupSignatureScheme(name)).toBe(code);
  });

  it("reads OpenSSL's SIG+HASH spellings", () => {
    expect(lookupSignatureScheme('ECDSA+SHA256')).toBe(SIGNATURE_SCHEME.ecdsa_secp256r1_sha256);
    expect(lookupSignatureScheme('ECDSA+SHA1')).toBe(0x0203);
    expect(lookupSignatureScheme('RSA+SHA512')).toBe(0x0601);
    expect(lookupSignatureScheme('RSA-PSS+SHA384')).toBe(0x0805);
    expect(lookupSignatureScheme('DSA+SHA256')).toBe(0x0402);
    expect(lookupSignatureScheme('ecdsa_brainpoolP384r1_sha384')).toBe(0x081b);
    expect(lookupSignatureScheme('ML-DSA-65')).toBe(0x0905);
  });

  it('marks TLS 1.2-only pairs as legacy and keeps TLS 1.3 schemes modern', () => {
    expect(signatureSchemeInfo('rsa_pkcs1_sha1')?.legacy).toBe(true);
    expect(signatureSchemeInfo('dsa_sha256')).toMatchObject({ legacy: true, iana: false });
    expect(signatureSchemeInfo('ed25519')?.legacy).toBe(false);
    expect(SIGNATURE_SCHEMES.filter((s) => s.iana).length).toBeGreaterThan(30);
  });
});

describe('extension types', () => {
  it.each([
    [0, 'server_name'],
    [5, 'status_request'],
    [10, 'supported_groups'],
    [13, 'signature_algorithms'],
    [16, 'application_layer_protocol_negotiation'],
    [21, 'padding'],
    [23, 'extended_master_secret'],
    [27, 'compress_certificate'],
    [28, 'record_size_limit'],
    [34, 'delegated_credential'],
    [35, 'session_ticket'],
    [41, 'pre_shared_key'],
    [43, 'supported_versions'],
    [45, 'psk_key_exchange_modes'],
    [50, 'signature_algorithms_cert'],
    [51, 'key_share'],
    [57, 'quic_transport_parameters'],
    [59, 'dnssec_chain'],
    [61, 'rrc'],
    [0xfd00, 'ech_outer_extensions'],
    [0xfe0d, 'encrypted_client_hello'],
    [0xff01, 'renegotiation_info'],
  ])('names code %i %s as IANA does', (code, name) => {
    expect(extensionTypeName(code)).toBe(name);
    expect(lookupExtensionType(name)).toBe(code);
    expect(extensionTypeInfo(code)?.iana).toBe(true);
  });

  it('names the unassigned extensions browsers send', () => {
    expect(extensionTypeName(13172)).toBe('next_protocol_negotiation');
    expect(extensionTypeName(17513)).toBe('application_settings');
    expect(extensionTypeName(17613)).toBe('application_settings_new');
    expect(extensionTypeName(30032)).toBe('channel_id');
    expect(extensionTypeName(0xca34)).toBe('trust_anchors');
    expect(extensionTypeInfo(17513)?.iana).toBe(false);
    expect(lookupExtensionType('npn')).toBe(13172);
    expect(lookupExtensionType('alps')).toBe(17513);
  });

  it('assigns every value from 0 to 62 except the two IANA reserved for TLS 1.3 drafts', () => {
    for (let code = 0; code <= 62; code++) {
      const info = extensionTypeInfo(code);
      expect([code, info?.iana]).toEqual([code, code !== 40 && code !== 46]);
    }
    expect(EXTENSION_TYPE.key_share).toBe(51);
  });

  it('leaves GREASE out of the table (grease.ts names them)', () => {
    const codes: readonly number[] = EXTENSION_TYPES.map((e) => e.code);
    for (const g of GREASE_VALUES) expect(codes).not.toContain(g);
  });
});

describe('alerts', () => {
  it.each([
    [0, 'close_notify'],
    [10, 'unexpected_message'],
    [20, 'bad_record_mac'],
    [40, 'handshake_failure'],
    [42, 'bad_certificate'],
    [47, 'illegal_parameter'],
    [48, 'unknown_ca'],
    [50, 'decode_error'],
    [70, 'protocol_version'],
    [80, 'internal_error'],
    [86, 'inappropriate_fallback'],
    [109, 'missing_extension'],
    [112, 'unrecognized_name'],
    [116, 'certificate_required'],
    [120, 'no_application_protocol'],
    [121, 'ech_required'],
  ])('names code %i %s as IANA does', (code, name) => {
    expect(alertName(code)).toBe(name);
    expect(ALERT[name as keyof typeof ALERT]).toBe(code);
  });

  it("reads RFC 8446's _RESERVED spellings", () => {
    expect(ALERT_DESCRIPTIONS.find((a) => a.code === 41)?.aliases).toContain('no_certificate_RESERVED');
  });

  it('names both alert levels', () => {
    expect(alertLevelName(1)).toBe('warning');
    expect(alertLevelName(2)).toBe('fatal');
    expect(alertLevelName(3)).toBe('unknown(0x03)');
  });
});

describe('message-level registries', () => {
  it('names the record content types', () => {
    expect(contentTypeRegistry.name(20)).toBe('change_cipher_spec');
    expect(contentTypeRegistry.name(22)).toBe('handshake');
    expect(contentTypeRegistry.name(23)).toBe('application_data');
    expect(CONTENT_TYPE.heartbeat).toBe(24);
    expect(CONTENT_TYPE.tls12_cid).toBe(25);
  });

  it('names the handshake types, TLS 1.3 ones included', () => {
    expect(handshakeTypeRegistry.name(1)).toBe('client_hello');
    expect(handshakeTypeRegistry.name(2)).toBe('server_hello');
    expect(handshakeTypeRegistry.name(8)).toBe('encrypted_extensions');
    expect(handshakeTypeRegistry.name(24)).toBe('key_update');
    expect(handshakeTypeRegistry.name(25)).toBe('compressed_certificate');
    expect(handshakeTypeRegistry.name(254)).toBe('message_hash');
    expect(HANDSHAKE_TYPE.certificate_verify).toBe(15);
  });

  it('names compression methods, point formats, PSK modes and certificate types', () => {
    expect(compressionMethodName(0)).toBe('null');
    expect(COMPRESSION_METHOD.DEFLATE).toBe(1);
    expect(EC_POINT_FORMAT.uncompressed).toBe(0);
    expect(EC_POINT_FORMAT.ansiX962_compressed_char2).toBe(2);
    expect(PSK_KEY_EXCHANGE_MODE.psk_ke).toBe(0);
    expect(PSK_KEY_EXCHANGE_MODE.psk_dhe_ke).toBe(1);
    expect(CERTIFICATE_TYPE.RawPublicKey).toBe(2);
    expect(CLIENT_CERTIFICATE_TYPE.ecdsa_sign).toBe(64);
    expect(CERTIFICATE_COMPRESSION_ALGORITHM.zlib).toBe(1);
    expect(certificateCompressionAlgorithmName(3)).toBe('zstd');
  });

  it('names heartbeat modes, fragment lengths and name types', () => {
    expect(HEARTBEAT_MODE.peer_allowed_to_send).toBe(1);
    expect(HEARTBEAT_MESSAGE_TYPE.heartbeat_response).toBe(2);
    expect(MAX_FRAGMENT_LENGTHS.map((m) => m.bytes)).toEqual([512, 1024, 2048, 4096]);
    expect(maxFragmentLengthRegistry.lookup('2^12')).toBe(4);
    expect(maxFragmentLengthRegistry.lookup('1024')).toBe(2);
    expect(NAME_TYPE.host_name).toBe(0);
  });
});

describe('versions', () => {
  it('has SSL 3.0 to TLS 1.3 and the three DTLS versions', () => {
    expect(VERSION['SSL 3.0']).toBe(0x0300);
    expect(VERSION['TLS 1.0']).toBe(0x0301);
    expect(VERSION['TLS 1.1']).toBe(0x0302);
    expect(VERSION['TLS 1.2']).toBe(0x0303);
    expect(VERSION['TLS 1.3']).toBe(0x0304);
    expect(VERSION['DTLS 1.0']).toBe(0xfeff);
    expect(VERSION['DTLS 1.2']).toBe(0xfefd);
    expect(VERSION['DTLS 1.3']).toBe(0xfefc);
    expect(PROTOCOL_VERSIONS.filter((v) => v.dtls)).toHaveLength(3);
  });

  it('names TLS 1.3 drafts', () => {
    expect(versionName(0x7f12)).toBe('TLS 1.3 draft 18');
    expect(versionName(0x7f1c)).toBe('TLS 1.3 draft 28');
  });
});

describe('ALPN', () => {
  it('knows the IANA protocol ids', () => {
    for (const id of ['http/1.1', 'h2', 'h3', 'acme-tls/1', 'dot', 'doq', 'postgresql']) {
      expect(alpnProtocolInfo(id)?.iana).toBe(true);
    }
    expect(alpnProtocolInfo(new Uint8Array([0x68, 0x32]))?.protocol).toBe('HTTP/2 over TLS');
    expect(alpnProtocolInfo('H2')).toBeUndefined();
    expect(new Set(ALPN_PROTOCOLS.map((p) => p.id)).size).toBe(ALPN_PROTOCOLS.length);
  });

  it('prints ids as text, GREASE ids as GREASE and binary ids as hex', () => {
    expect(alpnName('h2')).toBe('h2');
    expect(alpnName(new Uint8Array([0x3a, 0x3a]))).toBe('GREASE(0x3a3a)');
    expect(alpnName(new Uint8Array([0x00, 0xff, 0x10]))).toBe('0x00ff10');
    expect(alpnName(new Uint8Array([]))).toBe('0x');
  });
});
