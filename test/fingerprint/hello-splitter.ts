/**
 * Test-only: splits a ClientHello handshake message (or TLS records carrying one) into
 * the fields fingerprints read, so the conformance fixtures do not depend on the real
 * parser. Swap for `parseClientHello` once src/handshake exports it.
 */
import { Reader } from '../../src/bytes/reader.ts';
import type { Extension } from '../../src/extensions/types.ts';
import type { ClientHello } from '../../src/handshake/types.ts';

function handshakeBytes(bytes: Uint8Array): Uint8Array {
  if (bytes[0] !== 22) return bytes;
  const parts: number[] = [];
  const r = new Reader(bytes);
  while (!r.atEnd) {
    const type = r.u8('content_type');
    r.u16('legacy_record_version');
    const fragment = r.vectorBytes(2, 'fragment');
    if (type === 22) parts.push(...fragment);
  }
  return Uint8Array.from(parts);
}

export function splitClientHello(bytes: Uint8Array): ClientHello {
  const r = new Reader(handshakeBytes(bytes), { path: ['handshake'] });
  if (r.u8('msg_type') !== 1) throw new Error('not a ClientHello');
  const body = r.vector(3, 'client_hello');
  const legacyVersion = body.u16('legacy_version');
  const random = body.bytes(32, 'random');
  const legacySessionId = body.vectorBytes(1, 'legacy_session_id');
  const cipherSuites = body.u16List(2, 'cipher_suites');
  const legacyCompressionMethods = body.u8List(1, 'legacy_compression_methods');
  let extensions: Extension[] | null = null;
  if (!body.atEnd) {
    const block = body.vector(2, 'extensions');
    extensions = [];
    while (!block.atEnd) {
      const type = block.u16('extension_type');
      extensions.push({ type, body: block.vectorBytes(2, 'extension_data') });
    }
  }
  return { legacyVersion, random, legacySessionId, cipherSuites, legacyCompressionMethods, extensions };
}
