import type { Problem } from '../bytes/errors.ts';
import type { Extension } from '../extensions/types.ts';

/**
 * How a handshake message was (or is to be) framed in TLSPlaintext records, so that an
 * unedited parse re-encodes to the same record bytes.
 */
export interface RecordFraming {
  /** legacy_record_version of every record (0x0301 for most first ClientHellos). */
  readonly version: number;
  /** ContentType of the records; 22 (handshake) unless forged. */
  readonly contentType?: number;
  /**
   * Payload size of each record, in order, when the message was split over several
   * records (sizes must add up to the message length). Absent: one record.
   */
  readonly fragments?: readonly number[];
  /**
   * legacy_record_version of each record, when they differ from record to record (a parse
   * keeps them so the bytes come back exactly). Absent: every record carries `version`.
   */
  readonly versions?: readonly number[];
}

/** Deliberately wrong length fields (forgery); each replaces the computed length. */
export interface ClientHelloLengthOverrides {
  readonly handshake?: number;
  readonly legacySessionId?: number;
  readonly cipherSuites?: number;
  readonly legacyCompressionMethods?: number;
  readonly extensions?: number;
}

/**
 * A ClientHello (RFC 8446 §4.1.2, RFC 5246 §7.4.1.2). Typed fields are the view; encoding
 * writes them back with computed lengths, so an unedited parse re-encodes byte-identically.
 */
export interface ClientHello {
  readonly legacyVersion: number;
  /** 32 bytes. */
  readonly random: Uint8Array;
  /** 0..32 bytes. */
  readonly legacySessionId: Uint8Array;
  /** Cipher suite codes in wire order (GREASE included). */
  readonly cipherSuites: readonly number[];
  readonly legacyCompressionMethods: readonly number[];
  /** Extensions in wire order; `null` when the message has no extensions block at all. */
  readonly extensions: readonly Extension[] | null;
  /** Bytes after the extensions block (kept in lenient mode only; strict mode rejects them). */
  readonly trailing?: Uint8Array;
  /** Record framing; absent means one record with version 0x0301. */
  readonly record?: RecordFraming;
  /** Forged lengths. */
  readonly lengthOverrides?: ClientHelloLengthOverrides;
  /** Problems found by a lenient parse (empty or absent when strict). */
  readonly problems?: readonly Problem[];
}
