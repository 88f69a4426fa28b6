import { readFileSync } from 'node:fs';
import { createSecureContext, createServer, type SecureContext } from 'node:tls';
import { certificates, clientCa } from './certs.ts';
import { group, modernOnly, opensslVersion, splitSuites } from './names.ts';
import type { Peer, PeerOptions } from './types.ts';

/**
 * Node's own `tls.createServer`, in this process. An `SNICallback` picks the context per name;
 * a hello without SNI gets the first name's certificate, unless `requireSni: true`, in which case
 * the server has no default certificate and an unknown name fails the callback.
 */
export async function startNode(options: PeerOptions, names: string[]): Promise<Peer> {
  const certs = await certificates(names, options);
  const { min, max } = modernOnly('node', options.versions);
  const { tls12, tls13 } = splitSuites(options.ciphers);
  const ca = options.clientCertificate ? await clientCa() : undefined;
  const common = {
    // The context SNICallback picks holds the CA list sent in the CertificateRequest.
    ...(ca ? { ca: [ca.pem] } : {}),
    minVersion: opensslVersion(min),
    maxVersion: opensslVersion(max),
    ...(options.groups?.length ? { ecdhCurve: options.groups.map((g) => group(g).openssl).join(':') } : {}),
    // Node's `ciphers` takes both versions' suites in one OpenSSL list and splits them itself.
    ...(tls12.length + tls13.length > 0
      ? { ciphers: [...tls13, ...tls12].map((s) => s.openssl).join(':') }
      : {}),
  };
  const contextFor = (name: string): SecureContext => {
    const own = certs.filter((c) => c.name === name);
    return createSecureContext({
      ...common,
      cert: own.map((c) => c.pem),
      key: own.map((c) => readFileSync(c.keyPath, 'utf8')),
    });
  };
  const contexts = new Map(names.map((n) => [n.toLowerCase(), contextFor(n)]));
  const first = certs.filter((c) => c.name === names[0]);
  const server = createServer({
    ...common,
    ...(options.requireSni
      ? {}
      : { cert: first.map((c) => c.pem), key: first.map((c) => readFileSync(c.keyPath, 'utf8')) }),
    ...(options.alpn?.length ? { ALPNProtocols: options.alpn } : {}),
    ...(options.serverCipherOrder ? { honorCipherOrder: true } : {}),
    ...(ca ? { requestCert: true, rejectUnauthorized: options.clientCertificate === 'required' } : {}),
    SNICallback: (servername, callback) => {
      const context = contexts.get(servername.toLowerCase());
      if (context) callback(null, context);
      else if (options.requireSni) callback(new Error(`unknown server name ${servername}`));
      else callback(null, contexts.get(names[0].toLowerCase()));
    },
  });
  server.on('secureConnection', (socket) => {
    socket.on('error', () => undefined);
    socket.end('HTTP/1.0 200 OK\r\ncontent-length: 3\r\n\r\nok\n');
  });
  server.on('tlsClientError', () => undefined);
  const open = new Set<import('node:net').Socket>();
  server.on('connection', (socket) => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      // Connections a test left open must not hold the close up.
      for (const socket of open) socket.destroy();
    });
    return stopping;
  };
  return {
    kind: 'node',
    host: '127.0.0.1',
    port,
    software: `node ${process.version} (OpenSSL ${process.versions.openssl})`,
    names,
    certificates: certs,
    ...(ca ? { clientCa: ca } : {}),
    pid: process.pid,
    stop,
  };
}
