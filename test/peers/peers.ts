// Starting and stopping peers, without vitest: usable from scripts as well as tests.
import { startCaddy } from './caddy.ts';
import { removeCertificates } from './certs.ts';
import { startGnutls } from './gnutls.ts';
import { startHaproxy } from './haproxy.ts';
import { namespacesUsable } from './netns.ts';
import { startNginx } from './nginx.ts';
import { startNode } from './node.ts';
import { startOpenssl } from './openssl.ts';
import { which } from './process.ts';
import type { Peer, PeerKind, PeerOptions } from './types.ts';

const starters: Record<PeerKind, (options: PeerOptions, names: string[]) => Promise<Peer>> = {
  caddy: startCaddy,
  nginx: startNginx,
  haproxy: startHaproxy,
  openssl: startOpenssl,
  gnutls: startGnutls,
  node: startNode,
};

/** The programs each kind needs on PATH (every kind needs openssl to make its certificates). */
const binaries: Record<PeerKind, string[]> = {
  caddy: ['caddy', 'openssl'],
  nginx: ['nginx', 'openssl'],
  haproxy: ['haproxy', 'openssl'],
  openssl: ['openssl'],
  gnutls: ['gnutls-serv', 'ip', 'openssl'],
  node: ['openssl'],
};

/** The kinds that can be told to pick suites by their own order (`serverCipherOrder`). */
const SERVER_CIPHER_ORDER: ReadonlySet<PeerKind> = new Set(['nginx', 'openssl', 'node', 'gnutls']);

const running = new Set<Peer>();

/**
 * Starts a real TLS server on loopback (gnutls: inside its own network namespace) and resolves
 * once it accepts connections. Certificates are made with openssl on first use.
 * @example
 * const peer = await startPeer('nginx', { names: ['hellokit.test'], requireSni: true });
 * tls.connect({ host: peer.host, port: peer.port, servername: 'hellokit.test', rejectUnauthorized: false });
 */
export async function startPeer(kind: PeerKind, options: PeerOptions = {}): Promise<Peer> {
  const start = starters[kind];
  if (!start)
    throw new TypeError(`unknown peer kind "${kind}"; expected one of ${Object.keys(starters).join(', ')}`);
  const names = options.names && options.names.length > 0 ? [...options.names] : ['hellokit.test'];
  if (options.serverCipherOrder && !SERVER_CIPHER_ORDER.has(kind))
    throw new TypeError(
      `${kind} peer: serverCipherOrder is not supported (only ${[...SERVER_CIPHER_ORDER].join(', ')})`,
    );
  if (!peerAvailable(kind)) throw new Error(`${kind} peer is not available: ${missingReason(kind)}`);
  const peer = await start(options, names);
  const stop = peer.stop;
  const tracked: Peer = {
    ...peer,
    stop: async () => {
      running.delete(tracked);
      await stop();
    },
  };
  running.add(tracked);
  return tracked;
}

/**
 * Starts a `kind` peer, runs `fn` with it and stops it, however `fn` ends.
 * @example const result = await withPeer('openssl', {}, (peer) => probe(`${peer.host}:${peer.port}`));
 */
export async function withPeer<T>(
  kind: PeerKind,
  options: PeerOptions,
  fn: (peer: Peer) => Promise<T>,
): Promise<T> {
  const peer = await startPeer(kind, options);
  try {
    return await fn(peer);
  } finally {
    await peer.stop();
  }
}

/** Stops every peer still running and removes the certificates; use in `afterAll`. */
export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((peer) => peer.stop()));
  removeCertificates();
}

export function missingReason(kind: PeerKind): string {
  const missing = binaries[kind].filter((b) => !which(b));
  if (missing.length > 0) return `${missing.join(', ')} not found on PATH (run .ci/install-peers.sh)`;
  if (kind === 'gnutls') return 'cannot create network namespaces (needs root / CAP_NET_ADMIN)';
  return 'unknown';
}

/** Whether `kind` can run here: its programs are on PATH (gnutls also needs network namespaces). */
export function peerAvailable(kind: PeerKind): boolean {
  if (binaries[kind].some((b) => !which(b))) return false;
  if (kind === 'gnutls') return namespacesUsable();
  return true;
}
