/**
 * Server conformance: the RFC rules a server's answer must keep, as one table (one row per
 * rule: its id, the RFC section, the alert a client aborts with, and the check). The probe
 * engine hands each event (a ServerHello or HelloRetryRequest, EncryptedExtensions, data
 * after close_notify, the end of the probe) to {@link checkConformance}; every rule for that
 * event reports what it finds as a {@link ServerViolation}. docs/violations.md lists the rules.
 *
 * Platform-neutral: the rows read typed extension values through the extension registry
 * (`decodeExtensionBody`) and the hello's fields through `handshake/hello-fields`.
 */
import { equalBytes } from '../bytes/hex.ts';
import type { KeyShare } from '../crypto/key-share.ts';
import type { ProtocolNameList } from '../extensions/alpn.ts';
import { KEY_EXCHANGE_SIZES, type KeyShareValue } from '../extensions/key-share.ts';
import { codecForType } from '../extensions/registry.ts';
import type { RenegotiationInfo } from '../extensions/renegotiation-info.ts';
import type { Extension, MessageContext } from '../extensions/types.ts';
import { decodeExtensionBody } from '../extensions/values.ts';
import {
  alpnProtocols,
  firstExtensionBody,
  keyShareGroups,
  supportedGroups,
  supportedVersions,
} from '../handshake/hello-fields.ts';
import type { ServerHello } from '../handshake/server-hello.ts';
import type { ClientHello } from '../handshake/types.ts';
import type { AlertName } from '../iana/alerts.ts';
import { alertName, cipherSuiteName, extensionTypeName, groupName, versionName } from '../iana/lookup.ts';

/** Stable ids of the server-conformance rules (docs/violations.md). */
export type ViolationRuleId =
  | 'hrr_not_tls13'
  | 'second_hrr'
  | 'hrr_changes_nothing'
  | 'hrr_group_not_offered'
  | 'hrr_group_already_shared'
  | 'server_hello_version_not_offered'
  | 'server_hello_suite_not_offered'
  | 'session_id_not_echoed'
  | 'compression_not_null'
  | 'downgrade_sentinel'
  | 'unsolicited_extension'
  | 'extension_in_wrong_message'
  | 'duplicate_extension'
  | 'key_share_group_not_offered'
  | 'invalid_key_share'
  | 'renegotiation_info_mismatch'
  | 'alpn_not_offered'
  | 'alert_after_close_notify'
  | 'stalled_after_server_hello';

/** One thing the server did that the RFC forbids. */
export interface ServerViolation {
  readonly rule: ViolationRuleId;
  /** What the server did, in one sentence naming the values. */
  readonly message: string;
  /** Where the RFC says so, e.g. `RFC 8446 §4.1.4`. */
  readonly rfc: string;
  /** The field, e.g. `server_hello.extensions[2]`. */
  readonly path?: string;
}

/** The server's ServerHello or HelloRetryRequest, and what it answers. */
export interface ServerHelloEvent {
  readonly kind: 'server_hello';
  /** The ClientHello this message answers (the second one after a HelloRetryRequest). */
  readonly hello: ClientHello;
  readonly message: ServerHello;
  /** The HelloRetryRequest that came before, if any. */
  readonly previousRetry: ServerHello | null;
  /** Private halves of the shares `hello` carries (empty when the caller sent raw bytes without them). */
  readonly keyShares: readonly KeyShare[];
  /**
   * The shared secret with the server's share, computed once by the caller (the engine needs
   * it next); throws (a CryptoError) when the server's share is invalid.
   */
  readonly sharedSecret?: () => Uint8Array;
}

/** TLS 1.3 EncryptedExtensions (decrypted). */
export interface EncryptedExtensionsEvent {
  readonly kind: 'encrypted_extensions';
  readonly hello: ClientHello;
  readonly extensions: readonly Extension[];
}

/** A record that came after the server's close_notify. */
export interface AfterCloseNotifyEvent {
  readonly kind: 'after_close_notify';
  readonly contentType: number;
  /** The alert bytes (level, description) when the record is an alert. */
  readonly alert: { readonly level: number; readonly description: number } | null;
}

