import { presetsWithJa4 } from '../../builder/presets/index.ts';
import { captureHandshakes } from '../../capture/handshakes.ts';
import { type Ja4AlpnRule, ja3, ja3Full, ja3s, ja4All } from '../../fingerprint/index.ts';
import { firstExtensionBody, serverName } from '../../handshake/hello-fields.ts';
import { cipherSuiteName, versionName } from '../../iana/lookup.ts';
import { parseFlags, stringFlag } from '../args.ts';
import type { Command } from '../command.ts';
import { EXIT, UsageError } from '../errors.ts';
import { readInputBytes } from '../input.ts';

const flags = {
  json: { type: 'boolean', help: 'one JSON object with every handshake and the warnings' },
  'ja4-alpn': {
    type: 'string',
    value: 'spec|reference',
    help: 'JA4 rule for non-alphanumeric ALPN (default spec)',
  },
} as const;

/** `hellokit pcap FILE`: the handshakes in a pcap/pcapng capture with their fingerprints. */
export const pcapCommand: Command = {
  name: 'pcap',
  summary:
    'list the TLS/QUIC handshakes in a pcap or pcapng capture, with JA3/JA4 (captures up to 256 MiB; 256 KiB read per direction of a connection)',
  usage: 'pcap FILE [--json]',
  flags,
  async run(argv, io) {
    const { flags: f, positionals } = parseFlags('pcap', argv, flags);
    if (positionals.length !== 1)
      throw new UsageError('pcap: expects exactly one capture file (or - for stdin)');
    const alpnRule = (stringFlag(f, 'ja4-alpn') ?? 'spec') as Ja4AlpnRule;
    if (alpnRule !== 'spec' && alpnRule !== 'reference')
      throw new UsageError(`pcap: --ja4-alpn expects spec or reference, got ${JSON.stringify(alpnRule)}`);
    const bytes = await readInputBytes('pcap', positionals[0], io);
    const { handshakes, warnings } = captureHandshakes(bytes);
    const entries = handshakes.map((h) => {
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
        ja3: ja3(h.clientHello),
        ja3Full: ja3Full(h.clientHello),
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
    });
    if (f.json) {
      io.out(`${JSON.stringify({ handshakes: entries, warnings }, null, 2)}\n`);
    } else {
      if (entries.length === 0) io.out('no TLS or QUIC ClientHello found in this capture\n');
      for (const e of entries) {
        const where = `${e.transport} ${e.stream}${e.hello > 1 ? ` (hello ${e.hello})` : ''}  ${endpoint(e.client)} → ${endpoint(e.server)}`;
        const known =
          e.knownClients.length > 0 ? `  (${e.knownClients.map((k) => k.preset).join(', ')})` : '';
        io.out(`${where}  ${e.serverName ?? '(no SNI)'}\n  ja4 ${e.ja4}  ja3 ${e.ja3}${known}\n`);
        if (e.serverHello)
          io.out(
            `  server: ${e.serverHello.versionName} ${e.serverHello.cipherSuiteName}${e.serverHello.helloRetryRequest ? ' (HelloRetryRequest)' : ''}  ja3s ${e.serverHello.ja3s}\n`,
          );
      }
    }
    for (const w of warnings) io.err(`hellokit pcap: warning: ${w}\n`);
    return EXIT.ok;
  },
};

function endpoint(e: { ip: string; port: number }): string {
  return e.ip.includes(':') ? `[${e.ip}]:${e.port}` : `${e.ip}:${e.port}`;
}
