/** A bad flag, argument or input file: the CLI prints the message and exits 2. */
export class UsageError extends Error {
  override readonly name: 'UsageError' = 'UsageError';
}

/**
 * Exit codes, the one table (docs/cli.md): 0 the command did its job and the server answered,
 * whatever it answered; 1 a finding or difference the user asked to fail on (`diff` with
 * differences, `lint` with errors, `diagnose --fail-on`); 2 bad input or usage; 3 the target
 * could not be reached (DNS, refused, connect timeout, a QUIC probe nothing answered); 4 the
 * tool failed (an unexpected error).
 */
export const EXIT = { ok: 0, finding: 1, usage: 2, unreachable: 3, failed: 4 } as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The worst of several exit codes (`scan --targets`): failed over unreachable over finding over ok. */
export function worstExit(codes: Iterable<number>): number {
  let worst: number = EXIT.ok;
  for (const c of codes) if (c > worst) worst = c;
  return worst;
}