/** The probe ended; what had arrived by then. */
export interface ProbeEndEvent {
  readonly kind: 'end';
  readonly serverHello: ServerHello | null;
  /** True when the server's flight was read to its end (ServerHelloDone, Finished) or the probe chose to stop. */
  readonly flightEnded: boolean;
  /** True when the probe stopped because the server went silent or the time ran out. */
  readonly silence: boolean;
  /** Bytes that arrived after the read that completed the ServerHello (a server still dripping its flight is slow, not stalled). */
  readonly bytesAfterServerHello: number;
}

export type ConformanceEvent =
  | ServerHelloEvent
  | EncryptedExtensionsEvent
  | AfterCloseNotifyEvent
  | ProbeEndEvent;

/** What one check found. */
export interface Hit {
  readonly message: string;
  readonly path?: string;
}

/** The checks of one rule, by the event each reads. */
export type ViolationChecks = {
  readonly [K in ConformanceEvent['kind']]?: (
    event: Extract<ConformanceEvent, { kind: K }>,
  ) => readonly Hit[];
};

/** A row of the table: one rule. */
export interface ViolationRule {
  readonly id: ViolationRuleId;
  readonly rfc: string;
  /** The alert a client sends when it aborts on this violation; null when the RFC asks no abort (or the probe already stopped). */
  readonly abortWith: AlertName | null;
  /** What to check on each event the rule reads (a ServerHello, EncryptedExtensions, …). */
  readonly checks: ViolationChecks;
}

const TLS13 = 0x0304;
const EXT = {
  supported_versions: 43,
  key_share: 51,
  cookie: 44,
  pre_shared_key: 41,
  supported_groups: 10,
  alpn: 16,
  renegotiation_info: 0xff01,
} as const;
/** TLS_EMPTY_RENEGOTIATION_INFO_SCSV: a hello carrying it solicits renegotiation_info (RFC 5746 §3.6). */
const EMPTY_RENEGOTIATION_INFO_SCSV = 0x00ff;
/**
 * The extensions a TLS 1.3 ServerHello may carry (RFC 8446 §4.2 table, "SH"). The registry's
 * `server_hello` context also covers TLS 1.2's ServerHello, which carries many more.
 */
const TLS13_SERVER_HELLO_EXTENSIONS: readonly number[] = [
  EXT.supported_versions,
  EXT.key_share,
  EXT.pre_shared_key,
];

const NONE: readonly Hit[] = [];

function one(message: string, path?: string): readonly Hit[] {
  return [path === undefined ? { message } : { message, path }];
}

function hex16(v: number): string {
  return `0x${v.toString(16).padStart(4, '0')}`;
}

/** The versions a hello offers: supported_versions, else legacy_version and every version below it. */
export function offeredVersions(hello: ClientHello): number[] {
  const body = firstExtensionBody(hello, EXT.supported_versions);
  if (body !== undefined) return supportedVersions(body);
  const out: number[] = [];
  for (let v = hello.legacyVersion; v >= 0x0300 && v <= 0x03ff; v--) out.push(v);
  return out;
}

function offersTls13(hello: ClientHello): boolean {
  return offeredVersions(hello).includes(TLS13);
}

function helloShareGroups(hello: ClientHello): number[] {
  const body = firstExtensionBody(hello, EXT.key_share);
  return body === undefined ? [] : keyShareGroups(body);
}

/**
 * The typed value of `ext` read by its registry row in `context`, or undefined when it is
 * absent, has no row, or does not decode.
 */
export function extensionValue<V>(ext: Extension | undefined, context: MessageContext): V | undefined {
  if (!ext || !codecForType(ext.type)) return undefined;
  try {
    return decodeExtensionBody(ext.type, ext.body, context) as V;
  } catch {
    return undefined;
  }
}

function contextOf(message: ServerHello): MessageContext {
  return message.helloRetryRequest ? 'hello_retry_request' : 'server_hello';
}

function messageName(message: ServerHello): string {
  return message.helloRetryRequest ? 'hello_retry_request' : 'server_hello';
}

