import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from './run.ts';

const PCAP = join(process.cwd(), '..', 'shared', 'conformance', 'ja4', 'pcap');
const EXPECTED = join(process.cwd(), '..', 'shared', 'conformance', 'ja4', 'expected');

describe('hellokit pcap', () => {
  it('lists each handshake of a capture with its server name and the reference JA4', async () => {
    const { code, stdout } = await cli(['pcap', '--json', join(PCAP, 'tls-sni.pcapng')]);
    expect(code).toBe(0);
    const { handshakes } = JSON.parse(stdout) as {
      handshakes: {
        client: { ip: string; port: number };
        serverName: string;
        ja4: string;
        transport: string;
      }[];
    };
    const expected = JSON.parse(readFileSync(join(EXPECTED, 'tls-sni.pcapng.json'), 'utf8')) as Record<
      string,
      string
    >[];
    const withJa4 = expected.filter((s) => s['JA4.1']);
    expect(withJa4.length).toBeGreaterThan(0);
    for (const s of withJa4) {
      const h = handshakes.find(
        (x) => x.transport === 'tcp' && x.client.ip === s.src && String(x.client.port) === s.srcport,
      );
      expect(h, `${s.src}:${s.srcport}`).toBeDefined();
      expect(h!.serverName).toBe(s.domain);
      expect(h!.ja4).toBe(s['JA4.1']);
    }
    expect(handshakes.some((h) => h.transport === 'quic' && h.ja4.startsWith('q13'))).toBe(true);
  });

  it("reports the ServerHello and a JA3S equal to tshark's when the capture has it", async () => {
    // tshark 4.0: tshark -r tls-alpn-h2.pcap -Y tls.handshake.type==2 -T fields -e tls.handshake.ja3s
    const { stdout } = await cli(['pcap', '--json', join(PCAP, 'tls-alpn-h2.pcap')]);
    const { handshakes } = JSON.parse(stdout);
    expect(handshakes[0].serverHello.ja3s).toBe('7f76f3e952a1bc7d407366fafe1db7ed');
  });

  it('reads what it can of a cut-short capture, warns where it stopped, and exits 0', async () => {
    const whole = new Uint8Array(readFileSync(join(PCAP, 'tls-sni.pcapng')));
    const cut = whole.subarray(0, Math.floor(whole.length * 0.6));
    const { code, stdout, stderr } = await cli(['pcap', '--json', '-'], cut);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).handshakes.length).toBeGreaterThan(0);
    expect(stderr).toMatch(/warning: .*stopped at byte offset \d+/);
  });

  it('exits 2 with one line for a file that is not a capture', async () => {
    const { code, stderr } = await cli(['pcap', '-'], new TextEncoder().encode('GET / HTTP/1.1\r\n\r\n'));
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^hellokit pcap: /);
  });
});
