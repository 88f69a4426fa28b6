/**
 * The QUIC client session in memory, with no socket: datagrams are handed to it and taken
 * from it. The server side is RFC 9001 Appendix A.3's server Initial (real protected bytes
 * from the RFC) or Initials sealed here with the server Initial keys.
 */
import { describe, expect, test } from 'vitest';
import { clientHello } from '../../src/builder/client-hello.ts';
import { fromHex, toHex } from '../../src/bytes/hex.ts';
import { encodeClientHelloMessage } from '../../src/handshake/client-hello.ts';
import { ProbeEngine } from '../../src/probe/engine.ts';
import {
  connectionCloseFrame,
  initialKeys,
  openInitial,
  parseLongHeader,
  QuicClientSession,
  type QuicTlsEngine,
  readInitialFrames,
  sealInitial,
} from '../../src/quic/index.ts';
import { RFC9001_DCID, RFC9001_SERVER_INITIAL } from '../helpers/rfc9001.ts';

// RFC 9001 Appendix A.3: the server Initial (ACK + CRYPTO with a ServerHello) for connection ID 8394c8f03e515708.
const DCID = RFC9001_DCID;
const SERVER_INITIAL = RFC9001_SERVER_INITIAL;
const hello = clientHello({ serverName: 'example.test', tls: '1.3', alpn: ['h3'], sessionId: 0 });

/** Opens a client datagram with the client Initial keys of `dcid`: its header and frames. */
function openClient(datagram: Uint8Array) {
  const header = parseLongHeader(datagram, 0)!;
  const opened = openInitial(datagram, header, initialKeys(1, DCID, 'client'), -1)!;
  return { header, packetNumber: opened.packetNumber, frames: readInitialFrames(opened.payload) };
}

function probeSession() {
  return new QuicClientSession(
    hello,
    (keylog) => new ProbeEngine(hello, hello.keyShares, { keylog, decrypt: true }),
    { version: 1, destinationConnectionId: DCID, sourceConnectionId: new Uint8Array(0) },
  );
}

describe('QuicClientSession with the probe engine, in memory', () => {
  test('the first flight is the ClientHello in one padded 1200-byte Initial to the chosen connection ID', () => {
    const sent = probeSession().start(0);
    expect(sent.map((d) => d.length)).toEqual([1200]);
    const { header, packetNumber, frames } = openClient(sent[0]);
    expect(toHex(header.destinationConnectionId)).toBe(toHex(DCID));
    expect(packetNumber).toBe(0);
    expect(frames.names).toEqual(['crypto', 'padding']);
    expect(toHex(frames.crypto[0].data)).toBe(toHex(encodeClientHelloMessage(hello)));
  });

  test("RFC 9001 A.3's server Initial gives the ServerHello; the session then ACKs and closes to the server's connection ID", () => {
    const session = probeSession();
    session.start(0);
    const step = session.receive(SERVER_INITIAL, 5);
    expect(session.engine.serverHello).toMatchObject({ cipherSuite: 0x1301, group: 0x001d });
    expect(toHex(session.serverConnectionId!)).toBe('f067a5502a4262b5');
    expect(session.transcript[1].packets).toEqual([
      { type: 'initial', length: SERVER_INITIAL.length, packetNumber: 1, frames: ['ack', 'crypto'] },
    ]);
    // The handshake keys are known (from this hello's share and the RFC's): an ACK widens the server's budget.
    expect(step.send.map((d) => openClient(d).frames.names)).toEqual([['ack', 'padding']]);
    const close = session.closeDatagram(6);
    const opened = openClient(close[0]);
    expect(toHex(opened.header.destinationConnectionId)).toBe('f067a5502a4262b5');
    expect(opened.packetNumber).toBe(2);
    expect(opened.frames.close).toMatchObject({ errorCode: 0, errorName: 'NO_ERROR' });
  });

  test('a CONNECTION_CLOSE with CRYPTO_ERROR 0x150 in a server Initial is the fatal alert internal_error', () => {
    const session = probeSession();
    session.start(0);
    const serverCid = fromHex('5300000000000001');
    const payload = new Uint8Array(40);
    payload.set(connectionCloseFrame(0x100 + 80, 'no certificate for this name'));
    const datagram = sealInitial(
      {
        version: 1,
        destinationConnectionId: new Uint8Array(0),
        sourceConnectionId: serverCid,
        packetNumber: 0,
        payload,
      },
      initialKeys(1, DCID, 'server'),
    );
    const step = session.receive(datagram, 3);
    expect(step.done).toBe(true);
    expect(session.stopReason).toBe('alert');
    expect(session.alert).toEqual({
      level: 2,
      levelName: 'fatal',
      description: 80,
      name: 'internal_error',
      encrypted: false,
    });
    expect(session.connectionClose).toMatchObject({
      errorName: 'CRYPTO_ERROR',
      reason: 'no certificate for this name',
    });
    // The server closed first: the session sends no close of its own.
    expect(session.closeDatagram(4)).toEqual([]);
  });
});

test('any TLS engine can be plugged in: it gets the Initial CRYPTO stream as TLS handshake records', () => {
  // A recording engine (not a TLS implementation): it shows what the session hands over.
  const received: Uint8Array[] = [];
  const engine: QuicTlsEngine & { stopped: boolean } = {
    done: false,
    stopReason: null,
    stopped: false,
    receive(records) {
      received.push(records.slice());
      Object.assign(this, { done: true, stopReason: 'server_hello' });
      return { send: [] };
    },
    stop() {
      this.stopped = true;
    },
  };
  const session = new QuicClientSession(hello, () => engine, {
    version: 1,
    destinationConnectionId: DCID,
    sourceConnectionId: new Uint8Array(0),
  });
  session.start(0);
  session.receive(SERVER_INITIAL, 1);
  // One handshake record (22, legacy version 3.3, 90 bytes) holding the RFC's 90-byte ServerHello.
  expect(received.map((r) => toHex(r.subarray(0, 9)))).toEqual(['160303005a02000056']);
  expect(session.stopReason).toBe('server_hello');
  expect(engine.stopped).toBe(true);
});
