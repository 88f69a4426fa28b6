/**
 * `validateClientHello`: a ClientHello checked against the rules of RFC 8446, 5246, 6066,
 * 7301, 8422, 7627, 8701 and ECH (RFC 9849, draft-ietf-tls-esni) (the table in rules.ts), for hellos read or built.
 */
import { encodeClientHello, encodeClientHelloMessage } from '../handshake/client-hello.ts';
import type { ClientHello, ClientHelloLengthOverrides } from '../handshake/types.ts';
import { type DecodeFinding, extensionName, readHelloForLint } from './read-hello.ts';
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
  const { bytes, forged } = helloBytes(hello);
  const read = readHelloForLint(bytes);
  const view = read.hello ? new LintView(read.hello, read.extensions, read.record, options) : undefined;
  const found = new Map<LintRuleId, LintFinding[]>();
  const add = (id: LintRuleId, f: LintFinding) => {
    const list = found.get(id);
    if (list) list.push(f);
    else found.set(id, [f]);
  };
  for (const f of [...forged, ...read.findings]) {
    const id = RULE_IDS.find((r) => LINT_RULES[r].fromDecode?.(f, view));
    // The decoder's detail may end in its own RFC reference; the problem carries the rule's.
    if (id) add(id, { path: f.path, message: f.detail.replace(/ \((?:RFC|draft)[^()]*\)$/, '') });
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

/**
 * The wire bytes of a hello object (its records when it has framing, else the bare message).
 * Forged lengths are findings at the field they forge, and the bytes are written with the
 * true lengths, so the rest of the hello is still checked: a wrong length read from bytes
 * alone shifts every field after it.
 */
function helloBytes(hello: ClientHello | Uint8Array): { bytes: Uint8Array; forged: DecodeFinding[] } {
  if (hello instanceof Uint8Array) return { bytes: hello, forged: [] };
  const forged: DecodeFinding[] = [];
  const o = hello.lengthOverrides ?? {};
  const extensions = hello.extensions?.map((e) => {
    if (e.lengthOverride === undefined) return e;
    if (e.lengthOverride !== e.body.length)
      forged.push(
        lengthFinding(`client_hello.extensions.${extensionName(e.type)}`, e.lengthOverride, e.body.length),
      );
    return { type: e.type, body: e.body, ...(e.value === undefined ? {} : { value: e.value }) };
  });
  const honest: ClientHello = { ...hello, extensions: extensions ?? null, lengthOverrides: undefined };
  const actual = {
    legacySessionId: hello.legacySessionId.length,
    cipherSuites: 2 * hello.cipherSuites.length,
    legacyCompressionMethods: hello.legacyCompressionMethods.length,
    extensions: (hello.extensions ?? []).reduce((n, e) => n + 4 + e.body.length, 0),
  };
  for (const [field, path] of FORGEABLE_LENGTHS) {
    const claimed = o[field];
    if (claimed === undefined) continue;
    const length = field === 'handshake' ? encodeClientHelloMessage(honest).length - 4 : actual[field];
    if (claimed !== length) forged.push(lengthFinding(path, claimed, length));
  }
  const bytes = hello.record ? encodeClientHello(honest) : encodeClientHelloMessage(honest);
  return { bytes, forged };
}

/** The length overrides of a ClientHello and the lint path of each. */
const FORGEABLE_LENGTHS: readonly (readonly [keyof ClientHelloLengthOverrides, string])[] = [
  ['handshake', 'client_hello.length'],
  ['legacySessionId', 'client_hello.legacy_session_id'],
  ['cipherSuites', 'client_hello.cipher_suites'],
  ['legacyCompressionMethods', 'client_hello.legacy_compression_methods'],
  ['extensions', 'client_hello.extensions'],
];

function lengthFinding(path: string, claimed: number, actual: number): DecodeFinding {
  return {
    code: claimed > actual ? 'truncated' : 'trailing',
    path,
    detail: `the length field says ${claimed} bytes, ${actual} follow`,
  };
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
