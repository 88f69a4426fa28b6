/** Types shared by the capture readers (pcap, pcapng) and the stream extractors above them. */

/** One packet as stored in a capture file, before any link-layer decoding. */
export interface CapturedPacket {
  /** The LINKTYPE_* value of the interface the packet was captured on (1 = Ethernet). */
  readonly linkType: number;
  /** Capture time in seconds since the Unix epoch (float; exact parts in `seconds`/`nanoseconds`). */
  readonly time: number;
  /** Whole seconds of the capture time. */
  readonly seconds: number;
  /** Nanoseconds within `seconds` (rounded down when the file's resolution is finer). */
  readonly nanoseconds: number;
  /** The captured bytes (may be shorter than `originalLength` when the snap length cut them). */
  readonly data: Uint8Array;
  /** Length of the packet on the wire. */
  readonly originalLength: number;
  /** pcapng interface id within its section (0 for classic pcap). */
  readonly interfaceId: number;
  /** Byte offset of the packet's record or block in the capture file. */
  readonly fileOffset: number;
}

/** Secrets carried by a pcapng Decryption Secrets Block (pcapng §4.7). */
export interface DecryptionSecrets {
  /** The secrets type code, e.g. 0x544c534b for a TLS key log. */
  readonly secretsType: number;
  /** A readable name of `secretsType`: `tls-key-log`, `ssh-key-log`, `wireguard-key-log`, … or `unknown`. */
  readonly typeName: string;
  /** The secrets as text (Latin-1 decoded; a TLS key log is ASCII lines in NSS key log format). */
  readonly text: string;
  /** The raw secrets bytes. */
  readonly data: Uint8Array;
  /** Byte offset of the block in the capture file. */
  readonly fileOffset: number;
}

/** What a capture reader returns: everything it could read, and what it could not. */
export interface CaptureReadResult {
  /** The packets in file order. */
  readonly packets: CapturedPacket[];
  /** Damage and oddities met while reading; a warning about damage names the byte offset where reading stopped. */
  readonly warnings: string[];
  /** The file format that was detected. */
  readonly format: 'pcap' | 'pcapng';
  /** Decryption Secrets Blocks found in a pcapng file (empty for pcap). */
  readonly decryptionSecrets: DecryptionSecrets[];
}

/**
 * Splits a capture time kept as an integer count of `unitsPerSecond` into whole seconds,
 * nanoseconds and a float.
 */
export function splitTimestamp(
  ticks: bigint,
  unitsPerSecond: bigint,
  offsetSeconds = 0n,
): { seconds: number; nanoseconds: number; time: number } {
  const whole = ticks / unitsPerSecond;
  const frac = ticks % unitsPerSecond;
  const seconds = Number(whole + offsetSeconds);
  const nanoseconds = Number((frac * 1_000_000_000n) / unitsPerSecond);
  return { seconds, nanoseconds, time: seconds + Number(frac) / Number(unitsPerSecond) };
}
