/**
 * The client side of one QUIC connection attempt, without sockets or timers: it seals the
 * Initial datagrams to send (initial-sender.ts), reads what the server's datagrams hold
 * (coalesced packets, Initial and Handshake packets, Retry, Version Negotiation) and hands
 * the CRYPTO streams to a TLS engine (tls-bridge.ts). It never sends a Handshake packet.
 * The QUIC probe drives it with hellokit's probe engine (src/probe/quic/): `probeQuicDatagrams()`
 * over any datagram transport, `probeQuic()` (hellokit/node) over a UDP socket.
 */
import { equalBytes } from '../bytes/hex.ts';
import type { ClientHello } from '../handshake/types.ts';
import { type QuicConnectionClose, readInitialFrames } from './frames.ts';
import { type BareLongHeader, parseLongHeader, readBareLongHeader } from './header.ts';
import { InitialSender, initialKeyVersion } from './initial-sender.ts';
import { type InitialKeys, initialKeys } from './keys.ts';
import { openInitial } from './protection.ts';
import { closeAlert, readRetry, readVersionNegotiation } from './server-signals.ts';
import { QuicTlsBridge } from './tls-bridge.ts';
import type {
  QuicClientSessionOptions,
  QuicDatagramRecord,
  QuicPacketRecord,
  QuicRetry,
  QuicStep,
  QuicStopReason,
  QuicTlsAlert,
  QuicTlsEngine,
  QuicVersionNegotiation,
} from './types.ts';
import { isSupportedQuicVersion, longPacketType, quicVersionName } from './version.ts';

/** ACK-only Initial datagrams sent to widen the server's anti-amplification budget (RFC 9000 §8.1). */
const MAX_ACK_DATAGRAMS = 3;

/** One packet of a datagram as read: its transcript entry, whether it belongs to this connection, where the next starts. */
interface PacketRead {
  readonly record: QuicPacketRecord;
  readonly ours: boolean;
  readonly end?: number;
  readonly close?: QuicConnectionClose;
}

/**
 * One QUIC connection attempt: Initial packets out, the server's Initial and Handshake flight in.
 * `createEngine` makes the TLS client for `hello`; it must log its secrets to the `keylog` it is given.
 * @example
 * const s = new QuicClientSession(hello, (keylog) => new ProbeEngine(hello, shares, { keylog }), { version: 1, destinationConnectionId: dcid, sourceConnectionId: scid });
 * for (const d of s.start(0)) socket.send(d);
 * socket.on('message', (d) => { const step = s.receive(d, now()); step.send.forEach((x) => socket.send(x)); });
 */
export class QuicClientSession<E extends QuicTlsEngine = QuicTlsEngine> {
  readonly engine: E;
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
  alert?: QuicTlsAlert;
  stopReason: QuicStopReason | null = null;
  error?: string;
  bytesReceived = 0;
  datagramsReceived = 0;
  /** Datagrams that held at least one packet of this connection. */
  quicDatagrams = 0;

  private readonly sender: InitialSender;
  private serverKeys: InitialKeys;
  private largestServerPacket = -1;
  private readonly tls: QuicTlsBridge<E>;
  private ackDatagramsLeft = MAX_ACK_DATAGRAMS;
  /** A CONNECTION_CLOSE found in a Handshake packet that was kept until its keys were known. */
  private lateClose?: QuicConnectionClose;

  /** @throws {RangeError} for connection IDs over 20 bytes */
  constructor(
    hello: ClientHello,
    createEngine: (keylog: (line: string) => void) => E,
    options: QuicClientSessionOptions,
  ) {
    if (options.destinationConnectionId.length > 20 || options.sourceConnectionId.length > 20)
      throw new RangeError('QUIC connection IDs are at most 20 bytes');
    this.version = options.version;
    this.originalDestinationConnectionId = options.destinationConnectionId;
    this.sourceConnectionId = options.sourceConnectionId;
    this.tls = new QuicTlsBridge(hello, createEngine, options.keylog);
    this.engine = this.tls.engine;
    this.sender = new InitialSender(
      this.version,
      options.destinationConnectionId,
      this.sourceConnectionId,
      this.transcript,
    );
    this.serverKeys = initialKeys(initialKeyVersion(this.version), options.destinationConnectionId, 'server');
  }

