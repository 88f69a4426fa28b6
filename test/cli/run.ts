import type { CommandIO } from '../../src/cli/command.ts';
import { runCli } from '../../src/cli/main.ts';

/** What a test says about the terminal: which streams are one, and whether to colour. */
export type Terminal = Partial<Pick<CommandIO, 'isTTY' | 'stdoutIsTTY' | 'stdinIsTTY' | 'colour'>>;

/**
 * A CommandIO that keeps what a command writes (`stdout`, `stderr`, `chunks` of bytes), for a
 * test that reads the output while the command still runs (serve).
 */
export function bufferIO(
  stdin: Uint8Array = new Uint8Array(0),
  terminal: Terminal = {},
): CommandIO & { stdout: string; stderr: string; chunks: Uint8Array[] } {
  const io = {
    stdout: '',
    stderr: '',
    chunks: [] as Uint8Array[],
    out: (t: string) => {
      io.stdout += t;
    },
    err: (t: string) => {
      io.stderr += t;
    },
    outBytes: (b: Uint8Array) => {
      io.chunks.push(b);
    },
    readStdin: async () => stdin,
    isTTY: false,
    ...terminal,
  };
  return io;
}

/**
 * Runs the CLI in-process with buffered output; `stdin` feeds commands that read `-`;
 * `terminal` plays a terminal on some streams (none by default, as in a pipe).
 */
export async function cli(argv: string[], stdin: Uint8Array = new Uint8Array(0), terminal: Terminal = {}) {
  const io = bufferIO(stdin, terminal);
  const code = await runCli(argv, io);
  const bytes = new Uint8Array(io.chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of io.chunks) {
    bytes.set(c, at);
    at += c.length;
  }
  return { code, stdout: io.stdout, stderr: io.stderr, bytes };
}

/**
 * Runs `hellokit serve` in-process on a port it picks (port 0), waits for its listening line,
 * and returns the port, its output and `stop()` (SIGTERM, as Ctrl-C would), which resolves to
 * its exit code.
 */
export async function serveInProcess(flags: string[] = []) {
  const io = bufferIO();
  const done = runCli(['serve', '--port', '0', ...flags], io);
  const listening = /listening on https:\/\/127\.0\.0\.1:(\d+)\//;
  for (let i = 0; i < 250 && !listening.test(io.stderr); i++) await new Promise((r) => setTimeout(r, 20));
  const port = Number(listening.exec(io.stderr)?.[1]);
  if (!(port > 0)) throw new Error(`serve did not say where it listens: ${io.stderr}`);
  const stop = () => {
    process.emit('SIGTERM');
    return done;
  };
  return { io, port, stop };
}
