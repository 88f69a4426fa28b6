/**
 * ExpectServerHello: the first state. A ServerHello leads to the TLS 1.2 flight
 * (ExpectServerCertificate) or, with the TLS 1.3 handshake keys computed, to the encrypted
 * flight (ExpectEncryptedExtensions); a HelloRetryRequest is answered by a second ClientHello
 * (hello-retry.ts) and leads back here with the new shares and the retry in the transcript.
 */
import { deriveSharedSecret, type KeyShare } from '../../crypto/key-share.ts';
import type { Extension } from '../../extensions/types.ts';
import { HANDSHAKE_TYPES, handshakeTypeName } from '../../handshake/header.ts';
import type { ReassembledMessage } from '../../handshake/reassembler.ts';
import type { ServerHello } from '../../handshake/server-hello.ts';
import {
  cipherSuiteName,
  extensionTypeName,
  groupName,
  versionInfo,
  versionName,
} from '../../iana/lookup.ts';
import { EXT, findRawExtension } from '../hello.ts';
import type { ProbeExtension } from '../types.ts';
import { selectedAlpn, serverShare } from '../violations.ts';
import type { EngineContext } from './context.ts';
import { answerHelloRetryRequest } from './hello-retry.ts';
import { ExpectServerCertificate } from './tls12.ts';
import { ExpectEncryptedExtensions } from './tls13.ts';
import { handshakeKeys } from './tls13-keys.ts';
import { DONE, type Negotiated, type ProbeState } from './types.ts';

const TLS13 = 0x0304;

/** What a HelloRetryRequest leaves for the ServerHello after it. */
export interface RetryState {
  /** The HelloRetryRequest as parsed (the conformance rules compare the ServerHello with it). */
  readonly parsed: ServerHello;
  /** The HRR and second ClientHello messages, for the transcript; absent when none was sent. */
  readonly messages?: { readonly helloRetryRequest: Uint8Array; readonly clientHello2: Uint8Array };
}

/** The extensions of a server message as the result shows them. */
export function probeExtensions(list: readonly Extension[] | null): ProbeExtension[] {
  return (list ?? []).map((e) => ({ type: e.type, name: extensionTypeName(e.type), body: e.body }));
}

/** `TLS 1.3`, `TLS 1.2`, … from the iana version table, or the hex code of a value it lacks. */
export function versionLabel(version: number): string {
  return versionInfo(version) ? versionName(version) : `0x${version.toString(16).padStart(4, '0')}`;
}

/** Waits for the ServerHello or a HelloRetryRequest (RFC 8446 §4.1.3–4.1.4, RFC 5246 §7.4.1.3). */
export class ExpectServerHello implements ProbeState {
  readonly name = 'ExpectServerHello' as const;
  /** The shares the ClientHello being answered carried (private halves included). */
  readonly keyShares: readonly KeyShare[];
  /** Set after a HelloRetryRequest. */
  readonly retry?: RetryState;

  constructor(keyShares: readonly KeyShare[], retry?: RetryState) {
    this.keyShares = keyShares;
    if (retry) this.retry = retry;
  }

  handle(m: ReassembledMessage, ctx: EngineContext): ProbeState {
    // RFC 5246 §7.4.1.1: a HelloRequest may come at any time and is ignored during a handshake.
    if (m.msgType === HANDSHAKE_TYPES.hello_request) return this;
    if (m.msgType !== HANDSHAKE_TYPES.server_hello) {
      ctx.found.serverMessages.push(handshakeTypeName(m.msgType));
      return ctx.unexpected('a ServerHello', m);
    }
    const parsed = ctx.parse(m.raw);
    if (parsed === null) return DONE;
    if (parsed.type !== 'server_hello') return this;
    if (parsed.helloRetryRequest) {
      ctx.found.serverMessages.push('hello_retry_request');
      const answer = answerHelloRetryRequest(this, parsed, m.raw, ctx);
      return 'handle' in answer ? answer : new ExpectServerHello(answer.keyShares, answer.retry);
    }
    ctx.found.serverMessages.push(handshakeTypeName(m.msgType));
    return this.serverHello(parsed, m.raw, ctx);
  }

  private serverHello(sh: ServerHello, raw: Uint8Array, ctx: EngineContext): ProbeState {
    const tls13 = sh.version >= TLS13;
    const share = tls13 ? serverShare(sh) : null;
    const negotiated: Negotiated = {
      serverHello: sh,
      receivedAt: ctx.found.bytesReceived,
      ...(tls13 ? {} : { tls12: { messages: [raw] } }),
    };
    const mine = share ? this.keyShares.find((s) => s.group === share.group) : undefined;
    let secret: Uint8Array | Error | undefined;
    const sharedSecret = (): Uint8Array => {
      if (!mine || !share) throw new TypeError('no key share of ours for the server share');
      if (secret === undefined) {
        try {
          secret = deriveSharedSecret(mine, share.keyExchange);
        } catch (e) {
          secret = e as Error;
        }
      }
      if (secret instanceof Error) throw secret;
      return secret;
    };
    const group = tls13 ? (share?.group ?? null) : null;
    ctx.found.serverHello = {
      version: sh.version,
      versionName: versionLabel(sh.version),
      cipherSuite: sh.cipherSuite,
      cipherSuiteName: cipherSuiteName(sh.cipherSuite),
      group,
      groupName: group === null ? null : groupName(group),
      alpn: tls13 ? null : selectedAlpn(findRawExtension(sh.extensions, EXT.alpn), 'server_hello'),
      random: sh.random,
      legacySessionIdEcho: sh.legacySessionIdEcho,
      downgrade: sh.downgrade,
      extensions: probeExtensions(sh.extensions),
    };
    const { options } = ctx;
    // The share is checked by computing the secret only when the probe goes on to decrypt
    // (scans that stop at the ServerHello pay no key agreement); its size is always checked.
    const decrypting = !options.stopAfterServerHello && options.decrypt !== false;
    const previousRetry = this.retry?.parsed ?? null;
    const aborted = ctx.conformServerHello(
      sh,
      previousRetry,
      this.keyShares,
      decrypting ? sharedSecret : undefined,
    );
    if (aborted) return aborted;
    if (options.stopAfterServerHello) return ctx.stop('server_hello');
    if (!tls13) return new ExpectServerCertificate(negotiated);
    if (options.decrypt === false) return ctx.stop('server_hello');
    if (!share)
      return ctx.stop(
        'server_hello',
        'the TLS 1.3 ServerHello has no key_share (a PSK-only handshake?), nothing to decrypt with',
      );
    if (!mine)
      return ctx.stop(
        'server_hello',
        `the server answered with a ${groupName(share.group)} share, but the hello's private key shares do not include that group`,
      );
    const clientHello1 = ctx.clientHello1Message;
    if (!clientHello1)
      return ctx.stop(
        'server_hello',
        'the bytes sent carry no whole ClientHello message to start the transcript with',
      );
    const keys = handshakeKeys(sh.cipherSuite, sharedSecret, {
      clientHello1,
      ...(this.retry?.messages ? { retry: this.retry.messages } : {}),
      serverHello: raw,
    });
    if (keys instanceof Error) return ctx.stop('server_hello', keys.message);
    ctx.keyLog({
      clientHandshakeTrafficSecret: keys.secrets.clientHandshakeTrafficSecret,
      serverHandshakeTrafficSecret: keys.secrets.serverHandshakeTrafficSecret,
    });
    return new ExpectEncryptedExtensions(negotiated, keys);
  }
}
