/**
 * How far a connection's handshake has come, read from the lengths alone (no decoding): the
 * number of whole handshake messages in a byte stream, and whether the first one is a
 * HelloRetryRequest. A streaming capture reader decodes a connection once its client
 * hello(s) and the server's first message are whole, then forgets the connection.
 */

import { HELLO_RETRY_REQUEST_RANDOM } from '../handshake/server-hello.ts';
import { CONTENT_TYPES } from '../records/record.ts';

/** What {@link handshakeProgress} found. */
export interface HandshakeProgress {
  /** Whole handshake messages from `start`. */
  readonly messages: number;
  /** The first message is a ServerHello carrying the HelloRetryRequest random (RFC 8446 §4.1.3). */
  readonly helloRetryRequest: boolean;
  /** The bytes at `start` are not a handshake record (an alert, another protocol): the peer answered something else. */
  readonly other: boolean;
}

/** Offset of the ServerHello random in a handshake message: type, 3-byte length, 2-byte version. */
const RANDOM_AT = 6;

/**
 * Counts the whole handshake messages in `bytes` from `start`, up to `want`. With `records`,
 * the bytes are TLS records, read only when whole (change_cipher_spec records between hellos
 * are skipped); without,
 * bare handshake messages (a QUIC CRYPTO stream).
 * @example handshakeProgress(serverBytes, 0, true, 1).messages === 1 // the ServerHello is whole
 */
export function handshakeProgress(
  bytes: Uint8Array,
  start: number,
  records: boolean,
  want: number,
): HandshakeProgress {
  const m = counter;
  m.firstLength = 0;
  m.messages = 0;
  m.header = 0;
  m.length = 0;
  m.missing = 0;
  let other = false;
  if (!records) feed(m, bytes, start, bytes.length, want);
  else {
    let pos = start;
    while (pos + 5 <= bytes.length && m.messages < want) {
      const type = bytes[pos];
      const recordLength = (bytes[pos + 3] << 8) | bytes[pos + 4];
      if (type !== CONTENT_TYPES.handshake && type !== CONTENT_TYPES.change_cipher_spec) {
        other = pos === start || m.messages === 0;
        break;
      }
      const end = pos + 5 + recordLength;
      // Only whole records count: a decoder reads records whole.
      if (end > bytes.length) break;
      if (type === CONTENT_TYPES.handshake) feed(m, bytes, pos + 5, end, want);
      pos = end;
    }
  }
  const first = m.first;
  let helloRetryRequest = false;
  if (m.messages > 0 && first[0] === 2 && m.firstLength >= first.length) {
    helloRetryRequest = true;
    for (let i = 0; i < HELLO_RETRY_REQUEST_RANDOM.length; i++) {
      if (first[RANDOM_AT + i] !== HELLO_RETRY_REQUEST_RANDOM[i]) helloRetryRequest = false;
    }
  }
  return { messages: m.messages, helloRetryRequest, other };
}

/**
 * The count in progress: whole messages, the first message's leading bytes (enough to see
 * a HelloRetryRequest), and the message being read (header bytes seen, 0-4, and body bytes
 * still missing). One record, reused: the count runs for every packet of a connection.
 */
interface Counter {
  readonly first: Uint8Array;
  firstLength: number;
  messages: number;
  header: number;
  length: number;
  missing: number;
}

const counter: Counter = {
  first: new Uint8Array(RANDOM_AT + HELLO_RETRY_REQUEST_RANDOM.length),
  firstLength: 0,
  messages: 0,
  header: 0,
  length: 0,
  missing: 0,
};

/** Counts the messages in `bytes[from, to)`, the continuation of what `m` has read, up to `want`. */
function feed(m: Counter, bytes: Uint8Array, from: number, to: number, want: number): void {
  const first = m.first;
  let i = from;
  while (i < to && m.messages < want) {
    if (m.header < 4) {
      const b = bytes[i++];
      if (m.messages === 0 && m.firstLength < first.length) first[m.firstLength++] = b;
      m.length = m.header === 0 ? 0 : (m.length << 8) | b;
      m.header++;
      if (m.header === 4) {
        m.missing = m.length;
        if (m.missing === 0) {
          m.messages++;
          m.header = 0;
        }
      }
      continue;
    }
    const take = Math.min(m.missing, to - i);
    if (m.messages === 0) {
      const copy = Math.min(take, first.length - m.firstLength);
      for (let k = 0; k < copy; k++) first[m.firstLength + k] = bytes[i + k];
      m.firstLength += Math.max(copy, 0);
    }
    i += take;
    m.missing -= take;
    if (m.missing === 0) {
      m.messages++;
      m.header = 0;
    }
  }
}
