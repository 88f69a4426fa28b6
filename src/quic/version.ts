/**
 * The QUIC versions hellokit seals and opens, and what differs between them: the Initial salt
 * and key labels (RFC 9001 §5.2, RFC 9369 §3.3), the long-header type bits (RFC 9369 §3.2)
 * and the Retry integrity key (RFC 9001 §5.8, RFC 9369 §3.3.3). One row per version.
 */
import { fromHex } from '../bytes/hex.ts';

/** QUIC versions whose Initial packets hellokit can open. */
export const QUIC_VERSION = { v1: 0x00000001, v2: 0x6b3343cf } as const;

/** What one QUIC version fixes for its Initial and Retry packets. */
export interface QuicVersionParams {
  readonly salt: Uint8Array;
  readonly keyLabel: string;
  readonly ivLabel: string;
  readonly hpLabel: string;
  /** The long-header type bits of an Initial packet (Retry is three more, modulo 4). */
  readonly initialType: number;
  /** AES-128-GCM key and nonce of the Retry Integrity Tag. */
  readonly retryKey: Uint8Array;
  readonly retryNonce: Uint8Array;
}

const VERSIONS: ReadonlyMap<number, QuicVersionParams> = new Map([
  [
    QUIC_VERSION.v1,
    {
      salt: fromHex('38762cf7f55934b34d179ae6a4c80cadccbb7f0a'),
      keyLabel: 'quic key',
      ivLabel: 'quic iv',
      hpLabel: 'quic hp',
      initialType: 0,
      retryKey: fromHex('be0c690b9f66575a1d766b54e368c84e'),
      retryNonce: fromHex('461599d35d632bf2239825bb'),
    },
  ],
  [
    QUIC_VERSION.v2,
    {
      salt: fromHex('0dede3def700a6db819381be6e269dcbf9bd2ed9'),
      keyLabel: 'quicv2 key',
      ivLabel: 'quicv2 iv',
      hpLabel: 'quicv2 hp',
      initialType: 1,
      retryKey: fromHex('8fb4b01b56ac48e260fbcbcead7ccc92'),
      retryNonce: fromHex('d86969bc2d7c6d9990efb04a'),
    },
  ],
]);

/** The parameters of a QUIC version hellokit knows; undefined for any other. */
export function quicVersionParams(version: number): QuicVersionParams | undefined {
  return VERSIONS.get(version);
}

/** True for a QUIC version whose Initial packets can be opened here. */
export function isSupportedQuicVersion(version: number): boolean {
  return VERSIONS.has(version);
}

/** Long-header packet types (RFC 9000 §17.2), in the order of QUIC v1's type bits. */
export type QuicLongPacketType = 'initial' | '0rtt' | 'handshake' | 'retry';

const LONG_TYPES: readonly QuicLongPacketType[] = ['initial', '0rtt', 'handshake', 'retry'];

/**
 * The type of a long-header packet from its first byte. QUIC v2 rotates the type bits by one
 * (RFC 9369 §3.2: Initial is 1, Retry is 0); other versions read as v1.
 * @example longPacketType(QUIC_VERSION.v2, 0xd0) // 'initial'
 */
export function longPacketType(version: number, firstByte: number): QuicLongPacketType {
  const base = VERSIONS.get(version)?.initialType ?? 0;
  return LONG_TYPES[(((firstByte >> 4) & 3) - base + 4) % 4];
}

/**
 * A name for a QUIC version: `QUIC v1`, `QUIC v2`, the provisional v2 of its drafts,
 * `draft-29`, a reserved (GREASE) pattern, or hex.
 * @example quicVersionName(0xff00001d) // 'draft-29'
 */
export function quicVersionName(version: number): string {
  if (version === QUIC_VERSION.v1) return 'QUIC v1';
  if (version === QUIC_VERSION.v2) return 'QUIC v2';
  if (version === 0x709a50c4) return 'QUIC v2 draft (0x709a50c4)';
  if (version >>> 8 === 0xff0000) return `draft-${version & 0xff}`;
  const hex = `0x${version.toString(16).padStart(8, '0')}`;
  return (version & 0x0f0f0f0f) === 0x0a0a0a0a ? `${hex} (reserved)` : hex;
}
