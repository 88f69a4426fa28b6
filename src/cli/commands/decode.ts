import { DecodeError } from '../../bytes/errors.ts';
import { toHex } from '../../bytes/hex.ts';
import { jsonText } from '../../bytes/json-view.ts';
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
    const decoded = decodeStream(bytes, { strict: !f.lenient });
    if (f.json) {
      io.out(
        jsonText({
          records: decoded.records.map(recordJson),
          messages: decoded.messages.map((m) => messageJson(m, { alpnRule })),
          ...(decoded.problems.length > 0 ? { problems: decoded.problems } : {}),
          ...(decoded.error ? { error: errorJson(decoded.error) } : {}),
        }),
      );
    } else {
      for (const r of decoded.records) io.out(`${recordLine(r)}\n`);
      for (const m of decoded.messages) io.out(`${messageTree(m)}\n`);
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
