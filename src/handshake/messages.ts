/**
 * One entry point for every handshake message: `parseHandshakeMessage` dispatches on
 * msg_type to a discriminated union, `encodeHandshakeMessage` writes any member back.
 */
import type { Problem } from '../bytes/errors.ts';
import { Reader } from '../bytes/reader.ts';
import { Writer } from '../bytes/writer.ts';
import {
  type Certificate,
  looksLikeTls12Certificate,
  readCertificateBody,
  writeCertificateBody,
} from './certificate.ts';
import {
  type CertificateRequest,
  looksLikeTls13CertificateRequest,
  readCertificateRequestBody,
  writeCertificateRequestBody,
} from './certificate-request.ts';
import {
  type CertificateVerify,
  readCertificateVerifyBody,
  writeCertificateVerifyBody,
} from './certificate-verify.ts';
import { readClientHelloBody, writeClientHelloBody } from './client-hello.ts';
import {
  type EncryptedExtensions,
  readEncryptedExtensionsBody,
  writeEncryptedExtensionsBody,
} from './encrypted-extensions.ts';
import { type EndOfEarlyData, readEndOfEarlyDataBody } from './end-of-early-data.ts';
import { type Finished, readFinishedBody } from './finished.ts';
import { HANDSHAKE_TYPES, handshakeTypeName, writeHandshake } from './header.ts';
import { type KeyUpdate, readKeyUpdateBody } from './key-update.ts';
import {
  looksLikeTls12Ticket,
  type NewSessionTicket,
  readNewSessionTicketBody,
  writeNewSessionTicketBody,
} from './new-session-ticket.ts';
import { readServerHelloBody, type ServerHello, writeServerHelloBody } from './server-hello.ts';
import { readServerHelloDoneBody, type ServerHelloDone } from './server-hello-done.ts';
import {
  readServerKeyExchangeBody,
  type ServerKeyExchange,
  writeServerKeyExchangeBody,
} from './server-key-exchange.ts';
import type { ClientHello } from './types.ts';

/** A ClientHello as a member of {@link HandshakeMessage}. */
export type ClientHelloMessage = ClientHello & { readonly type: 'client_hello' };

/** A message type hellokit does not decode (client_key_exchange, certificate_status, ...), kept raw. */
export interface UnknownHandshake {
  readonly type: 'unknown';
  readonly msgType: number;
  readonly body: Uint8Array;
}

/** Every handshake message hellokit reads, discriminated by `type`. */
export type HandshakeMessage =
  | ClientHelloMessage
  | ServerHello
  | EncryptedExtensions
  | Certificate
  | CertificateRequest
  | ServerKeyExchange
  | ServerHelloDone
  | CertificateVerify
  | Finished
  | NewSessionTicket
  | KeyUpdate
  | EndOfEarlyData
  | UnknownHandshake;

/** A parsed message with its msg_type, its exact bytes and (lenient) the problems found. */
export type ParsedHandshakeMessage = HandshakeMessage & {
  readonly msgType: number;
  /** Header and body as received. */
  readonly raw: Uint8Array;
  readonly problems?: readonly Problem[];
};

/** Options for {@link parseHandshakeMessage}. */
export interface ParseHandshakeOptions {
  /**
   * Negotiated version, which picks the TLS 1.2 or 1.3 form of Certificate,
   * CertificateRequest, NewSessionTicket and the signature fields. Without it the form is
   * guessed from the lengths.
   */
  readonly version?: number;
  /** Key exchange of the cipher suite, for ServerKeyExchange (default: guessed). */
  readonly keyExchange?: 'ecdhe' | 'dhe';
  /** Strict (default) or lenient (semantic faults collected in `problems`). */
  readonly strict?: boolean;
  /** Offset of `bytes[0]` in the caller's input. */
  readonly baseOffset?: number;
}

/**
 * Parses one whole handshake message (4-byte header and body). Zero-copy: byte fields are
 * views into `bytes`.
 * @example
 * const m = parseHandshakeMessage(bytes, { version: 0x0304 });
 * if (m.type === 'certificate') console.log(m.certificateList.length);
 * @throws {DecodeError} with a path such as `certificate.certificate_list[0].cert_data`
 */
export function parseHandshakeMessage(
  bytes: Uint8Array,
  options: ParseHandshakeOptions = {},
): ParsedHandshakeMessage {
  const name = bytes.length > 0 ? handshakeTypeName(bytes[0]) : 'handshake';
  const r = new Reader(bytes, {
    path: [name.startsWith('unknown') ? 'handshake' : name],
    strict: options.strict,
    baseOffset: options.baseOffset,
  });
  const msgType = r.u8('msg_type');
  const body = r.vector(3, 'length');
  const message = readHandshakeBody(body, msgType, options);
  r.done();
  const raw = bytes.subarray(0, r.pos);
  return {
    ...message,
    msgType,
    raw,
    ...(r.strict ? {} : { problems: [...r.problems] }),
  } as ParsedHandshakeMessage;
}

