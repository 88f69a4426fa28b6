import { describe, expect, it } from 'vitest';
import { equalBytes, toHex } from '../../src/bytes/hex.ts';
import {
  encodeClientHello,
  encodeClientHelloMessage,
  parseClientHello,
} from '../../src/handshake/client-hello.ts';
import { encodeHandshakeMessage, parseHandshakeMessage } from '../../src/handshake/messages.ts';
import { encodeServerHello, parseServerHello } from '../../src/handshake/server-hello.ts';
import { decodeStream } from '../../src/handshake/stream.ts';
import * as rfc from './rfc8448.ts';

describe('RFC 8448 §3 Simple 1-RTT Handshake', () => {
  it('decodes the ClientHello record and re-encodes it byte-identically', () => {
    const hello = parseClientHello(rfc.clientHelloRecord);
    expect(hello.legacyVersion).toBe(0x0303);
    expect(toHex(hello.random)).toBe('cb34ecb1e78163ba1c38c6dacb196a6dffa21a8d9912ec18a2ef6283024dece7');
    expect(hello.legacySessionId.length).toBe(0);
    expect(hello.cipherSuites).toEqual([0x1301, 0x1303, 0x1302]);
    expect(hello.legacyCompressionMethods).toEqual([0]);
    expect(hello.extensions?.map((e) => e.type)).toEqual([0, 0xff01, 10, 35, 51, 43, 13, 45, 28]);
    expect(hello.record).toEqual({ version: 0x0301 });
    expect(equalBytes(encodeClientHello(hello), rfc.clientHelloRecord)).toBe(true);
    expect(equalBytes(encodeClientHelloMessage(hello), rfc.clientHello)).toBe(true);
  });

  it('decodes the bare ClientHello message the same way', () => {
    const fromRecord = parseClientHello(rfc.clientHelloRecord);
    const bare = parseClientHello(rfc.clientHello);
    expect(bare.cipherSuites).toEqual(fromRecord.cipherSuites);
    expect(bare.record).toBeUndefined();
    // No framing given: one record with version 0x0301, which is what the RFC sent.
    expect(equalBytes(encodeClientHello(bare), rfc.clientHelloRecord)).toBe(true);
  });

  it('decodes the ServerHello: TLS 1.3 negotiated, not a HelloRetryRequest, no downgrade', () => {
    const sh = parseServerHello(rfc.serverHello);
    expect(sh.cipherSuite).toBe(0x1301);
    expect(sh.version).toBe(0x0304);
    expect(sh.legacyVersion).toBe(0x0303);
    expect(sh.helloRetryRequest).toBe(false);
    expect(sh.downgrade).toBeNull();
    expect(sh.extensions?.map((e) => e.type)).toEqual([51, 43]);
    expect(equalBytes(encodeServerHello(sh), rfc.serverHello)).toBe(true);
  });

  it('decodes EncryptedExtensions, Certificate, CertificateVerify and Finished and re-encodes them', () => {
    const ee = parseHandshakeMessage(rfc.encryptedExtensions, { version: 0x0304 });
    expect(ee.type).toBe('encrypted_extensions');
    if (ee.type === 'encrypted_extensions') expect(ee.extensions.map((e) => e.type)).toEqual([10, 28, 0]);

    const cert = parseHandshakeMessage(rfc.certificate, { version: 0x0304 });
    expect(cert.type).toBe('certificate');
    if (cert.type === 'certificate') {
      expect(cert.certificateRequestContext?.length).toBe(0);
      expect(cert.certificateList).toHaveLength(1);
      expect(cert.certificateList[0].certData.length).toBe(0x1b0);
      expect(toHex(cert.certificateList[0].certData.subarray(0, 4))).toBe('308201ac');
      expect(cert.certificateList[0].extensions).toEqual([]);
    }

    const cv = parseHandshakeMessage(rfc.certificateVerify, { version: 0x0304 });
    expect(cv.type === 'certificate_verify' && cv.algorithm).toBe(0x0804);
    if (cv.type === 'certificate_verify') expect(cv.signature.length).toBe(128);

    const fin = parseHandshakeMessage(rfc.serverFinished, { version: 0x0304 });
    expect(fin.type === 'finished' && toHex(fin.verifyData)).toBe(
      '9b9b141d906337fbd2cbdce71df4deda4ab42c309572cb7fffee5454b78f0718',
    );

    for (const bytes of [
      rfc.encryptedExtensions,
      rfc.certificate,
      rfc.certificateVerify,
      rfc.serverFinished,
    ]) {
      expect(toHex(encodeHandshakeMessage(parseHandshakeMessage(bytes, { version: 0x0304 })))).toBe(
        toHex(bytes),
      );
    }
  });

  it('guesses the TLS 1.3 Certificate form when no version is given', () => {
    const cert = parseHandshakeMessage(rfc.certificate);
    expect(cert.type === 'certificate' && cert.certificateRequestContext !== null).toBe(true);
  });

  it('decodes the decrypted server flight as a bare handshake stream', () => {
    const flight = new Uint8Array([
      ...rfc.serverHello,
      ...rfc.encryptedExtensions,
      ...rfc.certificate,
      ...rfc.certificateVerify,
      ...rfc.serverFinished,
    ]);
    const { messages, error } = decodeStream(flight);
    expect(error).toBeNull();
    expect(messages.map((m) => m.type)).toEqual([
      'server_hello',
      'encrypted_extensions',
      'certificate',
      'certificate_verify',
      'finished',
    ]);
    expect(messages.map((m) => m.offset)).toEqual([0, 90, 130, 575, 711]);
  });
});
