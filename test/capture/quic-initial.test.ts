import { describe, expect, test } from 'vitest';
import { concatBytes, fromHex, toHex } from '../../src/bytes/hex.ts';
import { captureStreams, QuicInitialTracker } from '../../src/capture/index.ts';
import {
  decodePacketNumber,
  initialKeys,
  openInitial,
  parseLongHeader,
  QUIC_VERSION,
} from '../../src/quic/index.ts';
import { RFC9001_DCID, RFC9001_SERVER_INITIAL } from '../helpers/rfc9001.ts';
import {
  cryptoFrame,
  ethernet,
  FLAGS,
  ipv6,
  sealInitial,
  tcp,
  udp,
  writePcap,
} from './helpers/capture-writer.ts';

const rfcDcid = RFC9001_DCID;

describe('QUIC Initial keys', () => {
  test('match RFC 9001 Appendix A.1 for QUIC v1', () => {
    const client = initialKeys(QUIC_VERSION.v1, rfcDcid, 'client');
    expect(toHex(client.key)).toBe('1f369613dd76d5467730efcbe3b1a22d');
    expect(toHex(client.iv)).toBe('fa044b2f42a3fd3b46fb255c');
    expect(toHex(client.hp)).toBe('9f50449e04a0e810283a1e9933adedd2');
    const server = initialKeys(QUIC_VERSION.v1, rfcDcid, 'server');
    expect(toHex(server.key)).toBe('cf3a5331653c364c88f0f379b6067e37');
    expect(toHex(server.iv)).toBe('0ac1493ca1905853b0bba03e');
    expect(toHex(server.hp)).toBe('c206b8d9b9f0f37644430b490eeaa314');
  });

  test('match RFC 9369 Appendix A.1 for QUIC v2', () => {
    const client = initialKeys(QUIC_VERSION.v2, rfcDcid, 'client');
    expect(toHex(client.key)).toBe('8b1a0bc121284290a29e0971b5cd045d');
    expect(toHex(client.iv)).toBe('91f73e2351d8fa91660e909f');
    expect(toHex(client.hp)).toBe('45b95e15235d6f45a6b19cbcb0294ba9');
  });

  test('open the server Initial of RFC 9001 Appendix A.3', () => {
    const packet = RFC9001_SERVER_INITIAL;
    const header = parseLongHeader(packet, 0)!;
    expect(header.initial).toBe(true);
    expect(toHex(header.sourceConnectionId)).toBe('f067a5502a4262b5');
    const opened = openInitial(packet, header, initialKeys(QUIC_VERSION.v1, rfcDcid, 'server'), -1);
    expect(opened?.packetNumber).toBe(1);
    // An ACK frame, then a CRYPTO frame at offset 0 carrying a ServerHello.
    expect(toHex(opened!.payload.subarray(0, 15))).toBe('02000000000600405a020000560303');
  });

  test('recovers packet numbers as RFC 9000 Appendix A.3 does', () => {
    expect(decodePacketNumber(0xa82f30ea, 0x9b32, 16)).toBe(0xa82f9b32);
    expect(decodePacketNumber(-1, 0, 8)).toBe(0);
    expect(decodePacketNumber(255, 2, 8)).toBe(258);
  });
});

const C = '2001:db8::c';
const S = '2001:db8::5';
const dcid = fromHex('0011223344556677');
const scid = fromHex('aabbccdd');
const serverCid = fromHex('5e5e5e5e5e');
/** Stand-in for a ClientHello handshake message: msg_type 1, 24-bit length, body. */
const clientHello = concatBytes(
  new Uint8Array([1, 0, 0x05, 0x00]),
  new Uint8Array(0x500).map((_, i) => (i * 13) & 0xff),
);
const serverHello = concatBytes(new Uint8Array([2, 0, 0, 60]), new Uint8Array(60).fill(0x22));

