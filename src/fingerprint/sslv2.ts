/**
 * Fingerprints and the JSON summary of an SSLv2-compatible CLIENT-HELLO.
 *
 * - JA3: salesforce/ja3's README defines JA3 over the TLS ClientHello and says nothing of
 *   SSLv2. Its two reference implementations disagree: `ja3.py` skips anything whose first
 *   byte is not 22 (so an SSLv2 hello gets no JA3), while the Zeek script `ja3.zeek`
 *   builds JA3 from Zeek's `ssl_client_hello` event, which Zeek also raises for SSLv2 hellos
 *   with the 24-bit cipher specs as numbers and no extensions. {@link sslv2Ja3Full} is that
 *   Zeek form: `version,specs,,,` (decimal, `-`-joined, GREASE values left out).
 * - JA4: FoxIO's JA4.md names the version code (`0x0002 = SSL 2.0 = "s2"`) but defines the
 *   cipher part over 4-hex-digit TLS cipher suites; it has no rule for 3-byte cipher specs.
 *   hellokit does not invent one: {@link sslv2Ja4} is always null.
 * docs/sslv2.md has the details.
 */
import { md5 } from '@noble/hashes/legacy.js';
import { fromLatin1, toHex } from '../bytes/hex.ts';
import {
  type Sslv2ClientHello,
  sslv2CipherSpecName,
  sslv2TlsCipherSuites,
} from '../handshake/sslv2-client-hello.ts';
import { versionName } from '../iana/lookup.ts';
import { withoutGrease } from './grease.ts';

/**
 * The JA3 string of an SSLv2 hello as salesforce/ja3's Zeek script computes it: version,
 * cipher specs (24-bit values in decimal), and three empty fields (no extensions).
 * @example sslv2Ja3Full(hello) // '2,327808-196736-65664,,,'
 */
export function sslv2Ja3Full(hello: Pick<Sslv2ClientHello, 'version' | 'cipherSpecs'>): string {
  return `${hello.version},${withoutGrease(hello.cipherSpecs).join('-')},,,`;
}

/**
 * MD5 of {@link sslv2Ja3Full}, lower-case hex (the Zeek script's JA3 of an SSLv2 hello).
 * @example sslv2Ja3(hello) // 32 hex digits
 */
export function sslv2Ja3(hello: Pick<Sslv2ClientHello, 'version' | 'cipherSpecs'>): string {
  return toHex(md5(fromLatin1(sslv2Ja3Full(hello))));
}

/**
 * JA4 of an SSLv2 hello: always null. The JA4 specification names the SSL 2.0 version
 * code but defines no rule for SSLv2's 3-byte cipher specs, and hellokit does not make one up.
 * @example sslv2Ja4(hello) // null
 */
export function sslv2Ja4(_hello: Sslv2ClientHello): null {
  return null;
}

/**
 * The JSON view of an SSLv2 hello that `hellokit decode --json` and `hellokit serve` show.
 * Its `type` is `sslv2_client_hello`, so consumers of the TLS `client_hello` view never
 * mistake it for one; `ja3`/`ja3Full` are the Zeek-script form, the JA4 fields null.
 * @example sslv2ClientHelloSummary(parseSslv2ClientHello(bytes)).cipherSpecNames
 */
export function sslv2ClientHelloSummary(hello: Sslv2ClientHello): Record<string, unknown> {
  const header = hello.header ?? { form: 2 };
  return {
    type: 'sslv2_client_hello',
    header:
      header.form === 2
        ? { form: 2 }
        : { form: 3, isEscape: header.isEscape, padding: toHex(header.padding) },
    msgType: hello.msgType,
    version: hello.version,
    versionName: versionName(hello.version),
    cipherSpecs: [...hello.cipherSpecs],
    cipherSpecNames: hello.cipherSpecs.map(sslv2CipherSpecName),
    tlsCipherSuites: sslv2TlsCipherSuites(hello),
    sessionId: toHex(hello.sessionId),
    challenge: toHex(hello.challenge),
    ja3: sslv2Ja3(hello),
    ja3Full: sslv2Ja3Full(hello),
    ja4: null,
    ja4_r: null,
    ja4_o: null,
    ja4_ro: null,
    ...(hello.extra ? { extra: toHex(hello.extra) } : {}),
    ...(hello.trailing ? { trailing: toHex(hello.trailing) } : {}),
  };
}

/**
 * One line about an SSLv2 hello: version, cipher specs, session id and challenge sizes.
 * @example sslv2ClientHelloLine(hello) // 'SSLv2-compatible ClientHello: SSL 2.0 (0x0002), 13 cipher specs, ...'
 */
export function sslv2ClientHelloLine(hello: Sslv2ClientHello): string {
  const tls = sslv2TlsCipherSuites(hello).length;
  return (
    `SSLv2-compatible ClientHello: ${versionName(hello.version)} (0x${hello.version.toString(16).padStart(4, '0')}), ` +
    `${hello.cipherSpecs.length} cipher specs (${hello.cipherSpecs.length - tls} SSL 2.0, ${tls} TLS), ` +
    `session id ${hello.sessionId.length} bytes, challenge ${hello.challenge.length} bytes, ja3=${sslv2Ja3(hello)}`
  );
}
