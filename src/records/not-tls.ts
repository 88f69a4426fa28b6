/**
 * Recognising a peer that does not speak TLS at all (an HTTP server on the TLS port, an SSH
 * banner, an SSLv2-compatible hello), from the first bytes of a stream.
 */
import { DecodeError } from '../bytes/errors.ts';
import { latin1 } from '../bytes/hex.ts';
import { isKnownContentType } from './record.ts';

const TEXT_PREFIXES: readonly [string, string][] = [
  ['HTTP/', 'an HTTP response'],
  ['SSH-', 'an SSH banner'],
  ['GET ', 'an HTTP request'],
  ['POST ', 'an HTTP request'],
  ['220 ', 'an SMTP/FTP greeting'],
  ['220-', 'an SMTP/FTP greeting'],
  ['* OK', 'an IMAP greeting'],
  ['+OK', 'a POP3 greeting'],
  ['<', 'HTML or XML'],
];

/**
 * Why the first bytes of a stream cannot start a TLS record, or `null` when they can
 * (or when too few bytes are there to tell). Needs at most 2 bytes to decide, more to name
 * the protocol.
 * @example notTlsReason(new TextEncoder().encode('HTTP/1.1 400')) // 'an HTTP response ...'
 */
export function notTlsReason(bytes: Uint8Array): string | null {
  if (bytes.length === 0) return null;
  const first = bytes[0];
  if (isKnownContentType(first)) {
    // Record versions are 0x03xx (SSL 3.0 to TLS 1.3); 0x0000 ... is no TLS peer.
    if (bytes.length >= 2 && bytes[1] !== 0x03) {
      return `record version major byte 0x${bytes[1].toString(16).padStart(2, '0')} is not 0x03`;
    }
    return null;
  }
  // SSLv2 record header: 2-byte length with the high bit set, then msg_type 1 (CLIENT-HELLO).
  if (first & 0x80 && bytes.length >= 3 && bytes[2] === 0x01) {
    return 'an SSLv2-compatible ClientHello (RFC 5246 Appendix E.2; parseSslv2ClientHello decodes it)';
  }
  const text = latin1(bytes.subarray(0, 32));
  for (const [prefix, what] of TEXT_PREFIXES) {
    if (text.startsWith(prefix)) return `${what} (${JSON.stringify(printable(text))})`;
  }
  return `first byte 0x${first.toString(16).padStart(2, '0')} is not a TLS content type${
    isPrintable(text) ? ` (text ${JSON.stringify(printable(text))})` : ''
  }`;
}

/** A `not-tls` {@link DecodeError} for `bytes` at `offset`, or null when they may be TLS. */
export function notTlsError(bytes: Uint8Array, offset = 0, path = 'stream'): DecodeError | null {
  const reason = notTlsReason(bytes);
  if (reason === null) return null;
  return new DecodeError({
    code: 'not-tls',
    offset,
    path,
    alert: 'decode_error',
    detail: `not TLS: ${reason}`,
  });
}

function isPrintable(text: string): boolean {
  return /^[\x20-\x7e\r\n\t]{4,}/.test(text);
}

function printable(text: string): string {
  const line = text.split(/\r?\n/)[0];
  return line.replace(/[^\x20-\x7e]/g, '.');
}