function find(list: readonly Extension[] | null, type: number): Extension | undefined {
  return list?.find((e) => e.type === type);
}

/** The group a HelloRetryRequest asks a share for, or null. */
export function retryGroup(hrr: ServerHello): number | null {
  return (
    extensionValue<KeyShareValue & { selectedGroup?: number }>(
      find(hrr.extensions, EXT.key_share),
      'hello_retry_request',
    )?.selectedGroup ?? null
  );
}

/** The server's key share in a TLS 1.3 ServerHello, or null. */
export function serverShare(sh: ServerHello): { group: number; keyExchange: Uint8Array } | null {
  const value = extensionValue<KeyShareValue>(find(sh.extensions, EXT.key_share), 'server_hello');
  return value && 'serverShare' in value ? value.serverShare : null;
}

/** The protocol an ALPN extension of a ServerHello or EncryptedExtensions selects, or null. */
export function selectedAlpn(ext: Extension | undefined, context: MessageContext): string | null {
  return extensionValue<ProtocolNameList>(ext, context)?.protocols[0] ?? null;
}

/** True for an HRR that a TLS 1.3 client can read as one (the other HRR rules presume it). */
function tls13Retry(e: ServerHelloEvent): boolean {
  return e.message.helloRetryRequest && offersTls13(e.hello) && e.message.version === TLS13;
}

/** The group a TLS 1.3 HelloRetryRequest asks a share for; null for anything else. */
function tls13RetryGroup(e: ServerHelloEvent): number | null {
  return tls13Retry(e) ? retryGroup(e.message) : null;
}

/** True when the message is a real ServerHello that negotiates TLS 1.3. */
function tls13ServerHello(e: ServerHelloEvent): boolean {
  return !e.message.helloRetryRequest && e.message.version === TLS13;
}

/** True when `hello` asked for an extension of `type` in answer (RFC 8446 §4.2, RFC 5746 §3.6). */
function solicited(hello: ClientHello, type: number, context: MessageContext): boolean {
  if ((hello.extensions ?? []).some((e) => e.type === type)) return true;
  if (context === 'hello_retry_request' && type === EXT.cookie) return true;
  return type === EXT.renegotiation_info && hello.cipherSuites.includes(EMPTY_RENEGOTIATION_INFO_SCSV);
}

/** Whether an extension the hello asked for may appear in this message. */
function allowedIn(type: number, context: MessageContext, version: number): boolean {
  const codec = codecForType(type);
  if (!codec) return true; // an extension hellokit has no row for: no table says where it goes
  if (context === 'server_hello' && version === TLS13) return TLS13_SERVER_HELLO_EXTENSIONS.includes(type);
  return codec.allowedIn.includes(context);
}

function unsolicited(
  hello: ClientHello,
  extensions: readonly Extension[] | null,
  context: MessageContext,
  where: string,
): readonly Hit[] {
  const out: Hit[] = [];
  (extensions ?? []).forEach((e, i) => {
    if (!solicited(hello, e.type, context))
      out.push({
        message: `the ${where} carries ${extensionTypeName(e.type)} (${e.type}), which the ClientHello did not send`,
        path: `${context}.extensions[${i}]`,
      });
  });
  return out;
}

function misplaced(
  hello: ClientHello,
  extensions: readonly Extension[] | null,
  context: MessageContext,
  version: number,
  where: string,
): readonly Hit[] {
  const out: Hit[] = [];
  (extensions ?? []).forEach((e, i) => {
    if (solicited(hello, e.type, context) && !allowedIn(e.type, context, version))
      out.push({
        message: `the ${where} carries ${extensionTypeName(e.type)} (${e.type}), which does not belong in that message`,
        path: `${context}.extensions[${i}]`,
      });
  });
  return out;
}

function duplicates(
  extensions: readonly Extension[] | null,
  context: MessageContext,
  where: string,
): readonly Hit[] {
  const seen = new Set<number>();
  const out: Hit[] = [];
  (extensions ?? []).forEach((e, i) => {
    if (seen.has(e.type))
      out.push({
        message: `the ${where} carries ${extensionTypeName(e.type)} (${e.type}) more than once`,
        path: `${context}.extensions[${i}]`,
      });
    seen.add(e.type);
  });
  return out;
}

