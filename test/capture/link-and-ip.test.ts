import { describe, expect, test } from 'vitest';
import { concatBytes } from '../../src/bytes/hex.ts';
import { captureStreams, endpointText, ipv6Text, parseIp } from '../../src/capture/index.ts';
import {
  clientHelloRecord,
  enhancedPacket,
  ethernet,
  FLAGS,
  interfaceDescription,
  ipv4,
  ipv6,
  parseIpv6,
  sectionHeader,
  tcp,
  writePcap,
} from './helpers/capture-writer.ts';

const hello = clientHelloRecord('link.example');

/** A SYN, SYN-ACK and the client's ClientHello, as IP packets. */
function handshake(v6: boolean): Uint8Array[] {
  const [c, s] = v6 ? ['2001:db8::1', '2001:db8:0:1::443'] : ['192.0.2.1', '198.51.100.7'];
  const ip = (src: string, dst: string, seg: Uint8Array) =>
    v6 ? ipv6(src, dst, 6, seg) : ipv4(src, dst, 6, seg);
  return [
    ip(c, s, tcp(50000, 443, 1000, FLAGS.syn)),
    ip(s, c, tcp(443, 50000, 9000, FLAGS.syn | FLAGS.ack, undefined, 1001)),
    ip(c, s, tcp(50000, 443, 1001, FLAGS.ack | FLAGS.psh, hello, 9001)),
  ];
}

function pcapOf(linkType: number, frames: Uint8Array[]): Uint8Array {
  return writePcap(
    frames.map((data, i) => ({ seconds: 100 + i, fraction: 0, data })),
    { linkType },
  );
}

function onlyStream(file: Uint8Array) {
  const { streams, warnings } = captureStreams(file);
  expect(warnings).toEqual([]);
  expect(streams).toHaveLength(1);
  return streams[0];
}

const loopbackHeader = (family: number, le: boolean) => {
  const h = new Uint8Array(4);
  new DataView(h.buffer).setUint32(0, family, le);
  return h;
};
const sll = (etherType: number) =>
  concatBytes(
    new Uint8Array([0, 0, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0]),
    new Uint8Array([etherType >> 8, etherType & 0xff]),
  );
const sll2 = (etherType: number) =>
  concatBytes(
    new Uint8Array([etherType >> 8, etherType & 0xff, 0, 0, 0, 0, 0, 3, 0, 1, 0, 6]),
    new Uint8Array(8),
  );

describe('link layers', () => {
  const cases: [string, number, (ip: Uint8Array, v6: boolean) => Uint8Array][] = [
    ['Ethernet', 1, (ip, v6) => ethernet(v6 ? 0x86dd : 0x0800, ip)],
    ['Ethernet with an 802.1Q tag', 1, (ip, v6) => ethernet(v6 ? 0x86dd : 0x0800, ip, [[0x8100, 42]])],
    [
      'Ethernet with QinQ tags',
      1,
      (ip, v6) =>
        ethernet(v6 ? 0x86dd : 0x0800, ip, [
          [0x88a8, 7],
          [0x8100, 42],
        ]),
    ],
    ['raw IP (101)', 101, (ip) => ip],
    ['raw IPv4/IPv6 (228/229)', -1, (ip) => ip],
    ['Linux cooked SLL (113)', 113, (ip, v6) => concatBytes(sll(v6 ? 0x86dd : 0x0800), ip)],
    ['Linux cooked SLL2 (276)', 276, (ip, v6) => concatBytes(sll2(v6 ? 0x86dd : 0x0800), ip)],
    [
      'BSD null loopback, little-endian (0)',
      0,
      (ip, v6) => concatBytes(loopbackHeader(v6 ? 30 : 2, true), ip),
    ],
    ['BSD null loopback, big-endian (0)', 0, (ip, v6) => concatBytes(loopbackHeader(v6 ? 24 : 2, false), ip)],
    ['OpenBSD LOOP (108)', 108, (ip, v6) => concatBytes(loopbackHeader(v6 ? 24 : 2, false), ip)],
  ];
  for (const [name, linkType, frame] of cases) {
    for (const v6 of [false, true]) {
      test(`finds the TCP stream in ${name} frames over IPv${v6 ? 6 : 4}`, () => {
        const lt = linkType === -1 ? (v6 ? 229 : 228) : linkType;
        const s = onlyStream(
          pcapOf(
            lt,
            handshake(v6).map((ip) => frame(ip, v6)),
          ),
        );
        expect(s.transport).toBe('tcp');
        expect(s.client).toEqual(v6 ? { ip: '2001:db8::1', port: 50000 } : { ip: '192.0.2.1', port: 50000 });
        expect(s.server.port).toBe(443);
        expect(s.clientBytes).toEqual(hello);
        expect(s.firstSeen).toBe(100);
      });
    }
  }

  test('ignores frames that carry no IP (ARP) and unknown link types', () => {
    const arp = ethernet(0x0806, new Uint8Array(28));
    const { streams } = captureStreams(pcapOf(1, [arp]));
    expect(streams).toEqual([]);
    expect(captureStreams(pcapOf(147, handshake(false))).streams).toEqual([]);
  });

  test('reads interfaces of different link types in one pcapng file', () => {
    const [syn, synAck, data] = handshake(false);
    const file = concatBytes(
      sectionHeader(true),
      interfaceDescription(1, true),
      interfaceDescription(113, true, { tsresol: 9 }),
      enhancedPacket(0, 5_000_000n, ethernet(0x0800, syn), true),
      enhancedPacket(1, 5_100_000_000n, concatBytes(sll(0x0800), synAck), true),
      enhancedPacket(0, 5_200_000n, ethernet(0x0800, data), true),
    );
    const s = onlyStream(file);
    expect(s.clientBytes).toEqual(hello);
    expect(s.firstSeen).toBe(5);
  });
});

