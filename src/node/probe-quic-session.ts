/**
 * The client side of one QUIC probe, without sockets: it seals the Initial datagrams to send,
 * reads what the server's datagrams hold (coalesced packets, Initial frames, Retry, Version
 * Negotiation), reassembles the server's Initial CRYPTO stream and hands it to a
 * {@link ProbeEngine} as TLS records, which reads the ServerHello or HelloRetryRequest. With the
 * handshake secret the ServerHello gives, it opens the server's Handshake packets and hands
 * their CRYPTO stream to the engine as TLS 1.3 records sealed with the same secret, so the
 * engine's own TLS 1.3 reader decrypts EncryptedExtensions, Certificate, CertificateVerify and
 * Finished and checks the Finished. The probe never sends a Handshake packet of its own.
 * `probeQuic()` drives it over a UDP socket; tests can drive it with datagrams of their own.
 */
import { concatBytes, equalBytes, fromHex } from '../bytes/hex.ts';
import {
  type InitialKeys,
  initialKeys,
  initialOverhead,
  isSupportedQuicVersion,
  openInitial,
  parseLongHeader,
  QUIC_VERSION,
  retryIntegrityTag,
  sealInitial,
} from '../capture/quic-initial.ts';
import { RangeBuffer } from '../capture/reassembly.ts';
import type { KeyShare } from '../crypto/key-share.ts';
import type { RandomSource } from '../crypto/random.ts';
import {
  createRecordProtection,
  encryptRecord,
  type RecordProtectionState,
} from '../crypto/record-protection.ts';
import { encodeClientHelloMessage } from '../handshake/client-hello.ts';
import type { ClientHello } from '../handshake/types.ts';
import { alertName } from '../iana/lookup.ts';
import { nodeCertificateDecompressors } from './decompress.ts';
import { ProbeEngine } from './probe-engine.ts';
import { openLongPacket, type QuicPacketKeys, quicPacketKeys } from './probe-quic-handshake.ts';
import {
  ackFrame,
  connectionCloseFrame,
  cryptoFrame,
  QUIC_MIN_INITIAL_DATAGRAM,
  quicVersionName,
  readBareLongHeader,
  readInitialFrames,
  versionNegotiationVersions,
} from './probe-quic-packets.ts';
import type {
  QuicConnectionClose,
  QuicDatagramRecord,
  QuicPacketRecord,
  QuicRetry,
  QuicStopReason,
  QuicVersionNegotiation,
} from './probe-quic-types.ts';
import type { ProbeAlert } from './probe-types.ts';

/** Options of a {@link QuicProbeSession}. */
export interface QuicSessionOptions {
  readonly version: number;
  readonly destinationConnectionId: Uint8Array;
  readonly sourceConnectionId: Uint8Array;
  readonly retryOnHelloRetryRequest?: boolean;
  /** Decrypt the server's Handshake packets (default true); false stops at the ServerHello. */
  readonly decrypt?: boolean;
  readonly abortOnViolation?: boolean;
  /** Receives NSS key log lines as the TLS secrets become known. */
  readonly keylog?: (line: string) => void;
  readonly random?: RandomSource;
}

/** What the driver should do after a datagram. */
export interface QuicStep {
  readonly send: readonly Uint8Array[];
  readonly done: boolean;
}

const PACKET_NUMBER_LENGTH = 2;
/** Most bytes of the server's Initial CRYPTO stream kept (a ServerHello is a few hundred). */
const MAX_SERVER_CRYPTO = 64 * 1024;
/** Most bytes handed to the TLS reader in one record. */
const RECORD_CHUNK = 16_384;
/** Handshake packets kept while their keys are not known yet. */
const MAX_PENDING_HANDSHAKE = 8;
/** ACK-only Initial datagrams sent to widen the server's anti-amplification budget (RFC 9000 §8.1). */
const MAX_ACK_DATAGRAMS = 3;

/** Long-header packet types in the order of QUIC v1's type bits. */
const LONG_TYPES = ['initial', '0rtt', 'handshake', 'retry'] as const;

