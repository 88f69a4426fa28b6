/**
 * The server's Handshake packet number space as a client reads it (RFC 9001 §4.1.4): packets
 * that come before their keys are held (a bounded few), opened once the ServerHello gives
 * the server handshake traffic secret, and their CRYPTO stream handed on as the TLS 1.3
 * records that secret would have sealed, so a TLS engine decrypts them as over TCP.
 */
import {
  createRecordProtection,
  encryptRecord,
  type RecordProtectionState,
} from '../crypto/record-protection.ts';
import { CryptoStream } from './crypto-stream.ts';
import { type QuicConnectionClose, readInitialFrames } from './frames.ts';
import { parseLongHeader } from './header.ts';
import { type QuicPacketKeys, quicPacketKeys } from './keys.ts';
import { openInitial } from './protection.ts';

/** The transcript entry of one Handshake packet, filled in as it is opened. */
export interface HandshakePacketNote {
  note?: string;
  packetNumber?: number;
  frames?: readonly string[];
}

/** Handshake packets held while their keys are not known yet. */
const MAX_PENDING = 8;
/** Most bytes of CRYPTO data handed on in one TLS record (RFC 8446 §5.1). */
const RECORD_CHUNK = 16_384;

/** One connection's server Handshake space. */
export class HandshakeSpace {
  private keys?: QuicPacketKeys;
  private records?: RecordProtectionState;
  private largest = -1;
  private readonly pending: { packet: Uint8Array; record: HandshakePacketNote }[] = [];
  private readonly crypto: CryptoStream;

  /** @param cap the most CRYPTO bytes kept */
  constructor(cap: number) {
    this.crypto = new CryptoStream(cap);
  }

  /** True once the keys are known. */
  get ready(): boolean {
    return this.keys !== undefined;
  }

  /**
   * Opens one Handshake packet (its own bytes), or holds it until the keys are known unless
   * `hold` is false or enough are held. Returns a CONNECTION_CLOSE it carries.
   */
  packet(packet: Uint8Array, record: HandshakePacketNote, hold: boolean): QuicConnectionClose | undefined {
    if (!this.keys) {
      if (!hold || this.pending.length >= MAX_PENDING) {
        record.note = 'not decrypted';
      } else {
        record.note = 'not decrypted yet';
        this.pending.push({ packet, record });
      }
      return undefined;
    }
    const header = parseLongHeader(packet, 0);
    const opened = header && openInitial(packet, header, this.keys, this.largest);
    if (!opened) {
      record.note = 'cannot be opened with the server Handshake keys';
      return undefined;
    }
    delete record.note;
    this.largest = Math.max(this.largest, opened.packetNumber);
    const frames = readInitialFrames(opened.payload);
    record.packetNumber = opened.packetNumber;
    record.frames = frames.names;
    if (frames.error) record.note = frames.error;
    for (const c of frames.crypto) this.crypto.write(c.offset, c.data);
    return frames.close;
  }

  /**
   * The keys from the server handshake traffic secret; then the held packets are opened.
   * Returns the last CONNECTION_CLOSE they carry.
   * @throws {RangeError} for a suite QUIC packets cannot be opened with
   */
  setKeys(cipherSuite: number, serverHandshakeSecret: Uint8Array): QuicConnectionClose | undefined {
    this.keys = quicPacketKeys(cipherSuite, serverHandshakeSecret);
    this.records = createRecordProtection(cipherSuite, serverHandshakeSecret);
    let close: QuicConnectionClose | undefined;
    for (const p of this.pending.splice(0)) close = this.packet(p.packet, p.record, false) ?? close;
    return close;
  }

  /** The new contiguous CRYPTO bytes as TLS 1.3 handshake records sealed with the handshake secret. */
  *tlsRecords(): Generator<Uint8Array> {
    const state = this.records;
    if (!state) return;
    const fresh = this.crypto.take();
    for (let at = 0; at < fresh.length; at += RECORD_CHUNK)
      yield encryptRecord(state, 22, fresh.subarray(at, at + RECORD_CHUNK)).record;
  }
}
