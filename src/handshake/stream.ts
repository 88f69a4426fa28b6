/**
 * Decoding a captured byte stream (one direction of a connection, or a bare handshake
 * message): records with their offsets and the messages they carry. What `hellokit decode`
 * prints.
 */
import { DecodeError, type Problem } from '../bytes/errors.ts';
import { Reader } from '../bytes/reader.ts';
import { type Alert, decodeAlert } from '../records/alert.ts';
import { decodeChangeCipherSpec } from '../records/change-cipher-spec.ts';
import { notTlsError } from '../records/not-tls.ts';
import { CONTENT_TYPES, contentTypeName, isKnownContentType, readRecord } from '../records/record.ts';
import { offersTls13 } from './client-hello.ts';
import { handshakeTypeName } from './header.ts';
import { type ParsedHandshakeMessage, readHandshakeBody } from './messages.ts';
import {
  HandshakeReassembler,
  type ReassembledMessage,
  remapProblem,
  withInputOffsets,
} from './reassembler.ts';

/** A record as found in the stream. */
export interface StreamRecord {
  readonly index: number;
  /** Offset of the record header in the input. */
  readonly offset: number;
  readonly contentType: number;
  /** `handshake`, `alert`, ... or `unknown(N)`. */
  readonly contentTypeName: string;
  readonly version: number;
  readonly length: number;
  readonly fragment: Uint8Array;
}

/** Where a message came from. */
interface Place {
  /** Input offset of the message's first byte. */
  readonly offset: number;
  /** Index of the (first) record that carried it; -1 for bare handshake input. */
  readonly recordIndex: number;
}

/** A message found in the stream. Encrypted payloads stay opaque. */
export type StreamMessage =
  | (ParsedHandshakeMessage & Place)
  | (Alert & Place & { readonly type: 'alert' })
  | (Place & { readonly type: 'change_cipher_spec' })
  | (Place & {
      readonly type: 'application_data' | 'encrypted_handshake' | 'encrypted_alert' | 'opaque';
      readonly contentType: number;
      readonly data: Uint8Array;
    });

/** What {@link decodeStream} found. */
export interface DecodedStream {
  readonly records: StreamRecord[];
  readonly messages: StreamMessage[];
  /** Faults collected in lenient mode. */
  readonly problems: Problem[];
  /** The error decoding stopped at (everything before it is in `records`/`messages`), or null. */
  readonly error: DecodeError | null;
}

/** Options for {@link decodeStream}. */
export interface DecodeStreamOptions {
  /** Strict (default) or lenient. */
  readonly strict?: boolean;
  /** Negotiated version when known beforehand (else taken from the ServerHello seen). */
  readonly version?: number;
}

/** One thing {@link decodeStreamEvents} found, in input order. */
export type StreamEvent =
  | { readonly kind: 'record'; readonly record: StreamRecord }
  | { readonly kind: 'message'; readonly message: StreamMessage }
  | { readonly kind: 'problem'; readonly problem: Problem };

/**
 * Decodes records and the handshake messages reassembled from them (alerts,
 * change_cipher_spec and application data too). Input starting with a handshake type
 * instead of a content type is read as bare handshake messages. Decoding stops at the first
 * error, which is returned in `error` with everything decoded before it.
 *
 * After change_cipher_spec in TLS 1.2 and older, handshake and alert records are
 * encrypted and reported as `encrypted_handshake` / `encrypted_alert`.
 *
 * Record fragments (and encrypted data) are views into `bytes`; handshake messages are
 * decoded zero-copy from the buffer each was reassembled in, which is a copy.
 *
 * Holds everything in memory: for input of unknown size use {@link decodeStreamEvents}.
 *
 * @example
 * const { records, messages, error } = decodeStream(bytes);
 * for (const m of messages) console.log(m.offset, m.type);
 */
export function decodeStream(bytes: Uint8Array, options: DecodeStreamOptions = {}): DecodedStream {
  const records: StreamRecord[] = [];
  const messages: StreamMessage[] = [];
  const problems: Problem[] = [];
  const events = decodeStreamEvents(bytes, options);
  for (let next = events.next(); ; next = events.next()) {
    if (next.done) return { records, messages, problems, error: next.value };
    const event = next.value;
    if (event.kind === 'record') records.push(event.record);
    else if (event.kind === 'message') messages.push(event.message);
    else problems.push(event.problem);
  }
}

/**
 * {@link decodeStream} one record, message or problem at a time, so a consumer holds only
 * what it keeps: what `hellokit decode` prints as it goes. The generator returns the error
 * decoding stopped at, or null. Stopping early (`break`) decodes nothing further.
 * @example
 * const events = decodeStreamEvents(bytes);
 * for (let e = events.next(); !e.done; e = events.next()) if (e.value.kind === 'record') count++;
 */
export function* decodeStreamEvents(
  bytes: Uint8Array,
  options: DecodeStreamOptions = {},
): Generator<StreamEvent, DecodeError | null, undefined> {
  const state = new StreamState(options.strict ?? true, options.version);
  try {
    if (bytes.length > 0 && isBareHandshake(bytes[0])) {
      const reassembler = new HandshakeReassembler();
      // Fed in slices so that one push never returns more than a slice's worth of messages.
      for (let at = 0; at < bytes.length; at += BARE_SLICE)
        for (const m of reassembler.push(bytes.subarray(at, at + BARE_SLICE), at))
          yield* state.handshake(m, -1);
      reassembler.end();
    } else {
      yield* state.records(bytes);
    }
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
    return e;
  }
  return null;
}

