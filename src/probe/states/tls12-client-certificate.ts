/**
 * TLS 1.2 client authentication as a client without a certificate meets it (RFC 5246 §7.4.6):
 * after the server's ServerHelloDone, with `answerCertificateRequest`, the client sends an empty
 * Certificate, an ECDHE ClientKeyExchange on the group of the server's ServerKeyExchange
 * (RFC 8422 §5.7), ChangeCipherSpec and its Finished (§7.4.9) sealed with keys from the master
 * secret (RFC 7627's extended one when the server echoed extended_master_secret). A server that
 * requires a certificate refuses with an alert (OpenSSL handshake_failure, Go bad_certificate,
 * …) when the empty Certificate comes; one that lets such a client in answers the Finished with
 * its own ChangeCipherSpec (a NewSessionTicket may come first). Covered: ECDHE suites with
 * AES-GCM or ChaCha20-Poly1305 on the groups the key shares compute; for any other suite the
 * request stays unanswered (`requested`).
 */
import { concatBytes } from '../../bytes/hex.ts';
import { Writer } from '../../bytes/writer.ts';
import { type HashName, hashBytes } from '../../crypto/key-schedule.ts';
import { deriveSharedSecret, generateKeyShare, type KeyShare } from '../../crypto/key-share.ts';
import { tls12ExtendedMasterSecret, tls12MasterSecret, tls12Prf } from '../../crypto/tls12-prf.ts';
import { sealTls12Record, tls12Aead, tls12KeyBlock } from '../../crypto/tls12-record.ts';
import { HANDSHAKE_TYPES, writeHandshake } from '../../handshake/header.ts';
import type { ReassembledMessage } from '../../handshake/reassembler.ts';
import { cipherSuiteInfo } from '../../iana/lookup.ts';
import { encodeRecord } from '../../records/record.ts';
import { accepted, CHANGE_CIPHER_SPEC, DEFAULT_CERTIFICATE_WAIT_MS } from './client-certificate.ts';
import type { EngineContext } from './context.ts';
import type { Negotiated, ProbeState } from './types.ts';

const EXTENDED_MASTER_SECRET = 23;

function handshake(type: number, body: (w: Writer) => void): Uint8Array {
  const w = new Writer(128);
  writeHandshake(w, type, body);
  return w.finish();
}

/**
 * At the server's ServerHelloDone: when the server asked for a certificate and the options say
 * to answer, sends the client's flight and returns the state that waits for the verdict;
 * otherwise undefined (the probe stops there, as it does for every TLS 1.2 flight).
 */
export function answerTls12CertificateRequest(
  negotiated: Negotiated,
  ctx: EngineContext,
): ProbeState | undefined {
  const request = ctx.found.certificateRequest;
  const flight = negotiated.tls12;
  const clientHello = ctx.clientHello1Message;
  const clientRandom = ctx.lastSent?.random;
  if (!ctx.options.answerCertificateRequest || !request || request.context !== null) return undefined;
  if (!flight?.ecdhe || !clientHello || clientRandom?.length !== 32) return undefined;
  const sh = negotiated.serverHello;
  const suite = cipherSuiteInfo(sh.cipherSuite);
  const aead = suite && suite.keyExchange === 'ECDHE' ? tls12Aead(suite.cipher) : undefined;
  if (!suite || !aead) return undefined;
  const hash: HashName = suite.hash === 'SHA384' ? 'sha384' : 'sha256';
  let share: KeyShare;
  let preMasterSecret: Uint8Array;
  try {
    share = generateKeyShare(flight.ecdhe.group);
    preMasterSecret = deriveSharedSecret(share, flight.ecdhe.point);
  } catch {
    // A group the key shares do not compute, or a share that is not a point: not answered.
    return undefined;
  }
  const certificate = handshake(HANDSHAKE_TYPES.certificate, (w) => w.u24(0, 'certificate_list'));
  const keyExchange = handshake(HANDSHAKE_TYPES.client_key_exchange, (w) =>
    w.vector(1, 'ecdh_Yc', share.keyExchange),
  );
  const transcript = concatBytes(clientHello, ...flight.messages, certificate, keyExchange);
  const ems = (sh.extensions ?? []).some((e) => e.type === EXTENDED_MASTER_SECRET);
  const masterSecret = ems
    ? tls12ExtendedMasterSecret(hash, preMasterSecret, hashBytes(hash, transcript))
    : tls12MasterSecret(hash, preMasterSecret, clientRandom, sh.random);
  const verifyData = tls12Prf(hash, masterSecret, 'client finished', hashBytes(hash, transcript), 12);
  const finished = handshake(HANDSHAKE_TYPES.finished, (w) => w.bytes(verifyData));
  const { client } = tls12KeyBlock(hash, aead, masterSecret, clientRandom, sh.random);
  ctx.send.push(
    encodeRecord({ contentType: 22, version: 0x0303, fragment: concatBytes(certificate, keyExchange) }),
  );
  ctx.send.push(CHANGE_CIPHER_SPEC);
  ctx.send.push(sealTls12Record(client, 22, finished));
  request.alertsBefore = ctx.found.alerts.length;
  ctx.waitMs = ctx.options.certificateWaitMs ?? DEFAULT_CERTIFICATE_WAIT_MS;
  return new ExpectTls12CertificateVerdict();
}

/**
 * Waits for the server's answer to the client's flight. An alert is read by the engine and stops
 * it (the result reads it as the refusal, unless it says the client's own records were wrong);
 * the server's ChangeCipherSpec, or a NewSessionTicket before it, means it took the Finished. A
 * TLS 1.2 server that accepts must answer, so silence tells nothing (the request stays `requested`).
 */
export class ExpectTls12CertificateVerdict implements ProbeState {
  readonly name = 'ExpectTls12CertificateVerdict' as const;

  handle(m: ReassembledMessage, ctx: EngineContext): ProbeState {
    // RFC 5077 §3.3: the ticket comes before the server's ChangeCipherSpec.
    if (m.msgType === HANDSHAKE_TYPES.new_session_ticket) return accepted(ctx, 'new_session_ticket');
    return ctx.unexpected('a NewSessionTicket, a ChangeCipherSpec or an alert', m);
  }

  changeCipherSpec(ctx: EngineContext): ProbeState {
    return accepted(ctx, 'change_cipher_spec');
  }
}
