/**
 * inspect(): what the /inspect page shows, computed by the core alone. Each answer is
 * compared with what the CLI prints for the same real captured bytes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { toHex } from '../../src/bytes/hex.ts';
import { inspect, inspectInput } from '../../src/inspect/index.ts';
import { cli } from '../cli/run.ts';

const fixture = (path: string) => new Uint8Array(readFileSync(join(process.cwd(), 'fixtures', path)));

describe('inspect', () => {
  test.each(['clients/chromium-sni-1.bin', 'clients/curl-sni.bin', 'clients/openssl-tls12-sni.bin'])(
    '%s: the tree, the annotated hex and the JA4 are what `hellokit decode` prints',
    async (path) => {
      const r = inspect(fixture(path));
      const tree = await cli(['decode', join('fixtures', path)]);
      const annotated = await cli(['decode', '--annotate', join('fixtures', path)]);
      expect(r.format).toBe('tls');
      expect(`${r.tree}\n`).toBe(tree.stdout);
      expect(r.annotated).toBe(annotated.stdout);
      expect(r.hellos).toHaveLength(1);
      expect(tree.stdout).toContain(`  ja4: ${r.hellos[0].ja4}\n`);
      expect(tree.stdout).toContain(`  ja3: ${r.hellos[0].ja3}\n`);
      expect(r.warnings).toEqual([]);
    },
  );

  test('a captured client is matched to its preset; the lint problems are those of `hellokit lint`', async () => {
    const h = inspect(fixture('clients/curl-sni.bin')).hellos[0];
    const lint = await cli(['lint', '--json', 'fixtures/clients/curl-sni.bin']);
    expect(h.knownClients.map((k) => k.preset)).toContain('curl');
    // curl 7.88 still offers TLS 1.0 and 1.1: a real problem for the page to show.
    expect(h.problems.map((p) => p.rule)).toContain('obsolete_version');
    expect(h.problems).toEqual(JSON.parse(lint.stdout).problems);
    expect(h.ja4_r.startsWith(h.ja4.slice(0, 10))).toBe(true);
  });

  test('a pcapng capture: each handshake with the JA4 `hellokit pcap --json` gives', async () => {
    const r = inspect(fixture('captures/ip-fragments.pcapng'));
    const out = await cli(['pcap', '--json', 'fixtures/captures/ip-fragments.pcapng']);
    const ja4s = [...out.stdout.matchAll(/"ja4":"([^"]+)"/g)].map((m) => m[1]);
    expect(r.format).toBe('pcapng');
    expect(r.hellos.length).toBeGreaterThan(0);
    expect(r.hellos.map((h) => h.ja4)).toEqual(ja4s);
    expect(r.hellos[0].where).toMatch(/^(tcp|quic) stream \d+ \(/);
    expect(r.tree).toContain('client_hello @0');
  });

  test('a hello whose extension is cut short: the decode error is a warning, not a throw', () => {
    const bytes = fixture('clients/curl-sni.bin');
    const r = inspect(bytes.subarray(0, 100));
    expect(r.hellos).toEqual([]);
    expect(r.warnings.join('\n')).toMatch(/input: /);
  });

  test('pasted hex and base64 give the same bytes; anything else is named', () => {
    const bytes = fixture('clients/curl-sni.bin');
    const b64 = btoa(String.fromCharCode(...bytes));
    expect(inspectInput(toHex(bytes, ' '))).toEqual(bytes);
    expect(inspectInput(`0x16, 0x03\n`)).toEqual(new Uint8Array([0x16, 0x03]));
    expect(inspectInput(b64)).toEqual(bytes);
    expect(inspectInput(b64.replace(/=+$/, '').replaceAll('+', '-').replaceAll('/', '_'))).toEqual(bytes);
    expect(() => inspectInput('  ')).toThrow('the input is empty');
    expect(() => inspectInput('FgMB!x')).toThrow('neither hex nor base64: "!" at character 4');
    expect(() => inspectInput('16 03 zz')).toThrow('not hex: "z" at character 6');
    expect(() => inspectInput('16:03:0x1g')).toThrow('not hex: "g" at character 9');
    expect(() => inspectInput('FgMBA')).toThrow('base64 of 5 characters cannot be whole bytes');
  });
});
