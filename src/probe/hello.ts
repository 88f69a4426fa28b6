/**
 * The second ClientHello that answers a HelloRetryRequest (RFC 8446 §4.1.2: the same hello,
 * a new key share for the requested group, the cookie echoed, early_data removed), and small
 * readers of hello fields the probe needs.
 */
import type { KeyShare } from '../crypto/key-share.ts';
import { encodeBody } from '../extensions/block.ts';
import { keyShareCodec } from '../extensions/key-share.ts';
import type { Extension } from '../extensions/types.ts';
import { EXTENSION_NAMES } from '../extensions/values.ts';
import { encodeClientHelloMessage } from '../handshake/client-hello.ts';
import { firstExtensionBody, keyShareGroups, supportedVersions } from '../handshake/hello-fields.ts';

/** The SNI host name a hello carries, or null. */
export { helloServerName } from '../handshake/hello-fields.ts';

import type { ClientHello } from '../handshake/types.ts';
import type { HelloWithKeyShares } from './types.ts';

/**
 * Extension type codes by name: the registry's table (`EXTENSION_NAMES`), with `alpn` as the
 * short name of application_layer_protocol_negotiation.
 */
export const EXT: typeof EXTENSION_NAMES & { readonly alpn: 16 } = {
  ...EXTENSION_NAMES,
  alpn: EXTENSION_NAMES.application_layer_protocol_negotiation,
};

/** client_shares for `shares`, written by the key_share registry row. */
function keyShareBody(shares: readonly KeyShare[]): Uint8Array {
  return encodeBody(keyShareCodec, {
    clientShares: shares.map((s) => ({ group: s.group, keyExchange: s.keyExchange })),
  });
}

/**
 * The ClientHello that answers a HelloRetryRequest: `hello` with its key_share replaced by
 * `newShares` (when the server selected a group), the HRR's cookie extension echoed right
 * after key_share, and early_data and pre_shared_key removed (a PSK binder would need the
 * new transcript). Forged lengths are dropped; the record version becomes 0x0303 and the
 * number of records is kept.
 */
export function secondClientHello(
  hello: ClientHello,
  newShares: readonly KeyShare[] | null,
  cookieBody: Uint8Array | null,
): ClientHello {
  const out: Extension[] = [];
  let cookieAdded = false;
  for (const e of hello.extensions ?? []) {
    if (e.type === EXT.early_data || e.type === EXT.pre_shared_key || e.type === EXT.cookie) continue;
    if (e.type === EXT.key_share) {
      out.push(
        newShares ? { type: EXT.key_share, body: keyShareBody(newShares) } : { type: e.type, body: e.body },
      );
      if (cookieBody) {
        out.push({ type: EXT.cookie, body: cookieBody });
        cookieAdded = true;
      }
      continue;
    }
    out.push({ type: e.type, body: e.body });
  }
  if (cookieBody && !cookieAdded) out.push({ type: EXT.cookie, body: cookieBody });
  const second: ClientHello = {
    legacyVersion: hello.legacyVersion,
    random: hello.random,
    legacySessionId: hello.legacySessionId,
    cipherSuites: hello.cipherSuites,
    legacyCompressionMethods: hello.legacyCompressionMethods,
    extensions: out,
    record: { version: 0x0303 },
  };
  const records = hello.record?.fragments?.length ?? 1;
  if (records <= 1) return second;
  // The message length changed, so split it into as many near-equal records as the first hello used.
  const length = encodeClientHelloMessage(second).length;
  const count = Math.min(records, length);
  const base = Math.floor(length / count);
  const fragments = Array.from({ length: count }, (_, i) => base + (i < length % count ? 1 : 0));
  return { ...second, record: { version: 0x0303, fragments } };
}

/**
 * `hello` with the entries of its key_share extension replaced by `shares` (made earlier),
 * everything else unchanged; the shares' private halves ride along for decryption.
 * @throws {TypeError} when the hello has no key_share extension
 */
export function withKeyShares(hello: ClientHello, shares: readonly KeyShare[]): HelloWithKeyShares {
  const extensions = hello.extensions ?? [];
  if (!extensions.some((e) => e.type === EXT.key_share))
    throw new TypeError('the hello has no key_share extension to put the shares in');
  return {
    ...hello,
    extensions: extensions.map((e) =>
      e.type === EXT.key_share ? { type: e.type, body: keyShareBody(shares) } : e,
    ),
    keyShares: shares,
  };
}

/** The raw extension (type and body) of code `type` in `extensions`, if present; `findExtension` in `hellokit` gives the typed value by name. */
export function findRawExtension(
  extensions: readonly Extension[] | null,
  type: number,
): Extension | undefined {
  return extensions?.find((e) => e.type === type);
}

/** The versions a hello offers: supported_versions, or legacy_version when it has none. */
export function helloVersions(hello: ClientHello): number[] {
  const body = firstExtensionBody(hello, EXT.supported_versions);
  return body === undefined ? [hello.legacyVersion] : supportedVersions(body);
}

/** The groups of the key_share entries a hello carries. */
export function helloKeyShareGroups(hello: ClientHello): number[] {
  const body = firstExtensionBody(hello, EXT.key_share);
  return body === undefined ? [] : keyShareGroups(body);
}
