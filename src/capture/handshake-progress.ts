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
  const first = new Uint8Array(RANDOM_AT + HELLO_RETRY_REQUEST_RANDOM.length);
  let firstLength = 0;
  let messages = 0;
  // The message being read: header bytes seen (0-4) and body bytes still missing.
  let header = 0;
  let length = 0;
  let missing = 0;
  const feed = (from: number, to: number): void => {
    let i = from;
    while (i < to && messages < want) {
      if (header < 4) {
        const b = bytes[i++];
        if (messages === 0 && firstLength < first.length) first[firstLength++] = b;
        length = header === 0 ? 0 : (length << 8) | b;
        header++;
        if (header === 4) {
          missing = length;
          if (missing === 0) {
            messages++;
            header = 0;
          }
        }
        continue;
      }
      const take = Math.min(missing, to - i);
      if (messages === 0) {
        const copy = Math.min(take, first.length - firstLength);
        if (copy > 0) first.set(bytes.subarray(i, i + copy), firstLength);
        firstLength += Math.max(copy, 0);
      }
      i += take;
      missing -= take;
      if (missing === 0) {
        messages++;
        header = 0;
      }
    }
  };
  let other = false;
  if (!records) feed(start, bytes.length);
  else {
    let pos = start;
    while (pos + 5 <= bytes.length && messages < want) {
      const type = bytes[pos];
      const recordLength = (bytes[pos + 3] << 8) | bytes[pos + 4];
      if (type !== CONTENT_TYPES.handshake && type !== CONTENT_TYPES.change_cipher_spec) {
        other = pos === start || messages === 0;
        break;
      }
      const end = pos + 5 + recordLength;
      // Only whole records count: a decoder reads records whole.
      if (end > bytes.length) break;
      if (type === CONTENT_TYPES.handshake) feed(pos + 5, end);
      pos = end;
    }
  }
  let helloRetryRequest = false;
  if (messages > 0 && first[0] === 2 && firstLength >= first.length) {
    helloRetryRequest = true;
    for (let i = 0; i < HELLO_RETRY_REQUEST_RANDOM.length; i++) {
      if (first[RANDOM_AT + i] !== HELLO_RETRY_REQUEST_RANDOM[i]) helloRetryRequest = false;
    }
  }
  return { messages, helloRetryRequest, other };
}
