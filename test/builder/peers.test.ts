import { connect } from 'node:net';
import { afterAll, expect, test } from 'vitest';
import { type ClientHelloOptions, clientHello } from '../../src/builder/index.ts';
import { encodeClientHello } from '../../src/handshake/client-hello.ts';
import { describePeer, type PeerKind, peerKinds, startPeer, stopAll } from '../peers/index.ts';

afterAll(stopAll);

/** Sends `hello` and returns the first record the server answers (header and body), or what ended the read. */
function firstRecord(host: string, port: number, hello: Uint8Array): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    let got = new Uint8Array(0);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no complete record within 5 s (${got.length} bytes)`));
    }, 5000);
    socket.on('connect', () => socket.write(hello));
    socket.on('data', (chunk: Uint8Array) => {
      const next = new Uint8Array(got.length + chunk.length);
      next.set(got);
      next.set(chunk, got.length);
      got = next;
      if (got.length >= 5 && got.length >= 5 + ((got[3] << 8) | got[4])) {
        clearTimeout(timer);
        socket.destroy();
        resolve(got.subarray(0, 5 + ((got[3] << 8) | got[4])));
      }
    });
    socket.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      reject(new Error(`closed after ${got.length} bytes: ${Buffer.from(got).toString('hex').slice(0, 40)}`));
    });
  });
}

const CASES: readonly [string, ClientHelloOptions][] = [
  ['the default hello', {}],
  ['the default hello with GREASE and ECH GREASE', { grease: true, echGrease: true }],
  ['a TLS 1.2 hello', { tls: '1.2' }],
  ['the default hello over three records', { fragment: 3 }],
  ['the chrome preset', { preset: 'chrome' }],
  ['the firefox preset', { preset: 'firefox' }],
];

for (const kind of peerKinds as readonly PeerKind[]) {
  describePeer(kind, () => {
    test(`${kind} answers the builder's hellos with a ServerHello`, async () => {
      const peer = await startPeer(kind);
      try {
        for (const [what, options] of CASES) {
          const hello = encodeClientHello(clientHello({ serverName: peer.names[0], seed: what, ...options }));
          const record = await firstRecord(peer.host, peer.port, hello);
          expect(
            record[0],
            `${what}: content type (record ${Buffer.from(record).toString('hex').slice(0, 20)})`,
          ).toBe(0x16);
          expect(record[5], `${what}: first handshake message`).toBe(0x02);
        }
      } finally {
        await peer.stop();
      }
    }, 60_000);
  });
}
