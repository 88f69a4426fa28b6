/**
 * Certificate decompression (RFC 8879) for the probe engine, injected so the core imports no
 * zlib: `hellokit/node` passes Node's zlib and brotli (`nodeCertificateDecompressors`), other
 * platforms get {@link webCertificateDecompressors} (zlib through `DecompressionStream`, where
 * the platform has it). The engine keeps a CompressedCertificate as it came and decompresses it
 * once the flight has been read, so a decompressor may be asynchronous.
 */

import { concatBytes } from '../bytes/hex.ts';
import { Reader } from '../bytes/reader.ts';
import { HANDSHAKE_TYPES } from '../handshake/header.ts';
import { CERTIFICATE_COMPRESSION_ALGORITHMS } from '../iana/certificate-compression.ts';

/** Largest certificate a CompressedCertificate may decompress to (16 MiB). */
export const MAX_DECOMPRESSED_CERTIFICATE: number = 1 << 24;

/** An algorithm's name in the IANA table: `zlib`, `brotli`, `zstd`. */
export type CertificateCompressionName = (typeof CERTIFICATE_COMPRESSION_ALGORITHMS)[number]['name'];

/**
 * Decompresses `data` to at most `maxOutputLength` bytes.
 * @throws {Error} when the data does not decompress or is larger
 */
export type CertificateDecompressor = (
  data: Uint8Array,
  maxOutputLength: number,
) => Uint8Array | Promise<Uint8Array>;

/** The decompressors a probe may use, by algorithm name; a missing one is "cannot decompress". */
export type CertificateDecompressors = Partial<Record<CertificateCompressionName, CertificateDecompressor>>;

/** A CompressedCertificate message body as the server sent it. */
export interface CompressedCertificate {
  readonly algorithm: number;
  readonly uncompressedLength: number;
  readonly data: Uint8Array;
}

/**
 * The fields of a CompressedCertificate body (RFC 8879 §4: `uint16 algorithm; uint24
 * uncompressed_length; opaque compressed_certificate_message<1..2^24-1>`), or a reason string.
 */
export function compressedCertificateOf(body: Uint8Array): CompressedCertificate | string {
  try {
    const r = new Reader(body, { path: ['compressed_certificate'] });
    const algorithm = r.u16('algorithm');
    const uncompressedLength = r.u24('uncompressed_length');
    const data = r.vectorBytes(3, 'compressed_certificate_message', { min: 1 });
    r.done();
    return { algorithm, uncompressedLength, data };
  } catch (e) {
    return `the server's CompressedCertificate does not decode: ${(e as Error).message}`;
  }
}

/**
 * The Certificate handshake message inside `compressed`, decompressed with `decompressors`,
 * or a reason string (the algorithm has no decompressor here, the data does not decompress,
 * or its length is not the one announced).
 */
export async function decompressCertificate(
  compressed: CompressedCertificate,
  decompressors: CertificateDecompressors,
): Promise<Uint8Array | string> {
  const { algorithm, uncompressedLength: length } = compressed;
  const name = CERTIFICATE_COMPRESSION_ALGORITHMS.find((a) => a.code === algorithm)?.name;
  const decompress = name ? decompressors[name] : undefined;
  if (!decompress)
    return `the certificate is compressed with ${name ?? `algorithm ${algorithm}`}, which hellokit cannot decompress${name ? ' on this platform (decompression unavailable)' : ''}`;
  let out: Uint8Array;
  try {
    out = await decompress(compressed.data, MAX_DECOMPRESSED_CERTIFICATE);
  } catch (e) {
    return `the compressed certificate does not decompress: ${(e as Error).message}`;
  }
  if (out.length !== length)
    return `the certificate decompressed to ${out.length} bytes, not the ${length} announced`;
  const msg = new Uint8Array(4 + out.length);
  msg[0] = HANDSHAKE_TYPES.certificate;
  msg[1] = length >> 16;
  msg[2] = (length >> 8) & 0xff;
  msg[3] = length & 0xff;
  msg.set(out, 4);
  return msg;
}

/** Reads a web stream of chunks into one array, refusing more than `max` bytes. */
async function collect(stream: ReadableStream<Uint8Array>, max: number): Promise<Uint8Array> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > max) {
      await reader.cancel();
      throw new RangeError(`more than ${max} bytes`);
    }
    chunks.push(value);
  }
  return concatBytes(...chunks);
}

/**
 * Decompressors from the web platform: zlib through `DecompressionStream('deflate')` when
 * the platform has it (browsers, Deno, Bun, Node 18+); none otherwise. Brotli and zstd are not
 * web formats: such a certificate is reported as "decompression unavailable".
 */
export function webCertificateDecompressors(): CertificateDecompressors {
  const Stream = (globalThis as { DecompressionStream?: typeof DecompressionStream }).DecompressionStream;
  if (!Stream) return {};
  return {
    zlib: (data, max) => {
      const input = new Blob([data]).stream().pipeThrough(new Stream('deflate'));
      return collect(input as ReadableStream<Uint8Array>, max);
    },
  };
}