  get done(): boolean {
    return this.stopReason !== null;
  }

  /** True once any packet of this connection came back (resending stops then). */
  get answered(): boolean {
    return this.quicDatagrams > 0;
  }

  /** Datagrams sent so far. */
  get datagramsSent(): number {
    return this.sender.datagramsSent;
  }

  /** The first flight: the ClientHello in CRYPTO frames, one or more padded Initial datagrams. */
  start(atMs: number): Uint8Array[] {
    return this.sender.cryptoDatagrams(0, this.tls.clientCrypto, atMs);
  }

  /** The whole client CRYPTO stream again, in packets with new numbers (a resend after silence). */
  resend(atMs: number): Uint8Array[] {
    return this.sender.cryptoDatagrams(0, this.tls.clientCrypto, atMs);
  }

  /**
   * One Initial datagram closing the connection (CONNECTION_CLOSE, NO_ERROR), so the server
   * drops its state at once; empty when no server Initial was read or the server closed first.
   */
  closeDatagram(atMs: number): Uint8Array[] {
    if (!this.serverConnectionId || this.connectionClose) return [];
    // An abort on a server violation carries the TLS alert as CRYPTO_ERROR 0x0100 + alert (RFC 9001 §4.8).
    const abort = this.engine.abortedOn;
    return [
      abort
        ? this.sender.close(0x100 + abort.alert.description, `${abort.rule} (${abort.rfc})`, atMs)
        : this.sender.close(0, 'hellokit probe done', atMs),
    ];
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
    for (let pos = 0; pos < datagram.length && !this.done; ) {
      const packet = this.packet(datagram, pos, send, atMs);
      packets.push(packet.record);
      ours ||= packet.ours;
      if (packet.close) close = packet.close;
      if (packet.end === undefined) break;
      pos = packet.end;
    }
    if (ours) this.quicDatagrams++;
    if (!this.done) this.feedEngine(send, atMs);
    close ??= this.lateClose;
    if (close) this.closed(close);
    if (!this.done && this.tls.handshakeReady && ours && this.ackDatagramsLeft > 0) {
      // Each client datagram lets the server send three times as much before the handshake completes.
      this.ackDatagramsLeft--;
      send.push(this.sender.ack(this.largestServerPacket, atMs));
    }
    return { send, done: this.done };
  }

