/**
 * The Akamai HTTP/2 fingerprint (Shuster, Black Hat EU 2017, "Passive Fingerprinting of
 * HTTP/2 Clients"): what a client sends before its first request, written
 * `S[;]|WU|P[,]|PS[,]`:
 * - S: its SETTINGS parameters as `id:value`, in the order sent;
 * - WU: the increment of its connection-level WINDOW_UPDATE, `00` when it sent none;
 * - P: its PRIORITY frames as `stream:exclusive:dependency:weight` (weight 1–256, the
 *   wire value + 1), `0` when it sent none;
 * - PS: the order of the pseudo-headers of its first request (`m`ethod, `a`uthority,
 *   `s`cheme, `p`ath).
 * `0`/`00` for the empty fields follow the form the public fingerprint services print.
 *
 * {@link Http2PrefaceReader} reads the frames from the decrypted bytes as they arrive
 * (RFC 9113 §3.4 preface, §4.1 frame header), up to the first HEADERS frame. The header
 * block itself is HPACK-compressed: the pseudo-header order is passed in by whoever
 * decoded it.
 */
import { md5 } from '@noble/hashes/legacy.js';
import { fromLatin1, toHex } from '../bytes/hex.ts';

/** `PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n` (RFC 9113 §3.4). */
const PREFACE = fromLatin1('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');
const FRAME_HEADER = 9;
const FRAME = { HEADERS: 0x1, PRIORITY: 0x2, SETTINGS: 0x4, WINDOW_UPDATE: 0x8 } as const;
const FLAG_ACK = 0x1;
const FLAG_PADDED = 0x8;
const FLAG_PRIORITY = 0x20;

/** One PRIORITY frame (or the priority part of a HEADERS frame). */
export interface Http2Priority {
  readonly streamId: number;
  readonly exclusive: boolean;
  readonly dependsOn: number;
  /** 1–256 (the wire value + 1). */
  readonly weight: number;
}

/** What a client sent before its first request. */
export interface Http2Preface {
  /** SETTINGS parameters, in the order sent (a second SETTINGS frame adds to the list). */
  readonly settings: readonly { readonly id: number; readonly value: number }[];
  /** The connection-level WINDOW_UPDATE increment; null when none came before the request. */
  readonly windowUpdate: number | null;
  readonly priorities: readonly Http2Priority[];
  /** The priority carried in the first HEADERS frame, when its PRIORITY flag is set. */
  readonly headersPriority: Http2Priority | null;
  /** True once the first HEADERS frame was read (nothing after it is looked at). */
  readonly complete: boolean;
  /** Why reading stopped early: not the HTTP/2 preface, a frame too large, the byte limit. */
  readonly error: string | null;
}

/** Names of SETTINGS parameters (RFC 9113 §6.5.2, RFC 8441, RFC 9218). */
export const HTTP2_SETTINGS: Readonly<Record<number, string>> = {
  1: 'HEADER_TABLE_SIZE',
  2: 'ENABLE_PUSH',
  3: 'MAX_CONCURRENT_STREAMS',
  4: 'INITIAL_WINDOW_SIZE',
  5: 'MAX_FRAME_SIZE',
  6: 'MAX_HEADER_LIST_SIZE',
  8: 'ENABLE_CONNECT_PROTOCOL',
  9: 'NO_RFC7540_PRIORITIES',
};

function u32(b: Uint8Array, at: number): number {
  return ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;
}

function priorityAt(streamId: number, b: Uint8Array, at: number): Http2Priority {
  const word = u32(b, at);
  return { streamId, exclusive: word >>> 31 === 1, dependsOn: word & 0x7fffffff, weight: b[at + 4] + 1 };
}

/**
 * Reads a client's HTTP/2 connection preface and frames from decrypted bytes pushed in
 * pieces, keeping at most `maxBytes` (default 65 536) until the first HEADERS frame.
 * @example
 * const r = new Http2PrefaceReader();
 * socket.on('data', (chunk) => r.push(chunk));
 * // once r.preface.complete: akamaiFingerprint(r.preface, ['m', 'a', 's', 'p'])
 */
export class Http2PrefaceReader {
  private buffer = new Uint8Array(0);
  private readonly maxBytes: number;
  private readonly settings: { id: number; value: number }[] = [];
  private readonly priorities: Http2Priority[] = [];
  private windowUpdate: number | null = null;
  private headersPriority: Http2Priority | null = null;
  private complete = false;
  private error: string | null = null;
  private prefaceRead = false;

