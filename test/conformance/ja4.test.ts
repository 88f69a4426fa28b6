/**
 * FoxIO's public JA4 captures (../shared/conformance/ja4): every JA4, JA4_r, JA4_o and
 * JA4_ro their reference tool computes must come out of hellokit's own capture reader,
 * decoder and fingerprinter — except the deviations listed below, each with its reason.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { captureHandshakes } from '../../src/capture/index.ts';
import { type Ja4Options, ja4All } from '../../src/fingerprint/index.ts';

const ROOT = join(process.cwd(), '..', 'shared', 'conformance', 'ja4');
const FORMS = ['JA4', 'JA4_r', 'JA4_o', 'JA4_ro'] as const;
const KEY_OF = { JA4: 'ja4', JA4_r: 'ja4_r', JA4_o: 'ja4_o', JA4_ro: 'ja4_ro' } as const;

/**
 * Deliberate deviations: hellokit follows the written JA4 specification by default.
 * tls-non-ascii-alpn: the first ALPN value starts with byte 0xBA; the specification's rule
 * takes the first and last characters of its hex form ("bd"), the reference tool prints "99".
 * `alpnRule: 'reference'` reproduces the reference output, and the test checks that too.
 */
const DEVIATIONS: Record<string, { reason: string; options: Ja4Options }> = {
  'tls-non-ascii-alpn.pcapng': {
    reason:
      'non-alphanumeric ALPN: specification hex rule by default, reference "99" with alpnRule reference',
    options: { alpnRule: 'reference' },
  },
};

interface ExpectedStream {
  src: string;
  dst: string;
  srcport: string;
  dstport: string;
  [key: string]: string;
}

const files = readdirSync(join(ROOT, 'expected')).filter((f) => f.endsWith('.json'));

describe('JA4 conformance with the FoxIO captures', () => {
  it('has the public captures to test against', () => {
    expect(files.length).toBeGreaterThanOrEqual(16);
  });

  for (const file of files) {
    const capture = file.replace(/\.json$/, '');
    it(`${capture}: every JA4 form of every ClientHello matches the reference`, () => {
      const expected = JSON.parse(readFileSync(join(ROOT, 'expected', file), 'utf8')) as ExpectedStream[];
      const { handshakes } = captureHandshakes(new Uint8Array(readFileSync(join(ROOT, 'pcap', capture))));
      const deviation = DEVIATIONS[capture];
      let compared = 0;
      for (const stream of expected) {
        for (const key of Object.keys(stream)) {
          const m = /^JA4\.(\d+)$/.exec(key);
          if (!m) continue;
          const n = Number(m[1]);
          const found = handshakes.find(
            (h) =>
              h.client.ip === stream.src &&
              h.server.ip === stream.dst &&
              String(h.client.port) === stream.srcport &&
              String(h.server.port) === stream.dstport &&
              h.helloIndex === n,
          );
          expect(
            found,
            `${capture}: ClientHello ${n} of ${stream.src}:${stream.srcport} → ${stream.dst}:${stream.dstport}`,
          ).toBeDefined();
          if (!found) continue;
          const transport = found.transport === 'quic' ? 'quic' : 'tcp';
          const ours = ja4All(found.clientHello, { transport });
          const reference = deviation ? ja4All(found.clientHello, { transport, ...deviation.options }) : ours;
          for (const form of FORMS) {
            const want = stream[`${form}.${n}`];
            if (want === undefined) continue;
            expect(reference[KEY_OF[form]], `${capture} ${form}.${n} (${stream.src}:${stream.srcport})`).toBe(
              want,
            );
            if (deviation) expect(ours[KEY_OF[form]].slice(0, 10)).not.toBe(want.slice(0, 10));
            compared++;
          }
        }
      }
      expect(compared).toBeGreaterThan(0);
    });
  }
});
