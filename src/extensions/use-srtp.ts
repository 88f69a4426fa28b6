import type { Reader } from '../bytes/reader.ts';
import type { Writer } from '../bytes/writer.ts';
import type { ExtensionCodec } from './types.ts';

/** use_srtp: UseSRTPData (RFC 5764 §4.1.1). */
export interface UseSrtpData {
  /** `SRTPProtectionProfile SRTPProtectionProfiles<2..2^16-1>` codes in wire order. */
  readonly protectionProfiles: readonly number[];
  /** `opaque srtp_mki<0..255>`. */
  readonly srtpMki: Uint8Array;
}

/** use_srtp (14), RFC 5764: the same structure from client and server. Empty profile list is `decode_error`. */
export const useSrtpCodec: ExtensionCodec<UseSrtpData> = {
  type: 14,
  name: 'use_srtp',
  allowedIn: ['client_hello', 'server_hello', 'encrypted_extensions'],
  decode(r: Reader): UseSrtpData {
    const protectionProfiles = r.u16List(2, 'srtp_protection_profiles', { min: 2 });
    const srtpMki = r.vectorBytes(1, 'srtp_mki');
    return { protectionProfiles, srtpMki };
  },
  encode(w: Writer, value: UseSrtpData): void {
    w.prefixed(2, 'srtp_protection_profiles', (w) => {
      for (const p of value.protectionProfiles) w.u16(p, 'srtp_protection_profile');
    });
    w.vector(1, 'srtp_mki', value.srtpMki);
  },
};
