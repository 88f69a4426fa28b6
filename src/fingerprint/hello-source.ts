/**
 * What the client fingerprints (JA3, JA4) read from a ClientHello, gathered in one pass
 * either from a typed hello or straight from its bytes. From bytes only the framing is
 * walked — record header, handshake header, the fixed fields and each extension header,
 * every length checked against what holds it — and the few extension bodies the
 * fingerprints read are kept as views; nothing else is decoded or allocated.
 *
 * Extension bodies are read as hello-fields.ts reads them for fingerprints: a vector whose
 * length prefix overshoots is read to the end of the body, an odd trailing byte of a u16
 * list is ignored (a fingerprint describes any hello a client actually sent).
 *
 * The lists are reused from call to call (fingerprints run synchronously, one at a time):
 * read them before the next call.
 */
import { DecodeError } from '../bytes/errors.ts';
import { parseClientHello } from '../handshake/client-hello.ts';
import { EXTENSION, type FingerprintableHello } from '../handshake/hello-fields.ts';
import { U16List } from './ascii-list.ts';
import { isGrease } from './grease.ts';

/**
 * Where one extension body is, `data[start, end)`, without a view made for it (a view costs
 * an engine call; a fingerprint reads a few bytes of each body once). `data` is null when
 * the hello has no such extension.
 */
export class BodySpan {
  data: Uint8Array | null = null;
  start: number = 0;
  end: number = 0;

  set(data: Uint8Array, start: number, end: number): void {
    this.data = data;
    this.start = start;
    this.end = end;
  }

  clear(): void {
    this.data = null;
    this.start = 0;
    this.end = 0;
  }
}

/** The fields JA3 and JA4 read. */
export interface HelloSource {
  legacyVersion: number;
  /** Cipher suites without GREASE, wire order. */
  readonly ciphers: U16List;
  /** Extension types without GREASE, wire order. */
  readonly extensionTypes: U16List;
  hasServerName: boolean;
  /** Bodies of the first supported_versions, ALPN and signature_algorithms extensions. */
  readonly supportedVersions: BodySpan;
  readonly alpn: BodySpan;
  readonly signatureAlgorithms: BodySpan;
  /** Bodies of the last supported_groups and ec_point_formats extensions (as JA3 reads them). */
  readonly supportedGroups: BodySpan;
  readonly ecPointFormats: BodySpan;
}

const source: HelloSource = {
  legacyVersion: 0,
  ciphers: new U16List(),
  extensionTypes: new U16List(),
  hasServerName: false,
  supportedVersions: new BodySpan(),
  alpn: new BodySpan(),
  signatureAlgorithms: new BodySpan(),
  supportedGroups: new BodySpan(),
  ecPointFormats: new BodySpan(),
};

function clear(): HelloSource {
  source.ciphers.reset(0);
  source.extensionTypes.reset(0);
  source.hasServerName = false;
  source.supportedVersions.clear();
  source.alpn.clear();
  source.signatureAlgorithms.clear();
  source.supportedGroups.clear();
  source.ecPointFormats.clear();
  return source;
}

/**
 * Notes one extension's type, and the span of its body, `data[start, end)`, when a
 * fingerprint reads it.
 */
function note(s: HelloSource, type: number, data: Uint8Array, start: number, end: number): void {
  if (!isGrease(type)) s.extensionTypes.push(type);
  switch (type) {
    case EXTENSION.server_name:
      s.hasServerName = true;
      return;
    // The first of these counts (JA4)...
    case EXTENSION.supported_versions:
      if (s.supportedVersions.data === null) s.supportedVersions.set(data, start, end);
      return;
    case EXTENSION.application_layer_protocol_negotiation:
      if (s.alpn.data === null) s.alpn.set(data, start, end);
      return;
    case EXTENSION.signature_algorithms:
      if (s.signatureAlgorithms.data === null) s.signatureAlgorithms.set(data, start, end);
      return;
    // ...and the last of these (JA3: the reference overwrites as it walks).
    case EXTENSION.supported_groups:
      s.supportedGroups.set(data, start, end);
      return;
    case EXTENSION.ec_point_formats:
      s.ecPointFormats.set(data, start, end);
      return;
  }
}

