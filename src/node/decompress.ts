/** Certificate decompression (RFC 8879) for probes in Node: zlib and brotli from node:zlib (Node 20 has no zstd). */
import { brotliDecompressSync, inflateSync } from 'node:zlib';
import type { CertificateDecompressors } from '../probe/decompress.ts';

/** The decompressors `probe()` and `probeQuic()` use, and the ones to pass to `probeStream()` in Node. */
export const nodeCertificateDecompressors: CertificateDecompressors = {
  zlib: (data, maxOutputLength) => inflateSync(data, { maxOutputLength }),
  brotli: (data, maxOutputLength) => brotliDecompressSync(data, { maxOutputLength }),
};
