/**
 * docs/violations.md and the rule table say the same thing: every rule once, with the RFC
 * section and the abort alert of its rows in src/probe/violations.ts.
 */
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { VIOLATION_RULE_IDS, VIOLATION_RULES } from '../../src/probe/index.ts';

const DOC = readFileSync(new URL('../../docs/violations.md', import.meta.url), 'utf8');

/** The rows of the doc's rule table: rule id → [RFC column, abort column]. */
function documented(): Map<string, [string, string]> {
  const rows = new Map<string, [string, string]>();
  for (const line of DOC.split('\n')) {
    const m = /^\| `([a-z0-9_]+)` \| ([^|]+) \|[^|]+\| ([^|]+) \|$/.exec(line);
    if (m) rows.set(m[1], [m[2].trim(), m[3].trim()]);
  }
  return rows;
}

test('docs/violations.md lists every rule of the table, and only those', () => {
  expect([...documented().keys()].sort()).toEqual([...VIOLATION_RULE_IDS].sort());
});

test("each rule's RFC section and abort alert in the doc are the table's", () => {
  const doc = documented();
  for (const row of VIOLATION_RULES) {
    const [rfc, abort] = doc.get(row.id)!;
    expect(rfc, row.id).toBe(row.rfc);
    if (row.abortWith === null) expect(abort, row.id).toMatch(/^—/);
    else expect(abort, row.id).toBe(`\`${row.abortWith}\``);
  }
});

test('one row per rule: no id appears twice', () => {
  expect(new Set(VIOLATION_RULE_IDS).size).toBe(VIOLATION_RULES.length);
});
