import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { captureHandshakes } from '../../src/capture/handshakes.ts';
import { parseIp } from '../../src/capture/ip.ts';
import { IpReassembler } from '../../src/capture/ip-reassembly.ts';
import { readCapture } from '../../src/capture/read-capture.ts';
import { captureStreams } from '../../src/capture/streams.ts';
import { ja4 } from '../../src/fingerprint/ja4.ts';
import { ethernet, FLAGS, ipv4, ipv6, tcp, writePcap } from './helpers/capture-writer.ts';

const FIXTURE = join(process.cwd(), 'fixtures', 'captures', 'ip-fragments.pcapng');
const FACTS = JSON.parse(
  readFileSync(join(process.cwd(), 'fixtures', 'captures', 'ip-fragments.json'), 'utf8'),
);
const CONFORMANCE = join(process.cwd(), '..', 'shared', 'conformance', 'ja4', 'pcap');

describe('IP reassembly on a real capture', () => {
  // Chrome's QUIC Initial sent over lo: whole over IPv6, cut in three by the kernel over IPv4
  // (scripts/fixtures/capture-ip-fragments.sh).
  it('finds the fragmented Initial as well as the whole one, with the same ClientHello as the original', () => {
    const bytes = new Uint8Array(readFileSync(FIXTURE));
    const { packets } = readCapture(bytes);
    const ips = packets.map((p) => parseIp(p.data.subarray(14))!);
    expect(ips.filter((ip) => ip.fragment).length).toBe(3);
    const { handshakes, warnings } = captureHandshakes(bytes);
    expect(warnings).toEqual([]);
    expect(handshakes.map((h) => [h.transport, h.client.ip])).toEqual([
      ['quic', '::1'],
      ['quic', '127.0.0.1'],
    ]);
    const original = captureHandshakes(
      new Uint8Array(readFileSync(join(CONFORMANCE, 'chrome-cloudflare-quic-with-secrets.pcapng'))),
    ).handshakes.find((h) => h.transport === 'quic')!;
    const expected = ja4(original.clientHello, { transport: 'quic' });
    expect(expected).toMatch(/^q13/);
    for (const h of handshakes) {
      expect(ja4(h.clientHello, { transport: 'quic' })).toBe(expected);
      expect(h.clientHello.cipherSuites).toEqual(FACTS.initials[0].cipherSuites);
      expect(h.clientHello.extensions?.map((e) => e.type)).toEqual(FACTS.initials[0].extensionTypes);
    }
  });
});

describe('IpReassembler', () => {
  const hello = new Uint8Array(300).map((_, i) => i & 0xff);
  const segment = tcp(50000, 443, 1001, FLAGS.ack, hello);
  /** `segment` as IPv4 fragments of 8-byte multiples: [offset, length][]. */
  const pieces = (cuts: [number, number][], id = 7) =>
    cuts.map(
      ([at, n]) =>
        parseIp(
          ipv4('192.0.2.1', '198.51.100.7', 6, segment.subarray(at, at + n), {
            id,
            fragmentOffset: at / 8,
            moreFragments: at + n < segment.length,
          }),
        )!,
    );

  it('rebuilds a datagram from fragments in any order, overlaps that agree included', () => {
    const cuts: [number, number][] = [
      [0, 96],
      [96, 96],
      [192, segment.length - 192],
    ];
    for (const order of [
      [0, 1, 2],
      [2, 0, 1],
      [1, 2, 0],
    ]) {
      const r = new IpReassembler();
      const frags = pieces(cuts);
      const out = order.map((i) => r.push(frags[i]));
      expect(out.slice(0, 2)).toEqual([undefined, undefined]);
      expect(out[2]?.payload).toEqual(segment);
      expect(out[2]?.fragment).toBe(false);
      expect(r.stats()).toEqual({ reassembled: 1, dropped: 0, incomplete: 0 });
    }
    const r = new IpReassembler();
    const [a, b] = pieces([
      [0, 200],
      [96, segment.length - 96],
    ]);
    expect(r.push(a)).toBeUndefined();
    expect(r.push(b)?.payload).toEqual(segment);
  });

  it('drops a datagram whose fragments overlap with different bytes, or claim two ends', () => {
    const r = new IpReassembler();
    const [a] = pieces([[0, 96]]);
    const forged = parseIp(
      ipv4('192.0.2.1', '198.51.100.7', 6, new Uint8Array(segment.length - 88), {
        id: 7,
        fragmentOffset: 11,
      }),
    )!;
    expect(r.push(a)).toBeUndefined();
    expect(r.push(forged)).toBeUndefined();
    expect(r.stats()).toEqual({ reassembled: 0, dropped: 1, incomplete: 0 });
  });

  it('stays bounded against hostile captures: size, fragments per datagram, datagrams pending', () => {
    const r = new IpReassembler({ maxFragments: 4, maxPending: 3 });
    const tiny = (id: number, offset: number, more = true) =>
      parseIp(
        ipv4('192.0.2.1', '198.51.100.7', 17, new Uint8Array(8), {
          id,
          fragmentOffset: offset,
          moreFragments: more,
        }),
      )!;
    for (let i = 0; i < 5; i++) r.push(tiny(1, i * 2));
    expect(r.stats().dropped).toBe(1);
    for (let id = 10; id < 20; id++) r.push(tiny(id, 0));
    expect(r.stats().incomplete).toBe(3);
    expect(r.stats().dropped).toBe(8);
    // An end past 65 535 bytes is dropped at once.
    expect(r.push(tiny(99, 8190, false))).toBeUndefined();
    expect(r.stats().dropped).toBe(9);
  });

  it('rebuilds IPv6 fragments (fragment extension header, RFC 8200 §4.5)', () => {
    /** The fragment header body after next-header and reserved: offset+flags, then the 32-bit id. */
    const fragmentHeader = (offset: number, more: boolean) =>
      Uint8Array.of(offset >> 8, (offset & 0xf8) | (more ? 1 : 0), 0xde, 0xad, 0xbe, 0xef);
    const first = parseIp(
      ipv6('2001:db8::1', '2001:db8::2', 6, segment.subarray(0, 96), [[44, fragmentHeader(0, true)]]),
    )!;
    const last = parseIp(
      ipv6('2001:db8::1', '2001:db8::2', 6, segment.subarray(96), [[44, fragmentHeader(96, false)]]),
    )!;
    expect(first.fragmentInfo).toEqual({ id: 0xdeadbeef, offset: 0, more: true });
    expect(last.fragmentInfo).toEqual({ id: 0xdeadbeef, offset: 96, more: false });
    const r = new IpReassembler();
    expect(r.push(last)).toBeUndefined();
    const whole = r.push(first);
    expect(whole).toMatchObject({ version: 6, protocol: 6, fragment: false, src: '2001:db8::1' });
    expect(whole?.payload).toEqual(segment);
  });

  it('brings a fragmented TCP segment into its stream (last fragment first)', () => {
    const frames = [
      ipv4('192.0.2.1', '198.51.100.7', 6, tcp(50000, 443, 1000, FLAGS.syn)),
      ipv4('192.0.2.1', '198.51.100.7', 6, segment.subarray(96), { id: 7, fragmentOffset: 12 }),
      ipv4('192.0.2.1', '198.51.100.7', 6, segment.subarray(0, 96), { id: 7, moreFragments: true }),
    ].map((ip, i) => ({ seconds: 100 + i, fraction: 0, data: ethernet(0x0800, ip) }));
    const { streams, warnings } = captureStreams(writePcap(frames, { linkType: 1 }));
    expect(warnings).toEqual([]);
    expect(streams[0].clientBytes).toEqual(hello);
  });
});
