import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toHex } from '../../src/bytes/hex.ts';
import { parseIp } from '../../src/capture/ip.ts';
import { decodeLink } from '../../src/capture/link.ts';
import { readCapture } from '../../src/capture/read-capture.ts';
import { parseUdp } from '../../src/capture/transport.ts';
import { cli } from './run.ts';

const PCAP = join(
  process.cwd(),
  '..',
  'shared',
  'conformance',
  'ja4',
  'pcap',
  'chrome-cloudflare-quic-with-secrets.pcapng',
);

/** The UDP payloads of a capture, in order, with their ports. */
function udpPayloads(file: string): { srcPort: number; dstPort: number; payload: Uint8Array }[] {
  const out: { srcPort: number; dstPort: number; payload: Uint8Array }[] = [];
  for (const p of readCapture(new Uint8Array(readFileSync(file))).packets) {
    const link = decodeLink(p.linkType, p.data);
    const ip = link && parseIp(link.payload);
    const udp = ip && ip.protocol === 17 ? parseUdp(ip.payload) : undefined;
    if (udp) out.push(udp);
  }
  return out;
}

const isInitial = (b: Uint8Array) => (b[0] & 0xf0) === 0xc0;

describe('hellokit decode on a QUIC Initial datagram', () => {
  // Chrome's first Initial to cloudflare-quic.com, from FoxIO's public capture, and what
  // tshark 4.0 reports for that very Initial (fixtures/captures/ip-fragments.json).
  const datagrams = udpPayloads(PCAP);
  const clientInitial = datagrams.find((d) => d.dstPort === 443 && isInitial(d.payload))!;
  const tshark = JSON.parse(
    readFileSync(join(process.cwd(), 'fixtures', 'captures', 'ip-fragments.json'), 'utf8'),
  ).initials[0] as { serverName: string; cipherSuites: number[]; extensionTypes: number[] };

  it('opens it and decodes the ClientHello in its CRYPTO frames as tshark does, with a QUIC JA4', async () => {
    // pcap --json is NDJSON: one line per handshake, then the summary.
    const lines = (await cli(['pcap', '--json', PCAP])).stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const expected: string = lines.find((h: { transport?: string }) => h.transport === 'quic').ja4;
    expect(expected).toMatch(/^q13d/);
    const hex = new TextEncoder().encode(toHex(clientInitial.payload));
    const { code, stdout, stderr } = await cli(['decode', '-'], hex);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^quic initial: QUIC v1, DCID [0-9a-f]+, 1 packet opened, \d+ CRYPTO bytes/);
    expect(stdout).toMatch(/^ {2}server name: cloudflare-quic\.com$/m);
    expect(stdout).toContain(`  ja4: ${expected}\n`);
    const json = JSON.parse((await cli(['decode', '--json', '-'], clientInitial.payload)).stdout);
    expect(json.quic).toMatchObject({ version: 1, packets: 1 });
    expect(json.records).toEqual([]);
    expect(json.messages[0]).toMatchObject({
      type: 'client_hello',
      serverName: tshark.serverName,
      cipherSuites: tshark.cipherSuites,
      extensionTypes: tshark.extensionTypes,
      ja4: expected,
    });
  });

  it("exits 2 with one line for an Initial that does not open as a client's (the server's)", async () => {
    const serverInitial = datagrams.find((d) => d.srcPort === 443 && isInitial(d.payload))!;
    const { code, stderr } = await cli(['decode', '-'], serverInitial.payload);
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(
      /^hellokit decode: a QUIC Initial \(version 0x00000001\) that does not open as a client's first Initial/,
    );
  });
});
