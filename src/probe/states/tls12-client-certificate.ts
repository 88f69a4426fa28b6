/**
 * TLS 1.2 client authentication as a client without a certificate meets it (RFC 5246 §7.4.6):
 * after the server's ServerHelloDone, with `answerCertificateRequest`, the client sends an empty
 * Certificate, a ClientKeyExchange for the server's ECDHE share or DHE parameters, ChangeCipherSpec
 * and its Finished (§7.4.9) sealed with keys from the master secret (RFC 7627's extended one
 * when the server echoed extended_master_secret). A server that
 * requires a certificate refuses with an alert (OpenSSL handshake_failure, Go bad_certificate,
 * …) when the empty Certificate comes; one that lets such a client in answers the Finished with
 * its own ChangeCipherSpec (a NewSessionTicket may come first). Covered: ECDHE (on the groups
 * the key shares compute), DHE and RSA key exchange, with AES-GCM, ChaCha20-Poly1305 or AES-CBC
 * with HMAC (src/crypto/tls12-record.ts); for other ciphers the request stays unanswered
 * (`requested`).
 */
import { concatBytes } from '../../bytes/hex.ts';
import { Writer } from '../../bytes/writer.ts';
import { dheAgree } from '../../crypto/ffdhe.ts';
import { type HashName, hashBytes } from '../../crypto/key-schedule.ts';
import { deriveSharedSecret, generateKeyShare } from '../../crypto/key-share.ts';
import { systemRandom } from '../../crypto/random.ts';
import { rsaPkcs1Encrypt } from '../../crypto/rsa-encrypt.ts';
import { tls12ExtendedMasterSecret, tls12MasterSecret, tls12Prf } from '../../crypto/tls12-prf.ts';
import { sealTls12Record, tls12KeyBlock, tls12RecordCipher } from '../../crypto/tls12-record.ts';
import { HANDSHAKE_TYPES, writeHandshake } from '../../handshake/header.ts';
import type { ReassembledMessage } from '../../handshake/reassembler.ts';
import { cipherSuiteInfo } from '../../iana/lookup.ts';
import { encodeRecord } from '../../records/record.ts';
import { EXT, findRawExtension } from '../hello.ts';
import { rsaPublicKey } from '../rsa-public-key.ts';
import { accepted, CHANGE_CIPHER_SPEC, DEFAULT_CERTIFICATE_WAIT_MS } from './client-certificate.ts';
import type { EngineContext } from './context.ts';
import type { Negotiated, ProbeState, Tls12Flight } from './types.ts';

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
  if (!flight || !clientHello || clientRandom?.length !== 32) return undefined;
  const sh = negotiated.serverHello;
  const suite = cipherSuiteInfo(sh.cipherSuite);
  const protection = suite ? tls12RecordCipher(suite.cipher, suite.mac) : undefined;
  const exchange = suite
    ? keyExchange(suite.keyExchange, flight, ctx.found.certificateChain[0], ctx.lastSent?.legacyVersion)
    : undefined;
  if (!suite || !protection || !exchange) return undefined;
  const hash: HashName = suite.hash === 'SHA384' ? 'sha384' : 'sha256';
  const certificate = handshake(HANDSHAKE_TYPES.certificate, (w) => w.u24(0, 'certificate_list'));
  const transcript = concatBytes(clientHello, ...flight.messages, certificate, exchange.message);
  const has = (type: number) => findRawExtension(sh.extensions, type) !== undefined;
  const masterSecret = has(EXT.extended_master_secret)
    ? tls12ExtendedMasterSecret(hash, exchange.preMasterSecret, hashBytes(hash, transcript))
    : tls12MasterSecret(hash, exchange.preMasterSecret, clientRandom, sh.random);
  const verifyData = tls12Prf(hash, masterSecret, 'client finished', hashBytes(hash, transcript), 12);
  const finished = handshake(HANDSHAKE_TYPES.finished, (w) => w.bytes(verifyData));
  const { client } = tls12KeyBlock(
    hash,
    { ...protection, encryptThenMac: has(EXT.encrypt_then_mac) },
    masterSecret,
    clientRandom,
    sh.random,
  );
  ctx.send.push(
    encodeRecord({ contentType: 22, version: 0x0303, fragment: concatBytes(certificate, exchange.message) }),
  );
  ctx.send.push(CHANGE_CIPHER_SPEC);
  ctx.send.push(sealTls12Record(client, 22, finished));
  request.alertsBefore = ctx.found.alerts.length;
  ctx.waitMs = ctx.options.certificateWaitMs ?? DEFAULT_CERTIFICATE_WAIT_MS;
  return new ExpectTls12CertificateVerdict();
}

/**
 * The ClientKeyExchange for the server's ECDHE share (RFC 8422 §5.7: the point, a 1-byte length),
 * DHE parameters (RFC 5246 §7.4.7.2: Yc, a 2-byte length) or RSA certificate (§7.4.7.1: the
 * encrypted pre-master secret), and the pre-master secret; none for another key exchange, a
 * group the key shares do not compute, or a share or key that is not valid.
 */
function keyExchange(
  kind: string,
  flight: Tls12Flight,
  leaf: Uint8Array | undefined,
  clientVersion: number | undefined,
): { readonly message: Uint8Array; readonly preMasterSecret: Uint8Array } | undefined {
  try {
    if (kind === 'RSA' && leaf && clientVersion !== undefined) {
      // RFC 5246 §7.4.7.1: client_version (the hello's) and 46 random bytes, encrypted to the
      // key of the server's certificate.
      const key = rsaPublicKey(leaf);
      if (!key) return undefined;
      const preMasterSecret = concatBytes(
        Uint8Array.of(clientVersion >> 8, clientVersion & 0xff),
        systemRandom(46),
      );
      const encrypted = rsaPkcs1Encrypt(key.n, key.e, preMasterSecret, systemRandom);
      const message = handshake(HANDSHAKE_TYPES.client_key_exchange, (w) =>
        w.vector(2, 'encrypted_pre_master_secret', encrypted),
      );
      return { message, preMasterSecret };
    }
    const params = flight.serverKeyExchange;
    if (kind === 'ECDHE' && params?.kind === 'ecdhe') {
      const share = generateKeyShare(params.namedGroup);
      const preMasterSecret = deriveSharedSecret(share, params.point);
      const message = handshake(HANDSHAKE_TYPES.client_key_exchange, (w) =>
        w.vector(1, 'ecdh_Yc', share.keyExchange),
      );
      return { message, preMasterSecret };
    }
    if (kind === 'DHE' && params?.kind === 'dhe') {
      const agreed = dheAgree(params.p, params.g, params.ys, systemRandom);
      const message = handshake(HANDSHAKE_TYPES.client_key_exchange, (w) =>
        w.vector(2, 'dh_Yc', agreed.keyExchange),
      );
      return { message, preMasterSecret: agreed.secret };
    }
  } catch {
    // Not answered: the request stays `requested`.
  }
  return undefined;
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
