import { readFile } from 'node:fs/promises';
import { clientHelloJson } from '../../inspect/summary.ts';
import { startServe } from '../../node/serve.ts';
import { durationFlag, intFlag, parseFlags, stringFlag } from '../args.ts';
import type { Command, CommandIO } from '../command.ts';
import { EXIT, UsageError } from '../errors.ts';
import { schemaField } from '../json-contract.ts';

const FLAGS = {
  port: { type: 'string', value: 'P', help: 'port to listen on (default 8443; 0 picks a free one)' },
  host: { type: 'string', value: 'ADDR', help: 'address to listen on (default 127.0.0.1)' },
  cert: { type: 'string', value: 'FILE', help: 'PEM certificate (default: a fresh self-signed one)' },
  key: { type: 'string', value: 'FILE', help: 'PEM private key for --cert' },
  json: {
    type: 'boolean',
    help: 'log one JSON object per connection and per request (NDJSON, stdout), and answer / with JSON',
  },
  timeout: {
    type: 'string',
    value: 'TIME',
    help: 'idle limit of a connection after its hello, 1s..5m: 10s, 1500ms; a bare number is seconds (default 10s); the first byte must come within 2s and the whole hello within 5s',
  },
  'max-connections': {
    type: 'string',
    value: 'N',
    help: 'connections at once, 1..10000 (default 100); when full, the oldest connection without a whole hello makes room',
  },
  'max-hello': { type: 'string', value: 'BYTES', help: 'largest hello read, 512..1048576 (default 65536)' },
} as const;

async function readPem(flag: string, path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    throw new UsageError(
      `serve: --${flag}: cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`,
    );
  }
}

/** `hellokit serve`: show every connecting client its own ClientHello and fingerprints. */
export const serveCommand: Command = {
  name: 'serve',
  summary:
    'a TLS server that shows each client its own ClientHello, JA3, JA4 and HTTP/2 fingerprint (HTML, text, /json, /api/all, /api/clean), and /inspect: decode pasted or dropped bytes in the browser',
  usage: 'serve [--port P] [--host 127.0.0.1] [--cert FILE --key FILE] [--json]',
  flags: FLAGS,
  async run(argv: readonly string[], io: CommandIO): Promise<number> {
    const { flags, positionals } = parseFlags('serve', argv, FLAGS);
    if (positionals.length > 0)
      throw new UsageError(`serve: unexpected argument ${JSON.stringify(positionals[0])}`);
    const port = intFlag('serve', flags, 'port', 8443, 0, 65535);
    const timeoutMs = durationFlag('serve', flags, 'timeout', 10_000, 1000, 300_000);
    const maxConnections = intFlag('serve', flags, 'max-connections', 100, 1, 10_000);
    const maxHelloBytes = intFlag('serve', flags, 'max-hello', 65_536, 512, 1 << 20);
    const certPath = stringFlag(flags, 'cert');
    const keyPath = stringFlag(flags, 'key');
    if ((certPath === undefined) !== (keyPath === undefined)) {
      throw new UsageError(`serve: ${certPath === undefined ? '--key needs --cert' : '--cert needs --key'}`);
    }
    const host = stringFlag(flags, 'host') ?? '127.0.0.1';
    const json = flags.json === true;
    let server: Awaited<ReturnType<typeof startServe>>;
    try {
      server = await startServe({
        host,
        port,
        ...(certPath && keyPath
          ? { cert: await readPem('cert', certPath), key: await readPem('key', keyPath) }
          : {}),
        json,
        timeoutMs,
        maxConnections,
        maxHelloBytes,
        view: (hello) => clientHelloJson(hello),
        onConnection: (line, event) =>
          json
            ? io.out(`${JSON.stringify({ ...schemaField('serve-log'), event: 'connection', ...event })}\n`)
            : io.err(`${line}\n`),
        onRequest: (line, event) =>
          json
            ? io.out(`${JSON.stringify({ ...schemaField('serve-log'), event: 'request', ...event })}\n`)
            : io.err(`${line}\n`),
      });
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      if (err.code === 'EADDRINUSE' || err.code === 'EADDRNOTAVAIL' || err.code === 'EACCES') {
        throw new UsageError(`serve: cannot listen on ${host}:${port}: ${err.code}`);
      }
      if (/PEM|key|certificate/i.test(err.message ?? ''))
        throw new UsageError(`serve: --cert/--key: ${err.message}`);
      throw e;
    }
    const shown = host.includes(':') ? `[${host}]` : host;
    if (!/^(127\.|::1$|localhost$)/.test(host))
      io.err(
        `hellokit serve: warning: listening on ${host}, not loopback: other machines can reach this server\n`,
      );
    io.err(
      `hellokit serve: listening on https://${shown}:${server.port}/ (try: curl -k https://${shown}:${server.port}/); Ctrl-C stops\n`,
    );
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        resolve();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    await server.close();
    return EXIT.ok;
  },
};
