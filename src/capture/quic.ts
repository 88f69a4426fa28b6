/**
 * QUIC Initial packets of v1 and v2 in UDP datagrams (coalesced packets too): opens them
 * with the keys every observer can derive, walks their frames, and reassembles each side's
 * CRYPTO stream by offset, across packets and datagrams and in any order. The client's
 * CRYPTO stream begins with the ClientHello handshake message (no record layer).
 */

import { equalBytes } from '../bytes/hex.ts';
import { RangeBuffer } from '../bytes/range-buffer.ts';
import { readInitialFrames } from '../quic/frames.ts';
import { type LongHeader, parseLongHeader } from '../quic/header.ts';
import { type InitialKeys, initialKeys } from '../quic/keys.ts';
import { openInitial } from '../quic/protection.ts';
import type { Endpoint } from './tcp.ts';

/** One QUIC connection's Initial CRYPTO streams. */
export interface QuicConnection {
  /** The number the caller gave the connection's UDP conversation (order of first datagram). */
  readonly index: number;
  readonly client: Endpoint;
  readonly server: Endpoint;
  /** Capture time of the conversation's first datagram, in seconds. */
  readonly firstSeen: number;
  /** QUIC version of the client's first Initial. */
  readonly version: number;
  /** The Destination Connection ID the Initial keys were derived from. */
  readonly originalDestinationConnectionId: Uint8Array;
  /** The client's Initial CRYPTO stream from offset 0 up to the first hole (starts with the ClientHello). */
  readonly clientCrypto: Uint8Array;
  /** The server's Initial CRYPTO stream from offset 0 up to the first hole (starts with the ServerHello). */
  readonly serverCrypto: Uint8Array;
  /** Initial packets opened, per side. */
  readonly clientPackets: number;
  readonly serverPackets: number;
}

/** Options for {@link QuicInitialTracker}. */
export interface QuicTrackerOptions {
  /** Most CRYPTO bytes kept per side. Default 256 KiB. */
  readonly maxBytesPerDirection?: number;
  /**
   * Keep every connection for {@link QuicInitialTracker.connections} (the default). A
   * streaming reader sets false and {@link QuicInitialTracker.release}s each connection once
   * its handshake bytes were taken.
   */
  readonly keepConnections?: boolean;
  /** Where warnings go (default: the tracker's own `warnings`, at most 50). */
  readonly warn?: (message: string) => void;
}

/** A QUIC connection as the tracker holds it (read it with {@link QuicInitialTracker.view}). */
export interface QuicConnectionState {
  readonly index: number;
  readonly firstSeen: number;
  lastSeen: number;
  /** True once its handshake bytes were taken: later packets are opened but not kept. */
  released: boolean;
  readonly key: string;
  readonly crypto: [RangeBuffer, RangeBuffer];
}

interface Connection extends QuicConnectionState {
  index: number;
  firstSeen: number;
  client: Endpoint;
  server: Endpoint;
  version: number;
  odcid: Uint8Array;
  clientKeys: InitialKeys;
  serverKeys: InitialKeys;
  largest: [number, number];
  crypto: [RangeBuffer, RangeBuffer];
  opened: [number, number];
}

const DEFAULT_CAP = 256 * 1024;
const MAX_WARNINGS = 50;
const NO_BYTES = new RangeBuffer(0);

/**
 * Collects UDP datagrams and reassembles the Initial CRYPTO streams of each QUIC connection.
 * @example
 * const quic = new QuicInitialTracker();
 * quic.push(packet.time, src, dst, udp.payload, { index: 0, firstSeen: packet.time });
 * quic.connections()[0].clientCrypto[0] // 1 (client_hello)
 */
export class QuicInitialTracker {
  /** Oddities met while opening packets (undecodable frames); bounded in number. */
  readonly warnings: string[] = [];
  private readonly cap: number;
  /** Connections by UDP conversation, least recently used first. */
  private readonly byKey = new Map<string, Connection>();
  private readonly all: Connection[] | undefined;
  private readonly warnTo: ((message: string) => void) | undefined;
  private count = 0;

  constructor(options: QuicTrackerOptions = {}) {
    this.cap = options.maxBytesPerDirection ?? DEFAULT_CAP;
    if (!Number.isInteger(this.cap) || this.cap < 0) {
      throw new RangeError(`"maxBytesPerDirection" expected a non-negative integer, got ${this.cap}`);
    }
    this.all = options.keepConnections === false ? undefined : [];
    this.warnTo = options.warn;
  }

  /** Connections tracked now (released ones included). */
  get size(): number {
    return this.byKey.size;
  }

  /** A connection's client and server CRYPTO bytes so far, as views (valid until the next push). */
  peek(conn: QuicConnectionState): { client: Uint8Array; server: Uint8Array } {
    return { client: conn.crypto[0].peek(), server: conn.crypto[1].peek() };
  }

  /** Frees a connection's CRYPTO buffers once its handshake bytes were taken; it stays known until evicted. */
  release(conn: QuicConnectionState): void {
    if (conn.released) return;
    conn.released = true;
    conn.crypto[0] = NO_BYTES;
    conn.crypto[1] = NO_BYTES;
  }