  /** Reads the packet at `pos`; `end` is where the next coalesced packet starts (undefined: none is read). */
  private packet(datagram: Uint8Array, pos: number, send: Uint8Array[], atMs: number): PacketRead {
    const rest = datagram.subarray(pos);
    // A packet that runs to the end of the datagram (or that ends reading it).
    const last = (type: string, ours: boolean, note?: string): PacketRead => ({
      record: { type, length: rest.length, ...(note === undefined ? {} : { note }) },
      ours,
    });
    if ((rest[0] & 0x80) === 0) {
      // A short header: 1-RTT, to the end of the datagram. Its keys come after the handshake.
      const scid = this.sourceConnectionId;
      const mine = rest.length > scid.length && equalBytes(rest.subarray(1, 1 + scid.length), scid);
      return last('1rtt', mine, mine ? 'not decrypted' : 'not for this connection');
    }
    const bare = readBareLongHeader(rest);
    if (!bare) return last('unknown', false, 'long header cut short');
    if (!equalBytes(bare.destinationConnectionId, this.sourceConnectionId))
      return last('unknown', false, 'not for this connection');
    if (bare.version === 0) {
      this.versionNegotiationPacket(rest, bare);
      return last('version_negotiation', true);
    }
    if (bare.version !== this.version)
      return last('unknown', false, `version ${quicVersionName(bare.version)}, not the one sent`);
    const type = longPacketType(this.version, rest[0]);
    if (type === 'retry') return last(type, true, this.retryPacket(rest, bare, send, atMs));
    const header = isSupportedQuicVersion(this.version) ? parseLongHeader(datagram, pos) : undefined;
    if (!header) return last(type, false, 'malformed long header');
    const length = header.end - pos;
    const end = header.end;
    if (type === 'handshake') {
      const record: QuicPacketRecord & { note?: string } = { type, length };
      const close = this.tls.handshakePacket(datagram.slice(pos, end), record);
      return { record, ours: true, end, ...(close ? { close } : {}) };
    }
    if (type !== 'initial') return { record: { type, length, note: 'not decrypted' }, ours: true, end };
    const opened = openInitial(datagram, header, this.serverKeys, this.largestServerPacket);
    if (!opened)
      return {
        record: { type, length, note: 'cannot be opened with the server Initial keys' },
        ours: true,
        end,
      };
    this.largestServerPacket = Math.max(this.largestServerPacket, opened.packetNumber);
    if (!this.serverConnectionId) {
      // RFC 9000 §7.2: the client sends to the server's chosen connection ID from now on.
      this.serverConnectionId = header.sourceConnectionId.slice();
      this.sender.sendTo(this.serverConnectionId);
    }
    const frames = readInitialFrames(opened.payload);
    const packetNumber = opened.packetNumber;
    const note = frames.error ? { note: frames.error } : {};
    const record: QuicPacketRecord = { type, length, packetNumber, frames: frames.names, ...note };
    for (const c of frames.crypto) this.tls.initialCrypto(c.offset, c.data);
    const close = frames.close ? { close: frames.close } : {};
    if (frames.error) {
      this.stop('protocol_error', `the server's Initial packet ${packetNumber}: ${frames.error}`);
      return { record, ours: true, ...close };
    }
    // The ServerHello gives the Handshake keys a coalesced Handshake packet needs next.
    this.feedEngine(send, atMs);
    return { record, ours: true, end, ...close };
  }

  private versionNegotiationPacket(b: Uint8Array, header: BareLongHeader): void {
    const read = readVersionNegotiation(b, header, this);
    if (!read) return;
    if (read.listsSent) {
      this.ignoredVersionNegotiation ??= read.negotiation;
      return;
    }
    this.versionNegotiation = read.negotiation;
    this.stop('version_negotiation');
  }

  /** Follows a Retry (RFC 9000 §17.2.5); else says why it was ignored. */
  private retryPacket(
    b: Uint8Array,
    header: BareLongHeader,
    send: Uint8Array[],
    atMs: number,
  ): string | undefined {
    const retry = readRetry(b, header, this, (cid, length) => this.sender.fits(cid, length));
    if (typeof retry === 'string') return retry;
    this.retry = retry;
    this.sender.retry(retry.sourceConnectionId, retry.token);
    this.serverKeys = initialKeys(this.version, retry.sourceConnectionId, 'server');
    for (const d of this.sender.cryptoDatagrams(0, this.tls.clientCrypto, atMs)) send.push(d);
    return undefined;
  }

  private closed(close: QuicConnectionClose): void {
    this.connectionClose = close;
    const alert = closeAlert(close);
    if (alert) {
      this.alert = alert;
      this.stop('alert');
      return;
    }
    const reason = close.reason ? `: ${JSON.stringify(close.reason)}` : '';
    this.stop('connection_close', `CONNECTION_CLOSE ${close.errorName}${reason}`);
  }

  /** Hands the new server CRYPTO bytes to the TLS engine; a second ClientHello goes out in Initial packets. */
  private feedEngine(send: Uint8Array[], atMs: number): void {
    const fed = this.tls.feed(atMs);
    for (const c of fed.crypto)
      for (const d of this.sender.cryptoDatagrams(c.offset, c.data, atMs)) send.push(d);
    this.lateClose ??= fed.close;
    if (fed.error !== undefined) this.error ??= fed.error;
    if (!this.engine.done) return;
    const reason = this.engine.stopReason;
    if (reason === 'server_hello' || reason === 'hello_retry_request' || reason === 'complete')
      this.stop(reason, this.engine.error);
    else if (reason === 'violation') this.stop('violation', this.engine.error);
    else this.stop('protocol_error', this.engine.error ?? `the server's handshake stopped: ${reason}`);
  }
}
