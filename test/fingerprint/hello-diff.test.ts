import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clientHello } from '../../src/builder/client-hello.ts';
import { diffClientHellos } from '../../src/fingerprint/hello-diff.ts';
import { encodeClientHello, parseClientHello } from '../../src/handshake/client-hello.ts';
import type { ClientHello } from '../../src/handshake/types.ts';
import { isGrease } from '../../src/iana/grease.ts';
import { cipherSuiteName, groupName, signatureSchemeName } from '../../src/iana/lookup.ts';

const CLIENTS = join(process.cwd(), 'fixtures', 'clients');
const hello = (name: string): ClientHello =>
  parseClientHello(new Uint8Array(readFileSync(join(CLIENTS, `${name}.bin`))), { strict: false });
interface Facts {
  cipherSuites: number[];
  supportedGroups: number[] | null;
  signatureAlgorithms: number[] | null;
}
const facts = (name: string): Facts =>
  JSON.parse(readFileSync(join(CLIENTS, `${name}.json`), 'utf8')).tshark as Facts;
/** Names of the codes tshark saw in `a` and not in `b` (GREASE left out, as the diff folds it). */
const onlyIn = (a: number[] | null, b: number[] | null, name: (c: number) => string) =>
  (a ?? []).filter((c) => !isGrease(c) && !(b ?? []).includes(c)).map(name);

describe('diffClientHellos on real captures', () => {
  const names = readdirSync(CLIENTS)
    .filter((f) => f.endsWith('.bin'))
    .map((f) => f.slice(0, -4));

  it('finds nothing between a hello and itself, even comparing every byte', () => {
    expect(names.length).toBeGreaterThanOrEqual(16);
    for (const n of names) {
      expect(diffClientHellos(hello(n), hello(n), { exact: true }), n).toEqual([]);
    }
  });

  it('with and without SNI, every client differs in server_name and nothing else', () => {
    const pairs = names.filter((n) => n.endsWith('-sni')).map((n) => n.slice(0, -4));
    expect(pairs.length).toBeGreaterThanOrEqual(8);
    for (const client of pairs) {
      const d = diffClientHellos(hello(`${client}-sni`), hello(`${client}-nosni`));
      expect(
        d.map((x) => x.field),
        client,
      ).toEqual(['extensions', 'server_name']);
      expect(d[0].onlyInA).toEqual(['server_name']);
      expect(d[1]).toMatchObject({ a: 'hellokit.test', b: null });
    }
  });

  it("two of Chromium's connections differ only in extension order (Chromium shuffles it)", () => {
    const d = diffClientHellos(hello('chromium-sni-1'), hello('chromium-sni-2'));
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({ field: 'extensions', onlyInA: [], onlyInB: [], reordered: true });
    // Comparing every byte shows the per-connection fields too: GREASE values, random, keys.
    const exact = diffClientHellos(hello('chromium-sni-1'), hello('chromium-sni-2'), { exact: true });
    expect(exact.map((x) => x.field)).toEqual(
      expect.arrayContaining(['random', 'legacy_session_id', 'cipher_suites', 'key_share.key_exchange']),
    );
  });

  it("curl against Chromium: the suites, groups and signature algorithms only one offers are tshark's", () => {
    const [a, b] = ['curl-sni', 'chromium-sni-1'];
    const d = new Map(diffClientHellos(hello(a), hello(b)).map((x) => [x.field, x]));
    const [fa, fb] = [facts(a), facts(b)];
    expect(d.get('cipher_suites')?.onlyInA).toEqual(
      onlyIn(fa.cipherSuites, fb.cipherSuites, cipherSuiteName),
    );
    expect(d.get('cipher_suites')?.onlyInB).toEqual([
      'GREASE',
      ...onlyIn(fb.cipherSuites, fa.cipherSuites, cipherSuiteName),
    ]);
    expect(d.get('supported_groups')?.onlyInA).toEqual(
      onlyIn(fa.supportedGroups, fb.supportedGroups, groupName),
    );
    expect(d.get('signature_algorithms')?.onlyInA).toEqual(
      onlyIn(fa.signatureAlgorithms, fb.signatureAlgorithms, signatureSchemeName),
    );
    expect(d.has('server_name')).toBe(false);
  });
});

describe('diffClientHellos on built hellos', () => {
  const base = clientHello({ serverName: 'example.test', alpn: ['h2', 'http/1.1'], seed: 7 });

  it('a re-encoded parse is the same hello', () => {
    expect(diffClientHellos(base, parseClientHello(encodeClientHello(base)), { exact: true })).toEqual([]);
  });

  it('the same suites in another order are reordered, with nothing only on one side', () => {
    const other = { ...base, cipherSuites: [...base.cipherSuites].reverse() };
    const [d] = diffClientHellos(base, other);
    expect(d).toMatchObject({ field: 'cipher_suites', onlyInA: [], onlyInB: [], reordered: true });
    expect(d.summary).toBe('cipher_suites: same items, another order');
  });

  it('GREASE values count by position, not by value, unless exact', () => {
    const a = clientHello({ serverName: 'example.test', grease: true, seed: 1 });
    const b = clientHello({ serverName: 'example.test', grease: true, seed: 2 });
    expect(a.cipherSuites[0]).not.toBe(b.cipherSuites[0]);
    expect(diffClientHellos(a, b)).toEqual([]);
    expect(diffClientHellos(a, b, { exact: true }).map((d) => d.field)).toContain('cipher_suites');
  });

  it('an extension only one side has is named, and a different ALPN list is shown', () => {
    const other = clientHello({ serverName: 'example.test', alpn: ['http/1.1'], seed: 7 });
    const d = new Map(diffClientHellos(base, other).map((x) => [x.field, x]));
    expect(d.get('application_layer_protocol_negotiation')).toMatchObject({
      a: ['h2', 'http/1.1'],
      b: ['http/1.1'],
      onlyInA: ['h2'],
    });
    const none = clientHello({ serverName: 'example.test', alpn: null, seed: 7 });
    const gone = diffClientHellos(base, none);
    expect(gone.find((x) => x.field === 'extensions')?.onlyInA).toEqual([
      'application_layer_protocol_negotiation',
    ]);
    expect(gone.find((x) => x.field === 'application_layer_protocol_negotiation')?.summary).toBe(
      'application_layer_protocol_negotiation: only a has it (h2, http/1.1)',
    );
  });
});
