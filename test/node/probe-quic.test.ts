import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { concatBytes, fromHex, toHex } from '../../src/bytes/hex.ts';
import { QuicInitialTracker } from '../../src/capture/quic.ts';
import { respondToKeyShare } from '../../src/crypto/key-share.ts';
import type { KeyShareClientHello } from '../../src/extensions/key-share.ts';
import { decodeExtensionBody } from '../../src/extensions/values.ts';
import { ja4 } from '../../src/fingerprint/ja4.ts';
import { encodeClientHelloMessage, parseClientHello } from '../../src/handshake/client-hello.ts';
import { encodeServerHello } from '../../src/handshake/server-hello.ts';
import { probeQuic } from '../../src/node/probe-quic.ts';
import {
  clientTransportParameters,
  connectionCloseFrame,
  cryptoFrame,
  initialKeys,
  openInitial,
  parseLongHeader,
  QUIC_VERSION,
  readBareLongHeader,
  readInitialFrames,
  readVarint,
  retryIntegrityTag,
  sealInitial,
  TRANSPORT_PARAMETER,
} from '../../src/quic/index.ts';
import { RFC9001_DCID, RFC9001_SERVER_INITIAL } from '../helpers/rfc9001.ts';

/** A UDP server on 127.0.0.1 that hands each datagram to `answer` and records what came in. */
async function udpServer(
  answer: (datagram: Uint8Array, reply: (bytes: Uint8Array) => void, from: RemoteInfo) => void,
): Promise<{ port: number; received: Uint8Array[]; socket: Socket }> {
  const socket = createSocket('udp4');
  const received: Uint8Array[] = [];
  socket.on('message', (message, from) => {
    const datagram = new Uint8Array(message);
    received.push(datagram);
    answer(datagram, (bytes) => socket.send(bytes, from.port, from.address), from);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  servers.push(socket);
  return { port: socket.address().port, received, socket };
}

const servers: Socket[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

/** Transport parameters by id, from a quic_transport_parameters body. */
function transportParameters(body: Uint8Array): Map<number, Uint8Array> {
  const out = new Map<number, Uint8Array>();
  let pos = 0;
  while (pos < body.length) {
    const id = readVarint(body, pos, body.length)!;
    const length = readVarint(body, id.next, body.length)!;
    out.set(id.value, body.subarray(length.next, length.next + length.value));
    pos = length.next + length.value;
  }
  return out;
}

const quick = { timeoutMs: 5000, idleTimeoutMs: 800, resendAfterMs: 100 } as const;

describe('the Initial packets probeQuic sends', () => {
  test('decode with the capture reader into the same ClientHello, with a q13 JA4, h3 and transport parameters', async () => {
    const server = await udpServer(() => {});
    const r = await probeQuic(`127.0.0.1:${server.port}`, {
      ...quick,
      serverName: 'hellokit.test',
      maxResends: 0,
    });
    expect(server.received).toHaveLength(1);
    expect(server.received[0].length).toBe(1200);
    const tracker = new QuicInitialTracker();
    const client = { ip: '127.0.0.1', port: 40000 };
    const target = { ip: '127.0.0.1', port: server.port };
    for (const d of server.received) tracker.push(0, client, target, d);
    const [connection] = tracker.connections();
    expect(connection.version).toBe(QUIC_VERSION.v1);
    expect(toHex(connection.originalDestinationConnectionId)).toBe(
      toHex(r.connectionIds.originalDestination),
    );
    expect(connection.clientCrypto).toEqual(encodeClientHelloMessage(r.sent[0]));
    const hello = parseClientHello(connection.clientCrypto);
    expect(ja4(hello, { transport: 'quic' })).toMatch(/^q13d03\d\dh3_/);
    expect(hello.legacySessionId.length).toBe(0);
    const params = transportParameters(hello.extensions!.find((e) => e.type === 57)!.body);
    expect(toHex(params.get(TRANSPORT_PARAMETER.initial_source_connection_id)!)).toBe(
      toHex(r.connectionIds.source),
    );
    expect(params.has(TRANSPORT_PARAMETER.max_idle_timeout)).toBe(true);
    expect(params.has(TRANSPORT_PARAMETER.initial_max_data)).toBe(true);
  });

  test('a ClientHello too big for one packet goes out in CRYPTO frames over several 1200-byte datagrams', async () => {
    const server = await udpServer(() => {});
    const r = await probeQuic(`127.0.0.1:${server.port}`, {
      ...quick,
      maxResends: 0,
      hello: { serverName: 'hellokit.test', padding: 2000 },
    });
    expect(server.received.length).toBeGreaterThan(1);
    for (const d of server.received) expect(d.length).toBe(1200);
    const tracker = new QuicInitialTracker();
    for (const d of server.received)
      tracker.push(0, { ip: '127.0.0.1', port: 1 }, { ip: '127.0.0.1', port: 2 }, d);
    expect(tracker.connections()[0].clientCrypto).toEqual(encodeClientHelloMessage(r.sent[0]));
  });
});

describe('servers that do not answer QUIC', () => {
  test('silence: the Initial is resent at most maxResends times, then an idle timeout', async () => {
    const server = await udpServer(() => {});
    const r = await probeQuic(`127.0.0.1:${server.port}`, { ...quick, maxResends: 2 });
    expect(r.outcome).toBe('timeout');
    expect(r.stopReason).toBe('idle_timeout');
    expect(server.received).toHaveLength(3);
    expect(r.datagramsSent).toBe(3);
    // Every resend is a new packet number of the same connection.
    const numbers = r.transcript.map((t) => t.packets[0].packetNumber);
    expect(numbers).toEqual([0, 1, 2]);
  });

  test('garbage datagrams are ignored as a QUIC client does: resends as for silence, then not_quic', async () => {
    const server = await udpServer((_d, reply) =>
      reply(new TextEncoder().encode('HTTP/1.1 400 Bad Request\r\n\r\n')),
    );
    const r = await probeQuic(`127.0.0.1:${server.port}`, { ...quick, maxResends: 2 });
    expect(r.outcome).toBe('not_quic');
    expect(r.stopReason).toBe('idle_timeout');
    expect(r.datagramsSent).toBe(3);
    expect(r.datagramsReceived).toBe(3);
    expect(r.transcript[1].packets[0].type).toBe('1rtt');
    expect(r.conclusion).toMatch(/not QUIC packets for this connection/);
  });

  test('endless datagrams: reading stops at maxDatagrams', async () => {
    const server = await udpServer((_d, reply) => {
      for (let i = 0; i < 200; i++) reply(new Uint8Array(900).fill(0xc0 + (i % 16)));
    });
    const r = await probeQuic(`127.0.0.1:${server.port}`, { ...quick, maxDatagrams: 20 });
    expect(r.stopReason).toBe('max_datagrams');
    expect(r.outcome).toBe('not_quic');
    expect(r.datagramsReceived).toBe(20);
  });

  test('endless datagrams: reading stops at maxBytes', async () => {
    const server = await udpServer((_d, reply) => {
      for (let i = 0; i < 200; i++) reply(new Uint8Array(1000).fill(7));
    });
    const r = await probeQuic(`127.0.0.1:${server.port}`, { ...quick, maxBytes: 5000 });
    expect(r.stopReason).toBe('max_bytes');
    expect(r.bytesReceived).toBe(5000);
  });

  test('maxBytes is never passed, not even by one datagram: one that would cross the cap is not read', async () => {
    const server = await udpServer((_d, reply) => {
      for (let i = 0; i < 50; i++) reply(new Uint8Array(1000).fill(7));
    });
    const r = await probeQuic(`127.0.0.1:${server.port}`, { ...quick, maxBytes: 4500 });
    expect(r.stopReason).toBe('max_bytes');
    expect(r.bytesReceived).toBe(4000);
    expect(r.error).toMatch(/would pass the 4500-byte cap/);
  });

  test('nothing listening on the UDP port: connect_failed from ICMP port unreachable', async () => {
    const probeSocket = await udpServer(() => {});
    const port = probeSocket.port;
    probeSocket.socket.close();
    servers.length = 0;
    const r = await probeQuic(`127.0.0.1:${port}`, quick);
    expect(r.outcome).toBe('connect_failed');
    expect(r.error).toMatch(/ECONNREFUSED/);
  });
});

/** A Retry packet (QUIC v1) answering a client Initial whose header is `bare`; the tag is computed unless given. */
function retryFor(
  bare: NonNullable<ReturnType<typeof readBareLongHeader>>,
  scid: Uint8Array,
  token: Uint8Array,
  tag?: Uint8Array,
): Uint8Array {
  const retry = concatBytes(
    Uint8Array.of(0xf0, 0, 0, 0, 1, bare.sourceConnectionId.length),
    bare.sourceConnectionId,
    Uint8Array.of(scid.length),
    scid,
    token,
  );
  return concatBytes(retry, tag ?? retryIntegrityTag(1, bare.destinationConnectionId, retry));
}

/** The client Initial in `datagram`, opened with the client keys of its own Destination Connection ID. */
function openClientInitial(datagram: Uint8Array, dcid?: Uint8Array) {
  const header = parseLongHeader(datagram, 0)!;
  const keys = initialKeys(header.version, dcid ?? header.destinationConnectionId, 'client');
  const opened = openInitial(datagram, header, keys, -1)!;
  return { header, frames: readInitialFrames(opened.payload) };
}

/** A Version Negotiation packet answering the Initial `d`, listing `versions`. */
function versionNegotiation(d: Uint8Array, versions: readonly number[]): Uint8Array {
  const bare = readBareLongHeader(d)!;
  const list = new Uint8Array(4 * versions.length);
  const view = new DataView(list.buffer);
  for (const [i, v] of versions.entries()) view.setUint32(4 * i, v);
  return concatBytes(
    Uint8Array.of(0x80, 0, 0, 0, 0, bare.sourceConnectionId.length),
    bare.sourceConnectionId,
    Uint8Array.of(bare.destinationConnectionId.length),
    bare.destinationConnectionId,
    list,
  );
}

describe('Retry and Version Negotiation', () => {
  test('a Version Negotiation listing our own version is discarded, and the conclusion says it came', async () => {
    const server = await udpServer((d, reply) => reply(versionNegotiation(d, [1, 0x6b3343cf])));
    const r = await probeQuic(`127.0.0.1:${server.port}`, { ...quick, maxResends: 0 });
    expect(r.outcome).toBe('timeout');
    expect(r.versionNegotiation).toBeUndefined();
    expect(r.ignoredVersionNegotiation?.versions).toEqual([1, 0x6b3343cf]);
    expect(r.conclusion).toMatch(/Version Negotiation that lists the version we sent .*RFC 9000 §6\.2/);
    expect(r.conclusion).not.toMatch(/nothing listens/);
  });

  test('a long Version Negotiation list is summarised with a count, the conclusion under 300 characters', async () => {
    const versions = Array.from({ length: 40 }, (_, i) => 0x0a0a0a0a + i * 0x10000);
    const server = await udpServer((d, reply) => reply(versionNegotiation(d, versions)));
    const r = await probeQuic(`127.0.0.1:${server.port}`, { ...quick, maxResends: 0 });
    expect(r.outcome).toBe('version_negotiation');
    expect(r.conclusion).toMatch(/and 35 more \(40 in all\)/);
    expect(r.conclusion.length).toBeLessThan(300);
  });

  test('a Retry followed by silence: the conclusion says the Retry was followed, not that nothing listens', async () => {
    let answered = false;
    const server = await udpServer((d, reply) => {
      if (answered) return;
      answered = true;
      reply(retryFor(readBareLongHeader(d)!, fromHex('5151515151515151'), new TextEncoder().encode('token')));
    });
    const r = await probeQuic(`127.0.0.1:${server.port}`, { ...quick, maxResends: 0 });
    expect(r.retry).toBeDefined();
    expect(r.outcome).toBe('timeout');
    expect(r.conclusion).toMatch(
      /^the server sent a Retry \(token of 5 bytes\); the probe sent its Initial again/,
    );
  });

  test('a Retry is followed once: the Initial goes again with the token, under keys from the new connection ID', async () => {
    const token = new TextEncoder().encode('retry-token-from-the-server');
    const retryScid = fromHex('5151515151515151');
    const seen: { dcid: string; token: string }[] = [];
    const server = await udpServer((d, reply) => {
      const bare = readBareLongHeader(d)!;
      const header = parseLongHeader(d, 0)!;
      // token = bytes between the Source Connection ID and the Length field
      const tokenLength = readVarint(d, bare.rest, d.length)!;
      seen.push({
        dcid: toHex(bare.destinationConnectionId),
        token: toHex(d.subarray(tokenLength.next, tokenLength.next + tokenLength.value)),
      });
      if (seen.length === 1) {
        reply(retryFor(bare, retryScid, token));
        return;
      }
      // The second Initial opens only with keys from the Retry's connection ID.
      const opened = openInitial(d, header, initialKeys(1, retryScid, 'client'), -1);
      if (!opened) return;
      const close = sealInitial(
        {
          version: 1,
          destinationConnectionId: bare.sourceConnectionId,
          sourceConnectionId: retryScid,
          packetNumber: 0,
          payload: concatBytes(connectionCloseFrame(0x100 + 40, ''), new Uint8Array(20)),
        },
        initialKeys(1, retryScid, 'server'),
      );
      reply(close);
    });
    const r = await probeQuic(`127.0.0.1:${server.port}`, { ...quick, serverName: 'hellokit.test' });
    expect(seen).toHaveLength(2);
    expect(seen[1]).toEqual({ dcid: toHex(retryScid), token: toHex(token) });
    expect(r.retry).toMatchObject({ integrityVerified: true });
    expect(toHex(r.retry!.token)).toBe(toHex(token));
    expect(r.outcome).toBe('alert');
    expect(r.alert).toMatchObject({ level: 2, description: 40, name: 'handshake_failure' });
    expect(r.connectionClose).toMatchObject({ errorCode: 0x128, errorName: 'CRYPTO_ERROR' });
  });

  test('a Retry with a wrong integrity tag is ignored', async () => {
    const server = await udpServer((d, reply) => {
      const bare = readBareLongHeader(d)!;
      reply(retryFor(bare, fromHex('01020304'), new TextEncoder().encode('token'), new Uint8Array(16)));
    });
    const r = await probeQuic(`127.0.0.1:${server.port}`, { ...quick, maxResends: 0 });
    expect(r.retry).toBeUndefined();
    expect(server.received).toHaveLength(1);
    expect(r.transcript[1].packets[0]).toMatchObject({
      type: 'retry',
      note: expect.stringMatching(/Integrity Tag/),
    });
    expect(r.outcome).toBe('timeout');
  });

  test('a Retry whose token leaves no room for the ClientHello is ignored', async () => {
    const server = await udpServer((d, reply) =>
      reply(retryFor(readBareLongHeader(d)!, fromHex('01020304'), new Uint8Array(1400).fill(1))),
    );
    const r = await probeQuic(`127.0.0.1:${server.port}`, { ...quick, maxResends: 0 });
    expect(r.retry).toBeUndefined();
    expect(r.transcript[1].packets[0]).toMatchObject({
      type: 'retry',
      note: expect.stringMatching(/no room/),
    });
    expect(r.outcome).toBe('timeout');
  });

  test('Version Negotiation: the versions the server lists', async () => {
    const server = await udpServer((d, reply) => {
      const bare = readBareLongHeader(d)!;
      reply(
        concatBytes(
          Uint8Array.of(0x80, 0, 0, 0, 0, bare.sourceConnectionId.length),
          bare.sourceConnectionId,
          Uint8Array.of(bare.destinationConnectionId.length),
          bare.destinationConnectionId,
          fromHex('6b3343cf ff00001d'),
        ),
      );
    });
    const r = await probeQuic(`127.0.0.1:${server.port}`, quick);
    expect(r.outcome).toBe('version_negotiation');
    expect(r.versionNegotiation).toEqual({
      versions: [0x6b3343cf, 0xff00001d],
      versionNames: ['QUIC v2', 'draft-29'],
    });
  });
});

/**
 * A QUIC server whose ServerHello echoes a session id the QUIC hello never sent (RFC 8446 §4.1.3).
 * A fake on purpose: no real server breaks the rule.
 */
async function sessionIdEchoingServer(): Promise<Awaited<ReturnType<typeof udpServer>>> {
  const server = await udpServer((d, reply) => {
    const bare = readBareLongHeader(d)!;
    if (server.received.length > 1) return;
    const hello = parseClientHello(openClientInitial(d).frames.crypto[0].data, { strict: false });
    const shares = decodeExtensionBody('key_share', hello.extensions!.find((e) => e.type === 51)!.body);
    const clientShare = (shares as KeyShareClientHello).clientShares.find(
      (s) => s.group === 0x1d,
    )!.keyExchange;
    const serverHello = encodeServerHello({
      type: 'server_hello',
      legacyVersion: 0x0303,
      random: new Uint8Array(32).fill(9),
      legacySessionIdEcho: new Uint8Array(8).fill(1),
      cipherSuite: 0x1301,
      legacyCompressionMethod: 0,
      extensions: [
        { type: 43, body: Uint8Array.of(3, 4) },
        {
          type: 51,
          body: concatBytes(Uint8Array.of(0, 0x1d, 0, 32), respondToKeyShare(0x1d, clientShare).keyExchange),
        },
      ],
      helloRetryRequest: false,
      downgrade: null,
      version: 0x0304,
    });
    reply(
      sealInitial(
        {
          version: 1,
          destinationConnectionId: bare.sourceConnectionId,
          sourceConnectionId: fromHex('5353535353535353'),
          packetNumber: 0,
          payload: concatBytes(cryptoFrame(0, serverHello), new Uint8Array(20)),
        },
        initialKeys(1, bare.destinationConnectionId, 'server'),
      ),
    );
  });
  return server;
}

describe('reading the server Initial', () => {
  // RFC 9001 Appendix A.3: the server Initial (ACK + CRYPTO with a ServerHello) for connection ID 8394c8f03e515708.
  const serverInitial = RFC9001_SERVER_INITIAL;
  // A Handshake packet coalesced after it (type 2), which the probe lists but cannot open.
  const handshake = concatBytes(
    fromHex('e000000001 00 08 f067a5502a4262b5 4014'),
    new Uint8Array(20).fill(0x55),
  );

  test('RFC 9001 A.3 coalesced with a Handshake packet: the ServerHello is read, the Handshake packet tried and skipped', async () => {
    const server = await udpServer((_d, reply) => reply(concatBytes(serverInitial, handshake)));
    const r = await probeQuic(`127.0.0.1:${server.port}`, {
      ...quick,
      destinationConnectionId: RFC9001_DCID,
      sourceConnectionId: new Uint8Array(0),
    });
    expect(r.outcome).toBe('server_hello');
    expect(r.serverHello).toMatchObject({
      version: 0x0304,
      cipherSuiteName: 'TLS_AES_128_GCM_SHA256',
      group: 0x001d,
    });
    expect(r.transcript[1].packets).toEqual([
      { type: 'initial', length: serverInitial.length, packetNumber: 1, frames: ['ack', 'crypto'] },
      // The RFC's ServerHello does not answer this probe's key share: the keys derived do not open it.
      {
        type: 'handshake',
        length: handshake.length,
        note: 'cannot be opened with the server Handshake keys',
      },
    ]);
    expect(toHex(r.connectionIds.server!)).toBe('f067a5502a4262b5');
    // After the ServerHello the probe ACKs (at most 3 times, to widen the server's
    // anti-amplification budget), then closes the connection, to the server's connection ID.
    const frames = () =>
      server.received.slice(1).map((d) => openClientInitial(d, fromHex('8394c8f03e515708')).frames.names);
    await vi.waitFor(() => expect(frames().at(-1)).toEqual(['connection_close', 'padding']));
    expect(frames()).toEqual([
      ['ack', 'padding'],
      ['ack', 'padding'],
      ['ack', 'padding'],
      ['connection_close', 'padding'],
    ]);
    for (const d of server.received.slice(1))
      expect(toHex(readBareLongHeader(d)!.destinationConnectionId)).toBe('f067a5502a4262b5');
  });

  test('a server violation aborts the QUIC probe: its CONNECTION_CLOSE carries the alert as CRYPTO_ERROR', async () => {
    const server = await sessionIdEchoingServer();
    const dcid = fromHex('0102030405060708');
    const r = await probeQuic(`127.0.0.1:${server.port}`, { ...quick, destinationConnectionId: dcid });
    expect(r.violations.map((v) => v.rule)).toEqual(['session_id_not_echoed']);
    expect(r.stopReason).toBe('violation');
    expect(r.abort).toMatchObject({ rule: 'session_id_not_echoed', alert: { name: 'illegal_parameter' } });
    expect(r.conclusion).toMatch(
      /aborted: server violated RFC 8446 §4\.1\.3 \(session_id_not_echoed: .*sent alert illegal_parameter$/,
    );
    await vi.waitFor(() => expect(server.received.length).toBeGreaterThan(1));
    const close = openClientInitial(server.received.at(-1)!, dcid).frames.close;
    expect(close).toMatchObject({ errorCode: 0x100 + 47, errorName: 'CRYPTO_ERROR' });
  });

  test('with abortOnViolation false the QUIC probe records the violation, reads on and closes with NO_ERROR', async () => {
    const server = await sessionIdEchoingServer();
    const dcid = fromHex('0102030405060708');
    const r = await probeQuic(`127.0.0.1:${server.port}`, {
      ...quick,
      destinationConnectionId: dcid,
      abortOnViolation: false,
    });
    expect(r.violations.map((v) => v.rule)).toEqual(['session_id_not_echoed']);
    expect(r.abort).toBeUndefined();
    expect(r.stopReason).not.toBe('violation');
    await vi.waitFor(() => expect(server.received.length).toBeGreaterThan(1));
    const close = openClientInitial(server.received.at(-1)!, dcid).frames.close;
    expect(close?.errorCode ?? 0).toBe(0);
  });

  test('the transport parameters name the Source Connection ID given', () => {
    const params = transportParameters(clientTransportParameters(fromHex('0102030405')));
    expect(toHex(params.get(0x0f)!)).toBe('0102030405');
  });
});