function longType(version: number, firstByte: number): (typeof LONG_TYPES)[number] {
  // QUIC v2 rotates the type bits by one (RFC 9369 §3.2): Initial is 1, Retry is 0.
  const base = version === QUIC_VERSION.v2 ? 1 : 0;
  return LONG_TYPES[(((firstByte >> 4) & 3) - base + 4) % 4];
}

/**
 * One QUIC connection attempt: Initial packets out, the server's Initial flight in.
 * @example
 * const s = new QuicProbeSession(hello, hello.keyShares, { version: 1, destinationConnectionId: dcid, sourceConnectionId: scid });
 * for (const d of s.start(0)) socket.send(d);
 * socket.on('message', (d) => { const step = s.receive(d, now()); step.send.forEach((x) => socket.send(x)); });
 */
export class QuicProbeSession {
  readonly engine: ProbeEngine;
  readonly transcript: QuicDatagramRecord[] = [];
  readonly version: number;
  readonly originalDestinationConnectionId: Uint8Array;
  readonly sourceConnectionId: Uint8Array;
  serverConnectionId?: Uint8Array;
  versionNegotiation?: QuicVersionNegotiation;
  /** A Version Negotiation that listed the version sent, which RFC 9000 §6.2 says to discard. */
  ignoredVersionNegotiation?: QuicVersionNegotiation;
  retry?: QuicRetry;
  connectionClose?: QuicConnectionClose;
  alert?: ProbeAlert;
  stopReason: QuicStopReason | null = null;
  error?: string;
  bytesReceived = 0;
  datagramsReceived = 0;
  datagramsSent = 0;
  /** Datagrams that held at least one packet of this connection. */
  quicDatagrams = 0;

  private destinationConnectionId: Uint8Array;
  private token: Uint8Array = new Uint8Array(0);
  private clientKeys: InitialKeys;
  private serverKeys: InitialKeys;
  private nextPacketNumber = 0;
  private largestServerPacket = -1;
  private readonly serverCrypto = new RangeBuffer(MAX_SERVER_CRYPTO);
  private fed = 0;
  private handshakeKeys?: QuicPacketKeys;
  /** TLS record protection with the server handshake traffic secret: the Handshake CRYPTO stream is handed to the TLS reader as TLS 1.3 records. */
  private handshakeRecords?: RecordProtectionState;
  private serverHandshakeSecret?: Uint8Array;
  private readonly handshakeCrypto = new RangeBuffer(MAX_SERVER_CRYPTO);
  private handshakeFed = 0;
  private largestHandshakePacket = -1;
  private readonly pendingHandshake: {
    packet: Uint8Array;
    record: { note?: string; packetNumber?: number; frames?: readonly string[] };
  }[] = [];
  private ackDatagramsLeft = MAX_ACK_DATAGRAMS;
  /** A CONNECTION_CLOSE found in a Handshake packet that was kept until its keys were known. */
  private lateClose?: QuicConnectionClose;
  /** The client's Initial CRYPTO stream: the ClientHello, then the second one after a HelloRetryRequest. */
  private clientCrypto: Uint8Array;

  /** @throws {RangeError} for connection IDs over 20 bytes */
  constructor(hello: ClientHello, keyShares: readonly KeyShare[], options: QuicSessionOptions) {
    if (options.destinationConnectionId.length > 20 || options.sourceConnectionId.length > 20)
      throw new RangeError('QUIC connection IDs are at most 20 bytes');
    this.version = options.version;
    this.originalDestinationConnectionId = options.destinationConnectionId;
    this.destinationConnectionId = options.destinationConnectionId;
    this.sourceConnectionId = options.sourceConnectionId;
    const decrypt = options.decrypt ?? true;
    const keylog = options.keylog;
    this.engine = new ProbeEngine(hello, keyShares, {
      stopAfterServerHello: !decrypt,
      decrypt,
      abortOnViolation: options.abortOnViolation ?? true,
      keylog: (line) => {
        // The server handshake traffic secret gives the Handshake packet keys (RFC 9001 §5.1).
        const [label, , secret] = line.split(' ');
        if (label === 'SERVER_HANDSHAKE_TRAFFIC_SECRET' && secret)
          this.serverHandshakeSecret = fromHex(secret);
        keylog?.(line);
      },
      retryOnHelloRetryRequest: options.retryOnHelloRetryRequest ?? true,
      maxBytes: MAX_SERVER_CRYPTO * 2,
      decompressors: nodeCertificateDecompressors,
      ...(options.random ? { random: options.random } : {}),
    });
    this.clientCrypto = encodeClientHelloMessage(hello);
    const keyVersion = isSupportedQuicVersion(this.version) ? this.version : QUIC_VERSION.v1;
    this.clientKeys = initialKeys(keyVersion, this.destinationConnectionId, 'client');
    this.serverKeys = initialKeys(keyVersion, this.destinationConnectionId, 'server');
  }

