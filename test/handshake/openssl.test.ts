import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { equalBytes, latin1, toHex } from '../../src/bytes/hex.ts';
import { encodeClientHello, parseClientHello } from '../../src/handshake/client-hello.ts';
import { encodeHandshakeMessage } from '../../src/handshake/messages.ts';
import { HELLO_RETRY_REQUEST_RANDOM } from '../../src/handshake/server-hello.ts';
import { decodeStream } from '../../src/handshake/stream.ts';

const data = (name: string): Uint8Array =>
  new Uint8Array(readFileSync(new URL(`data/${name}`, import.meta.url)));

describe('ClientHellos captured from openssl s_client', () => {
  it('parses the TLS 1.3 ClientHello and re-encodes it byte-identically', () => {
    const bytes = data('openssl-client-hello-tls13.bin');
    const hello = parseClientHello(bytes);
    expect(hello.record?.version).toBe(0x0301);
    expect(hello.legacySessionId.length).toBe(32); // middlebox compatibility mode
    expect(hello.cipherSuites.slice(0, 3)).toEqual([0x1302, 0x1303, 0x1301]);
    const sni = hello.extensions?.find((e) => e.type === 0);
    expect(sni && latin1(sni.body.subarray(5))).toBe('x.test');
    expect(equalBytes(encodeClientHello(hello), bytes)).toBe(true);
  });

  it('parses the TLS 1.2-only ClientHello (no supported_versions) byte-identically', () => {
    const bytes = data('openssl-client-hello-tls12.bin');
    const hello = parseClientHello(bytes);
    expect(hello.extensions?.some((e) => e.type === 43)).toBe(false);
    expect(hello.cipherSuites).toContain(0xc02c);
    expect(equalBytes(encodeClientHello(hello), bytes)).toBe(true);
  });
});

describe('server flights captured from openssl s_server', () => {
  it('decodes the TLS 1.2 flight: ServerHello with DOWNGRD sentinel, Certificate, ECDHE ServerKeyExchange, ServerHelloDone', () => {
    const bytes = data('openssl-server-flight-tls12.bin');
    const { records, messages, error } = decodeStream(bytes);
    expect(error).toBeNull();
    expect(records.every((r) => r.contentTypeName === 'handshake')).toBe(true);
    expect(messages.map((m) => m.type)).toEqual([
      'server_hello',
      'certificate',
      'server_key_exchange',
      'server_hello_done',
    ]);
    const [sh, cert, ske] = messages;
    if (sh.type !== 'server_hello' || cert.type !== 'certificate' || ske.type !== 'server_key_exchange') {
      throw new Error('unexpected message types');
    }
    expect(sh.version).toBe(0x0303);
    expect(sh.downgrade).toBe('tls12');
    expect(sh.cipherSuite).toBe(0xc02c);
    expect(cert.certificateRequestContext).toBeNull();
    const pem = readFileSync(new URL('data/server-cert.pem', import.meta.url), 'utf8');
    expect(toHex(cert.certificateList[0].certData)).toBe(toHex(new Uint8Array(new X509Certificate(pem).raw)));
    expect(ske.params.kind).toBe('ecdhe');
    if (ske.params.kind === 'ecdhe') {
      expect(ske.params.namedGroup).toBe(29); // x25519, openssl's first group
      expect(ske.params.point.length).toBe(32);
    }
    expect(ske.signatureAlgorithm).toBe(0x0403); // ecdsa_secp256r1_sha256
    for (const m of messages) {
      if ('raw' in m) expect(toHex(encodeHandshakeMessage(m))).toBe(toHex(m.raw));
    }
  });

  it('decodes the TLS 1.3 flight: ServerHello, change_cipher_spec, then opaque encrypted records', () => {
    const { messages, error } = decodeStream(data('openssl-server-flight-tls13.bin'));
    expect(error).toBeNull();
    expect(messages[0].type).toBe('server_hello');
    if (messages[0].type === 'server_hello') {
      expect(messages[0].version).toBe(0x0304);
      expect(messages[0].downgrade).toBeNull();
    }
    expect(messages[1].type).toBe('change_cipher_spec');
    expect(messages.slice(2).every((m) => m.type === 'application_data')).toBe(true);
    expect(messages.length).toBeGreaterThan(2);
  });

  it('recognises the HelloRetryRequest by its random and reads it in the hello_retry_request context', () => {
    const { messages, error } = decodeStream(data('openssl-server-hrr.bin'));
    expect(error).toBeNull();
    const hrr = messages[0];
    if (hrr.type !== 'server_hello') throw new Error('no server_hello');
    expect(hrr.helloRetryRequest).toBe(true);
    expect(toHex(hrr.random)).toBe(toHex(HELLO_RETRY_REQUEST_RANDOM));
    expect(hrr.version).toBe(0x0304);
    const keyShare = hrr.extensions?.find((e) => e.type === 51);
    expect(keyShare && toHex(keyShare.body)).toBe('0018'); // selected_group secp384r1
    expect(messages[1].type).toBe('change_cipher_spec');
  });
});
