/**
 * The answer to a HelloRetryRequest (RFC 8446 §4.1.4): the result records it, the conformance
 * rules read it, and — unless retrying is off, this is the second one, or no share can be made
 * for the group it selects — the second ClientHello (a new share, the cookie echoed) goes out.
 */
import { generateKeyShare, isSupportedKeyShareGroup, type KeyShare } from '../../crypto/key-share.ts';
import { systemRandom } from '../../crypto/random.ts';
import { encodeClientHello, encodeClientHelloMessage } from '../../handshake/client-hello.ts';
import type { ServerHello } from '../../handshake/server-hello.ts';
import type { ClientHello } from '../../handshake/types.ts';
import { cipherSuiteName, groupName } from '../../iana/lookup.ts';
import { changeCipherSpecRecord } from '../../records/change-cipher-spec.ts';
import { encodeRecord } from '../../records/record.ts';
import { EXT, findRawExtension, secondClientHello } from '../hello.ts';
import { extensionValue, retryGroup } from '../violations.ts';
import type { EngineContext } from './context.ts';
import type { RetryState } from './expect-server-hello.ts';
import { probeExtensions } from './expect-server-hello.ts';
import type { ProbeState } from './types.ts';

/** What the state after an answered HelloRetryRequest starts from: the new shares and the retry. */
export interface RetryAnswer {
  readonly keyShares: readonly KeyShare[];
  readonly retry: RetryState;
}

/** The state a HelloRetryRequest leads to: stopped, or the shares and transcript of the second ClientHello. */
export function answerHelloRetryRequest(
  previous: { readonly keyShares: readonly KeyShare[]; readonly retry?: RetryState },
  hrr: ServerHello,
  raw: Uint8Array,
  ctx: EngineContext,
): ProbeState | RetryAnswer {
  const selectedGroup = retryGroup(hrr);
  const cookie = findRawExtension(hrr.extensions, EXT.cookie);
  const cookieValue = extensionValue<{ cookie: Uint8Array }>(cookie, 'hello_retry_request')?.cookie;
  ctx.found.helloRetryRequest = {
    cipherSuite: hrr.cipherSuite,
    cipherSuiteName: cipherSuiteName(hrr.cipherSuite),
    selectedGroup,
    selectedGroupName: selectedGroup === null ? null : groupName(selectedGroup),
    cookieLength: cookieValue?.length ?? 0,
    extensions: probeExtensions(hrr.extensions),
  };
  const aborted = ctx.conformServerHello(hrr, previous.retry?.parsed ?? null, previous.keyShares);
  if (aborted) return aborted;
  if (ctx.found.retried)
    return ctx.stop(
      'hello_retry_request',
      'the server sent a second HelloRetryRequest; no third ClientHello is sent',
    );
  if (ctx.options.retryOnHelloRetryRequest === false) return ctx.stop('hello_retry_request');
  const hello = ctx.hello;
  if (!hello)
    return ctx.stop(
      'hello_retry_request',
      'the bytes sent do not parse as a ClientHello, so no second ClientHello can be built from them',
    );
  let newShares: KeyShare[] | null = null;
  if (selectedGroup !== null) {
    if (!isSupportedKeyShareGroup(selectedGroup))
      return ctx.stop(
        'hello_retry_request',
        `the server wants a key share for ${groupName(selectedGroup)}, which hellokit cannot make`,
      );
    newShares = [generateKeyShare(selectedGroup, ctx.options.random ?? systemRandom)];
  }
  let second: ClientHello;
  let secondMessage: Uint8Array;
  let secondBytes: Uint8Array;
  try {
    // The cookie goes back as the server wrote it (RFC 8446 §4.2.2), whatever its codec reads.
    second = secondClientHello(hello, newShares, cookie?.body ?? null);
    secondMessage = encodeClientHelloMessage(second);
    secondBytes = encodeClientHello(second);
  } catch (e) {
    // a hello parsed leniently from raw bytes may hold fields the encoder refuses
    return ctx.stop(
      'hello_retry_request',
      `the second ClientHello cannot be encoded: ${(e as Error).message}`,
    );
  }
  ctx.found.sent.push(second);
  ctx.found.retried = true;
  // A client in middlebox compatibility mode (non-empty session id) sends change_cipher_spec
  // before its second flight (RFC 8446 D.4); servers accept it either way.
  if (hello.legacySessionId.length > 0) ctx.send.push(encodeRecord(changeCipherSpecRecord()));
  ctx.send.push(secondBytes);
  return {
    keyShares: newShares ?? previous.keyShares,
    retry: { parsed: hrr, messages: { helloRetryRequest: raw, clientHello2: secondMessage } },
  };
}
