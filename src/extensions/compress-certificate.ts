import type { Reader } from '../bytes/reader.ts';
import type { Writer } from '../bytes/writer.ts';
import type { ExtensionCodec } from './types.ts';

const ALGORITHMS_LIMITS = { min: 2, max: 254 } as const;

/** compress_certificate: `CertificateCompressionAlgorithm algorithms<2..2^8-2>` (RFC 8879 §3). */
export interface CertificateCompressionAlgorithms {
  /** 1 zlib, 2 brotli, 3 zstd; unknown and GREASE values kept. */
  readonly algorithms: readonly number[];
}

/** compress_certificate (27), RFC 8879: in ClientHello and CertificateRequest. Empty list is `decode_error`. */
export const compressCertificateCodec: ExtensionCodec<CertificateCompressionAlgorithms> = {
  type: 27,
  name: 'compress_certificate',
  allowedIn: ['client_hello', 'certificate_request'],
  fromPlan: (plan) => (plan.certificateCompression ? { algorithms: plan.certificateCompression } : null),
  decode(r: Reader): CertificateCompressionAlgorithms {
    return { algorithms: r.u16List(1, 'algorithms', ALGORITHMS_LIMITS) };
  },
  encode(w: Writer, value: CertificateCompressionAlgorithms): void {
    w.prefixed(1, 'algorithms', (w) => {
      for (const a of value.algorithms) w.u16(a, 'algorithm');
    });
  },
};
