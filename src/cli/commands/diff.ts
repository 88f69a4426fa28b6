import { clientHello } from '../../builder/client-hello.ts';
import { PRESET_NAMES, type PresetName, parsePresetName } from '../../builder/presets/index.ts';
import { jsonText } from '../../bytes/json-view.ts';
import { diffClientHellos, PER_CONNECTION_FIELDS } from '../../fingerprint/hello-diff.ts';
import { ja3 } from '../../fingerprint/ja3.ts';
import { ja4 } from '../../fingerprint/ja4.ts';
import { parseClientHello } from '../../handshake/client-hello.ts';
import type { ClientHello } from '../../handshake/types.ts';
import { parseFlags, stringFlag } from '../args.ts';
import type { Command, CommandIO } from '../command.ts';
import { EXIT, UsageError } from '../errors.ts';
import { readTlsInput } from '../input.ts';
import { schemaField } from '../json-contract.ts';

const flags = {
  exact: {
    type: 'boolean',
    help: 'compare every byte: GREASE values, random, session id, key share keys, padding, ECH',
  },
  lenient: { type: 'boolean', help: 'read hellos a strict parse rejects' },
  sni: { type: 'string', value: 'NAME', help: 'the server name of preset:NAME sides (default none)' },
  json: { type: 'boolean', help: 'print the differences as JSON' },
} as const;

const PRESET_PREFIX = 'preset:';

/**
 * `hellokit diff A B`: two ClientHellos field by field — which suites, extensions, groups,
 * signature algorithms, versions or ALPN one offers and the other does not. Each side is a
 * file (records or a bare message, binary or hex), `-` for stdin, or `preset:NAME`.
 */
export const diffCommand: Command = {
  name: 'diff',
  summary: 'compare two ClientHellos field by field (files, stdin or preset:NAME; exit 1 when they differ)',
  usage: 'diff A B [--exact] [--json]  (A, B: FILE, - or preset:NAME)',
  flags,
  async run(argv, io) {
    const { flags: f, positionals } = parseFlags('diff', argv, flags);
    if (positionals.length !== 2)
      throw new UsageError(`diff: expects two hellos (FILE, - or preset:NAME), got ${positionals.length}`);
    if (positionals[0] === '-' && positionals[1] === '-')
      throw new UsageError('diff: only one side can be standard input');
    const strict = !f.lenient;
    const sni = stringFlag(f, 'sni') ?? null;
    const [a, b] = [
      await readHello('a', positionals[0], strict, sni, io),
      await readHello('b', positionals[1], strict, sni, io),
    ];
    const exact = f.exact === true;
    const differences = diffClientHellos(a, b, { exact });
    const side = (source: string, hello: ClientHello) => ({ source, ja3: ja3(hello), ja4: ja4(hello) });
    if (f.json) {
      io.out(
        jsonText({
          ...schemaField('diff'),
          a: side(positionals[0], a),
          b: side(positionals[1], b),
          exact,
          differences,
          ...(exact ? {} : { notCompared: PER_CONNECTION_FIELDS }),
        }),
      );
      return differences.length > 0 ? EXIT.finding : EXIT.ok;
    }
    io.out(`a  ${positionals[0]}: JA4 ${ja4(a)}, JA3 ${ja3(a)}\n`);
    io.out(`b  ${positionals[1]}: JA4 ${ja4(b)}, JA3 ${ja3(b)}\n`);
    for (const d of differences) io.out(`${d.summary}\n`);
    const count =
      differences.length === 0
        ? 'no differences'
        : `${differences.length} difference${differences.length === 1 ? '' : 's'}`;
    io.out(
      exact
        ? `${count} (every byte compared)\n`
        : `${count}; not compared, as they change on every connection: ${PER_CONNECTION_FIELDS.join(', ')} (--exact compares them)\n`,
    );
    return differences.length > 0 ? EXIT.finding : EXIT.ok;
  },
};

/** One side: a built preset, or the ClientHello in FILE / stdin; errors name the side. */
async function readHello(
  label: 'a' | 'b',
  spec: string,
  strict: boolean,
  serverName: string | null,
  io: CommandIO,
): Promise<ClientHello> {
  if (spec.startsWith(PRESET_PREFIX)) {
    const name = spec.slice(PRESET_PREFIX.length);
    let preset: PresetName;
    try {
      preset = parsePresetName(name);
    } catch {
      throw new UsageError(
        `diff: ${label}: unknown preset ${JSON.stringify(name)} (accepted: ${PRESET_NAMES.join(', ')})`,
      );
    }
    return clientHello({ preset, serverName });
  }
  const bytes = await readTlsInput('diff', spec, io);
  try {
    return parseClientHello(bytes, { strict });
  } catch (e) {
    throw new UsageError(
      `diff: ${label} (${spec === '-' ? 'standard input' : spec}): ${(e as Error).message}${strict ? ' (--lenient reads it anyway if only a strict rule fails)' : ''}`,
    );
  }
}
