#!/usr/bin/env node
import { flagHelp } from './args.ts';
import type { Command, CommandIO } from './command.ts';
import { COMMANDS } from './commands/index.ts';
import { EXIT, UsageError } from './errors.ts';
import { colourWanted } from './terminal.ts';

/** The command list (this loads every command, which only help needs). */
async function usage(): Promise<string> {
  const commands = await Promise.all(COMMANDS.map((c) => c.load()));
  const rows = commands.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`).join('\n');
  return `hellokit — build, parse, send and fuzz TLS ClientHellos, and read what a server answers

usage: hellokit COMMAND [flags]   (every command takes --json; hellokit COMMAND --help for its flags)

${rows}
`;
}

/** The version in package.json (two folders up from src/cli and from dist/cli alike). */
async function packageVersion(): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  const manifest = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8'));
  return String(manifest.version);
}

function commandHelp(c: Command): string {
  return `usage: hellokit ${c.usage}\n\n${c.summary}\n\n${flagHelp(c.flags)}\n`;
}

const processIO: CommandIO = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  outBytes: (bytes) => process.stdout.write(bytes),
  outText: (utf8) => process.stdout.write(utf8),
  readStdin: async (maxBytes) => {
    const chunks: Uint8Array[] = [];
    let total = 0;
    for await (const chunk of process.stdin) {
      total += (chunk as Uint8Array).length;
      if (total > maxBytes) throw new UsageError(`standard input is larger than ${maxBytes} bytes`);
      chunks.push(chunk as Uint8Array);
    }
    return new Uint8Array(Buffer.concat(chunks));
  },
  stdinChunks: () => process.stdin,
  drain: () =>
    process.stdout.writableNeedDrain
      ? new Promise<void>((resolve) => {
          const done = () => {
            process.stdout.off('drain', done).off('close', done);
            resolve();
          };
          process.stdout.on('drain', done).on('close', done);
        })
      : Promise.resolve(),
  isTTY: Boolean(process.stderr.isTTY),
  stdoutIsTTY: Boolean(process.stdout.isTTY),
  stdinIsTTY: Boolean(process.stdin.isTTY),
  colour: colourWanted(Boolean(process.stdout.isTTY)),
};

/** Runs the CLI with `argv` (without node and script); returns the exit code. */
export async function runCli(argv: readonly string[], io: CommandIO = processIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(await usage());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === '--version' || name === '-V') {
    io.out(`hellokit ${await packageVersion()}\n`);
    return EXIT.ok;
  }
  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry) {
    io.err(
      `hellokit: unknown command ${JSON.stringify(name)} (commands: ${COMMANDS.map((c) => c.name).join(', ')})\n`,
    );
    return EXIT.usage;
  }
  const command = await entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(commandHelp(command));
    return EXIT.ok;
  }
  try {
    return await command.run(rest, io);
  } catch (e) {
    return reportError(command.name, e, io);
  }
}

/**
 * Whether `e` is one of hellokit's error classes, by its name: in the bin each command runs from
 * a bundle of its own that holds its own copy of these classes, so `instanceof` cannot tell.
 */
function isNamed(e: unknown, ...names: readonly string[]): e is Error {
  return e instanceof Error && names.includes(e.name);
}

function reportError(command: string, e: unknown, io: CommandIO): number {
  if (isNamed(e, 'UsageError')) {
    io.err(`hellokit ${command}: ${e.message.replace(new RegExp(`^${command}: `), '')}\n`);
    return EXIT.usage;
  }
  if (isNamed(e, 'DecodeError', 'EncodeError')) {
    io.err(`hellokit ${command}: ${e.message}\n`);
    return EXIT.usage;
  }
  const message = e instanceof Error ? e.message : String(e);
  io.err(`hellokit ${command}: failed: ${message}\n`);
  if (process.env.HELLOKIT_DEBUG && e instanceof Error) io.err(`${e.stack}\n`);
  return EXIT.failed;
}

const isMain =
  process.argv[1] !== undefined && /(?:^|[\\/])(?:main\.(?:js|ts)|hellokit)$/.test(process.argv[1]);
if (isMain) {
  // A closed pipe (`hellokit decode x | head`) ends the output quietly, as Unix tools do.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  runCli(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`hellokit: failed: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = EXIT.failed;
    },
  );
}
