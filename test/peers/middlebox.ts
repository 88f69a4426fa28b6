/**
 * A TLS 1.3-intolerant middlebox in front of a real server: a loopback TCP proxy that reads
 * the ClientHello and, when its supported_versions offers TLS 1.3, answers a fatal
 * handshake_failure alert and closes; any other hello goes through to the server unchanged.
 *
 * This stands in for the old servers and middleboxes that refused hellos offering a version
 * they did not know (the reason for RFC 8446's supported_versions design). No server shipped
 * in Debian can be made to do it: OpenSSL, GnuTLS (`NORMAL:-VERS-TLS1.3`), Go and Node all
 * answer such a hello with TLS 1.2 when TLS 1.3 is disabled (test/matrix/truth.json shows it
 * for GnuTLS). Everything behind the proxy is the real server.
 */
import { createConnection, createServer, type Socket } from 'node:net';
import { DecodeError } from '../../src/bytes/errors.ts';
import { offersTls13, parseClientHello } from '../../src/handshake/client-hello.ts';
import type { Peer } from './types.ts';

/** The most the proxy reads while waiting for a whole ClientHello. */
const MAX_HELLO_BYTES = 65_536;
/** How long a client may take to send its hello, or stay idle afterwards. */
const IDLE_MS = 10_000;

/** A fatal handshake_failure (40) alert record, TLS 1.2 record version. */
const HANDSHAKE_FAILURE = Uint8Array.of(0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 40);

/** What the proxy does with the bytes read so far: wait for more, refuse, or pass them on. */
function decide(bytes: Uint8Array): 'more' | 'refuse' | 'pass' {
  try {
    return offersTls13(parseClientHello(bytes, { strict: false }).extensions ?? []) ? 'refuse' : 'pass';
  } catch (error) {
    if (error instanceof DecodeError && error.code === 'truncated' && bytes.length < MAX_HELLO_BYTES)
      return 'more';
    return 'pass';
  }
}

/**
 * Puts a TLS 1.3-intolerant middlebox on 127.0.0.1 in front of `upstream`. The returned peer
 * connects through it; stopping it stops the proxy and the upstream server.
 * @example const peer = await behindTls13IntolerantMiddlebox(await startPeer('openssl', { versions: ['TLS1.2'] }));
 */
export async function behindTls13IntolerantMiddlebox(upstream: Peer): Promise<Peer> {
  const open = new Set<Socket>();
  const server = createServer((client) => {
    open.add(client);
    client.once('close', () => open.delete(client));
    client.on('error', () => undefined);
    client.setTimeout(IDLE_MS, () => client.destroy());
    let buffered = new Uint8Array(0);
    const onData = (chunk: Buffer) => {
      const joined = new Uint8Array(buffered.length + chunk.length);
      joined.set(buffered);
      joined.set(chunk, buffered.length);
      buffered = joined;
      const verdict = decide(buffered);
      if (verdict === 'more') return;
      client.off('data', onData);
      if (verdict === 'refuse') {
        client.end(HANDSHAKE_FAILURE);
        return;
      }
      client.pause();
      const server = createConnection({ host: upstream.host, port: upstream.port }, () => {
        server.write(buffered);
        client.pipe(server);
        server.pipe(client);
        client.resume();
      });
      open.add(server);
      server.once('close', () => {
        open.delete(server);
        client.destroy();
      });
      server.on('error', () => client.destroy());
      client.once('close', () => server.destroy());
    };
    client.on('data', onData);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  let stopping: Promise<void> | undefined;
  return {
    ...upstream,
    host: '127.0.0.1',
    port,
    software: `${upstream.software}, behind a TLS 1.3-intolerant middlebox (hellokit test proxy)`,
    stop: () => {
      stopping ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          for (const socket of open) socket.destroy();
        });
        await upstream.stop();
      })();
      return stopping;
    },
  };
}
