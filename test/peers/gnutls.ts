import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { certificates, clientCa } from './certs.ts';
import { group, modernOnly, splitSuites } from './names.ts';
import { createNamespace } from './netns.ts';
import { freePort, launch, versionLine, which } from './process.ts';
import type { Peer, PeerOptions } from './types.ts';

/**
 * gnutls-serv (GnuTLS). It cannot bind one address and listens on every address, so it runs
 * only inside a private network namespace made for it (see `netns.ts`); connect to `peer.host`,
 * the namespace's end of a veth pair. The namespace is deleted on stop.
 * Every certificate is loaded (`--x509certfile`/`--x509keyfile` pairs); GnuTLS picks by SNI and
 * key type, the first being the default. `requireSni: true` adds `--sni-hostname NAME --sni-hostname-fatal`.
 * `ciphers` become one GnuTLS priority, so the listed ciphers, MACs and key exchanges apply to
 * TLS 1.2 and 1.3 together. `serverCipherOrder` appends `%SERVER_PRECEDENCE`.
 */
export async function startGnutls(options: PeerOptions, names: string[]): Promise<Peer> {
  if (options.requireSni && names.length > 1) {
    throw new Error('gnutls peer: requireSni takes one name (--sni-hostname is a single name)');
  }
  const certs = await certificates(names, options);
  const port = await freePort();
  const ns = await createNamespace();
  const dir = mkdtempSync(join(tmpdir(), 'hellokit-gnutls-'));
  const args = [
    'netns',
    'exec',
    ns.name,
    which('gnutls-serv') ?? 'gnutls-serv',
    '--http',
    '--port',
    String(port),
  ];
  const ca = options.clientCertificate ? await clientCa() : undefined;
  if (!ca) args.push('--disable-client-cert');
  else
    args.push(
      options.clientCertificate === 'required' ? '--require-client-cert' : '--verify-client-cert',
      '--x509cafile',
      ca.certPath,
    );
  for (const c of certs) args.push('--x509certfile', c.certPath, '--x509keyfile', c.keyPath);
  args.push('--priority', priority(options));
  if (options.requireSni) args.push('--sni-hostname', names[0], '--sni-hostname-fatal');
  for (const p of options.alpn ?? []) args.push('--alpn', p);
  try {
    const { pid, stop } = await launch({
      label: 'gnutls-serv',
      command: 'ip',
      args,
      dir,
      host: ns.inside,
      port,
      cleanup: ns.remove,
    });
    return {
      kind: 'gnutls',
      host: ns.inside,
      port,
      software: gnutlsSoftware(),
      names,
      certificates: certs,
      ...(ca ? { clientCa: ca } : {}),
      pid,
      stop,
    };
  } catch (error) {
    await ns.remove();
    throw error;
  }
}

/** A GnuTLS priority string for the options. */
export function priority(options: PeerOptions): string {
  const parts = ['NORMAL'];
  const { min, max } = modernOnly('gnutls', options.versions);
  parts.push('-VERS-ALL');
  if (min === 'TLS1.2') parts.push('+VERS-TLS1.2');
  if (max === 'TLS1.3') parts.push('+VERS-TLS1.3');
  if (options.groups?.length) parts.push('-GROUP-ALL', ...options.groups.map((g) => `+${group(g).gnutls}`));
  const { tls12, tls13 } = splitSuites(options.ciphers);
  const suites = [...tls12, ...tls13];
  if (suites.length > 0) {
    const unique = (xs: string[]) => [...new Set(xs.filter(Boolean))];
    parts.push('-CIPHER-ALL', ...unique(suites.map((s) => s.gnutls.cipher)).map((c) => `+${c}`));
    parts.push('-MAC-ALL', ...unique(suites.map((s) => s.gnutls.mac)).map((m) => `+${m}`));
    const kx = unique(tls12.map((s) => s.gnutls.kx));
    if (kx.length > 0) parts.push('-KX-ALL', ...kx.map((k) => `+${k}`));
  }
  // GnuTLS follows the client's order unless told otherwise; its own order is the priority string's.
  if (options.serverCipherOrder) parts.push('%SERVER_PRECEDENCE');
  return parts.join(':');
}

let software: string | undefined;
function gnutlsSoftware(): string {
  software ??= versionLine('gnutls-serv', ['--version']);
  return software;
}
