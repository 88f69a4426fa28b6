/**
 * Real first server flights (fixtures/servers: Caddy, nginx, openssl s_server, Node) decode
 * to what tshark reported about them: records, handshake message types, the alert, the
 * ServerHello fields with JA3S, the ServerKeyExchange group, and certificate names.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ja3s, ja3sFull } from '../../src/fingerprint/index.ts';
import type { Certificate } from '../../src/handshake/certificate.ts';
import type { ServerHello } from '../../src/handshake/server-hello.ts';
import type { ServerKeyExchange } from '../../src/handshake/server-key-exchange.ts';
import { decodeStream } from '../../src/handshake/stream.ts';
import { summarizeCertificates } from '../../src/node/certificates.ts';

const DIR = join(process.cwd(), 'fixtures', 'servers');
const files = readdirSync(DIR).filter((f) => f.endsWith('.bin'));

interface ServerFacts {
  records: { contentType: number; version: number; length: number }[];
  handshakeTypes: number[];
  alert: { level: number; description: number } | null;
  serverHello: {
    legacyVersion: number;
    cipherSuite: number;
    extensionTypes: number[];
    supportedVersion: number | null;
    keyShareGroup: number | null;
    ja3s: string;
    ja3sFull: string;
  } | null;
  serverKeyExchangeGroup: number | null;
  certificates: { subject: string; subjectAltNames: string[] }[] | null;
}

describe('server first flights agree with tshark', () => {
  it('has server fixtures', () => expect(files.length).toBeGreaterThanOrEqual(12));

  for (const file of files) {
    it(file, async () => {
      const facts = JSON.parse(readFileSync(join(DIR, file.replace(/\.bin$/, '.json')), 'utf8'))
        .tshark as ServerFacts;
      const decoded = decodeStream(new Uint8Array(readFileSync(join(DIR, file))));
      expect(decoded.error).toBeNull();
      expect(
        decoded.records.map((r) => ({ contentType: r.contentType, version: r.version, length: r.length })),
      ).toEqual(facts.records);
      const handshakes = decoded.messages.filter((m) => 'msgType' in m) as unknown as { msgType: number }[];
      expect(handshakes.map((m) => m.msgType)).toEqual(facts.handshakeTypes);
      const alert = decoded.messages.find((m) => m.type === 'alert') as unknown as
        | { level: number; description: number }
        | undefined;
      expect(alert ? { level: alert.level, description: alert.description } : null).toEqual(facts.alert);
      const sh = decoded.messages.find((m) => m.type === 'server_hello') as unknown as
        | ServerHello
        | undefined;
      if (facts.serverHello === null) {
        expect(sh).toBeUndefined();
        return;
      }
      expect(sh).toBeDefined();
      expect(sh!.legacyVersion).toBe(facts.serverHello.legacyVersion);
      expect(sh!.cipherSuite).toBe(facts.serverHello.cipherSuite);
      expect((sh!.extensions ?? []).map((e) => e.type)).toEqual(facts.serverHello.extensionTypes);
      if (facts.serverHello.supportedVersion !== null)
        expect(sh!.version).toBe(facts.serverHello.supportedVersion);
      const input = {
        legacyVersion: sh!.legacyVersion,
        cipherSuite: sh!.cipherSuite,
        extensions: sh!.extensions,
      };
      expect(ja3sFull(input)).toBe(facts.serverHello.ja3sFull);
      expect(ja3s(input)).toBe(facts.serverHello.ja3s);
      const ske = decoded.messages.find((m) => m.type === 'server_key_exchange') as unknown as
        | ServerKeyExchange
        | undefined;
      if (facts.serverKeyExchangeGroup !== null)
        expect(JSON.stringify(ske)).toContain(`"namedGroup":${facts.serverKeyExchangeGroup}`);
      const cert = decoded.messages.find((m) => m.type === 'certificate') as unknown as
        | Certificate
        | undefined;
      if (facts.certificates) {
        expect(cert).toBeDefined();
        const summaries = await summarizeCertificates(cert!.certificateList.map((c) => c.certData));
        expect(summaries.map((c) => c.subject.replace(/^CN=/, 'id-at-commonName='))).toEqual(
          facts.certificates.map((c) => c.subject),
        );
        expect(summaries.map((c) => c.subjectAltNames.map((n) => n.replace(/^DNS:/, '')))).toEqual(
          facts.certificates.map((c) => c.subjectAltNames),
        );
      }
    });
  }
});
