import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { certificates, clientCa } from './certs.ts';
import { group, isLegacy, opensslVersion, splitSuites, versionRange } from './names.ts';
import { freePort, launch, versionLine } from './process.ts';
import type { Peer, PeerOptions } from './types.ts';

/**
 * `openssl s_server -www`. It holds at most two certificates: the default (`-cert`, first name)
 * and one switched to when SNI equals `-servername` (`-cert2`, second name). `requireSni: true`
 * adds `-servername_fatal`: a name other than `-servername` gets a fatal unrecognized_name, while
 * a hello without SNI still gets the default certificate (s_server only checks names that are sent).
 */
export async function startOpenssl(options: PeerOptions, names: string[]): Promise<Peer> {
  if (names.length > 2) throw new Error('openssl peer: s_server serves at most two names');
  if (options.cert === 'both') throw new Error('openssl peer: cert "both" is not supported');
  if (options.requireSni && names.length > 1) {
    throw new Error('openssl peer: requireSni takes one name (-servername_fatal refuses the default name)');
  }
  const certs = await certificates(names, options);
  const dir = mkdtempSync(join(tmpdir(), 'hellokit-openssl-'));
  const port = await freePort();
  const { min, max } = versionRange(options.versions);
  const { tls12, tls13 } = splitSuites(options.ciphers);
  const [first, second] = certs;
  const args = [
    's_server',
    '-accept',
    `127.0.0.1:${port}`,
    '-cert',
    first.certPath,
    '-key',
    first.keyPath,
    '-www',
  ];
  // s_server reads only the first certificate of -cert: the intermediates go in -cert_chain.
  if (first.chainPath) args.push('-cert_chain', first.chainPath);
  args.push('-min_protocol', opensslVersion(min), '-max_protocol', opensslVersion(max));
  if (second) args.push('-servername', second.name, '-cert2', second.certPath, '-key2', second.keyPath);
  // s_server loads a second certificate whenever -servername is given, so it gets the first one again.
  if (options.requireSni) {
    args.push(
      '-servername',
      first.name,
      '-cert2',
      first.certPath,
      '-key2',
      first.keyPath,
      '-servername_fatal',
    );
  }
  if (options.groups?.length) args.push('-groups', options.groups.map((g) => group(g).openssl).join(':'));
  // OpenSSL 3 negotiates TLS 1.0 and 1.1 only at security level 0 (their signatures use SHA-1).
  const level = isLegacy(min) ? ':@SECLEVEL=0' : '';
  if (tls12.length > 0) args.push('-cipher', `${tls12.map((s) => s.openssl).join(':')}${level}`);
  else if (level) args.push('-cipher', `DEFAULT${level}`);
  if (tls13.length > 0) args.push('-ciphersuites', tls13.map((s) => s.openssl).join(':'));
  if (options.alpn?.length) args.push('-alpn', options.alpn.join(','));
  if (options.serverCipherOrder) args.push('-serverpref');
  if (options.noSessionTickets) args.push('-no_ticket');
  const ca = options.clientCertificate ? await clientCa() : undefined;
  // -Verify fails a handshake without a client certificate, -verify only asks for one.
  if (ca)
    args.push(options.clientCertificate === 'required' ? '-Verify' : '-verify', '1', '-CAfile', ca.certPath);
  const { pid, stop } = await launch({
    label: 'openssl s_server',
    command: 'openssl',
    args,
    dir,
    host: '127.0.0.1',
    port,
  });
  return {
    kind: 'openssl',
    host: '127.0.0.1',
    port,
    software: opensslSoftware(),
    names,
    certificates: certs,
    ...(ca ? { clientCa: ca } : {}),
    pid,
    stop,
  };
}

let software: string | undefined;
function opensslSoftware(): string {
  software ??= versionLine('openssl', ['version']);
  return software;
}
