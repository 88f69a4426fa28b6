/**
 * The TLS 1.3 handshake keys a ServerHello gives (RFC 8446 §7.1): the transcript from the first
 * ClientHello (or its message_hash after a HelloRetryRequest, §4.4.1) through the ServerHello,
 * the handshake secrets and the record protection of both directions; and the opening of one
 * protected record of the server's flight.
 */
import { cipherSuiteParams, handshakeSecrets, Transcript } from '../../crypto/key-schedule.ts';
import {
  createRecordProtection,
  type DecryptedRecord,
  decryptRecord,
} from '../../crypto/record-protection.ts';
import { HandshakeReassembler } from '../../handshake/reassembler.ts';
import { type DecodedRecord, encodeRecord } from '../../records/record.ts';
import type { HandshakeKeys } from './types.ts';

/** The handshake messages the transcript holds when the ServerHello has been read. */
export interface TranscriptMessages {
  readonly clientHello1: Uint8Array;
  /** The HelloRetryRequest and the second ClientHello, when there was a retry. */
  readonly retry?: { readonly helloRetryRequest: Uint8Array; readonly clientHello2: Uint8Array };
  readonly serverHello: Uint8Array;
}

/**
 * The handshake keys for `cipherSuite` and the (EC)DHE/KEM shared secret, or the error that
 * prevents them (a suite without TLS 1.3 parameters, a share that does not agree).
 */
export function handshakeKeys(
  cipherSuite: number,
  sharedSecret: () => Uint8Array,
  messages: TranscriptMessages,
): HandshakeKeys | Error {
  let params: ReturnType<typeof cipherSuiteParams>;
  let ikm: Uint8Array;
  try {
    params = cipherSuiteParams(cipherSuite);
    ikm = sharedSecret();
  } catch (e) {
    return e as Error;
  }
  const transcript = messages.retry
    ? Transcript.afterHelloRetryRequest(
        params.hash,
        messages.clientHello1,
        messages.retry.helloRetryRequest,
      ).update(messages.retry.clientHello2)
    : new Transcript(params.hash).update(messages.clientHello1);
  transcript.update(messages.serverHello);
  const secrets = handshakeSecrets(params.hash, ikm, transcript.digest());
  return {
    transcript,
    secrets,
    server: createRecordProtection(params, secrets.serverHandshakeTrafficSecret),
    client: createRecordProtection(params, secrets.clientHandshakeTrafficSecret),
    reassembler: new HandshakeReassembler(),
  };
}

/**
 * Opens one application_data record of the server's handshake flight.
 * @throws {Error} when it does not authenticate (wrong key, tampered, out of sequence)
 */
export function openRecord(keys: HandshakeKeys, record: DecodedRecord): DecryptedRecord {
  return decryptRecord(keys.server, encodeRecord(record).subarray(0, 5), record.fragment);
}
