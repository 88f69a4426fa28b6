/**
 * The shapes the probe's client states share: the state interface (rustls's `State` trait: take
 * the next message, return the next state), what a state knows once a ServerHello was read, and
 * the TLS 1.3 handshake keys the encrypted states read with.
 */
import type { HandshakeSecrets, Transcript } from '../../crypto/key-schedule.ts';
import type { RecordProtectionState } from '../../crypto/record-protection.ts';
import type { HandshakeReassembler, ReassembledMessage } from '../../handshake/reassembler.ts';
import type { ServerHello } from '../../handshake/server-hello.ts';
import type { ServerKeyExchange } from '../../handshake/server-key-exchange.ts';
import type { ProbeAlert } from '../types.ts';
import type { ServerViolation } from '../violations.ts';
import type { EngineContext } from './context.ts';

/** Every state of the engine, by the name its class has (states/*.ts). */
export type ProbeStateName =
  | 'ExpectServerHello'
  | 'ExpectServerCertificate'
  | 'ExpectServerKeyExchange'
  | 'ExpectServerHelloDone'
  | 'ExpectEncryptedExtensions'
  | 'ExpectCertificateOrCertificateRequest'
  | 'ExpectCertificate'
  | 'ExpectCertificateVerify'
  | 'ExpectFinished'
  | 'ExpectCertificateVerdict'
  | 'ExpectTls12CertificateVerdict'
  | 'AfterCloseNotify'
  | 'Done';

/** The ServerHello a state after it was reached by, and how many bytes had come when it was read. */
export interface Negotiated {
  readonly serverHello: ServerHello;
  /** `bytesReceived` when the ServerHello was read (every byte of that read counted). */
  readonly receivedAt: number;
  /** TLS 1.2: the server's flight as read so far, for a client that answers it. */
  readonly tls12?: Tls12Flight;
}

/**
 * The TLS 1.2 server flight kept for the client's own flight (RFC 5246 §7.4): the handshake
 * messages as received, from the ServerHello on (the transcript the Finished covers), and the
 * server's ECDHE share (RFC 8422 §5.4) or DHE parameters (RFC 5246 §7.4.3).
 */
export interface Tls12Flight {
  readonly messages: Uint8Array[];
  /** The ServerKeyExchange's parameters, as decoded. */
  serverKeyExchange?: ServerKeyExchange['params'];
}

/**
 * The TLS 1.3 handshake traffic keys (RFC 8446 §7.1) and the transcript hash so far; the
 * encrypted records of the server's flight are opened with `server`, the client's alert sealed
 * with `client`, and their handshake messages reassembled by `reassembler` (one message may
 * span records, one record may hold many).
 */
export interface HandshakeKeys {
  readonly transcript: Transcript;
  readonly secrets: HandshakeSecrets;
  readonly server: RecordProtectionState;
  readonly client: RecordProtectionState;
  readonly reassembler: HandshakeReassembler;
}

/**
 * One state of the client: it holds only what it needs and, given the server's next handshake
 * message, returns the next state (itself, another, or a stopped one from `ctx.stop`).
 */
export interface ProbeState {
  readonly name: ProbeStateName;
  /** Set once a ServerHello was read: the states of TLS 1.2 and of the encrypted TLS 1.3 flight. */
  readonly negotiated?: Negotiated;
  /** Set in the TLS 1.3 states: the server's records are then application_data, opened with these keys. */
  readonly keys?: HandshakeKeys;
  /** Takes one handshake message; the message's name is already in `serverMessages` except in ExpectServerHello. */
  handle(message: ReassembledMessage, ctx: EngineContext): ProbeState;
  /** Takes a TLS 1.3 application_data record (states without it stop: none may come before the server Finished). */
  applicationData?(ctx: EngineContext): ProbeState;
  /** Takes the end of the driver's wait (idle or whole-probe timeout); states without it stop with that reason. */
  silence?(ctx: EngineContext): ProbeState;
  /** Takes a ChangeCipherSpec record (states without it log it and go on: TLS 1.3 middlebox compatibility). */
  changeCipherSpec?(ctx: EngineContext): ProbeState;
}

/** What happened during one `receive` call, in order: for a driver or a test that follows the handshake. */
export type EngineEvent =
  | { readonly kind: 'state'; readonly state: ProbeStateName }
  | { readonly kind: 'message'; readonly name: string; readonly encrypted: boolean }
  | { readonly kind: 'alert'; readonly alert: ProbeAlert }
  | { readonly kind: 'violation'; readonly violation: ServerViolation };

/** A state that takes no more messages: reading has stopped (`ctx.found.stopReason` says why). */
class Stopped implements ProbeState {
  readonly name: 'Done' | 'AfterCloseNotify';
  constructor(name: 'Done' | 'AfterCloseNotify') {
    this.name = name;
  }
  handle(): ProbeState {
    return this;
  }
}

/** The engine has stopped reading. */
export const DONE: ProbeState = new Stopped('Done');
/** The server sent close_notify: any record after it is the server's violation (RFC 8446 §6.1). */
export const AFTER_CLOSE_NOTIFY: ProbeState = new Stopped('AfterCloseNotify');