  constructor(maxBytes = 65_536) {
    this.maxBytes = maxBytes;
  }

  /** What has been read so far. */
  get preface(): Http2Preface {
    return {
      settings: this.settings,
      windowUpdate: this.windowUpdate,
      priorities: this.priorities,
      headersPriority: this.headersPriority,
      complete: this.complete,
      error: this.error,
    };
  }

  /** True once nothing more is wanted (the first HEADERS frame, or an error). */
  get done(): boolean {
    return this.complete || this.error !== null;
  }

  /** Adds decrypted bytes from the client. */
  push(chunk: Uint8Array): void {
    if (this.done) return;
    if (this.buffer.length + chunk.length > this.maxBytes) {
      this.error = `no HEADERS frame within the first ${this.maxBytes} bytes`;
      this.buffer = new Uint8Array(0);
      return;
    }
    const joined = new Uint8Array(this.buffer.length + chunk.length);
    joined.set(this.buffer);
    joined.set(chunk, this.buffer.length);
    this.buffer = joined;
    this.read();
  }

  private read(): void {
    let at = 0;
    const b = this.buffer;
    if (!this.prefaceRead) {
      const n = Math.min(b.length, PREFACE.length);
      for (let i = 0; i < n; i++) {
        if (b[i] !== PREFACE[i]) {
          this.error = 'not the HTTP/2 connection preface';
          return;
        }
      }
      if (b.length < PREFACE.length) return;
      this.prefaceRead = true;
      at = PREFACE.length;
    }
    while (!this.done && b.length - at >= FRAME_HEADER) {
      const length = (b[at] << 16) | (b[at + 1] << 8) | b[at + 2];
      if (b.length - at - FRAME_HEADER < length) break;
      this.frame(b[at + 3], b[at + 4], u32(b, at + 5) & 0x7fffffff, b.subarray(at + 9, at + 9 + length));
      at += FRAME_HEADER + length;
    }
    this.buffer = this.done ? new Uint8Array(0) : b.slice(at);
  }

  private frame(type: number, flags: number, streamId: number, payload: Uint8Array): void {
    switch (type) {
      case FRAME.SETTINGS:
        if (flags & FLAG_ACK) return;
        for (let i = 0; i + 6 <= payload.length; i += 6)
          this.settings.push({ id: (payload[i] << 8) | payload[i + 1], value: u32(payload, i + 2) });
        return;
      case FRAME.WINDOW_UPDATE:
        if (streamId === 0 && payload.length === 4 && this.windowUpdate === null)
          this.windowUpdate = u32(payload, 0) & 0x7fffffff;
        return;
      case FRAME.PRIORITY:
        if (payload.length === 5) this.priorities.push(priorityAt(streamId, payload, 0));
        return;
      case FRAME.HEADERS: {
        if (flags & FLAG_PRIORITY) {
          const pad = flags & FLAG_PADDED ? 1 : 0;
          if (payload.length >= pad + 5) this.headersPriority = priorityAt(streamId, payload, pad);
        }
        this.complete = true;
        return;
      }
      default:
        return;
    }
  }
}

/** `m`, `a`, `s`, `p` for `:method`, `:authority`, `:scheme`, `:path`, in the order given. */
export function pseudoHeaderOrder(headerNames: readonly string[]): string[] {
  return headerNames.filter((n) => n.startsWith(':') && n.length > 1).map((n) => n[1]);
}

/**
 * The Akamai fingerprint string and its MD5 (hex), from a client's preface and the names of
 * its first request's headers in order (pseudo-headers are picked out).
 * @example akamaiFingerprint(preface, [':method', ':authority', ':scheme', ':path']).text // '1:65536;…|15663105|0|m,a,s,p'
 */
export function akamaiFingerprint(
  preface: Pick<Http2Preface, 'settings' | 'windowUpdate' | 'priorities'>,
  headerNames: readonly string[],
): { readonly text: string; readonly hash: string } {
  const settings = preface.settings.map((s) => `${s.id}:${s.value}`).join(';');
  const windowUpdate = preface.windowUpdate === null ? '00' : String(preface.windowUpdate);
  const priorities =
    preface.priorities.length === 0
      ? '0'
      : preface.priorities
          .map((p) => `${p.streamId}:${p.exclusive ? 1 : 0}:${p.dependsOn}:${p.weight}`)
          .join(',');
  const text = `${settings}|${windowUpdate}|${priorities}|${pseudoHeaderOrder(headerNames).join(',')}`;
  return { text, hash: toHex(md5(fromLatin1(text))) };
}
