import type { CommandIO } from '../../src/cli/command.ts';
import { runCli } from '../../src/cli/main.ts';

/** Runs the CLI in-process with buffered output; `stdin` feeds commands that read `-`. */
export async function cli(argv: string[], stdin: Uint8Array = new Uint8Array(0)) {
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
