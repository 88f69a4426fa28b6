import { jsonText } from '../../bytes/json-view.ts';
import { decodeStream } from '../../handshake/stream.ts';
import { annotateText } from '../annotate.ts';
import { parseFlags, stringFlag } from '../args.ts';
import type { Command } from '../command.ts';
import { EXIT, UsageError } from '../errors.ts';
import { readTlsInput } from '../input.ts';
import { messageJson, recordJson } from '../summary.ts';
import { messageTree, recordLine } from '../tree.ts';

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

function errorJson(e: { code: string; offset: number; path: string; alert: string; detail: string }) {
  return { code: e.code, offset: e.offset, path: e.path, alert: e.alert, detail: e.detail };
}
