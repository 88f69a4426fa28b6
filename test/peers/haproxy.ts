import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { certificates, clientCa } from './certs.ts';
import { group, modernOnly, opensslVersion, splitSuites } from './names.ts';
import { freePort, launch, versionLine } from './process.ts';
import type { Peer, PeerOptions } from './types.ts';

/**
 * HAProxy (OpenSSL). One `bind … ssl crt A.pem crt B.pem` with a combined cert+key file per
 * certificate; HAProxy picks the certificate by SNI and, with `both`, by what the client can verify.
 * The first `crt` is the default; `requireSni: true` adds `strict-sni`. Foreground (`-db`), one process.
 */
export async function startHaproxy(options: PeerOptions, names: string[]): Promise<Peer> {
  const certs = await certificates(names, options);
  const dir = mkdtempSync(join(tmpdir(), 'hellokit-haproxy-'));
  const port = await freePort();
  const { readFileSync } = await import('node:fs');
  const crts = certs.map((c, i) => {
    const path = join(dir, `${i}-${c.name}.${c.keyType}.pem`);
    writeFileSync(path, `${c.pem}${readFileSync(c.keyPath, 'utf8')}`);
    return `crt ${path}`;
  });
  const { min, max } = modernOnly('haproxy', options.versions);
  const { tls12, tls13 } = splitSuites(options.ciphers);
  const bind = [
    `bind 127.0.0.1:${port} ssl`,
    ...crts,
    `ssl-min-ver ${opensslVersion(min)}`,
    `ssl-max-ver ${opensslVersion(max)}`,
  ];
  if (options.requireSni) bind.push('strict-sni');
  const ca = options.clientCertificate ? await clientCa() : undefined;
  if (ca) bind.push(`verify ${options.clientCertificate}`, `ca-file ${ca.certPath}`);
  if (options.groups?.length) bind.push(`curves ${options.groups.map((g) => group(g).openssl).join(':')}`);
  if (tls12.length > 0) bind.push(`ciphers ${tls12.map((s) => s.openssl).join(':')}`);
  if (tls13.length > 0) bind.push(`ciphersuites ${tls13.map((s) => s.openssl).join(':')}`);
  if (options.alpn?.length) bind.push(`alpn ${options.alpn.join(',')}`);
  const config = [
    'global',
    '  nbthread 1',
    '  log stderr format raw local0 warning',
    'defaults',
    '  mode http',
    '  log global',
    '  timeout connect 5s',
    '  timeout client 10s',
    '  timeout server 10s',
    'frontend hellokit',
    `  ${bind.join(' ')}`,
    '  http-request return status 200 content-type text/plain string ok',
    '',
  ].join('\n');
  const confPath = join(dir, 'haproxy.cfg');
  writeFileSync(confPath, config);
  const { pid, stop } = await launch({
    label: 'haproxy',
    command: 'haproxy',
    args: ['-db', '-f', confPath],
    dir,
    host: '127.0.0.1',
    port,
  });
  return {
    kind: 'haproxy',
    host: '127.0.0.1',
    port,
    software: haproxySoftware(),
    names,
    certificates: certs,
    ...(ca ? { clientCa: ca } : {}),
    pid,
    stop,
  };
}

let software: string | undefined;
function haproxySoftware(): string {
  software ??= versionLine('haproxy', ['-v']).replace(/ - https:.*$/, '');
  return software;
}
