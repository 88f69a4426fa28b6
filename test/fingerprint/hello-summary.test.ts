import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type ClientHelloSummary, clientHelloSummary } from '../../src/fingerprint/hello-summary.ts';
import { parseClientHello } from '../../src/handshake/client-hello.ts';

const fixture = (name: string) =>
  parseClientHello(new Uint8Array(readFileSync(new URL(`../../fixtures/clients/${name}`, import.meta.url))));

/** Every key of ClientHelloSummary, in the order the summary prints them (optional ones last). */
const KEYS: readonly (keyof ClientHelloSummary)[] = [
  'type',
  'legacyVersion',
  'random',
  'legacySessionId',
  'serverName',
  'cipherSuites',
  'legacyCompressionMethods',
  'extensionTypes',
  'supportedGroups',
  'signatureAlgorithms',
  'supportedVersions',
  'keyShareGroups',
  'alpn',
  'ja3',
  'ja3Full',
  'ja4',
  'ja4_r',
  'ja4_o',
  'ja4_ro',
  'extensions',
];

describe('clientHelloSummary', () => {
  it('prints the keys its interface declares, in that order, for a captured Firefox hello', () => {
    const summary = clientHelloSummary(fixture('firefox-sni.bin'));
    expect(Object.keys(summary)).toEqual(KEYS);
    expect(summary.type).toBe('client_hello');
    expect(summary.serverName).toBeTypeOf('string');
    expect(summary.ja4).toMatch(/^t13d\d{4}h2_[0-9a-f]{12}_[0-9a-f]{12}$/);
    expect(summary.extensions.map((e) => e.type)).toEqual(summary.extensionTypes);
  });

  it('gives serverName null, as the builder spells no SNI, for a hello without server_name', () => {
    const summary = clientHelloSummary(fixture('chromium-nosni.bin'));
    expect(summary.serverName).toBeNull();
    expect(summary.extensionTypes).not.toContain(0);
  });
});