  get done(): boolean {
    return this.stopReason !== null;
  }

  /** True once any packet of this connection came back (resending stops then). */
  get answered(): boolean {
    return this.quicDatagrams > 0;
  }

  /** The first flight: the ClientHello in CRYPTO frames, one or more padded Initial datagrams. */
  start(atMs: number): Uint8Array[] {
    return this.initialDatagrams(0, this.clientCrypto, atMs);
  }

  /** The whole client CRYPTO stream again, in packets with new numbers (a resend after silence). */
  resend(atMs: number): Uint8Array[] {
    return this.initialDatagrams(0, this.clientCrypto, atMs);
  }

  /**
   * One Initial datagram closing the connection (CONNECTION_CLOSE, NO_ERROR), so the server
   * drops its state at once; empty when no server Initial was read or the server closed first.
   */
  closeDatagram(atMs: number): Uint8Array[] {
    if (!this.serverConnectionId || this.connectionClose) return [];
    // An abort on a server violation carries the TLS alert as CRYPTO_ERROR 0x0100 + alert (RFC 9001 §4.8).
    const abort = this.engine.abortedOn;
    const frame = abort
      ? connectionCloseFrame(0x100 + abort.alert.description, `${abort.rule} (${abort.rfc})`)
      : connectionCloseFrame(0, 'hellokit probe done');
    return [this.seal([frame], ['connection_close'], atMs)];
  }

  /** Stops the session; the first reason wins. */
  stop(reason: QuicStopReason, error?: string): void {
    if (this.stopReason !== null) return;
    this.stopReason = reason;
    if (error !== undefined && this.error === undefined) this.error = error;
    this.engine.stop('complete');
  }

