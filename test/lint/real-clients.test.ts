/**
 * Real clients are valid: every ClientHello captured from a real client lints without an
 * error (warnings allowed: OpenSSL 3.0 still offers TLS 1.0/1.1, Go 1.19 has no
 * extended_master_secret). So are the hellos the builder's presets make of them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { clientHello } from '../../src/builder/client-hello.ts';
import { PRESET_NAMES } from '../../src/builder/presets/index.ts';
import { fromHex } from '../../src/bytes/hex.ts';
import { candidateHellos, variationPlan } from '../../src/diagnose/plan.ts';
import { helloForSpec } from '../../src/diagnose/spec-hello.ts';
import { validateClientHello } from '../../src/lint/index.ts';

const errors = (bytesOrHello: Parameters<typeof validateClientHello>[0]) =>
  validateClientHello(bytesOrHello).filter((p) => p.severity === 'error');

const clientFixtures = readdirSync('fixtures/clients').filter((f) => f.endsWith('.bin'));
const capturedHellos = ['openssl-client-hello-tls12.bin', 'openssl-client-hello-tls13.bin'];
const ja4Captures: { capture: string; index: number; hello: string }[] = JSON.parse(
  readFileSync('test/fingerprint/data/ja4-conformance.json', 'utf8'),
);

describe('real clients lint without errors', () => {
  it('there are real hellos to check', () => {
    expect(clientFixtures.length).toBeGreaterThanOrEqual(20);
    expect(ja4Captures.length).toBeGreaterThanOrEqual(10);
  });

  it.each(clientFixtures)('fixtures/clients/%s', (file) => {
    expect(errors(new Uint8Array(readFileSync(`fixtures/clients/${file}`)))).toEqual([]);
  });

  it.each(capturedHellos)('test/handshake/data/%s', (file) => {
    expect(errors(new Uint8Array(readFileSync(`test/handshake/data/${file}`)))).toEqual([]);
  });

  it.each(ja4Captures.map((c) => [`${c.capture} #${c.index}`, c.hello]))(
    'JA4 conformance capture %s',
    (_, hex) => {
      expect(errors(fromHex(hex))).toEqual([]);
    },
  );

  it('the warnings real clients get are the ones their versions explain', () => {
    const warnings = new Set<string>();
    for (const file of clientFixtures)
      for (const p of validateClientHello(new Uint8Array(readFileSync(`fixtures/clients/${file}`))))
        warnings.add(`${file.replace(/-(no)?sni.*$/, '')} ${p.rule}`);
    expect([...warnings].sort()).toEqual([
      'curl obsolete_version',
      'gnutls-cli obsolete_version',
      'go extended_master_secret_missing',
      'openssl obsolete_version',
      'python obsolete_version',
      'wget extended_master_secret_missing',
      'wget obsolete_version',
    ]);
  });
});

describe("the builder's hellos lint without errors", () => {
  it('the defaults, with and without a server name, and TLS 1.2', () => {
    for (const options of [{}, { serverName: 'hellokit.test' }, { tls: '1.2' as const }])
      expect(errors(clientHello({ ...options, seed: 1 })), JSON.stringify(options)).toEqual([]);
  });

  it.each(PRESET_NAMES)('preset %s', (name) => {
    expect(errors(clientHello({ preset: name, serverName: 'hellokit.test', seed: 1 }))).toEqual([]);
    expect(errors(clientHello({ preset: name, seed: 1 }))).toEqual([]);
  });
});

it("diagnose's probe hellos lint without errors, except the one that sends an IP address as SNI on purpose", () => {
  const options = { serverName: 'hellokit.test' };
  const candidates = candidateHellos(options);
  const variations = candidates.flatMap((working) =>
    (['first', 'tls13', 'tls12'] as const).flatMap((wave) => variationPlan(working, wave, options)),
  );
  const ids = new Set<string>();
  const found = [...candidates, ...variations].flatMap((spec) =>
    errors(helloForSpec(spec).hello).map((p) => `${spec.id} ${p.rule}`),
  );
  for (const spec of [...candidates, ...variations]) ids.add(spec.id);
  expect(ids.size).toBeGreaterThan(15);
  expect([...new Set(found)]).toEqual(['sni.ip sni_ip_literal']);
});
