import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { presetsWithJa4 } from '../../builder/presets/index.ts';
import { type CapturedHandshake, captureHandshakes } from '../../capture/handshakes.ts';
import type { CaptureSource } from '../../capture/source.ts';
import { type Ja4AlpnRule, ja3All, ja3s, ja4All } from '../../fingerprint/index.ts';
import { firstExtensionBody, serverName } from '../../handshake/hello-fields.ts';
import { cipherSuiteName, versionName } from '../../iana/lookup.ts';
import { durationFlag, intFlag, parseFlags, stringFlag } from '../args.ts';
import type { Command, CommandIO } from '../command.ts';
import { EXIT, UsageError } from '../errors.ts';
import { noteStdinWait } from '../input.ts';
import { schemaField, versionJson } from '../json-contract.ts';

const flags = {
  json: {
    type: 'boolean',
    help: 'NDJSON: one line per handshake as it is found, then one summary line',
  },
  'ja4-alpn': {
    type: 'string',
    value: 'spec|reference',
    help: 'JA4 rule for non-alphanumeric ALPN (default spec)',
  },
  'flow-timeout': {
    type: 'string',
    value: 'TIME',
    help: 'forget a connection idle this long in capture time (default 120s)',
  },
  'max-flows': {
    type: 'string',
    value: 'N',
    help: 'most TCP connections (and UDP conversations) tracked at once (default 20000)',
  },
} as const;

/** Bytes of output gathered before one write (a write per line would cost a system call each). */
const OUTPUT_BATCH = 64 * 1024;
/** Bytes read from a capture file per chunk. */
const READ_CHUNK = 256 * 1024;

/** `hellokit pcap FILE`: the handshakes in a pcap/pcapng capture with their fingerprints, streamed. */
export const pcapCommand: Command = {
  name: 'pcap',
  summary:
    'list the TLS/QUIC handshakes in a pcap or pcapng capture of any size (read as a stream), with JA3/JA4 (256 KiB kept per direction of a connection)',
  usage: 'pcap FILE|- [--json] [--flow-timeout TIME] [--max-flows N]',
  flags,
  async run(argv, io) {
    const started = performance.now();
    const { flags: f, positionals } = parseFlags('pcap', argv, flags);
    if (positionals.length !== 1)
      throw new UsageError('pcap: expects exactly one capture file (or - for stdin)');
    const alpnRule = (stringFlag(f, 'ja4-alpn') ?? 'spec') as Ja4AlpnRule;
    if (alpnRule !== 'spec' && alpnRule !== 'reference')
      throw new UsageError(`pcap: --ja4-alpn expects spec or reference, got ${JSON.stringify(alpnRule)}`);
    const flowTimeoutMs = durationFlag('pcap', f, 'flow-timeout', 120_000, 1, 365 * 86_400_000);
    const maxFlows = intFlag('pcap', f, 'max-flows', 20_000, 1, 10_000_000);
    const json = f.json === true;
    const stream = captureHandshakes(await openCapture(positionals[0], io), {
      flowTimeoutSeconds: flowTimeoutMs / 1000,
      maxFlows,
      onWarning: (w) => io.err(`hellokit pcap: warning: ${w}\n`),
    });
    const out = new BatchedOutput(io);
    for await (const h of stream) {
      const e = entry(h, alpnRule);
      out.write(json ? `${JSON.stringify(handshakeJson(e))}\n` : text(e));
      await out.maybeFlush();
    }
    const stats = stream.stats();
    // Kept warnings were printed as they came; what went over the cap is summed up here.
    for (const w of stream.overflowWarnings()) io.err(`hellokit pcap: warning: ${w}\n`);
    if (json) {
      const summary = {
        ...schemaField('pcap'),
        type: 'summary',
        format: stats.format,
        bytes: stats.bytes,
        packets: stats.packets,
        handshakes: stats.handshakes,
        evicted: stats.evicted,
        warnings: stream.warnings(),
        warningCounts: stats.warnings,
        elapsedMs: Math.round(performance.now() - started),
      };
      out.write(`${JSON.stringify(summary)}\n`);
    } else if (stats.handshakes === 0) {
      out.write('no TLS or QUIC ClientHello found in this capture\n');
    }
    out.flush();
    return EXIT.ok;
  },
};