  /** Removes connections idle more than `idleSeconds` before `now`, then the oldest beyond `maxConnections`; `onDrop` sees those not released. */
  evict(
    now: number,
    idleSeconds: number,
    maxConnections: number,
    onDrop: (conn: QuicConnectionState, reason: 'idle' | 'count') => void,
  ): void {
    for (const conn of this.byKey.values()) {
      let reason: 'idle' | 'count';
      if (conn.lastSeen < now - idleSeconds) reason = 'idle';
      else if (this.byKey.size > maxConnections) reason = 'count';
      else return;
      if (!conn.released) onDrop(conn, reason);
      this.release(conn);
      this.byKey.delete(conn.key);
    }
  }

  /**
   * Adds one UDP datagram. `conversation` gives the number and first time of its UDP
   * conversation (defaults: order of first Initial, and `time`).
   */
  push(
    time: number,
    src: Endpoint,
    dst: Endpoint,
    datagram: Uint8Array,
    conversation?: { index: number; firstSeen: number },
  ): QuicConnectionState | undefined {
    let pos = 0;
    let touched: QuicConnectionState | undefined;
    while (pos < datagram.length) {
      const header = parseLongHeader(datagram, pos);
      if (!header) break;
      if (header.initial) touched = this.initial(time, src, dst, datagram, header, conversation) ?? touched;
      pos = header.end;
    }
    return touched;
  }

  /** The connections whose client Initial could be opened, in order of first appearance (none when `keepConnections` is false). */
  connections(): QuicConnection[] {
    return (this.all ?? []).map((c) => this.view(c));
  }

  /** One connection's CRYPTO streams (copies). */
  view(state: QuicConnectionState): QuicConnection {
    const c = state as Connection;
    return {
      index: c.index,
      client: c.client,
      server: c.server,
      firstSeen: c.firstSeen,
      version: c.version,
      originalDestinationConnectionId: c.odcid,
      clientCrypto: c.crypto[0].contiguous(),
      serverCrypto: c.crypto[1].contiguous(),
      clientPackets: c.opened[0],
      serverPackets: c.opened[1],
    };
  }

  private initial(
    time: number,
    src: Endpoint,
    dst: Endpoint,
    datagram: Uint8Array,
    header: LongHeader,
    conversation: { index: number; firstSeen: number } | undefined,
  ): Connection | undefined {
    const key = conversationKey(src, dst);
    let conn = this.byKey.get(key);
    if (conn) {
      // Least recently used first: a touched connection moves to the end.
      this.byKey.delete(key);
      this.byKey.set(key, conn);
      if (time > conn.lastSeen) conn.lastSeen = time;
      if (conn.released) return conn;
    }
    const fromClient = conn ? sameEndpoint(conn.client, src) : true;
    let opened: { packetNumber: number; payload: Uint8Array } | undefined;
    if (conn) {
      const side = fromClient ? 0 : 1;
      opened = openInitial(
        datagram,
        header,
        fromClient ? conn.clientKeys : conn.serverKeys,
        conn.largest[side],
      );
      if (!opened && fromClient && !equalBytes(header.destinationConnectionId, conn.odcid)) {
        // After a Retry the client derives new Initial keys from the new Destination Connection ID.
        const clientKeys = initialKeys(header.version, header.destinationConnectionId, 'client');
        opened = openInitial(datagram, header, clientKeys, -1);
        if (opened) {
          conn.odcid = header.destinationConnectionId.slice();
          conn.clientKeys = clientKeys;
          conn.serverKeys = initialKeys(header.version, conn.odcid, 'server');
          conn.largest = [-1, -1];
        }
      }
    } else {
      // A first Initial that opens with client keys of its own DCID was sent by the client.
      const clientKeys = initialKeys(header.version, header.destinationConnectionId, 'client');
      opened = openInitial(datagram, header, clientKeys, -1);
      if (!opened) return undefined;
      const odcid = header.destinationConnectionId.slice();
      conn = {
        index: conversation?.index ?? this.count,
        firstSeen: conversation?.firstSeen ?? time,
        lastSeen: time,
        released: false,
        key,
        client: src,
        server: dst,
        version: header.version,
        odcid,
        clientKeys,
        serverKeys: initialKeys(header.version, odcid, 'server'),
        largest: [-1, -1],
        crypto: [new RangeBuffer(this.cap), new RangeBuffer(this.cap)],
        opened: [0, 0],
      };
      this.count++;
      this.byKey.set(key, conn);
      this.all?.push(conn);
    }
    if (!opened) return conn;
    const side = fromClient ? 0 : 1;
    conn.largest[side] = Math.max(conn.largest[side], opened.packetNumber);
    conn.opened[side]++;
    this.frames(
      opened.payload,
      conn.crypto[side],
      `${fromClient ? 'client' : 'server'} Initial packet ${opened.packetNumber} of QUIC connection ${conn.index}`,
    );
    return conn;
  }

  private frames(p: Uint8Array, crypto: RangeBuffer, where: string): void {
    const frames = readInitialFrames(p);
    for (const c of frames.crypto) crypto.write(c.offset, c.data);
    if (frames.error) this.warn(`${where}: ${frames.error}; rest of packet skipped`);
  }

  private warn(message: string): void {
    if (this.warnTo) this.warnTo(message);
    else if (this.warnings.length < MAX_WARNINGS) this.warnings.push(message);
  }
}

function sameEndpoint(x: Endpoint, y: Endpoint): boolean {
  return x.port === y.port && x.ip === y.ip;
}

function conversationKey(x: Endpoint, y: Endpoint): string {
  const ex = `${x.ip}|${x.port}`;
  const ey = `${y.ip}|${y.port}`;
  return ex < ey ? `${ex}/${ey}` : `${ey}/${ex}`;
}
