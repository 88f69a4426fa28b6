import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clientHello } from '../../src/builder/client-hello.ts';
import { PRESET_NAMES, presetInfo, presetsWithJa4 } from '../../src/builder/presets/index.ts';
import { ja4 } from '../../src/fingerprint/ja4.ts';
import { seedCapture } from '../../src/fuzz/seed-capture.ts';
import { parseClientHello } from '../../src/handshake/client-hello.ts';
import { cli } from '../cli/run.ts';

const CLIENTS = join(process.cwd(), 'fixtures', 'clients');
const capture = (file: string) => new Uint8Array(readFileSync(join(CLIENTS, file)));

describe('presetsWithJa4: which captured client a hello looks like', () => {
  it("names exactly its own preset for every real capture (JA4 computed from the capture's bytes here)", () => {
    for (const name of PRESET_NAMES) {
      for (const file of presetInfo(name).captures) {
        const got = presetsWithJa4(ja4(parseClientHello(capture(file), { strict: false })));
        expect(
          got.map((k) => k.preset),
          file,
        ).toEqual([name]);
        expect(got[0].client).toBe(presetInfo(name).client);
      }
    }
  });

  it('names the preset a hello was built from, with SNI and without', () => {
    for (const name of PRESET_NAMES) {
      for (const serverName of ['example.test', null]) {
        const known = presetsWithJa4(ja4(clientHello({ preset: name, serverName })));
        expect(
          known.map((k) => k.preset),
          `${name} ${serverName}`,
        ).toContain(name);
      }
    }
  });

  it('names none for a hello no captured client sends', () => {
    expect(presetsWithJa4(ja4(clientHello({ serverName: 'example.test' })))).toEqual([]);
    expect(presetsWithJa4('t13d0000h2_000000000000_000000000000')).toEqual([]);
  });

  it('shows in decode (tree and --json) and in pcap', async () => {
    const tree = await cli(['decode', join(CLIENTS, 'firefox-sni.bin')]);
    expect(tree.stdout).toMatch(
      /^ {2}known client: firefox \(Mozilla Firefox [\d.]+esr\) — the same JA4 as its captured hello$/m,
    );
    const json = JSON.parse((await cli(['decode', '--json', join(CLIENTS, 'go-nosni.bin')])).stdout);
    expect(json.messages[0].knownClients).toEqual([{ preset: 'go', client: presetInfo('go').client }]);
    // A capture file around curl's real hello (synthetic Ethernet/IPv4/TCP framing).
    const file = join(tmpdir(), `hellokit-known-${process.pid}.pcap`);
    writeFileSync(file, seedCapture(capture('curl-sni.bin'), new Uint8Array(0)));
    try {
      const pcap = await cli(['pcap', file]);
      expect(pcap.stdout).toMatch(/ja4 t13d3112h2_\w+ {2}ja3 [0-9a-f]{32} {2}\(curl\)$/m);
      // pcap --json is NDJSON: the first line is the first handshake.
      const pj = JSON.parse((await cli(['pcap', '--json', file])).stdout.split('\n')[0]);
      expect(pj.knownClients.map((k: { preset: string }) => k.preset)).toEqual(['curl']);
    } finally {
      rmSync(file, { force: true });
    }
  });
});