  /** Reads one datagram from the server. */
  receive(datagram: Uint8Array, atMs: number): QuicStep {
    const send: Uint8Array[] = [];
    if (this.done) return { send, done: true };
    this.datagramsReceived++;
    this.bytesReceived += datagram.length;
    const packets: QuicPacketRecord[] = [];
    this.transcript.push({ direction: 'received', atMs, size: datagram.length, packets });
    let ours = false;
    let close: QuicConnectionClose | undefined;
    let pos = 0;
    while (pos < datagram.length && !this.done) {
      const rest = datagram.subarray(pos);
      if ((rest[0] & 0x80) === 0) {
        // A short header: 1-RTT, to the end of the datagram. Its keys come after the handshake.
        const mine =
          rest.length > this.sourceConnectionId.length &&
          equalBytes(rest.subarray(1, 1 + this.sourceConnectionId.length), this.sourceConnectionId);
        ours ||= mine;
        packets.push({
          type: '1rtt',
          length: rest.length,
          note: mine ? 'not decrypted' : 'not for this connection',
        });
        break;
      }
      const bare = readBareLongHeader(rest);
      if (!bare) {
        packets.push({ type: 'unknown', length: rest.length, note: 'long header cut short' });
        break;
      }
      if (!equalBytes(bare.destinationConnectionId, this.sourceConnectionId)) {
        packets.push({ type: 'unknown', length: rest.length, note: 'not for this connection' });
        break;
      }
      if (bare.version === 0) {
        ours = true;
        packets.push({ type: 'version_negotiation', length: rest.length });
        this.versionNegotiationPacket(rest, bare);
        break;
      }
      if (bare.version !== this.version) {
        packets.push({
          type: 'unknown',
          length: rest.length,
          note: `version ${quicVersionName(bare.version)}, not the one sent`,
        });
        break;
      }
      const type = longType(this.version, rest[0]);
      if (type === 'retry') {
        ours = true;
        packets.push({ type, length: rest.length, ...this.retryPacket(rest, bare, send, atMs) });
        break;
      }
      const header = isSupportedQuicVersion(this.version) ? parseLongHeader(datagram, pos) : undefined;
      if (!header) {
        packets.push({ type, length: rest.length, note: 'malformed long header' });
        break;
      }
      ours = true;
      const length = header.end - pos;
      if (type === 'handshake') {
        const record: QuicPacketRecord & { note?: string } = { type, length };
        packets.push(record);
        const c = this.handshakePacket(datagram.slice(pos, header.end), record);
        if (c) close = c;
        pos = header.end;
        continue;
      }
      if (type !== 'initial') {
        packets.push({ type, length, note: 'not decrypted' });
        pos = header.end;
        continue;
      }
      const opened = openInitial(datagram, header, this.serverKeys, this.largestServerPacket);
      if (!opened) {
        packets.push({ type, length, note: 'cannot be opened with the server Initial keys' });
        pos = header.end;
        continue;
      }
      this.largestServerPacket = Math.max(this.largestServerPacket, opened.packetNumber);
      if (!this.serverConnectionId) {
        // RFC 9000 §7.2: the client sends to the server's chosen connection ID from now on.
        this.serverConnectionId = header.sourceConnectionId.slice();
        this.destinationConnectionId = this.serverConnectionId;
      }
      const frames = readInitialFrames(opened.payload);
      packets.push({
        type,
        length,
        packetNumber: opened.packetNumber,
        frames: frames.names,
        ...(frames.error ? { note: frames.error } : {}),
      });
      for (const c of frames.crypto) this.serverCrypto.write(c.offset, c.data);
      if (frames.close) close = frames.close;
      if (frames.error) {
        this.stop('protocol_error', `the server's Initial packet ${opened.packetNumber}: ${frames.error}`);
        break;
      }
      // The ServerHello gives the Handshake keys a coalesced Handshake packet needs next.
      this.feedEngine(send, atMs);
      pos = header.end;
    }
    if (ours) this.quicDatagrams++;
    if (!this.done) this.feedEngine(send, atMs);
    close ??= this.lateClose;
    if (close) this.closed(close);
    if (!this.done && this.handshakeKeys && ours && this.ackDatagramsLeft > 0) {
      // Each client datagram lets the server send three times as much before the handshake completes.
      this.ackDatagramsLeft--;
      send.push(this.seal([ackFrame(this.largestServerPacket)], ['ack'], atMs));
    }
    return { send, done: this.done };
  }

  /**
   * Opens a Handshake packet (a copy of its bytes) with the server Handshake keys, or keeps it
   * until they are known; its CRYPTO data goes to the Handshake stream. Returns a CONNECTION_CLOSE it carries.
   */
  private handshakePacket(
    packet: Uint8Array,
    record: { note?: string; packetNumber?: number; frames?: readonly string[] },
  ): QuicConnectionClose | undefined {
    if (!this.handshakeKeys) {
      if (this.engine.done || this.pendingHandshake.length >= MAX_PENDING_HANDSHAKE) {
        record.note = 'not decrypted';
      } else {
        record.note = 'not decrypted yet';
        this.pendingHandshake.push({ packet, record });
      }
      return undefined;
    }
    const header = parseLongHeader(packet, 0);
    const opened = header && openLongPacket(packet, header, this.handshakeKeys, this.largestHandshakePacket);
    if (!opened) {
      record.note = 'cannot be opened with the server Handshake keys';
      return undefined;
    }
    delete record.note;
    this.largestHandshakePacket = Math.max(this.largestHandshakePacket, opened.packetNumber);
    const frames = readInitialFrames(opened.payload);
    record.packetNumber = opened.packetNumber;
    record.frames = frames.names;
    if (frames.error) record.note = frames.error;
    for (const c of frames.crypto) this.handshakeCrypto.write(c.offset, c.data);
    return frames.close;
  }

