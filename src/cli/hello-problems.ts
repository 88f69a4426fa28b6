/**
 * Lint before send: probe, scan, diagnose and fuzz check the hello they are about to send and
 * say what is wrong with it before the answer, so a server's refusal of a broken hello is not
 * taken for the server's fault. Fields forged on purpose (the builder lists them in `forged`)
 * are allowed to break rules and are not reported.
 */
import { clientHello } from '../builder/client-hello.ts';
import { DecodeError, EncodeError } from '../bytes/errors.ts';
import type { ClientHello } from '../handshake/types.ts';
import type { LintProblem } from '../lint/types.ts';
import { problemsNotForged, validateClientHello } from '../lint/validate.ts';
import type { CommandIO } from './command.ts';
import { severityText } from './terminal.ts';

/** One problem as a line: `error key_share_order client_hello.extensions.key_share…: message (RFC 8446 §4.2.8)`. */
export function problemLine(p: LintProblem, colour = false): string {
  return `${severityText(p.severity, p.severity, colour)} ${p.rule} ${p.path}: ${p.message} (${p.rfc})`;
}

/**
 * The lint problems of `hello` that were not forged on purpose. A hello the linter cannot read
 * at all (a forged content type, say) has none here: sending it is the point.
 */
export function unforgedHelloProblems(hello: ClientHello): LintProblem[] {
  const forged = (hello as { forged?: readonly string[] }).forged ?? [];
  try {
    return problemsNotForged(validateClientHello(hello), forged);
  } catch (e) {
    if (e instanceof DecodeError || e instanceof EncodeError || e instanceof RangeError) return [];
    throw e;
  }
}

/**
 * Lints `hello` and, for human output, writes one `warning: hello: …` line per problem to
 * stderr (before the answer, which goes to stdout). Returns the problems for `--json`.
 */
export function warnAboutHello(hello: ClientHello, json: boolean, io: CommandIO): LintProblem[] {
  const problems = unforgedHelloProblems(hello);
  if (!json) for (const p of problems) io.err(`warning: hello: ${problemLine(p)}\n`);
  return problems;
}

/** `{ helloProblems }` for a `--json` object when there are any, else nothing. */
export function helloProblemsJson(problems: readonly LintProblem[]): {
  helloProblems?: readonly LintProblem[];
} {
  return problems.length > 0 ? { helloProblems: problems } : {};
}

/**
 * For scan and diagnose, whose one hello flag is `--sni`: their own hellos are the builder's,
 * so what the user shapes is the name. Lints the builder's hello with that name (nothing
 * without `--sni`; a name the builder refuses is left to the command to report).
 */
export function warnAboutServerName(name: string | undefined, json: boolean, io: CommandIO): LintProblem[] {
  if (name === undefined) return [];
  let hello: ClientHello;
  try {
    hello = clientHello({ serverName: name });
  } catch (e) {
    if (e instanceof TypeError || e instanceof RangeError) return [];
    throw e;
  }
  return warnAboutHello(hello, json, io);
}
