import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { certificates, clientCa } from './certs.ts';
import { group, modernOnly, opensslVersion, splitSuites } from './names.ts';
import { freePort, launch, versionLine } from './process.ts';
import type { Peer, PeerOptions } from './types.ts';

/**
 * nginx (OpenSSL). One `server` per name; the first name's server is the default, or with
 * `requireSni: true` a certificate-less default server with `ssl_reject_handshake on`.
 * Runs in the foreground as a single process (`master_process off`) with every path in the temp dir.
 */
export async function startNginx(options: PeerOptions, names: string[]): Promise<Peer> {
  if (options.alpn?.length)
    throw new Error('nginx peer: the http module picks ALPN itself; alpn is not supported');
  const certs = await certificates(names, options);
  const dir = mkdtempSync(join(tmpdir(), 'hellokit-nginx-'));
  mkdirSync(join(dir, 'logs'));
  const port = await freePort();
  const { min, max } = modernOnly('nginx', options.versions);
  const { tls12, tls13 } = splitSuites(options.ciphers);
  // nginx 1.22's built-in default leaves TLS 1.3 out, so the protocols are always set.
  const protocols = min === max ? opensslVersion(min) : 'TLSv1.2 TLSv1.3';
  const tls = [`ssl_protocols ${protocols};`];
  if (options.groups?.length)
    tls.push(`ssl_ecdh_curve ${options.groups.map((g) => group(g).openssl).join(':')};`);
  if (options.serverCipherOrder) tls.push('ssl_prefer_server_ciphers on;');
  if (tls12.length > 0) tls.push(`ssl_ciphers ${tls12.map((s) => s.openssl).join(':')};`);
  if (tls13.length > 0) tls.push(`ssl_conf_command Ciphersuites ${tls13.map((s) => s.openssl).join(':')};`);
  const ca = options.clientCertificate ? await clientCa() : undefined;
  if (ca) {
    tls.push(`ssl_verify_client ${options.clientCertificate === 'required' ? 'on' : 'optional'};`);
    tls.push(`ssl_client_certificate ${ca.certPath};`);
  }
  const servers: string[] = [];
  if (options.requireSni) {
    servers.push(
      `  server {\n    listen 127.0.0.1:${port} ssl default_server;\n    ssl_reject_handshake on;\n  }`,
    );
  }
  names.forEach((name, i) => {
    const isDefault = i === 0 && !options.requireSni ? ' default_server' : '';
    const lines = [
      `    listen 127.0.0.1:${port} ssl${isDefault};`,
      `    server_name ${name};`,
      ...certs
        .filter((c) => c.name === name)
        .flatMap((c) => [`    ssl_certificate ${c.certPath};`, `    ssl_certificate_key ${c.keyPath};`]),
      '    location / { return 200 "ok\\n"; }',
    ];
    servers.push(`  server {\n${lines.join('\n')}\n  }`);
  });
  const config = [
    'master_process off;',
    'worker_processes 1;',
    `pid ${join(dir, 'nginx.pid')};`,
    'error_log stderr warn;',
    'events { worker_connections 64; }',
    'http {',
    '  access_log off;',
    ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(
      (t) => `  ${t}_temp_path ${join(dir, `${t}_temp`)};`,
    ),
    ...tls.map((l) => `  ${l}`),
    ...servers,
    '}',
    '',
  ].join('\n');
  const confPath = join(dir, 'nginx.conf');
  writeFileSync(confPath, config);
  const { pid, stop } = await launch({
    label: 'nginx',
    command: 'nginx',
    args: ['-e', 'stderr', '-p', dir, '-c', confPath, '-g', 'daemon off;'],
    dir,
    host: '127.0.0.1',
    port,
  });
  return {
    kind: 'nginx',
    host: '127.0.0.1',
    port,
    software: nginxSoftware(),
    names,
    certificates: certs,
    ...(ca ? { clientCa: ca } : {}),
    pid,
    stop,
  };
}

let software: string | undefined;
function nginxSoftware(): string {
  software ??= versionLine('nginx', ['-v']).replace(/^nginx version: /, '');
  return software;
}
