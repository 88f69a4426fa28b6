/**
 * The ClientHello peek without sockets: a real captured hello fed in any chunking, and the
 * faults a client can make, each named (test/node/read-client-hello.test.ts runs the same
 * over real sockets).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { toHex } from '../../src/bytes/hex.ts';
import { encodeClientHello } from '../../src/handshake/client-hello.ts';
import { ClientHelloPeek, clientHelloServerName } from '../../src/peek/client-hello-peek.ts';

/** Chromium 156's ClientHello to hellokit.test, as captured (fixtures/clients/chromium-sni-1.json). */
const chromium = new Uint8Array(
  readFileSync(new URL('../../fixtures/clients/chromium-sni-1.bin', import.meta.url)),
);

function feed(peek: ClientHelloPeek, bytes: Uint8Array, size: number) {
  for (let at = 0; at < bytes.length; at += size) {
    const done = peek.push(bytes.subarray(at, at + size));
    if (done) return done;
  }
  return null;
}

describe('ClientHelloPeek', () => {
  test('one byte at a time and in one chunk give the same hello, with every byte kept', () => {
    const whole = new ClientHelloPeek().push(chromium);
    const bytewise = feed(new ClientHelloPeek(), chromium, 1);
    expect(whole).not.toBeNull();
    expect(bytewise).not.toBeNull();
    expect(toHex(encodeClientHello(bytewise!.hello))).toBe(toHex(encodeClientHello(whole!.hello)));
    expect(toHex(bytewise!.bytes)).toBe(toHex(chromium));
    expect(bytewise!.reads).toBe(chromium.length);
    expect(clientHelloServerName(bytewise!.hello)).toBe('hellokit.test');
  });

  test('bytes after the hello are kept in bytes, not in helloBytes', () => {
    const done = new ClientHelloPeek().push(Uint8Array.from([...chromium, 0x14, 0x03, 0x03]));
    expect(done!.helloBytes.length).toBe(chromium.length);
    expect(done!.bytes.length).toBe(chromium.length + 3);
  });

  test('an HTTP request is not TLS', () => {
    expect(() => new ClientHelloPeek().push(new TextEncoder().encode('GET / HTTP/1.1\r\n\r\n'))).toThrow(
      expect.objectContaining({
        code: 'not-tls',
        message: expect.stringMatching(/^the client did not speak TLS/),
      }),
    );
  });

  test('a hello larger than maxBytes is too large', () => {
    expect(() => feed(new ClientHelloPeek({ maxBytes: 512 }), chromium, 100)).toThrow(
      expect.objectContaining({ name: 'ReadClientHelloError', code: 'too-large' }),
    );
  });

  test('a client that stops half way is closed or timed out, with what it sent', () => {
    const peek = new ClientHelloPeek();
    expect(peek.push(chromium.subarray(0, 100))).toBeNull();
    expect(peek.closed()).toMatchObject({
      code: 'closed',
      message: 'the client closed the connection after 100 bytes, before its ClientHello was complete',
    });
    expect(peek.timedOut(500)).toMatchObject({ code: 'timeout' });
    expect(peek.timedOut(500).bytes.length).toBe(100);
  });

  test('a first record that is not a handshake is named', () => {
    expect(() => new ClientHelloPeek().push(Uint8Array.of(0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28))).toThrow(
      expect.objectContaining({ code: 'not-client-hello' }),
    );
  });

  test('maxBytes below a record and a handshake header is a RangeError', () => {
    expect(() => new ClientHelloPeek({ maxBytes: 8 })).toThrow(RangeError);
  });
});
