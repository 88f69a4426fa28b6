import type { FlagSpecs } from './args.ts';

/** Where a command reads and writes; the real process in main.ts, buffers in tests. */
export interface CommandIO {
  out(text: string): void;
  err(text: string): void;
  /** Raw bytes written to stdout (for binary output). */
  outBytes(bytes: Uint8Array): void;
  /**
   * Text already encoded as UTF-8, written as `out` writes text (the caller gives the bytes
   * away). Absent in buffers that keep text: then the command decodes it and calls `out`.
   */
  outText?(utf8: Uint8Array): void;
  readStdin(maxBytes: number): Promise<Uint8Array>;
  /**
   * Resolves once what `out` wrote has been taken by the reader (at once when nothing waits),
   * so a command writing a long output keeps pace with a slow pipe instead of queueing it all.
   */
  drain?(): Promise<void>;
  /** Standard input as chunks, for commands that stream it (falls back to readStdin when absent). */
  stdinChunks?(): AsyncIterable<Uint8Array>;
  /** Whether stderr is a terminal (progress lines only then). */
  readonly isTTY: boolean;
  /** Whether stdout is a terminal (binary output is refused there). */
  readonly stdoutIsTTY?: boolean;
  /** Whether stdin is a terminal (a command reading it says so first). */
  readonly stdinIsTTY?: boolean;
  /** Whether to colour severities in what goes to stdout (a terminal, NO_COLOR and FORCE_COLOR). */
  readonly colour?: boolean;
}

/** One `hellokit` command. */
export interface Command {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  readonly flags: FlagSpecs;
  run(argv: readonly string[], io: CommandIO): Promise<number>;
}