function alpnHits(
  hello: ClientHello,
  ext: Extension | undefined,
  context: MessageContext,
  where: string,
): readonly Hit[] {
  if (!ext) return NONE;
  const body = firstExtensionBody(hello, EXT.alpn);
  if (body === undefined) return NONE; // unsolicited_extension says it
  const chosen = selectedAlpn(ext, context);
  if (chosen === null || alpnProtocols(body).includes(chosen)) return NONE;
  return one(
    `the ${where} selects ALPN ${JSON.stringify(chosen)}, which the ClientHello did not offer (it offered ${alpnProtocols(
      body,
    )
      .map((p) => JSON.stringify(p))
      .join(', ')})`,
    `${context}.extensions.application_layer_protocol_negotiation`,
  );
}

function rule(row: ViolationRule): ViolationRule {
  return row;
}

/**
 * The rules, in the order a client checks them: the first one that aborts ends the handshake.
 * The HelloRetryRequest rules come first (they decide whether the rest can be read at all).
 */
export const VIOLATION_RULES: readonly ViolationRule[] = [
  rule({
    id: 'hrr_not_tls13',
    rfc: 'RFC 8446 §4.1.4',
    abortWith: 'illegal_parameter',
    checks: {
      server_hello: (e) => {
        if (!e.message.helloRetryRequest) return NONE;
        if (!offersTls13(e.hello))
          return one(
            `a HelloRetryRequest answers a ClientHello that offers only ${offeredVersions(e.hello).map(versionName).join(', ')}`,
            'hello_retry_request.random',
          );
        if (e.message.version !== TLS13)
          return one(
            `the HelloRetryRequest selects ${versionName(e.message.version)}, not TLS 1.3`,
            'hello_retry_request.extensions.supported_versions',
          );
        return NONE;
      },
    },
  }),
  rule({
    id: 'second_hrr',
    rfc: 'RFC 8446 §4.1.4',
    abortWith: 'unexpected_message',
    checks: {
      server_hello: (e) =>
        e.message.helloRetryRequest && e.previousRetry
          ? one('the server answered the second ClientHello with another HelloRetryRequest')
          : NONE,
    },
  }),
  rule({
    id: 'hrr_changes_nothing',
    rfc: 'RFC 8446 §4.1.4',
    abortWith: 'illegal_parameter',
    checks: {
      server_hello: (e) =>
        tls13Retry(e) && !find(e.message.extensions, EXT.key_share) && !find(e.message.extensions, EXT.cookie)
          ? one(
              'the HelloRetryRequest asks for neither a key share nor a cookie, so the ClientHello would not change',
            )
          : NONE,
    },
  }),
  rule({
    id: 'hrr_group_not_offered',
    rfc: 'RFC 8446 §4.2.8',
    abortWith: 'illegal_parameter',
    checks: {
      server_hello: (e) => {
        const group = tls13RetryGroup(e);
        const body = firstExtensionBody(e.hello, EXT.supported_groups);
        const offered = body === undefined ? [] : supportedGroups(body);
        return group !== null && !offered.includes(group)
          ? one(
              `the HelloRetryRequest asks for a ${groupName(group)} share, a group the ClientHello's supported_groups does not list`,
              'hello_retry_request.extensions.key_share.selected_group',
            )
          : NONE;
      },
    },
  }),
  rule({
    id: 'hrr_group_already_shared',
    rfc: 'RFC 8446 §4.2.8',
    abortWith: 'illegal_parameter',
    checks: {
      server_hello: (e) => {
        const group = tls13RetryGroup(e);
        return group !== null && helloShareGroups(e.hello).includes(group)
          ? one(
              `the HelloRetryRequest asks for a ${groupName(group)} share, which the ClientHello already carried`,
              'hello_retry_request.extensions.key_share.selected_group',
            )
          : NONE;
      },
    },
  }),
  rule({
    id: 'server_hello_version_not_offered',
    rfc: 'RFC 8446 §4.2.1',
    abortWith: 'illegal_parameter',
    checks: {
      server_hello: (e) => {
        if (e.message.helloRetryRequest) return NONE; // hrr_not_tls13 reads the HRR's version
        const offered = offeredVersions(e.hello);
        const v = e.message.version;
        if (find(e.message.extensions, EXT.supported_versions) && v < TLS13)
          return one(
            `the ServerHello's supported_versions selects ${versionName(v)}; it may only select TLS 1.3 or later`,
            'server_hello.extensions.supported_versions',
          );
        return offered.includes(v)
          ? NONE
          : one(
              `the ServerHello selects ${versionName(v)}, which the ClientHello did not offer (it offered ${offered.map(versionName).join(', ')})`,
              'server_hello.version',
            );
      },
    },
  }),
  rule({
    id: 'server_hello_suite_not_offered',
    rfc: 'RFC 8446 §4.1.3',
    abortWith: 'illegal_parameter',
    checks: {
      server_hello: (e) => {
        if (e.message.helloRetryRequest && !tls13Retry(e)) return NONE;
        const suite = e.message.cipherSuite;
        const where = e.message.helloRetryRequest ? 'HelloRetryRequest' : 'ServerHello';
        if (!e.hello.cipherSuites.includes(suite))
          return one(
            `the ${where} selects ${cipherSuiteName(suite)} (${hex16(suite)}), which the ClientHello did not offer`,
            `${messageName(e.message)}.cipher_suite`,
          );
        if (!e.message.helloRetryRequest && e.previousRetry && e.previousRetry.cipherSuite !== suite)
          return one(
            `the ServerHello selects ${cipherSuiteName(suite)}, not the ${cipherSuiteName(e.previousRetry.cipherSuite)} of its HelloRetryRequest (RFC 8446 §4.1.4)`,
            'server_hello.cipher_suite',
          );
        return NONE;
      },
    },
  }),
  rule({
    id: 'session_id_not_echoed',
    rfc: 'RFC 8446 §4.1.3',
    abortWith: 'illegal_parameter',
    checks: {
      server_hello: (e) =>
        (tls13Retry(e) || tls13ServerHello(e)) &&
        !equalBytes(e.message.legacySessionIdEcho, e.hello.legacySessionId)
          ? one(
              `the ${e.message.helloRetryRequest ? 'HelloRetryRequest' : 'ServerHello'} echoes a session id of ${e.message.legacySessionIdEcho.length} bytes that is not the ${e.hello.legacySessionId.length}-byte one the ClientHello sent`,
              `${messageName(e.message)}.legacy_session_id_echo`,
            )
          : NONE,
    },
  }),
  rule({
    id: 'compression_not_null',
    rfc: 'RFC 8446 §4.1.3',
    abortWith: 'illegal_parameter',
    checks: {
      server_hello: (e) => {
        const method = e.message.legacyCompressionMethod;
        if (method === 0) return NONE;
        if (
          e.message.version < TLS13 &&
          !e.message.helloRetryRequest &&
          e.hello.legacyCompressionMethods.includes(method)
        )
          return NONE; // TLS 1.2 may pick a method the hello offered
        return one(
          `the ${e.message.helloRetryRequest ? 'HelloRetryRequest' : 'ServerHello'} selects compression method ${method}, not null (0)`,
          `${messageName(e.message)}.legacy_compression_method`,
        );
      },
    },
  }),
  rule({
    id: 'downgrade_sentinel',
    rfc: 'RFC 8446 §4.1.3',
    abortWith: 'illegal_parameter',
    checks: {
      server_hello: (e) => {
        const { message } = e;
        if (message.helloRetryRequest || message.downgrade === null || message.version >= TLS13) return NONE;
        const offered = offeredVersions(e.hello);
        const caught =
          offered.includes(TLS13) ||
          (message.downgrade === 'tls11' && offered.includes(0x0303) && message.version < 0x0303);
        return caught
          ? one(
              `the ${versionName(message.version)} ServerHello's random ends in the ${message.downgrade === 'tls12' ? 'DOWNGRD\\x01' : 'DOWNGRD\\x00'} sentinel, the mark of a downgrade from a version the ClientHello offered`,
              'server_hello.random',
            )
          : NONE;
      },
    },
  }),
  rule({
    id: 'unsolicited_extension',
    rfc: 'RFC 8446 §4.2',
    abortWith: 'unsupported_extension',
    checks: {
      server_hello: (e) =>
        e.message.helloRetryRequest && !tls13Retry(e)
          ? NONE
          : unsolicited(
              e.hello,
              e.message.extensions,
              contextOf(e.message),
              e.message.helloRetryRequest ? 'HelloRetryRequest' : 'ServerHello',
            ),
      encrypted_extensions: (e) =>
        unsolicited(e.hello, e.extensions, 'encrypted_extensions', 'EncryptedExtensions'),
    },
  }),
  rule({
    id: 'extension_in_wrong_message',
    rfc: 'RFC 8446 §4.2',
    abortWith: 'illegal_parameter',
    checks: {
      server_hello: (e) =>
        e.message.helloRetryRequest && !tls13Retry(e)
          ? NONE
          : misplaced(
              e.hello,
              e.message.extensions,
              contextOf(e.message),
              e.message.version,
              e.message.helloRetryRequest
                ? 'HelloRetryRequest'
                : `${versionName(e.message.version)} ServerHello`,
            ),
      encrypted_extensions: (e) =>
        misplaced(e.hello, e.extensions, 'encrypted_extensions', TLS13, 'EncryptedExtensions'),
    },
  }),
  rule({
    id: 'duplicate_extension',
    rfc: 'RFC 8446 §4.2',
    abortWith: 'illegal_parameter',
    checks: {
      server_hello: (e) =>
        duplicates(
          e.message.extensions,
          contextOf(e.message),
          e.message.helloRetryRequest ? 'HelloRetryRequest' : 'ServerHello',
        ),
      encrypted_extensions: (e) => duplicates(e.extensions, 'encrypted_extensions', 'EncryptedExtensions'),
    },
  }),
  rule({
    id: 'key_share_group_not_offered',
    rfc: 'RFC 8446 §4.2.8',
    abortWith: 'illegal_parameter',
    checks: {
      server_hello: (e) => {
        if (!tls13ServerHello(e)) return NONE;
        const share = serverShare(e.message);
        if (!share) return NONE;
        const requested = e.previousRetry ? retryGroup(e.previousRetry) : null;
        if (requested !== null && share.group !== requested)
          return one(
            `the ServerHello's key share is for ${groupName(share.group)}, not the ${groupName(requested)} its HelloRetryRequest asked for`,
            'server_hello.extensions.key_share.group',
          );
        return helloShareGroups(e.hello).includes(share.group)
          ? NONE
          : one(
              `the ServerHello's key share is for ${groupName(share.group)}, a group the ClientHello sent no share for`,
              'server_hello.extensions.key_share.group',
            );
      },
    },
  }),
  rule({
    id: 'invalid_key_share',
    rfc: 'RFC 8446 §4.2.8.2',
    abortWith: 'illegal_parameter',
    checks: {
      server_hello: (e) => {
        if (!tls13ServerHello(e)) return NONE;
        const ext = find(e.message.extensions, EXT.key_share);
        const share = serverShare(e.message);
        const path = 'server_hello.extensions.key_share.key_exchange';
        if (ext && !share)
          return one("the ServerHello's key_share does not decode as one KeyShareEntry", path);
        if (!share || !helloShareGroups(e.hello).includes(share.group)) return NONE;
        const size = KEY_EXCHANGE_SIZES.get(share.group)?.[1];
        if (size !== undefined && share.keyExchange.length !== size)
          return one(
            `the server's ${groupName(share.group)} share is ${share.keyExchange.length} bytes, not ${size}`,
            path,
          );
        if (!e.sharedSecret || !e.keyShares.some((s) => s.group === share.group)) return NONE;
        try {
          e.sharedSecret();
          return NONE;
        } catch (error) {
          return one(
            `the server's ${groupName(share.group)} share is invalid: ${(error as Error).message}`,
            path,
          );
        }
      },
    },
  }),
  rule({
    id: 'renegotiation_info_mismatch',
    rfc: 'RFC 5746 §3.4',
    abortWith: 'handshake_failure',
    checks: {
      server_hello: (e) => {
        if (e.message.helloRetryRequest || e.message.version >= TLS13) return NONE;
        const ext = find(e.message.extensions, EXT.renegotiation_info);
        if (!ext || !solicited(e.hello, ext.type, 'server_hello')) return NONE;
        const value = extensionValue<RenegotiationInfo>(ext, 'server_hello');
        const length = value ? value.renegotiatedConnection.length : ext.body.length - 1;
        return length === 0
          ? NONE
          : one(
              `the ServerHello's renegotiation_info carries ${length} bytes of renegotiated_connection on an initial handshake (it must be empty)`,
              'server_hello.extensions.renegotiation_info',
            );
      },
    },
  }),
  rule({
    id: 'alpn_not_offered',
    rfc: 'RFC 7301 §3.2',
    abortWith: 'unsupported_extension',
    checks: {
      server_hello: (e) =>
        e.message.helloRetryRequest || e.message.version >= TLS13
          ? NONE
          : alpnHits(e.hello, find(e.message.extensions, EXT.alpn), 'server_hello', 'ServerHello'),
      encrypted_extensions: (e) =>
        alpnHits(e.hello, find(e.extensions, EXT.alpn), 'encrypted_extensions', 'EncryptedExtensions'),
    },
  }),
  rule({
    id: 'alert_after_close_notify',
    rfc: 'RFC 8446 §6.1',
    abortWith: null,
    checks: {
      after_close_notify: (e) =>
        one(
          e.alert
            ? `the server sent alert ${alertName(e.alert.description)} (${e.alert.description}) after its close_notify`
            : `the server sent a record of content type ${e.contentType} after its close_notify`,
        ),
    },
  }),
  rule({
    id: 'stalled_after_server_hello',
    rfc: 'RFC 8446 §4.1.3, RFC 5246 §7.3',
    abortWith: null,
    checks: {
      end: (e) =>
        e.serverHello && !e.flightEnded && e.silence && e.bytesAfterServerHello === 0
          ? one(
              `the server sent its ${versionName(e.serverHello.version)} ServerHello and then nothing more: the rest of its flight never came`,
            )
          : NONE,
    },
  }),
];