describe('IP', () => {
  test('skips IPv4 options', () => {
    const options = new Uint8Array([0x94, 4, 0, 0, 1, 1, 1, 0]); // router alert, NOPs, end
    const ip = parseIp(
      ipv4('10.0.0.1', '10.0.0.2', 6, tcp(1, 2, 3, FLAGS.ack, hello), { ipOptions: options }),
    );
    expect(ip?.payload.subarray(24)).toEqual(hello);
  });

  test('cuts Ethernet padding off by the IPv4 total length', () => {
    const frame = ethernet(0x0800, ipv4('10.0.0.1', '10.0.0.2', 6, tcp(1, 2, 3, FLAGS.ack)));
    expect(frame.length).toBe(60);
    const ip = parseIp(frame.subarray(14));
    expect(ip?.payload.length).toBe(24);
  });

  test('walks IPv6 hop-by-hop, routing, destination options and an atomic fragment header', () => {
    const seg = tcp(50000, 443, 1, FLAGS.ack, hello);
    const packet = ipv6('2001:db8::1', '2001:db8::2', 6, seg, [
      [0, new Uint8Array(6)],
      [43, new Uint8Array(14)],
      [60, new Uint8Array(6)],
      [44, new Uint8Array([0, 0, 0, 0, 0, 1])],
    ]);
    const ip = parseIp(packet);
    expect(ip?.protocol).toBe(6);
    expect(ip?.fragment).toBe(false);
    expect(ip?.payload).toEqual(seg);
  });

  test('a capture with IPv6 extension headers yields the stream', () => {
    const exts: [number, Uint8Array][] = [
      [0, new Uint8Array(6)],
      [60, new Uint8Array(14)],
    ];
    const frames = [
      ipv6('2001:db8::1', '2001:db8::2', 6, tcp(50000, 443, 1000, FLAGS.syn), exts),
      ipv6('2001:db8::1', '2001:db8::2', 6, tcp(50000, 443, 1001, FLAGS.ack, hello), exts),
    ].map((ip) => ethernet(0x86dd, ip));
    expect(onlyStream(pcapOf(1, frames)).clientBytes).toEqual(hello);
  });

  test('fragments that never complete a datagram are left out, with one warning that counts them', () => {
    const frames = [
      ...handshake(false),
      ipv4('192.0.2.1', '198.51.100.7', 6, tcp(50000, 443, 5000, FLAGS.ack, hello), { moreFragments: true }),
      ipv4('192.0.2.1', '198.51.100.7', 6, new Uint8Array(40), { fragmentOffset: 100 }),
      ipv6('2001:db8::1', '2001:db8::2', 6, tcp(1, 2, 3, FLAGS.ack, hello), [
        [44, new Uint8Array([0, 1, 0, 0, 0, 1])],
      ]),
    ].map((ip) => ethernet(ip[0] >> 4 === 6 ? 0x86dd : 0x0800, ip));
    const { streams, warnings } = captureStreams(pcapOf(1, frames));
    expect(streams).toHaveLength(1);
    expect(streams[0].clientBytes).toEqual(hello);
    expect(warnings).toEqual([
      '2 fragmented IP datagrams not reassembled (2 missing fragments, 0 dropped as too large, overlapping differently or too many)',
    ]);
  });

  test.each([
    ['2001:db8::1', '2001:db8::1'],
    ['2001:0db8:0000:0000:0001:0000:0000:0001', '2001:db8::1:0:0:1'],
    ['0:0:0:0:0:0:0:0', '::'],
    ['0:0:0:0:0:0:0:1', '::1'],
    ['fe80:0:0:0:0:0:0:0', 'fe80::'],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
    ['2606:4700:10:0:0:0:6816:826', '2606:4700:10::6816:826'],
  ])('writes IPv6 %s as %s (RFC 5952)', (input, text) => {
    expect(ipv6Text(parseIpv6(input))).toBe(text);
  });
});

describe('endpointText', () => {
  test('puts an IPv6 address in brackets so its port reads apart from it', () => {
    expect(endpointText('::1', 443)).toBe('[::1]:443');
    expect(endpointText('2001:db8::1', 8443)).toBe('[2001:db8::1]:8443');
    expect(endpointText('192.0.2.1', 443)).toBe('192.0.2.1:443');
    expect(endpointText('example.test', 443)).toBe('example.test:443');
  });
});
