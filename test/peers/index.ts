import { describe, test } from 'vitest';
import { missingReason, peerAvailable } from './peers.ts';
import type { PeerKind } from './types.ts';

export { type HandshakeResult, handshake } from './handshake.ts';
export { peerAvailable, startPeer, stopAll, withPeer } from './peers.ts';
export type {
  CertKeyType,
  CertKind,
  CertValidity,
  Peer,
  PeerCertificate,
  PeerKind,
  PeerOptions,
  TlsVersionName,
} from './types.ts';
export { peerKinds } from './types.ts';

/**
 * `describe` for tests that need `kind`. When the peer cannot run, the suite is skipped with a
 * warning — unless the `CI` environment variable is set, in which case the suite holds one
 * failing test instead: a peer test that does not run in CI is a failure.
 * @example describePeer('haproxy', () => { test('…', async () => { const peer = await startPeer('haproxy'); … }); });
 */
export function describePeer(kind: PeerKind, fn: () => void): void {
  const available = peerAvailable(kind);
  const title = `peer ${kind}`;
  if (available) {
    describe(title, fn);
    return;
  }
  const reason = missingReason(kind);
  if (process.env.CI) {
    describe(title, () => {
      test('is available (CI is set, so a missing peer is a failure)', () => {
        throw new Error(`${title} is required in CI but not available: ${reason}`);
      });
    });
    return;
  }
  console.warn(`[hellokit] skipping ${title}: ${reason}`);
  describe.skip(`${title} (skipped: ${reason})`, fn);
}
