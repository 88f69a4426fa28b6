/**
 * Self-signed certificates made at start-up, so the demo server and `hellokit serve` need
 * no openssl binary and no files. The key comes from node:crypto; the certificate is a
 * small hand-written DER encoding (RFC 5280 §4.1) signed with node:crypto.
 *
 * Why not @peculiar/x509: its dependency injection needs a global Reflect metadata
 * polyfill, which a library should not install behind its users' backs.
 */
import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { isIP } from 'node:net';

/** A certificate and its key, PEM-encoded. */
export interface SelfSignedCertificate {
  readonly cert: string;
  readonly key: string;
  /** The names in the certificate (the first is the CN). */
  readonly names: readonly string[];
}

/**
 * A fresh ECDSA P-256 key and a self-signed certificate (ecdsa-with-SHA256) for `names`
 * (DNS names or IP literals, all in subjectAltName; the first is also the CN), valid from
 * an hour ago for 30 days.
 * @example const { cert, key } = selfSignedCertificate(['demo.hellokit.test']);
 */
export function selfSignedCertificate(names: readonly string[]): SelfSignedCertificate {
  if (names.length === 0) throw new RangeError('"names" expected at least one name');
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const now = Date.now();
  const serial = randomBytes(8);
  serial[0] &= 0x7f;
  serial[0] |= 0x01;
  const ecdsaWithSha256 = seq(oid([1, 2, 840, 10045, 4, 3, 2]));
  const name = seq(set(seq(oid([2, 5, 4, 3]), tlv(0x0c, Buffer.from(names[0], 'utf8')))));
  const generalNames = seq(
    ...names.map((n) => {
      const ip = isIP(n);
      if (ip === 4) return tlv(0x87, Buffer.from(n.split('.').map(Number)));
      if (ip === 6) return tlv(0x87, ipv6Bytes(n));
      return tlv(0x82, Buffer.from(n, 'ascii'));
    }),
  );
  const extensions = seq(
    seq(oid([2, 5, 29, 19]), tlv(0x01, Buffer.from([0xff])), octets(seq())), // basicConstraints: CA false
    seq(oid([2, 5, 29, 15]), tlv(0x01, Buffer.from([0xff])), octets(tlv(0x03, Buffer.from([0x07, 0x80])))), // keyUsage: digitalSignature
    seq(oid([2, 5, 29, 37]), octets(seq(oid([1, 3, 6, 1, 5, 5, 7, 3, 1])))), // extKeyUsage: serverAuth
    seq(oid([2, 5, 29, 17]), octets(generalNames)), // subjectAltName
  );
  const tbs = seq(
    tlv(0xa0, tlv(0x02, Buffer.from([2]))),
    tlv(0x02, serial),
    ecdsaWithSha256,
    name,
    seq(utcTime(new Date(now - 3_600_000)), utcTime(new Date(now + 30 * 86_400_000))),
    name,
    spki,
    tlv(0xa3, extensions),
  );
  const signature = sign('sha256', tbs, privateKey);
  const der = seq(tbs, ecdsaWithSha256, tlv(0x03, Buffer.concat([Buffer.from([0]), signature])));
  const key = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  return { cert: pem('CERTIFICATE', der), key, names: [...names] };
}

function tlv(tag: number, content: Buffer): Buffer {
  const n = content.length;
  const length =
    n < 0x80 ? Buffer.from([n]) : n < 0x100 ? Buffer.from([0x81, n]) : Buffer.from([0x82, n >> 8, n & 0xff]);
  return Buffer.concat([Buffer.from([tag]), length, content]);
}

function seq(...parts: Buffer[]): Buffer {
  return tlv(0x30, Buffer.concat(parts));
}

function set(...parts: Buffer[]): Buffer {
  return tlv(0x31, Buffer.concat(parts));
}

function octets(content: Buffer): Buffer {
  return tlv(0x04, content);
}

function oid(arcs: readonly number[]): Buffer {
  const bytes: number[] = [arcs[0] * 40 + arcs[1]];
  for (const arc of arcs.slice(2)) {
    const base128: number[] = [arc & 0x7f];
    for (let v = arc >>> 7; v > 0; v >>>= 7) base128.unshift((v & 0x7f) | 0x80);
    bytes.push(...base128);
  }
  return tlv(0x06, Buffer.from(bytes));
}

function utcTime(date: Date): Buffer {
  const iso = date.toISOString(); // 2025-01-02T03:04:05.678Z
  const text = `${iso.slice(2, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
  return tlv(0x17, Buffer.from(text, 'ascii'));
}

function ipv6Bytes(address: string): Buffer {
  const [head, tail = ''] = address.split('::');
  const parts = (s: string) => (s === '' ? [] : s.split(':').map((h) => Number.parseInt(h, 16)));
  const left = parts(head);
  const right = address.includes('::') ? parts(tail) : [];
  const words = [...left, ...new Array(8 - left.length - right.length).fill(0), ...right];
  const out = Buffer.alloc(16);
  for (let i = 0; i < 8; i++) out.writeUInt16BE(words[i], i * 2);
  return out;
}

function pem(label: string, der: Buffer): string {
  const body = der.toString('base64').replace(/(.{64})/g, '$1\n');
  return `-----BEGIN ${label}-----\n${body.endsWith('\n') ? body : `${body}\n`}-----END ${label}-----\n`;
}
