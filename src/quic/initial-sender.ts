/**
 * The client's side of the Initial packet number space: it cuts CRYPTO data into Initial
 * packets padded to 1200-byte datagrams (RFC 9000 §14.1), numbers and seals them, and
 * follows the connection ID changes a Retry or the server's first Initial make.
 */
import { ackFrame, connectionCloseFrame, cryptoFrame } from './frames.ts';
import { type InitialKeys, initialKeys } from './keys.ts';
import { initialOverhead, sealInitial } from './protection.ts';
import type { QuicDatagramRecord } from './types.ts';
import { isSupportedQuicVersion, QUIC_VERSION } from './version.ts';

/** The smallest UDP payload of a datagram carrying a client Initial (RFC 9000 §14.1). */
export const QUIC_MIN_INITIAL_DATAGRAM = 1200;

/** Packet numbers are written in 2 bytes: a probe sends a handful of packets. */
const PACKET_NUMBER_LENGTH = 2;
/** A CRYPTO frame's header here: type, offset (up to 4 bytes), length (2 bytes). */
const CRYPTO_FRAME_HEADER = 7;
/** The least CRYPTO data per packet worth sending (a Retry token may leave less). */
const MIN_CRYPTO_ROOM = 64;

/**
 * Seals the client's Initial datagrams and logs each one in `transcript`.
 * @example
 * const sender = new InitialSender(1, dcid, scid, transcript);
 * const datagrams = sender.cryptoDatagrams(0, clientHelloMessage, 0);
 */
export class InitialSender {
  /** Datagrams sealed so far. */
  datagramsSent = 0;
  private nextPacketNumber = 0;
  private token: Uint8Array = new Uint8Array(0);
  private keys: InitialKeys;
  private destinationConnectionId: Uint8Array;
  private readonly version: number;
  private readonly sourceConnectionId: Uint8Array;
  private readonly transcript: QuicDatagramRecord[];

  constructor(
    version: number,
    destinationConnectionId: Uint8Array,
    sourceConnectionId: Uint8Array,
    transcript: QuicDatagramRecord[],
  ) {
    this.version = version;
    this.sourceConnectionId = sourceConnectionId;
    this.transcript = transcript;
    this.destinationConnectionId = destinationConnectionId;
    this.keys = initialKeys(initialKeyVersion(version), destinationConnectionId, 'client');
  }

  /** From the server's first Initial on, packets go to the connection ID it chose (RFC 9000 §7.2); the keys stay. */
  sendTo(destinationConnectionId: Uint8Array): void {
    this.destinationConnectionId = destinationConnectionId;
  }

  /** After a Retry: its token in every Initial, new keys from its connection ID (RFC 9001 §5.2); packet numbers go on (RFC 9000 §17.2.5.3). */
  retry(sourceConnectionId: Uint8Array, token: Uint8Array): void {
    this.destinationConnectionId = sourceConnectionId;
    this.token = token;
    this.keys = initialKeys(this.version, sourceConnectionId, 'client');
  }

  /** Bytes an Initial adds around its frames, with a token of `tokenLength` bytes to `destinationConnectionId`. */
  overhead(
    destinationConnectionId: Uint8Array = this.destinationConnectionId,
    tokenLength: number = this.token.length,
  ): number {
    return initialOverhead(
      destinationConnectionId,
      this.sourceConnectionId,
      tokenLength,
      PACKET_NUMBER_LENGTH,
    );
  }

  /** True when a token of `tokenLength` bytes from a server with `connectionId` leaves room for CRYPTO data. */
  fits(connectionId: Uint8Array, tokenLength: number): boolean {
    return this.overhead(connectionId, tokenLength) + MIN_CRYPTO_ROOM <= QUIC_MIN_INITIAL_DATAGRAM;
  }

  /**
   * CRYPTO data from `offset`, cut to fit 1200-byte datagrams, one padded Initial each.
   * @throws {RangeError} when a Retry token leaves no room for CRYPTO data
   */
  cryptoDatagrams(offset: number, data: Uint8Array, atMs: number): Uint8Array[] {
    const room = QUIC_MIN_INITIAL_DATAGRAM - this.overhead() - CRYPTO_FRAME_HEADER;
    if (room < MIN_CRYPTO_ROOM)
      throw new RangeError(`a Retry token of ${this.token.length} bytes leaves no room for CRYPTO data`);
    const out: Uint8Array[] = [];
    for (let at = 0; at < data.length; at += room)
      out.push(this.seal([cryptoFrame(offset + at, data.subarray(at, at + room))], ['crypto'], atMs));
    return out;
  }

  /** An ACK-only Initial for the server's packet `largest`. */
  ack(largest: number, atMs: number): Uint8Array {
    return this.seal([ackFrame(largest)], ['ack'], atMs);
  }

  /** An Initial closing the connection with a transport error code (CRYPTO_ERROR 0x0100 + alert for a TLS alert). */
  close(errorCode: number, reason: string, atMs: number): Uint8Array {
    return this.seal([connectionCloseFrame(errorCode, reason)], ['connection_close'], atMs);
  }

  /** One Initial packet of `frames`, padded so the datagram has 1200 bytes, logged as sent. */
  private seal(frames: Uint8Array[], names: string[], atMs: number): Uint8Array {
    const used = frames.reduce((n, f) => n + f.length, 0);
    const payload = new Uint8Array(Math.max(used, QUIC_MIN_INITIAL_DATAGRAM - this.overhead()));
    let at = 0;
    for (const f of frames) {
      payload.set(f, at);
      at += f.length;
    }
    const packetNumber = this.nextPacketNumber++;
    const packet = sealInitial(
      {
        version: this.version,
        destinationConnectionId: this.destinationConnectionId,
        sourceConnectionId: this.sourceConnectionId,
        token: this.token,
        packetNumber,
        packetNumberLength: PACKET_NUMBER_LENGTH,
        payload,
      },
      this.keys,
    );
    this.datagramsSent++;
    const packetFrames = payload.length > used ? [...names, 'padding'] : names;
    this.transcript.push({
      direction: 'sent',
      atMs,
      size: packet.length,
      packets: [{ type: 'initial', length: packet.length, packetNumber, frames: packetFrames }],
    });
    return packet;
  }
}

/** The version whose Initial keys seal packets of `version`: its own, or v1's for a version hellokit has no keys for. */
export function initialKeyVersion(version: number): number {
  return isSupportedQuicVersion(version) ? version : QUIC_VERSION.v1;
}
