/** A bad flag, argument or input file: the CLI prints the message and exits 2. */
export class UsageError extends Error {
  override readonly name: 'UsageError' = 'UsageError';
}

/** Exit codes (DESIGN.md): 0 done whatever the server said, 1 the tool failed, 2 bad input or usage. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;
