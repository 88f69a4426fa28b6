/**
 * The CA names of a CertificateRequest as text: DER X.501 Names read as RFC 4514-style lines
 * (real servers' names are checked in test/node/client-certificate.test.ts).
 */
import { describe, expect, test } from 'vitest';
import { fromHex, toHex } from '../../src/bytes/hex.ts';
import { distinguishedNameText } from '../../src/probe/distinguished-name.ts';

/** A DER element: tag, short or long length, content. */
function der(tag: number, content: Uint8Array): Uint8Array {
  const n = content.length;
  const length = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff];
  return Uint8Array.from([tag, ...length, ...content]);
}
const cat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => [...p]));
const text = (s: string) => new TextEncoder().encode(s);
/** One attribute: OID (hex of its content) and a value of `tag`. */
const attribute = (oidHex: string, tag: number, value: Uint8Array) =>
  der(0x30, cat(der(0x06, fromHex(oidHex)), der(tag, value)));
const CN = '550403';
const O = '55040a';
const EMAIL = '2a864886f70d010901';

describe('distinguishedNameText', () => {
  test('reads RDNs in the order the Name has them, with short attribute names', () => {
    const name = der(
      0x30,
      cat(der(0x31, attribute(O, 0x0c, text('hellokit'))), der(0x31, attribute(CN, 0x13, text('ca.test')))),
    );
    expect(distinguishedNameText(name)).toBe('O=hellokit, CN=ca.test');
  });

  test('joins a multi-valued RDN with +, reads UTF-8 and BMPString, and names unknown OIDs by their dots', () => {
    const bmp = Uint8Array.from([0x00, 0x48, 0x00, 0xe9]); // "Hé"
    const name = der(
      0x30,
      cat(
        der(0x31, cat(attribute(CN, 0x0c, text('Zürich CA')), attribute(EMAIL, 0x16, text('ca@x.test')))),
        der(0x31, attribute('2a0304', 0x1e, bmp)),
      ),
    );
    expect(distinguishedNameText(name)).toBe('CN=Zürich CA+emailAddress=ca@x.test, 1.2.3.4=Hé');
  });

  test('reads long lengths, and gives a value of another type as #hex', () => {
    const long = text('x'.repeat(200));
    const name = der(
      0x30,
      cat(der(0x31, attribute(CN, 0x0c, long)), der(0x31, attribute(O, 0x04, Uint8Array.of(1, 2)))),
    );
    expect(distinguishedNameText(name)).toBe(`CN=${'x'.repeat(200)}, O=#0102`);
  });

  test('gives a Name that does not read as one as # and its hex: truncated, trailing bytes, not a SEQUENCE', () => {
    const good = der(0x30, der(0x31, attribute(CN, 0x0c, text('a'))));
    for (const bad of [
      good.subarray(0, good.length - 1),
      cat(good, Uint8Array.of(0)),
      Uint8Array.of(0x31, 0),
    ]) {
      expect(distinguishedNameText(bad)).toBe(`#${toHex(bad)}`);
    }
  });
});