/** What {@link checkConformance} found for one event. */
export interface ConformanceVerdict {
  readonly violations: readonly ServerViolation[];
  /** The first violation a client aborts on, and the alert it sends; null when none. */
  readonly abort: { readonly violation: ServerViolation; readonly alert: AlertName } | null;
}

/**
 * Runs every rule for `event`, in table order. With `stopAtAbort` (a client that aborts)
 * checking ends at the first violation that aborts: a client reads no further.
 * @example checkConformance({ kind: 'server_hello', hello, message, previousRetry: null, keyShares: [] }).violations
 */
export function checkConformance(event: ConformanceEvent, stopAtAbort = true): ConformanceVerdict {
  const violations: ServerViolation[] = [];
  let abort: ConformanceVerdict['abort'] = null;
  for (const row of VIOLATION_RULES) {
    const check = row.checks[event.kind] as ((e: ConformanceEvent) => readonly Hit[]) | undefined;
    if (!check) continue;
    const hits = check(event);
    for (const hit of hits) {
      const violation: ServerViolation = {
        rule: row.id,
        message: hit.message,
        rfc: row.rfc,
        ...(hit.path !== undefined ? { path: hit.path } : {}),
      };
      violations.push(violation);
      if (!abort && row.abortWith) abort = { violation, alert: row.abortWith };
    }
    if (abort && stopAtAbort) break;
  }
  return { violations, abort };
}

/** The rule ids in table order (for docs and tests). */
export const VIOLATION_RULE_IDS: readonly ViolationRuleId[] = VIOLATION_RULES.map((r) => r.id);
