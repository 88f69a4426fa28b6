/**
 * A DER X.501 Name (RFC 5280 §4.1.2.4) as one line of text, `O=hellokit, CN=client-ca.test`,
 * for the certificate authorities a CertificateRequest names (RFC 8446 §4.2.4, RFC 5246
 * §7.4.4). Only what a Name holds is read: SEQUENCE OF SET OF SEQUENCE { OID, string }; the
 * attributes are written in the order the Name has them (the order OpenSSL prints), the
 * parts of a multi-valued RDN joined by `+`, as hellokit/node's certificate summaries do.
 */
import { toHex } from '../bytes/hex.ts';

/** Short names of the attribute types CA names use (RFC 4514 §3, and emailAddress). */
const ATTRIBUTES: Readonly<Record<string, string>> = {
  '2.5.4.3': 'CN',
  '2.5.4.4': 'SN',
  '2.5.4.5': 'serialNumber',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.9': 'street',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.12': 'title',
  '2.5.4.42': 'GN',
  '2.5.4.97': 'organizationIdentifier',
  '0.9.2342.19200300.100.1.1': 'UID',
  '0.9.2342.19200300.100.1.25': 'DC',
  '1.2.840.113549.1.9.1': 'emailAddress',
};

/** One DER element: its tag byte and its content. */
export interface Tlv {
  readonly tag: number;
  readonly content: Uint8Array;
}

/** The DER elements that fill `bytes` exactly; null when they do not. */
export function elements(bytes: Uint8Array): Tlv[] | null {
  const out: Tlv[] = [];
  let at = 0;
  while (at < bytes.length) {
    if (at + 2 > bytes.length) return null;
    const tag = bytes[at];
    let length = bytes[at + 1];
    at += 2;
    if (length & 0x80) {
      const width = length & 0x7f;
      if (width === 0 || width > 3 || at + width > bytes.length) return null;
      length = 0;
      for (let i = 0; i < width; i++) length = length * 256 + bytes[at + i];
      at += width;
    }
    if (at + length > bytes.length) return null;
    out.push({ tag, content: bytes.subarray(at, at + length) });
    at += length;
  }
  return out;
}

/** An OBJECT IDENTIFIER's dotted form. */
export function oidText(content: Uint8Array): string {
  const arcs: number[] = [];
  let value = 0;
  for (const byte of content) {
    value = value * 128 + (byte & 0x7f);
    if (!(byte & 0x80)) {
      arcs.push(value);
      value = 0;
    }
  }
  const first = arcs.shift() ?? 0;
  const head = first < 80 ? [Math.floor(first / 40), first % 40] : [2, first - 80];
  return [...head, ...arcs].join('.');
}

const UTF8 = new TextDecoder('utf-8');
const LATIN1 = new TextDecoder('latin1');

/** An attribute value: the string types as text (BMPString as UTF-16BE), anything else as `#hex` (RFC 4514 §2.4). */
function valueText(tag: number, content: Uint8Array): string {
  switch (tag) {
    case 0x0c: // UTF8String
      return UTF8.decode(content);
    case 0x13: // PrintableString
    case 0x16: // IA5String
    case 0x14: // TeletexString (T.61), read as Latin-1 as OpenSSL shows it
      return LATIN1.decode(content);
    case 0x1e: {
      // BMPString
      let text = '';
      for (let i = 0; i + 1 < content.length; i += 2)
        text += String.fromCharCode((content[i] << 8) | content[i + 1]);
      return text;
    }
    default:
      return `#${toHex(content)}`;
  }
}

/**
 * The Name in `der` as text; a Name that does not read as one is shown as `#` and its hex.
 * @example distinguishedNameText(der) // 'O=hellokit, CN=client-ca.hellokit.test'
 */
export function distinguishedNameText(der: Uint8Array): string {
  const fallback = `#${toHex(der)}`;
  const outer = elements(der);
  if (outer?.length !== 1 || outer[0].tag !== 0x30) return fallback;
  const rdns = elements(outer[0].content);
  if (!rdns) return fallback;
  const parts: string[] = [];
  for (const rdn of rdns) {
    const attributes = rdn.tag === 0x31 ? elements(rdn.content) : null;
    if (!attributes) return fallback;
    const values: string[] = [];
    for (const attribute of attributes) {
      const pair = attribute.tag === 0x30 ? elements(attribute.content) : null;
      if (pair?.length !== 2 || pair[0].tag !== 0x06) return fallback;
      const oid = oidText(pair[0].content);
      values.push(`${ATTRIBUTES[oid] ?? oid}=${valueText(pair[1].tag, pair[1].content)}`);
    }
    parts.push(values.join('+'));
  }
  return parts.join(', ');
}
