import { DecodeError } from '../../bytes/errors.ts';
import { toHex } from '../../bytes/hex.ts';
import { jsonText } from '../../bytes/json-view.ts';
import { QuicInitialTracker } from '../../capture/quic.ts';
import { parseLongHeader, QUIC_VERSION } from '../../capture/quic-initial.ts';
import type { Ja4Options } from '../../fingerprint/ja4.ts';
import { sslv2ClientHelloSummary } from '../../fingerprint/sslv2.ts';
import { isSslv2ClientHello, parseSslv2ClientHello } from '../../handshake/sslv2-client-hello.ts';
import { decodeStream } from '../../handshake/stream.ts';
import { annotateText } from '../annotate.ts';
import { parseFlags, stringFlag } from '../args.ts';
import type { Command, CommandIO } from '../command.ts';
import { EXIT, UsageError } from '../errors.ts';
import { readTlsInput } from '../input.ts';
import { messageJson, recordJson } from '../summary.ts';
import { messageTree, recordLine, sslv2Tree } from '../tree.ts';

const flags = {
  json: { type: 'boolean', help: 'print records and messages as JSON (the decode contract)' },
  annotate: { type: 'boolean', help: 'hex dump with every byte range labelled by its field path' },
  lenient: { type: 'boolean', help: 'keep going past semantic faults and list them' },
  'ja4-alpn': {
    type: 'string',
    value: 'spec|reference',
    help: 'JA4 rule for non-alphanumeric ALPN (default spec)',
  },
} as const;

/** `hellokit decode [FILE|-]`: records and handshake messages from binary or hex text. */
export const decodeCommand: Command = {
  name: 'decode',
  summary: 'decode TLS records / handshake messages from a file or stdin (binary or hex)',
  usage: 'decode [FILE|-] [--json] [--annotate] [--lenient]',
  flags,
  async run(argv, io) {
    const { flags: f, positionals } = parseFlags('decode', argv, flags);
    const alpnRule = stringFlag(f, 'ja4-alpn') ?? 'spec';
    if (alpnRule !== 'spec' && alpnRule !== 'reference') {
      throw new UsageError(`decode: --ja4-alpn expects spec or reference, got ${JSON.stringify(alpnRule)}`);
    }
    const bytes = await readTlsInput('decode', positionals[0], io);
    if (f.annotate) {
      io.out(annotateText(bytes));
      return EXIT.ok;
    }
    if (isSslv2ClientHello(bytes))
      return decodeSslv2(bytes, { json: f.json === true, strict: !f.lenient }, io);
    const quic = quicInitial(bytes);
    const ja4Options: Ja4Options = { alpnRule, ...(quic ? { transport: 'quic' as const } : {}) };
    const decoded = decodeStream(quic ? quic.crypto : bytes, { strict: !f.lenient });
    if (quic && !f.json) io.out(`${quic.line}\n`);
    if (f.json) {
      io.out(
        jsonText({
          ...(quic ? { quic: quic.json } : {}),
          records: decoded.records.map(recordJson),
          messages: decoded.messages.map((m) => messageJson(m, ja4Options)),
          ...(decoded.problems.length > 0 ? { problems: decoded.problems } : {}),
          ...(decoded.error ? { error: errorJson(decoded.error) } : {}),
        }),
      );
    } else {
      for (const r of decoded.records) io.out(`${recordLine(r)}\n`);
      for (const m of decoded.messages) io.out(`${messageTree(m, ja4Options)}\n`);
      for (const p of decoded.problems)
        io.out(`problem: ${p.path} at offset ${p.offset}: ${p.detail} (${p.code}, alert ${p.alert})\n`);
    }
    if (decoded.error) {
      io.err(`hellokit decode: ${decoded.error.message}\n`);
      return EXIT.usage;
    }
    return EXIT.ok;
  },
};

/**
 * An SSLv2-compatible CLIENT-HELLO: not TLS records, so `records` stays empty and the one
 * message has type `sslv2_client_hello` (decode --json consumers that look for
 * `client_hello` are not misled).
 */
function decodeSslv2(bytes: Uint8Array, options: { json: boolean; strict: boolean }, io: CommandIO): number {
  let hello: ReturnType<typeof parseSslv2ClientHello>;
  try {
    hello = parseSslv2ClientHello(bytes, { strict: options.strict });
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
    if (options.json) io.out(jsonText({ records: [], messages: [], error: errorJson(e) }));
    io.err(`hellokit decode: ${e.message}\n`);
    return EXIT.usage;
  }
  const problems = hello.problems ?? [];
  if (options.json) {
    const message = { ...sslv2ClientHelloSummary(hello), offset: 0, recordIndex: -1, hex: toHex(bytes) };
    io.out(jsonText({ records: [], messages: [message], ...(problems.length > 0 ? { problems } : {}) }));
  } else {
    io.out(`${sslv2Tree(hello)}\n`);
    for (const p of problems)
      io.out(`problem: ${p.path} at offset ${p.offset}: ${p.detail} (${p.code}, alert ${p.alert})\n`);
  }
  return EXIT.ok;
}

function errorJson(e: { code: string; offset: number; path: string; alert: string; detail: string }) {
  return { code: e.code, offset: e.offset, path: e.path, alert: e.alert, detail: e.detail };
}

/**
 * A QUIC Initial datagram (a UDP payload, e.g. Wireshark's "copy as hex" of a client's first
 * packet): opened with the keys its Destination Connection ID gives every observer, its CRYPTO
 * frames joined. Undefined when the bytes do not start with a v1/v2 Initial long header.
 * @throws {UsageError} when it is one but does not open (a server's Initial, or damaged)
 */
function quicInitial(
  bytes: Uint8Array,
): { crypto: Uint8Array; line: string; json: Record<string, unknown> } | undefined {
  const header = parseLongHeader(bytes, 0);
  if (!header?.initial) return undefined;
  const tracker = new QuicInitialTracker();
  const client = { ip: 'client', port: 0 };
  tracker.push(0, client, { ip: 'server', port: 0 }, bytes);
  const connection = tracker.connections()[0];
  if (!connection || connection.clientCrypto.length === 0) {
    throw new UsageError(
      `decode: a QUIC Initial (version 0x${header.version.toString(16).padStart(8, '0')}) that does not open as a client's first Initial: a server's Initial, a later packet or damaged bytes${tracker.warnings.length > 0 ? ` (${tracker.warnings[0]})` : ''}`,
    );
  }
  const dcid = toHex(connection.originalDestinationConnectionId);
  const version = connection.version === QUIC_VERSION.v2 ? 'v2' : 'v1';
  return {
    crypto: connection.clientCrypto,
    line: `quic initial: QUIC ${version}, DCID ${dcid}, ${connection.clientPackets} packet${connection.clientPackets === 1 ? '' : 's'} opened, ${connection.clientCrypto.length} CRYPTO bytes (offsets below are in the CRYPTO stream)`,
    json: {
      version: connection.version,
      destinationConnectionId: dcid,
      packets: connection.clientPackets,
      cryptoLength: connection.clientCrypto.length,
    },
  };
}
