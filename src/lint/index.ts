/** ClientHello linting: RFC rules with stable ids, for hellos read or built. */
export { LINT_RULES, type LintFinding, type LintRule } from './rules.ts';
export type { LintProblem, LintRuleId, LintSeverity, ValidateOptions } from './types.ts';
export { problemsNotForged, validateClientHello } from './validate.ts';
