import { connect as http2Connect } from 'node:http2';
import { createServer, type TLSSocket } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { fromHex } from '../../src/bytes/hex.ts';
import { akamaiFingerprint, Http2PrefaceReader, pseudoHeaderOrder } from '../../src/fingerprint/http2.ts';
import { selfSignedCertificate } from '../../src/node/self-signed.ts';

const PREFACE = '505249202a20485454502f322e300d0a0d0a534d0d0a0d0a';

/** A frame: 24-bit length, type, flags, stream id (RFC 9113 §4.1). */
function frame(type: number, flags: number, stream: number, payload: string): string {
  const length = payload.length / 2;
  return `${length.toString(16).padStart(6, '0')}${type.toString(16).padStart(2, '0')}${flags.toString(16).padStart(2, '0')}${stream.toString(16).padStart(8, '0')}${payload}`;
}

describe('Http2PrefaceReader', () => {
  it('reads SETTINGS in order, the connection WINDOW_UPDATE and PRIORITY frames, up to the first HEADERS', () => {
    const bytes = fromHex(
      PREFACE +
        frame(4, 0, 0, '000100010000' + '000200000000' + '000400600000') +
        frame(8, 0, 0, '00ef0001') +
        frame(2, 0, 3, '80000000c8') +
        frame(2, 0, 5, '0000000064') +
        frame(1, 0x25, 1, '8000000bff8284') +
        frame(4, 0, 0, '000300000064'),
    );
    const r = new Http2PrefaceReader();
    for (let i = 0; i < bytes.length; i += 7) r.push(bytes.subarray(i, i + 7));
    expect(r.done).toBe(true);
    const p = r.preface;
    expect(p.error).toBeNull();
    expect(p.settings).toEqual([
      { id: 1, value: 65536 },
      { id: 2, value: 0 },
      { id: 4, value: 6291456 },
    ]);
    expect(p.windowUpdate).toBe(15663105);
    expect(p.priorities).toEqual([
      { streamId: 3, exclusive: true, dependsOn: 0, weight: 201 },
      { streamId: 5, exclusive: false, dependsOn: 0, weight: 101 },
    ]);
    expect(p.headersPriority).toEqual({ streamId: 1, exclusive: true, dependsOn: 11, weight: 256 });
    expect(akamaiFingerprint(p, [':method', ':authority', ':scheme', ':path', 'user-agent']).text).toBe(
      '1:65536;2:0;4:6291456|15663105|3:1:0:201,5:0:0:101|m,a,s,p',
    );
  });

  it('writes 00 for no WINDOW_UPDATE and 0 for no PRIORITY frame', () => {
    const r = new Http2PrefaceReader();
    r.push(fromHex(PREFACE + frame(4, 0, 0, '000300000064') + frame(1, 4, 1, '82')));
    expect(akamaiFingerprint(r.preface, [':method', ':path', ':scheme', ':authority']).text).toBe(
      '3:100|00|0|m,p,s,a',
    );
  });

  it('ignores SETTINGS acknowledgements and stream-level WINDOW_UPDATEs', () => {
    const r = new Http2PrefaceReader();
    r.push(
      fromHex(
        PREFACE + frame(4, 1, 0, '') + frame(8, 0, 1, '00001000') + frame(4, 0, 0, '') + frame(1, 4, 1, '82'),
      ),
    );
    expect(r.preface.settings).toEqual([]);
    expect(r.preface.windowUpdate).toBeNull();
  });

  it('stops at bytes that are not the HTTP/2 preface, and at the byte limit', () => {
    const notH2 = new Http2PrefaceReader();
    notH2.push(new TextEncoder().encode('GET / HTTP/1.1\r\n'));
    expect(notH2.preface.error).toMatch(/not the HTTP\/2 connection preface/);
    const big = new Http2PrefaceReader(100);
    big.push(fromHex(PREFACE + frame(0, 0, 1, '00'.repeat(200))));
    expect(big.done).toBe(true);
    expect(big.preface.error).toMatch(/within the first 100 bytes/);
  });

  it('takes the pseudo-header order from header names', () => {
    expect(pseudoHeaderOrder([':method', ':path', 'accept', ':authority', ':scheme'])).toEqual([
      'm',
      'p',
      'a',
      's',
    ]);
  });

  it("reads what Node's real HTTP/2 client sends with Chrome's settings: Chrome's Akamai settings and window", async () => {
    const { cert, key } = await selfSignedCertificate(['localhost']);
    const reader = new Http2PrefaceReader();
    const server = createServer({ cert, key, ALPNProtocols: ['h2'] }, (socket: TLSSocket) => {
      socket.on('data', (chunk: Uint8Array) => reader.push(chunk));
      socket.on('error', () => {});
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const session = http2Connect(`https://127.0.0.1:${port}`, {
      rejectUnauthorized: false,
      settings: {
        headerTableSize: 65536,
        enablePush: false,
        initialWindowSize: 6291456,
        maxHeaderListSize: 262144,
      },
    });
    session.on('error', () => {});
    session.on('connect', () => session.setLocalWindowSize(15728640));
    session.request({ ':path': '/' }).on('error', () => {});
    for (let i = 0; i < 100 && !reader.done; i++) await new Promise((r) => setTimeout(r, 20));
    session.destroy();
    server.close();
    expect(reader.preface.complete).toBe(true);
    expect(akamaiFingerprint(reader.preface, []).text).toBe('1:65536;2:0;4:6291456;6:262144|15663105|0|');
  });
});