function fromHello(hello: FingerprintableHello): HelloSource {
  if (typeof hello !== 'object' || hello === null || !Array.isArray(hello.cipherSuites)) {
    throw new TypeError('"hello" expected a ClientHello (or its bytes) with cipherSuites and extensions');
  }
  const s = clear();
  s.legacyVersion = hello.legacyVersion;
  const suites = hello.cipherSuites;
  s.ciphers.reset(suites.length);
  for (let i = 0; i < suites.length; i++) {
    const v = suites[i];
    if (!isGrease(v)) s.ciphers.push(v);
  }
  const extensions = hello.extensions;
  if (extensions === null || extensions === undefined) return s;
  s.extensionTypes.reset(extensions.length);
  for (let i = 0; i < extensions.length; i++) {
    const { type, body } = extensions[i];
    note(s, type, body, 0, body.length);
  }
  return s;
}

/**
 * The end of the content of a vector with a `width`-byte length prefix at the start of the
 * body `span`, clipped to the body (the content is `[span.start + width, end)`; hello-fields.ts
 * `vectorContent` without the view). An index into `span.data`.
 */
export function contentEnd(span: BodySpan, width: 1 | 2): number {
  const { data, start } = span;
  const length = span.end - start;
  if (data === null || length < width) return start + width;
  const declared = width === 1 ? data[start] : (data[start] << 8) | data[start + 1];
  return start + width + Math.min(declared, length - width);
}

function fault(offset: number, path: string, detail: string): DecodeError {
  return new DecodeError({ code: 'bad-length', offset, path, alert: 'decode_error', detail });
}

/**
 * The fields from a ClientHello handshake message at `b[p, end)` (from its type byte),
 * or null when it is not one (the caller then takes the general parser's path).
 */
function fromMessage(b: Uint8Array, p: number, end: number): HelloSource | null {
  if (end - p < 4 || b[p] !== 1) return null;
  const bodyEnd = p + 4 + ((b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]);
  if (bodyEnd !== end) return null;
  const s = clear();
  let q = p + 4;
  if (end - q < 35) throw fault(q, 'client_hello', 'shorter than its fixed fields');
  s.legacyVersion = (b[q] << 8) | b[q + 1];
  q += 34;
  q += 1 + b[q];
  if (q + 2 > end) throw fault(q, 'client_hello.legacy_session_id', 'runs past the hello');
  const suitesLength = (b[q] << 8) | b[q + 1];
  q += 2;
  if (suitesLength % 2 !== 0 || q + suitesLength > end) {
    throw fault(q - 2, 'client_hello.cipher_suites', `length ${suitesLength} is odd or runs past the hello`);
  }
  s.ciphers.reset(0);
  s.ciphers.pushU16sWithoutGrease(b, q, q + suitesLength);
  q += suitesLength;
  if (q >= end) throw fault(q, 'client_hello.legacy_compression_methods', 'missing');
  q += 1 + b[q];
  if (q > end) throw fault(q, 'client_hello.legacy_compression_methods', 'runs past the hello');
  if (q === end) return s;
  if (end - q < 2) throw fault(q, 'client_hello.extensions', 'length cut short');
  const extEnd = q + 2 + ((b[q] << 8) | b[q + 1]);
  if (extEnd !== end) throw fault(q, 'client_hello.extensions', 'length does not end where the hello ends');
  q += 2;
  // At most one extension every four bytes.
  s.extensionTypes.reset((extEnd - q) >> 2);
  for (let index = 0; q < extEnd; index++) {
    if (extEnd - q < 4) throw fault(q, `client_hello.extensions[${index}]`, 'header cut short');
    const type = (b[q] << 8) | b[q + 1];
    const from = q + 4;
    const to = from + ((b[q + 2] << 8) | b[q + 3]);
    if (to > extEnd) throw fault(q, `client_hello.extensions[${index}]`, 'body runs past the extensions');
    note(s, type, b, from, to);
    q = to;
  }
  return s;
}

/**
 * The fingerprint fields of a typed hello, or of a ClientHello's bytes (TLS records or the
 * bare handshake message, as {@link parseClientHello} accepts them). A hello in one record
 * (nearly all) or a bare message is walked in place; anything else (a hello split over
 * records, SSLv2, DTLS) goes through the lenient parser.
 * @throws {DecodeError} when the bytes' lengths do not hold together
 */
export function helloSource(hello: FingerprintableHello | Uint8Array): HelloSource {
  if (!(hello instanceof Uint8Array)) return fromHello(hello);
  const b = hello;
  let s: HelloSource | null = null;
  if (b.length >= 5 && b[0] === 22 && b[1] === 3 && 5 + ((b[3] << 8) | b[4]) === b.length) {
    s = fromMessage(b, 5, b.length);
  } else if (b.length > 0 && b[0] === 1) {
    s = fromMessage(b, 0, b.length);
  }
  return s ?? fromHello(parseClientHello(b, { strict: false }));
}