/**
 * Reads the body of a message of type `msgType` from `r` (bounded to the body, which must be
 * used up).
 */
export function readHandshakeBody(
  r: Reader,
  msgType: number,
  options: ParseHandshakeOptions = {},
): HandshakeMessage {
  const version = options.version;
  const bodyBytes = r.peek(r.remaining);
  switch (msgType) {
    case HANDSHAKE_TYPES.client_hello:
      return { type: 'client_hello', ...readClientHelloBody(r) };
    case HANDSHAKE_TYPES.server_hello:
      return readServerHelloBody(r);
    case HANDSHAKE_TYPES.encrypted_extensions:
      return readEncryptedExtensionsBody(r);
    case HANDSHAKE_TYPES.certificate: {
      const tls13 = version !== undefined ? version >= 0x0304 : !looksLikeTls12Certificate(bodyBytes);
      return readCertificateBody(r, tls13);
    }
    case HANDSHAKE_TYPES.certificate_request: {
      const tls13 = version !== undefined ? version >= 0x0304 : looksLikeTls13CertificateRequest(bodyBytes);
      return readCertificateRequestBody(
        r,
        tls13 ? 'tls13' : 'tls12',
        version === undefined || version >= 0x0303,
      );
    }
    case HANDSHAKE_TYPES.server_key_exchange:
      return readServerKeyExchangeBody(r, { keyExchange: options.keyExchange, version });
    case HANDSHAKE_TYPES.server_hello_done:
      return readServerHelloDoneBody(r);
    case HANDSHAKE_TYPES.certificate_verify:
      return readCertificateVerifyBody(r, version === undefined || version >= 0x0303);
    case HANDSHAKE_TYPES.finished:
      return readFinishedBody(r);
    case HANDSHAKE_TYPES.new_session_ticket: {
      const tls13 = version !== undefined ? version >= 0x0304 : !looksLikeTls12Ticket(bodyBytes);
      return readNewSessionTicketBody(r, tls13 ? 'tls13' : 'tls12');
    }
    case HANDSHAKE_TYPES.key_update:
      return readKeyUpdateBody(r);
    case HANDSHAKE_TYPES.end_of_early_data:
      return readEndOfEarlyDataBody(r);
    default:
      return { type: 'unknown', msgType, body: r.rest() };
  }
}

const MSG_TYPE_OF: Readonly<Record<Exclude<HandshakeMessage['type'], 'unknown'>, number>> = {
  client_hello: HANDSHAKE_TYPES.client_hello,
  server_hello: HANDSHAKE_TYPES.server_hello,
  encrypted_extensions: HANDSHAKE_TYPES.encrypted_extensions,
  certificate: HANDSHAKE_TYPES.certificate,
  certificate_request: HANDSHAKE_TYPES.certificate_request,
  server_key_exchange: HANDSHAKE_TYPES.server_key_exchange,
  server_hello_done: HANDSHAKE_TYPES.server_hello_done,
  certificate_verify: HANDSHAKE_TYPES.certificate_verify,
  finished: HANDSHAKE_TYPES.finished,
  new_session_ticket: HANDSHAKE_TYPES.new_session_ticket,
  key_update: HANDSHAKE_TYPES.key_update,
  end_of_early_data: HANDSHAKE_TYPES.end_of_early_data,
};

/**
 * The handshake message (header and body) for `m`, from its typed fields. Byte-identical to
 * the input for an unedited parse.
 */
export function encodeHandshakeMessage(m: HandshakeMessage): Uint8Array {
  const w = new Writer(256);
  const msgType = m.type === 'unknown' ? m.msgType : MSG_TYPE_OF[m.type];
  const handshakeOverride =
    m.type === 'client_hello' || m.type === 'server_hello' ? m.lengthOverrides?.handshake : undefined;
  writeHandshake(w, msgType, (w) => writeHandshakeBody(w, m), handshakeOverride);
  return w.finish();
}

/** Writes the body of `m`. */
export function writeHandshakeBody(w: Writer, m: HandshakeMessage): void {
  switch (m.type) {
    case 'client_hello':
      writeClientHelloBody(w, m);
      return;
    case 'server_hello':
      writeServerHelloBody(w, m);
      return;
    case 'encrypted_extensions':
      writeEncryptedExtensionsBody(w, m);
      return;
    case 'certificate':
      writeCertificateBody(w, m);
      return;
    case 'certificate_request':
      writeCertificateRequestBody(w, m);
      return;
    case 'server_key_exchange':
      writeServerKeyExchangeBody(w, m);
      return;
    case 'certificate_verify':
      writeCertificateVerifyBody(w, m);
      return;
    case 'finished':
      w.bytes(m.verifyData);
      return;
    case 'new_session_ticket':
      writeNewSessionTicketBody(w, m);
      return;
    case 'key_update':
      w.u8(m.requestUpdate, 'request_update');
      return;
    case 'server_hello_done':
    case 'end_of_early_data':
      return;
    case 'unknown':
      w.bytes(m.body);
      return;
  }
}
