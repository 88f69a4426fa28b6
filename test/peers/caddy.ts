import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { certificates, clientCa } from './certs.ts';
import { group, modernOnly, splitSuites } from './names.ts';
import { freePort, launch, versionLine } from './process.ts';
import type { Peer, PeerOptions } from './types.ts';

/**
 * Caddy (Go crypto/tls). Every name is a site with its own `tls CERT KEY`; no site answers to
 * the IP, so a hello without SNI finds no certificate unless `requireSni: false` sets `default_sni`.
 * Admin API, automatic HTTPS and trust-store installation are off, state lives in the temp dir.
 * HTTP/3 is off unless `http3: true`: then Caddy also listens on UDP, on the same 127.0.0.1 port.
 */
export async function startCaddy(options: PeerOptions, names: string[]): Promise<Peer> {
  const certs = await certificates(names, options);
  const { tls13, tls12 } = splitSuites(options.ciphers);
  if (tls13.length > 0)
    throw new Error('caddy peer: Go crypto/tls does not make TLS 1.3 suites configurable');
  const dir = mkdtempSync(join(tmpdir(), 'hellokit-caddy-'));
  const port = await freePort();
  const { min, max } = modernOnly('caddy', options.versions);
  const tlsOptions = [`protocols ${caddyVersion(min)} ${caddyVersion(max)}`];
  if (options.groups?.length) {
    tlsOptions.push(`curves ${options.groups.map((g) => mustGo(group(g).go, g)).join(' ')}`);
  }
  if (tls12.length > 0) tlsOptions.push(`ciphers ${tls12.map((s) => s.iana).join(' ')}`);
  if (options.alpn?.length) tlsOptions.push(`alpn ${options.alpn.join(' ')}`);
  const ca = options.clientCertificate ? await clientCa() : undefined;
  if (ca) {
    const mode = options.clientCertificate === 'required' ? 'require_and_verify' : 'verify_if_given';
    tlsOptions.push(`client_auth {\n      mode ${mode}\n      trusted_ca_cert_file ${ca.certPath}\n    }`);
  }
  const global = [
    'admin off',
    'auto_https off',
    'skip_install_trust',
    `storage file_system ${join(dir, 'data')}`,
    'servers {',
    options.http3 ? '  protocols h1 h2 h3' : '  protocols h1 h2',
    '}',
    'log {',
    '  output stderr',
    '  level WARN',
    '}',
  ];
  if (options.requireSni === false) global.push(`default_sni ${names[0]}`);
  // One site per name. A name with several certificates (`both`) loads them as cert+key bundles
  // from a folder (`tls { load DIR }`); Caddy then picks the one the client can verify.
  const sites = names.map((name, i) => {
    const own = certs.filter((c) => c.name === name);
    let tlsLine = `tls ${own[0].certPath} ${own[0].keyPath} {`;
    if (own.length > 1) {
      const bundles = join(dir, `bundles-${i}`);
      mkdirSync(bundles);
      for (const c of own)
        writeFileSync(join(bundles, `${c.keyType}.pem`), `${c.pem}${readFileSync(c.keyPath, 'utf8')}`);
      tlsLine = 'tls {';
      tlsOptions.unshift(`load ${bundles}`);
    }
    const site = [
      `https://${name}:${port} {`,
      '  bind 127.0.0.1',
      `  ${tlsLine}`,
      ...tlsOptions.map((o) => `    ${o}`),
      '  }',
      '  respond "ok"',
      '}',
    ].join('\n');
    if (own.length > 1) tlsOptions.shift();
    return site;
  });
  const config = join(dir, 'Caddyfile');
  writeFileSync(config, `{\n${global.map((l) => `  ${l}`).join('\n')}\n}\n\n${sites.join('\n\n')}\n`);
  const env = {
    ...process.env,
    HOME: dir,
    XDG_DATA_HOME: join(dir, 'data'),
    XDG_CONFIG_HOME: join(dir, 'config'),
    XDG_CACHE_HOME: join(dir, 'cache'),
  };
  const { pid, stop } = await launch({
    label: 'caddy',
    command: 'caddy',
    args: ['run', '--config', config, '--adapter', 'caddyfile'],
    env,
    dir,
    host: '127.0.0.1',
    port,
  });
  return {
    kind: 'caddy',
    host: '127.0.0.1',
    port,
    software: caddySoftware(),
    names,
    certificates: certs,
    ...(ca ? { clientCa: ca } : {}),
    pid,
    stop,
  };
}

function caddyVersion(v: string): string {
  return v === 'TLS1.2' ? 'tls1.2' : 'tls1.3';
}

function mustGo(name: string, asked: string): string {
  if (!name) throw new Error(`caddy peer: Go crypto/tls has no group "${asked}"`);
  return name;
}

let software: string | undefined;
function caddySoftware(): string {
  software ??= `caddy ${versionLine('caddy', ['version'])}`;
  return software;
}
