/**
 * What a client session reads from the server's packets that are not its handshake: a
 * Version Negotiation (RFC 9000 §6.2), a Retry (§17.2.5) and the TLS alert a
 * CONNECTION_CLOSE carries (RFC 9001 §4.8). Each is a pure reading; the session
 * (session.ts) decides what it changes.
 */
import { equalBytes } from '../bytes/hex.ts';
import { alertName } from '../iana/lookup.ts';
import type { QuicConnectionClose } from './frames.ts';
import { type BareLongHeader, versionNegotiationVersions } from './header.ts';
import { retryIntegrityTag } from './protection.ts';
import type { QuicRetry, QuicTlsAlert, QuicVersionNegotiation } from './types.ts';
import { quicVersionName } from './version.ts';

/** What the session (a QuicClientSession) knows when a Version Negotiation or a Retry arrives. */
export interface SessionView {
  /** The long-header version the client sent. */
  readonly version: number;
  /** The Destination Connection ID of the client's first Initial. */
  readonly originalDestinationConnectionId: Uint8Array;
  /**
   * The server's Source Connection ID, once one of its Initials was opened: a Version
   * Negotiation or a Retry then comes too late.
   */
  readonly serverConnectionId?: Uint8Array;
  /** The Retry followed, if one was: a client follows one only. */
  readonly retry?: QuicRetry;
}

/**
 * A Version Negotiation packet `b`, as the client must take it: `undefined` when RFC 9000
 * §6.2 says to discard it without a word (it answers no Initial of ours, or a server Initial
 * came first); `listsSent` when it lists the version sent (discarded too, but worth telling).
 */
export function readVersionNegotiation(
  b: Uint8Array,
  header: BareLongHeader,
  session: SessionView,
): { readonly negotiation: QuicVersionNegotiation; readonly listsSent: boolean } | undefined {
  if (!equalBytes(header.sourceConnectionId, session.originalDestinationConnectionId)) return undefined;
  if (session.serverConnectionId) return undefined;
  const versions = versionNegotiationVersions(b, header);
  return {
    negotiation: { versions, versionNames: versions.map(quicVersionName) },
    listsSent: versions.includes(session.version),
  };
}

/**
 * A Retry packet `b` the client may follow (RFC 9000 §17.2.5), or why it is ignored: a second
 * Retry or one after a server Initial, no room for its tag, an empty token, a token
 * `fits` says leaves no room in an Initial, or an integrity tag that does not match.
 */
export function readRetry(
  b: Uint8Array,
  header: BareLongHeader,
  session: SessionView,
  fits: (destinationConnectionId: Uint8Array, tokenLength: number) => boolean,
): QuicRetry | string {
  if (session.retry || session.serverConnectionId)
    return 'ignored: only one Retry, before any server Initial';
  if (b.length < header.rest + 16) return 'too short for a Retry Integrity Tag';
  const token = b.slice(header.rest, b.length - 16);
  if (token.length === 0) return 'ignored: a Retry without a token';
  if (!fits(header.sourceConnectionId, token.length))
    return `ignored: a token of ${token.length} bytes leaves no room in a 1200-byte Initial`;
  let verified = false;
  try {
    const tag = retryIntegrityTag(
      session.version,
      session.originalDestinationConnectionId,
      b.subarray(0, b.length - 16),
    );
    verified = equalBytes(tag, b.subarray(b.length - 16));
  } catch {
    verified = false;
  }
  if (!verified) return 'ignored: the Retry Integrity Tag does not match';
  return { token, sourceConnectionId: header.sourceConnectionId.slice(), integrityVerified: true };
}

/** The TLS alert a CONNECTION_CLOSE carries as CRYPTO_ERROR 0x0100 + alert (always fatal), or undefined for another error. */
export function closeAlert(close: QuicConnectionClose): QuicTlsAlert | undefined {
  if (close.errorName !== 'CRYPTO_ERROR') return undefined;
  const description = close.errorCode - 0x100;
  return { level: 2, levelName: 'fatal', description, name: alertName(description), encrypted: false };
}