function quicCapture(version: number): Uint8Array {
  const ck = initialKeys(version, dcid, 'client');
  const sk = initialKeys(version, dcid, 'server');
  const part = (from: number, to: number) => cryptoFrame(from, clientHello.subarray(from, to));
  // Like Chrome: CRYPTO frames out of order within a packet and across two datagrams.
  const first = sealInitial({
    version,
    dcid,
    scid,
    keys: ck,
    packetNumber: 0,
    frames: concatBytes(part(700, 1000), part(0, 300)),
    minPayload: 1150,
  });
  const serverInitial = sealInitial({
    version,
    dcid: scid,
    scid: serverCid,
    keys: sk,
    packetNumber: 0,
    frames: cryptoFrame(0, serverHello),
  });
  // The server's Handshake packet coalesced after its Initial: skipped by its Length.
  const handshakePacket = concatBytes(
    new Uint8Array([0xe0 | (version === 1 ? 0x20 : 0x30)]),
    fromHex(version.toString(16).padStart(8, '0')),
    new Uint8Array([4]),
    scid,
    new Uint8Array([5]),
    serverCid,
    new Uint8Array([0x40, 30]),
    new Uint8Array(30).fill(0x77),
  );
  const second = sealInitial({
    version,
    dcid: serverCid,
    scid,
    keys: ck,
    packetNumber: 1,
    frames: concatBytes(new Uint8Array([2, 0, 0, 0, 0]), part(1000, clientHello.length), part(300, 700)),
    minPayload: 1150,
  });
  const datagrams = [
    ipv6(C, S, 17, udp(50123, 443, first)),
    ipv6(S, C, 17, udp(443, 50123, concatBytes(serverInitial, handshakePacket))),
    ipv6(C, S, 17, udp(50123, 443, second)),
  ];
  const tcpFrame = ipv6(C, S, 6, tcp(40000, 443, 1, FLAGS.syn));
  return writePcap(
    [tcpFrame, ...datagrams].map((ip, i) => ({
      seconds: 20,
      fraction: i * 1000,
      data: ethernet(0x86dd, ip),
    })),
  );
}

describe('QUIC Initial CRYPTO streams', () => {
  for (const [name, version] of Object.entries(QUIC_VERSION)) {
    test(`QUIC ${name}: the client's CRYPTO frames over two datagrams, out of order, give the ClientHello`, () => {
      const { streams, warnings } = captureStreams(quicCapture(version));
      expect(warnings).toEqual([]);
      const quic = streams.filter((s) => s.transport === 'quic');
      expect(quic).toHaveLength(1);
      expect(quic[0].index).toBe(0);
      expect(quic[0].client).toEqual({ ip: C, port: 50123 });
      expect(quic[0].server).toEqual({ ip: S, port: 443 });
      expect(quic[0].firstSeen).toBeCloseTo(20.001, 6);
      expect(quic[0].clientBytes).toEqual(clientHello);
      expect(quic[0].serverBytes).toEqual(serverHello);
      expect(streams.map((s) => s.transport)).toEqual(['tcp', 'quic']);
    });
  }

  test('a damaged Initial is not opened and adds no bytes', () => {
    const ck = initialKeys(1, dcid, 'client');
    const packet = sealInitial({
      version: 1,
      dcid,
      scid,
      keys: ck,
      packetNumber: 0,
      frames: cryptoFrame(0, clientHello.subarray(0, 100)),
      minPayload: 1150,
    });
    packet[packet.length - 5] ^= 1;
    const tracker = new QuicInitialTracker();
    tracker.push(0, { ip: C, port: 1 }, { ip: S, port: 443 }, packet);
    expect(tracker.connections()).toEqual([]);
  });

  test('an unexpected frame type stops the packet with a warning', () => {
    const ck = initialKeys(1, dcid, 'client');
    const frames = concatBytes(cryptoFrame(0, clientHello.subarray(0, 100)), new Uint8Array([0x08, 0, 0]));
    const packet = sealInitial({
      version: 1,
      dcid,
      scid,
      keys: ck,
      packetNumber: 0,
      frames,
      minPayload: 1150,
    });
    const tracker = new QuicInitialTracker();
    tracker.push(0, { ip: C, port: 1 }, { ip: S, port: 443 }, packet);
    expect(tracker.connections()[0].clientCrypto).toEqual(clientHello.subarray(0, 100));
    expect(tracker.warnings).toEqual([expect.stringContaining('frame type 0x8')]);
  });
});
