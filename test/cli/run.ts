import type { CommandIO } from '../../src/cli/command.ts';
import { runCli } from '../../src/cli/main.ts';

/** What a test says about the terminal: which streams are one, and whether to colour. */
export type Terminal = Partial<Pick<CommandIO, 'isTTY' | 'stdoutIsTTY' | 'stdinIsTTY' | 'colour'>>;

/**
 * Runs the CLI in-process with buffered output; `stdin` feeds commands that read `-`;
 * `terminal` plays a terminal on some streams (none by default, as in a pipe).
 */
export async function cli(argv: string[], stdin: Uint8Array = new Uint8Array(0), terminal: Terminal = {}) {
  let stdout = '';
  let stderr = '';
  const chunks: Uint8Array[] = [];
  const io: CommandIO = {
    out: (t) => {
      stdout += t;
    },
    err: (t) => {
      stderr += t;
    },
    outBytes: (b) => {
      chunks.push(b);
    },
    readStdin: async () => stdin,
    isTTY: false,
    ...terminal,
  };
  const code = await runCli(argv, io);
  const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.length;
  }
  return { code, stdout, stderr, bytes };
}