  /** Once the ServerHello gave the handshake secret: the packet keys, then the packets kept until now. */
  private handshakeKeysReady(): QuicConnectionClose | undefined {
    const sh = this.engine.serverHello;
    if (this.handshakeKeys || !sh || !this.serverHandshakeSecret) return undefined;
    try {
      this.handshakeKeys = quicPacketKeys(sh.cipherSuite, this.serverHandshakeSecret);
      this.handshakeRecords = createRecordProtection(sh.cipherSuite, this.serverHandshakeSecret);
    } catch (e) {
      this.error ??= `Handshake packets not decrypted: ${(e as Error).message}`;
      return undefined;
    }
    let close: QuicConnectionClose | undefined;
    for (const p of this.pendingHandshake.splice(0))
      close = this.handshakePacket(p.packet, p.record) ?? close;
    return close;
  }

  private versionNegotiationPacket(b: Uint8Array, header: ReturnType<typeof readBareLongHeader> & {}): void {
    // RFC 9000 §6.2: discard a Version Negotiation that answers no Initial of ours, arrives
    // after a server Initial, or lists the version sent.
    if (
      !equalBytes(header.sourceConnectionId, this.originalDestinationConnectionId) ||
      this.serverConnectionId
    )
      return;
    const versions = versionNegotiationVersions(b, header);
    if (versions.includes(this.version)) {
      this.ignoredVersionNegotiation ??= { versions, versionNames: versions.map(quicVersionName) };
      return;
    }
    this.versionNegotiation = { versions, versionNames: versions.map(quicVersionName) };
    this.stop('version_negotiation');
  }

  private retryPacket(
    b: Uint8Array,
    header: ReturnType<typeof readBareLongHeader> & {},
    send: Uint8Array[],
    atMs: number,
  ): { note?: string } {
    if (this.retry || this.serverConnectionId)
      return { note: 'ignored: only one Retry, before any server Initial' };
    if (b.length < header.rest + 16) return { note: 'too short for a Retry Integrity Tag' };
    const token = b.slice(header.rest, b.length - 16);
    if (token.length === 0) return { note: 'ignored: a Retry without a token' };
    if (
      initialOverhead(
        header.sourceConnectionId,
        this.sourceConnectionId,
        token.length,
        PACKET_NUMBER_LENGTH,
      ) +
        64 >
      QUIC_MIN_INITIAL_DATAGRAM
    )
      return { note: `ignored: a token of ${token.length} bytes leaves no room in a 1200-byte Initial` };
    let verified = false;
    try {
      const tag = retryIntegrityTag(
        this.version,
        this.originalDestinationConnectionId,
        b.subarray(0, b.length - 16),
      );
      verified = equalBytes(tag, b.subarray(b.length - 16));
    } catch {
      verified = false;
    }
    if (!verified) return { note: 'ignored: the Retry Integrity Tag does not match' };
    const sourceConnectionId = header.sourceConnectionId.slice();
    this.retry = { token, sourceConnectionId, integrityVerified: true };
    // RFC 9001 §5.2: new Initial keys from the Retry's connection ID; packet numbers go on (RFC 9000 §17.2.5.3).
    this.destinationConnectionId = sourceConnectionId;
    this.token = token;
    this.clientKeys = initialKeys(this.version, sourceConnectionId, 'client');
    this.serverKeys = initialKeys(this.version, sourceConnectionId, 'server');
    for (const d of this.initialDatagrams(0, this.clientCrypto, atMs)) send.push(d);
    return {};
  }

  private closed(close: QuicConnectionClose): void {
    this.connectionClose = close;
    if (close.errorName === 'CRYPTO_ERROR') {
      const description = close.errorCode - 0x100;
      this.alert = {
        level: 2,
        levelName: 'fatal',
        description,
        name: alertName(description),
        encrypted: false,
      };
      this.stop('alert');
      return;
    }
    this.stop(
      'connection_close',
      `CONNECTION_CLOSE ${close.errorName}${close.reason ? `: ${JSON.stringify(close.reason)}` : ''}`,
    );
  }

