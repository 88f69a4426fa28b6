/**
 * Where a QUIC client session meets its TLS engine (RFC 9001 §4): the server's CRYPTO streams
 * go in as TLS handshake records — the Initial stream in plaintext records, the Handshake
 * stream in TLS 1.3 records sealed with the server handshake traffic secret, which the
 * engine's own TLS 1.3 reader decrypts — and what the engine writes (a second ClientHello
 * after a HelloRetryRequest) comes out as CRYPTO data for Initial packets.
 */
import { concatBytes, fromHex } from '../bytes/hex.ts';
import { encodeClientHelloMessage } from '../handshake/client-hello.ts';
import type { ClientHello } from '../handshake/types.ts';
import { CryptoStream } from './crypto-stream.ts';
import type { QuicConnectionClose } from './frames.ts';
import { type HandshakePacketNote, HandshakeSpace } from './handshake-space.ts';
import type { QuicTlsEngine } from './types.ts';

/** Most bytes of each server CRYPTO stream kept (a ServerHello is a few hundred, a flight a few thousand). */
const MAX_SERVER_CRYPTO = 64 * 1024;
/** Most bytes handed to the TLS engine in one record (RFC 8446 §5.1). */
const RECORD_CHUNK = 16_384;

/** What one round of feeding the engine gave. */
export interface TlsFeed {
  /** Client CRYPTO data to send in Initial packets: the second ClientHello, at its stream offset. */
  readonly crypto: readonly { readonly offset: number; readonly data: Uint8Array }[];
  /** A CONNECTION_CLOSE in a Handshake packet held until its keys were known. */
  readonly close?: QuicConnectionClose;
  /** Why Handshake packets cannot be opened (a suite QUIC does not use), once. */
  readonly error?: string;
}

/** The TLS engine of one QUIC connection and the CRYPTO streams between them. */
export class QuicTlsBridge<E extends QuicTlsEngine> {
  readonly engine: E;
  /** The client's Initial CRYPTO stream: the ClientHello, then the second one after a HelloRetryRequest. */
  clientCrypto: Uint8Array;
  private readonly serverCrypto = new CryptoStream(MAX_SERVER_CRYPTO);
  private readonly handshake = new HandshakeSpace(MAX_SERVER_CRYPTO);
  private serverHandshakeSecret?: Uint8Array;

  constructor(
    hello: ClientHello,
    createEngine: (keylog: (line: string) => void) => E,
    keylog?: (line: string) => void,
  ) {
    this.engine = createEngine((line) => {
      // The server handshake traffic secret gives the Handshake packet keys (RFC 9001 §5.1).
      const [label, , secret] = line.split(' ');
      if (label === 'SERVER_HANDSHAKE_TRAFFIC_SECRET' && secret) this.serverHandshakeSecret = fromHex(secret);
      keylog?.(line);
    });
    this.clientCrypto = encodeClientHelloMessage(hello);
  }

  /** True once the server Handshake packets can be opened. */
  get handshakeReady(): boolean {
    return this.handshake.ready;
  }

  /** CRYPTO data from a server Initial packet. */
  initialCrypto(offset: number, data: Uint8Array): void {
    this.serverCrypto.write(offset, data);
  }

  /** A server Handshake packet (its own bytes): opened, or held until its keys are known. Returns a CONNECTION_CLOSE it carries. */
  handshakePacket(packet: Uint8Array, record: HandshakePacketNote): QuicConnectionClose | undefined {
    return this.handshake.packet(packet, record, !this.engine.done);
  }

  /** Hands the new contiguous CRYPTO bytes of both streams to the engine. */
  feed(atMs: number): TlsFeed {
    const crypto: { offset: number; data: Uint8Array }[] = [];
    const fresh = this.serverCrypto.take();
    for (let at = 0; at < fresh.length && !this.engine.done; at += RECORD_CHUNK) {
      const chunk = fresh.subarray(at, at + RECORD_CHUNK);
      const record = new Uint8Array(5 + chunk.length);
      record.set([22, 3, 3, chunk.length >> 8, chunk.length & 0xff]);
      record.set(chunk, 5);
      for (const bytes of this.engine.receive(record, atMs).send) {
        const message = handshakeRecordContent(bytes);
        if (message.length === 0) continue;
        crypto.push({ offset: this.clientCrypto.length, data: message });
        this.clientCrypto = concatBytes(this.clientCrypto, message);
      }
    }
    const ready = this.handshakeKeysReady();
    for (const record of this.handshake.tlsRecords()) {
      if (this.engine.done) break;
      this.engine.receive(record, atMs);
    }
    return { crypto, ...ready };
  }

  /** Once the ServerHello gave the handshake secret: the Handshake keys, then the packets held until now. */
  private handshakeKeysReady(): { close?: QuicConnectionClose; error?: string } {
    const sh = this.engine.serverHello;
    if (this.handshake.ready || !sh || !this.serverHandshakeSecret) return {};
    try {
      const close = this.handshake.setKeys(sh.cipherSuite, this.serverHandshakeSecret);
      return close ? { close } : {};
    } catch (e) {
      return { error: `Handshake packets not decrypted: ${(e as Error).message}` };
    }
  }
}

/** The handshake bytes in TLS records (change_cipher_spec has no place in QUIC, RFC 9001 §8.4). */
function handshakeRecordContent(records: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [];
  for (let at = 0; at + 5 <= records.length; ) {
    const length = (records[at + 3] << 8) | records[at + 4];
    if (records[at] === 22) parts.push(records.subarray(at + 5, at + 5 + length));
    at += 5 + length;
  }
  return concatBytes(...parts);
}
