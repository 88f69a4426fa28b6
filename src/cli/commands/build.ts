import { writeFile } from 'node:fs/promises';
import { type BuiltClientHello, clientHello } from '../../builder/client-hello.ts';
import { toHex } from '../../bytes/hex.ts';
import { jsonText } from '../../bytes/json-view.ts';
import { encodeClientHello } from '../../handshake/client-hello.ts';
import { clientHelloJson } from '../../inspect/summary.ts';
import { parseFlags, stringFlag } from '../args.ts';
import type { Command, CommandIO } from '../command.ts';
import { EXIT, UsageError } from '../errors.ts';
import { HELLO_FLAGS, helloOptionsFromFlags } from '../hello-flags.ts';
import { schemaField } from '../json-contract.ts';

const FLAGS = {
  ...HELLO_FLAGS,
  hex: { type: 'boolean', help: 'write hex text (to stdout, or to FILE with -o)' },
  output: {
    type: 'string',
    short: 'o',
    value: 'FILE',
    help: 'write the record bytes to FILE (- for stdout; hex on a terminal)',
  },
  json: { type: 'boolean', help: 'print the decoded hello as JSON' },
} as const;

function build(argv: readonly string[]): {
  hello: BuiltClientHello;
  flags: ReturnType<typeof parseFlags>['flags'];
} {
  const { flags, positionals } = parseFlags('build', argv, FLAGS);
  if (positionals.length > 0)
    throw new UsageError(
      `build: unexpected argument ${JSON.stringify(positionals[0])}; build takes only flags (hellokit build --help lists them)`,
    );
  const options = helloOptionsFromFlags('build', flags);
  try {
    return { hello: clientHello(options), flags };
  } catch (e) {
    if (e instanceof TypeError || e instanceof RangeError) throw new UsageError(`build: ${e.message}`);
    throw e;
  }
}

/** `hellokit build`: write a ClientHello as record bytes, hex or decoded JSON. */
export const buildCommand: Command = {
  name: 'build',
  summary: 'write a ClientHello (record bytes with -o FILE, hex, or --json)',
  usage: 'build [hello flags] [--hex] [-o FILE] [--json]',
  flags: FLAGS,
  async run(argv: readonly string[], io: CommandIO): Promise<number> {
    const { hello, flags } = build(argv);
    const bytes = encodeClientHello(hello);
    const output = stringFlag(flags, 'output');
    const hex = flags.hex === true;
    if (output === '-') {
      // Binary never goes to a terminal: there the bytes are written as hex.
      if (hex || io.stdoutIsTTY === true) io.out(`${toHex(bytes)}\n`);
      else io.outBytes(bytes);
      return EXIT.ok;
    }
    if (output !== undefined) {
      try {
        await writeFile(output, hex ? `${toHex(bytes)}\n` : bytes);
      } catch (e) {
        throw new UsageError(
          `build: cannot write ${output}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`,
        );
      }
    }
    if (flags.json === true) {
      const { keyShares: _private, ...view } = hello;
      io.out(
        jsonText({
          ...schemaField('build'),
          bytes: toHex(bytes),
          length: bytes.length,
          record: hello.record ?? { version: 0x0301 },
          clientHello: clientHelloJson(view),
        }),
      );
    } else if (output === undefined || hex) {
      if (output === undefined) io.out(`${toHex(bytes)}\n`);
    }
    return EXIT.ok;
  },
};