/** Bytes of bare handshake input given to the reassembler at a time. */
const BARE_SLICE = 64 * 1024;

function isBareHandshake(first: number): boolean {
  return !isKnownContentType(first) && !handshakeTypeName(first).startsWith('unknown');
}

class StreamState {
  private version: number | undefined;
  private offeredTls13 = false;
  private sawHelloRetryRequest = false;
  private encrypted = false;
  private readonly strict: boolean;

  constructor(strict: boolean, version: number | undefined) {
    this.strict = strict;
    this.version = version;
  }

  *records(bytes: Uint8Array): Generator<StreamEvent, void, undefined> {
    const notTls = notTlsError(bytes.subarray(0, 32), 0);
    if (notTls) throw notTls;
    const r = new Reader(bytes, { path: ['records'], strict: this.strict });
    const reassembler = new HandshakeReassembler();
    for (let i = 0; !r.atEnd; i++) {
      const rec = r.enter(i, () => readRecord(r));
      for (const problem of r.problems.splice(0)) yield { kind: 'problem', problem };
      yield {
        kind: 'record',
        record: {
          index: i,
          offset: rec.offset,
          contentType: rec.contentType,
          contentTypeName: contentTypeName(rec.contentType),
          version: rec.version,
          length: rec.fragment.length,
          fragment: rec.fragment,
        },
      };
      const place = { offset: rec.offset + 5, recordIndex: i };
      if (rec.contentType !== CONTENT_TYPES.handshake && reassembler.pending > 0) {
        // RFC 8446 §5.1: handshake messages must not be interleaved with other record types.
        throw new DecodeError({
          code: 'unexpected-message',
          offset: rec.offset,
          path: `records[${i}].content_type`,
          alert: 'unexpected_message',
          detail: `${contentTypeName(rec.contentType)} record inside a handshake message that spans records`,
        });
      }
      switch (rec.contentType) {
        case CONTENT_TYPES.handshake:
          if (this.encrypted) {
            yield messageEvent({
              ...place,
              type: 'encrypted_handshake',
              contentType: rec.contentType,
              data: rec.fragment,
            });
          } else {
            for (const m of reassembler.push(rec.fragment, rec.offset + 5)) yield* this.handshake(m, i);
          }
          break;
        case CONTENT_TYPES.alert:
          if (this.encrypted) {
            yield messageEvent({
              ...place,
              type: 'encrypted_alert',
              contentType: rec.contentType,
              data: rec.fragment,
            });
          } else {
            const alert = decodeAlert(rec.fragment, {
              path: [`records[${i}]`, 'alert'],
              strict: this.strict,
              baseOffset: place.offset,
            });
            yield messageEvent({ ...place, type: 'alert', ...alert });
          }
          break;
        case CONTENT_TYPES.change_cipher_spec:
          decodeChangeCipherSpec(rec.fragment, {
            path: [`records[${i}]`, 'change_cipher_spec'],
            strict: this.strict,
            baseOffset: place.offset,
          });
          yield messageEvent({ ...place, type: 'change_cipher_spec' });
          this.encrypted = this.afterChangeCipherSpecIsEncrypted();
          break;
        case CONTENT_TYPES.application_data:
          yield messageEvent({
            ...place,
            type: 'application_data',
            contentType: rec.contentType,
            data: rec.fragment,
          });
          break;
        default:
          yield messageEvent({ ...place, type: 'opaque', contentType: rec.contentType, data: rec.fragment });
      }
    }
    reassembler.end();
  }

  /**
   * TLS 1.2 and older encrypt everything after change_cipher_spec. In TLS 1.3 it is the
   * compatibility record, and plaintext handshake can still follow it (a ServerHello after a
   * HelloRetryRequest, a second ClientHello).
   */
  private afterChangeCipherSpecIsEncrypted(): boolean {
    if (this.version !== undefined) return this.version < 0x0304;
    return !(this.offeredTls13 || this.sawHelloRetryRequest);
  }

  *handshake(m: ReassembledMessage, recordIndex: number): Generator<StreamEvent, void, undefined> {
    const name = handshakeTypeName(m.msgType);
    const r = new Reader(m.raw, {
      path: [name.startsWith('unknown') ? 'handshake' : name],
      strict: this.strict,
    });
    const message = withInputOffsets(m.segments, () => {
      r.u8('msg_type');
      const body = r.vector(3, 'length');
      return readHandshakeBody(body, m.msgType, { version: this.version });
    });
    const problems = r.problems.map((p) => remapProblem(p, m.segments));
    for (const problem of problems) yield { kind: 'problem', problem };
    if (message.type === 'client_hello' && message.extensions && offersTls13(message.extensions)) {
      this.offeredTls13 = true;
    }
    if (message.type === 'server_hello') {
      if (message.helloRetryRequest) this.sawHelloRetryRequest = true;
      else this.version = message.version;
    }
    yield messageEvent({
      ...message,
      msgType: m.msgType,
      raw: m.raw,
      offset: m.offset,
      recordIndex,
      ...(this.strict ? {} : { problems }),
    } as StreamMessage);
  }
}

function messageEvent(m: StreamMessage): StreamEvent {
  return { kind: 'message', message: m };
}
