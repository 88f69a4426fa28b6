/**
 * `validateClientHello`: a ClientHello checked against the rules of RFC 8446, 5246, 6066,
 * 7301, 8422, 7627, 8701 and draft ECH (the table in rules.ts), for hellos read or built.
 */
import { encodeClientHello, encodeClientHelloMessage } from '../handshake/client-hello.ts';
import type { ClientHello } from '../handshake/types.ts';
import { readHelloForLint } from './read-hello.ts';
import { LINT_RULES, type LintFinding } from './rules.ts';
import type { LintProblem, LintRuleId, ValidateOptions } from './types.ts';
import { LintView } from './view.ts';

const RULE_IDS = Object.keys(LINT_RULES) as LintRuleId[];

/**
 * The problems of a ClientHello, errors first, each with a stable rule id, the field's path
 * and the RFC section. `hello` is a parsed or built `ClientHello` (it is encoded, so forged
 * lengths count) or its bytes: TLS records or a bare handshake message. A hello whose lengths
 * do not add up is read as far as it goes and the faults are problems (`length_mismatch`).
 *
 * @example
 * validateClientHello(parseClientHello(bytes, { strict: false }))
 * // [{ rule: 'key_share_not_in_groups', severity: 'error',
 * //    path: 'client_hello.extensions.key_share.client_shares[1].group', message: '…', rfc: 'RFC 8446 §4.2.8' }]
 * @throws {DecodeError} when the bytes are not a ClientHello at all
 */
export function validateClientHello(
  hello: ClientHello | Uint8Array,
  options: ValidateOptions = {},
): LintProblem[] {
  const read = readHelloForLint(helloBytes(hello));
  const view = read.hello ? new LintView(read.hello, read.extensions, read.record, options) : undefined;
  const found = new Map<LintRuleId, LintFinding[]>();
  const add = (id: LintRuleId, f: LintFinding) => {
    const list = found.get(id);
    if (list) list.push(f);
    else found.set(id, [f]);
  };
  for (const f of read.findings) {
    const id = RULE_IDS.find((r) => LINT_RULES[r].fromDecode?.(f, view));
    if (id) add(id, { path: f.path, message: f.detail });
  }
  if (view) {
    for (const id of RULE_IDS) for (const f of LINT_RULES[id].check?.(view) ?? []) add(id, f);
  }
  const problems: LintProblem[] = [];
  for (const id of RULE_IDS) {
    const rule = LINT_RULES[id];
    for (const f of found.get(id) ?? [])
      problems.push({ rule: id, severity: rule.severity, path: f.path, message: f.message, rfc: rule.rfc });
  }
  return problems.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
}

/** The wire bytes of a hello object: its records when it has framing, else the bare message. */
function helloBytes(hello: ClientHello | Uint8Array): Uint8Array {
  if (hello instanceof Uint8Array) return hello;
  return hello.record ? encodeClientHello(hello) : encodeClientHelloMessage(hello);
}

/**
 * `problems` without those about a field forged on purpose: a problem is dropped when one of
 * `forged` is its path or a prefix of it ending at a `.` or `[` boundary
 * (`client_hello.extensions.key_share` covers `client_hello.extensions.key_share.client_shares[1].group`,
 * not `client_hello.extensions.key_share_x`).
 * @example problemsNotForged(validateClientHello(built), built.forged ?? [])
 */
export function problemsNotForged(
  problems: readonly LintProblem[],
  forged: readonly string[],
): LintProblem[] {
  return problems.filter((p) => !forged.some((prefix) => coversPath(prefix, p.path)));
}

function coversPath(prefix: string, path: string): boolean {
  if (!path.startsWith(prefix)) return false;
  if (path.length === prefix.length) return true;
  const next = path[prefix.length];
  return next === '.' || next === '[';
}