/** The capture's bytes as a stream: the file read in chunks, or standard input. */
async function openCapture(path: string, io: CommandIO): Promise<CaptureSource> {
  if (path === '-') {
    noteStdinWait('pcap', io);
    return io.stdinChunks ? io.stdinChunks() : [await io.readStdin(Number.MAX_SAFE_INTEGER)];
  }
  try {
    if (!(await stat(path)).isFile()) throw new UsageError(`pcap: ${path} is not a file`);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`pcap: cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  return createReadStream(path, { highWaterMark: READ_CHUNK });
}

/** Output written in batches, waiting for stdout to drain so a slow reader holds the capture's reading back. */
class BatchedOutput {
  private pending = '';
  private readonly io: CommandIO;

  constructor(io: CommandIO) {
    this.io = io;
  }

  write(text: string): void {
    this.pending += text;
  }

  async maybeFlush(): Promise<void> {
    if (this.pending.length < OUTPUT_BATCH) return;
    this.flush();
    await this.io.drain?.();
  }

  flush(): void {
    if (this.pending.length > 0) this.io.out(this.pending);
    this.pending = '';
  }
}

type Entry = ReturnType<typeof entry>;

function entry(h: CapturedHandshake, alpnRule: Ja4AlpnRule) {
  const sni = firstExtensionBody(h.clientHello, 0);
  const fp = ja4All(h.clientHello, { transport: h.transport === 'quic' ? 'quic' : 'tcp', alpnRule });
  const sh = h.serverHello;
  return {
    transport: h.transport,
    stream: h.stream,
    hello: h.helloIndex,
    time: h.firstSeen,
    client: h.client,
    server: h.server,
    serverName: sni === undefined ? null : serverName(sni),
    ...ja3All(h.clientHello),
    ...fp,
    knownClients: presetsWithJa4(fp.ja4),
    serverHello: sh
      ? {
          version: sh.version,
          versionName: versionName(sh.version),
          cipherSuite: sh.cipherSuite,
          cipherSuiteName: cipherSuiteName(sh.cipherSuite),
          helloRetryRequest: sh.helloRetryRequest,
          ja3s: ja3s({
            legacyVersion: sh.legacyVersion,
            cipherSuite: sh.cipherSuite,
            extensions: sh.extensions,
          }),
        }
      : null,
    ...(h.problems.length > 0 ? { problems: h.problems.map((p) => `${p.path}: ${p.detail}`) } : {}),
  };
}

/** One handshake line of `pcap --json`: the entry with the contract's version `{code, name}`. */
function handshakeJson(e: Entry) {
  const { serverHello, ...rest } = e;
  const sh = serverHello ? (({ versionName: _name, ...fields }) => fields)(serverHello) : null;
  return {
    ...schemaField('pcap'),
    type: 'handshake',
    ...rest,
    serverHello: sh ? { ...sh, version: versionJson(sh.version) } : null,
  };
}

function text(e: Entry): string {
  const where = `${e.transport} ${e.stream}${e.hello > 1 ? ` (hello ${e.hello})` : ''}  ${endpoint(e.client)} → ${endpoint(e.server)}`;
  const known = e.knownClients.length > 0 ? `  (${e.knownClients.map((k) => k.preset).join(', ')})` : '';
  let out = `${where}  ${e.serverName ?? '(no SNI)'}\n  ja4 ${e.ja4}  ja3 ${e.ja3}${known}\n`;
  if (e.serverHello)
    out += `  server: ${e.serverHello.versionName} ${e.serverHello.cipherSuiteName}${e.serverHello.helloRetryRequest ? ' (HelloRetryRequest)' : ''}  ja3s ${e.serverHello.ja3s}\n`;
  return out;
}

function endpoint(e: { ip: string; port: number }): string {
  return e.ip.includes(':') ? `[${e.ip}]:${e.port}` : `${e.ip}:${e.port}`;
}
