/**
 * The engine's states take the server's messages in the order RFC 5246 and RFC 8446 give them;
 * a message where no state takes it stops the probe with protocol_error naming what was
 * expected. No real server sends these flights, so the scripted server of test/hostile (real
 * key exchange and record protection, messages placed by the test) stands in for one.
 */
import { afterAll, describe, expect, test } from 'vitest';
import { clientHello } from '../../src/builder/client-hello.ts';
import { concatBytes } from '../../src/bytes/hex.ts';
import { encodeHandshake, HANDSHAKE_TYPES } from '../../src/handshake/header.ts';
import { encodeServerHello } from '../../src/handshake/server-hello.ts';
import { probe } from '../../src/node/index.ts';
import { type Responder, type Scenario, startResponder, tlsRecord } from '../hostile/tls-responder.ts';

const responders: Responder[] = [];
afterAll(() => Promise.all(responders.map((r) => r.close())));

async function probeScripted(scenario: Scenario, tls: '1.2' | '1.3') {
  const server = await startResponder(scenario);
  responders.push(server);
  const hello = clientHello({ serverName: null, tls, groups: ['x25519'], keyShares: ['x25519'] });
  return probe(server.target, { hello, timeoutMs: 4000 });
}

describe('messages out of order', () => {
  test('TLS 1.3: a CertificateVerify where a Certificate belongs stops the probe, naming both', async () => {
    const certificateVerify = encodeHandshake(HANDSHAKE_TYPES.certificate_verify, Uint8Array.of(8, 4, 0, 0));
    const r = await probeScripted((x) => x.tls13Flight({ beforeFinished: [certificateVerify] }), '1.3');
    expect(r.outcome).toBe('server_hello');
    expect(r.stopReason).toBe('protocol_error');
    expect(r.error).toBe(
      'expected a CertificateRequest, Certificate or Finished, the server sent certificate_verify',
    );
    expect(r.finishedVerified).toBe(false);
    expect(r.serverMessages).toEqual(['server_hello', 'encrypted_extensions', 'certificate_verify']);
  });

  test('TLS 1.3: the same flight in order, without a Certificate (as a PSK handshake), verifies', async () => {
    const r = await probeScripted((x) => x.tls13Flight(), '1.3');
    expect(r.stopReason).toBe('complete');
    expect(r.finishedVerified).toBe(true);
  });

  test('TLS 1.3: a handshake message sharing the ServerHello plaintext record stops the probe', async () => {
    const r = await probeScripted((x) => {
      const serverHelloMessage = x.tls13Flight({ after: 'nothing' }).subarray(5);
      const encryptedExtensions = encodeHandshake(HANDSHAKE_TYPES.encrypted_extensions, Uint8Array.of(0, 0));
      return tlsRecord(22, concatBytes(serverHelloMessage, encryptedExtensions));
    }, '1.3');
    expect(r.stopReason).toBe('protocol_error');
    expect(r.error).toBe('a handshake message after the TLS 1.3 ServerHello was not encrypted');
  });

  test('TLS 1.2: a ServerKeyExchange after the CertificateRequest stops the probe', async () => {
    const r = await probeScripted((x) => {
      const sh = encodeServerHello(x.serverHello({ cipherSuite: 0xc02f }));
      const certificateRequest = encodeHandshake(
        HANDSHAKE_TYPES.certificate_request,
        Uint8Array.of(1, 1, 0, 0, 0, 0),
      );
      const serverKeyExchange = encodeHandshake(
        HANDSHAKE_TYPES.server_key_exchange,
        Uint8Array.of(3, 0, 29, 0),
      );
      const done = encodeHandshake(HANDSHAKE_TYPES.server_hello_done, new Uint8Array(0));
      return concatBytes(...[sh, certificateRequest, serverKeyExchange, done].map((m) => tlsRecord(22, m)));
    }, '1.2');
    expect(r.outcome).toBe('server_hello');
    expect(r.certificateRequested).toBe(true);
    expect(r.stopReason).toBe('protocol_error');
    expect(r.error).toBe(
      'expected a CertificateRequest or ServerHelloDone, the server sent server_key_exchange',
    );
  });

  test('TLS 1.2: Certificate and ServerKeyExchange may be left out (ServerHello, ServerHelloDone)', async () => {
    const r = await probeScripted((x) => x.tls12Flight(), '1.2');
    expect(r.stopReason).toBe('complete');
    expect(r.serverMessages).toEqual(['server_hello', 'server_hello_done']);
  });
});
