import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { LINT_RULES, type LintRuleId } from '../../src/lint/index.ts';

const doc = readFileSync('docs/lint.md', 'utf8');

it('docs/lint.md lists every rule with its severity and RFC section, and no other', () => {
  const rows = [...doc.matchAll(/^\| `(\w+)` \| (error|warning) \| ([^|]+) \|/gm)].map((m) => [
    m[1],
    m[2],
    m[3].trim(),
  ]);
  const table = (Object.keys(LINT_RULES) as LintRuleId[]).map((id) => [
    id,
    LINT_RULES[id].severity,
    LINT_RULES[id].rfc,
  ]);
  expect(rows).toEqual(table);
});