  /** Hands the newly contiguous server CRYPTO bytes to the TLS reader as handshake records. */
  private feedEngine(send: Uint8Array[], atMs: number): void {
    const stream = this.serverCrypto.contiguous();
    const fresh = stream.subarray(this.fed);
    this.fed = stream.length;
    for (let at = 0; at < fresh.length && !this.engine.done; at += RECORD_CHUNK) {
      const chunk = fresh.subarray(at, at + RECORD_CHUNK);
      const record = new Uint8Array(5 + chunk.length);
      record.set([22, 3, 3, chunk.length >> 8, chunk.length & 0xff]);
      record.set(chunk, 5);
      const step = this.engine.receive(record, atMs);
      for (const bytes of step.send) this.secondHello(bytes, send, atMs);
    }
    this.lateClose ??= this.handshakeKeysReady();
    this.feedHandshake(atMs);
    if (this.engine.done) {
      const reason = this.engine.stopReason;
      if (reason === 'server_hello' || reason === 'hello_retry_request' || reason === 'complete')
        this.stop(reason, this.engine.error);
      else if (reason === 'violation') this.stop('violation', this.engine.error);
      else this.stop('protocol_error', this.engine.error ?? `the server's handshake stopped: ${reason}`);
    }
  }

  /** Hands the new Handshake CRYPTO bytes to the TLS reader, sealed as the TLS 1.3 records it decrypts. */
  private feedHandshake(atMs: number): void {
    const state = this.handshakeRecords;
    if (!state) return;
    const stream = this.handshakeCrypto.contiguous();
    if (stream.length <= this.handshakeFed) return;
    const fresh = stream.subarray(this.handshakeFed);
    this.handshakeFed = stream.length;
    for (let at = 0; at < fresh.length && !this.engine.done; at += RECORD_CHUNK)
      this.engine.receive(encryptRecord(state, 22, fresh.subarray(at, at + RECORD_CHUNK)).record, atMs);
  }

  /** The second ClientHello (TLS records from the engine) goes on in the CRYPTO stream. */
  private secondHello(records: Uint8Array, send: Uint8Array[], atMs: number): void {
    const parts: Uint8Array[] = [];
    for (let at = 0; at + 5 <= records.length; ) {
      const length = (records[at + 3] << 8) | records[at + 4];
      // change_cipher_spec has no place in QUIC (RFC 9001 §8.4); only handshake records carry the hello.
      if (records[at] === 22) parts.push(records.subarray(at + 5, at + 5 + length));
      at += 5 + length;
    }
    if (parts.length === 0) return;
    const message = concatBytes(...parts);
    const offset = this.clientCrypto.length;
    this.clientCrypto = concatBytes(this.clientCrypto, message);
    for (const d of this.initialDatagrams(offset, message, atMs)) send.push(d);
  }

  /** CRYPTO data from `offset`, cut to fit 1200-byte datagrams, one padded Initial each. */
  private initialDatagrams(offset: number, data: Uint8Array, atMs: number): Uint8Array[] {
    const overhead = initialOverhead(
      this.destinationConnectionId,
      this.sourceConnectionId,
      this.token.length,
      PACKET_NUMBER_LENGTH,
    );
    // CRYPTO frame header: type, offset (up to 4 bytes here), length (2 bytes).
    const room = QUIC_MIN_INITIAL_DATAGRAM - overhead - 7;
    if (room < 64)
      throw new RangeError(`a Retry token of ${this.token.length} bytes leaves no room for CRYPTO data`);
    const out: Uint8Array[] = [];
    for (let at = 0; at < data.length; at += room) {
      const piece = data.subarray(at, at + room);
      out.push(this.seal([cryptoFrame(offset + at, piece)], ['crypto'], atMs));
    }
    return out;
  }

  /** One Initial packet of `frames`, padded so the datagram has 1200 bytes, logged as sent. */
  private seal(frames: Uint8Array[], names: string[], atMs: number): Uint8Array {
    const overhead = initialOverhead(
      this.destinationConnectionId,
      this.sourceConnectionId,
      this.token.length,
      PACKET_NUMBER_LENGTH,
    );
    const used = frames.reduce((n, f) => n + f.length, 0);
    const payload = new Uint8Array(Math.max(used, QUIC_MIN_INITIAL_DATAGRAM - overhead));
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
      this.clientKeys,
    );
    this.datagramsSent++;
    this.transcript.push({
      direction: 'sent',
      atMs,
      size: packet.length,
      packets: [
        {
          type: 'initial',
          length: packet.length,
          packetNumber,
          frames: payload.length > used ? [...names, 'padding'] : names,
        },
      ],
    });
    return packet;
  }
}
