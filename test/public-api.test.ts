/**
 * The three entry points (`hellokit`, `hellokit/node`, `hellokit/arbitraries`) never give one
 * name to two different things: a reader who learns `findExtension` in one learns it for all.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as arbitraries from '../src/arbitraries/index.ts';
import * as core from '../src/index.ts';
import * as node from '../src/node/index.ts';

const ENTRY_POINTS: Record<string, Record<string, unknown>> = {
  hellokit: core,
  'hellokit/node': node,
  'hellokit/arbitraries': arbitraries,
};

/** `name: a≠b` for every name two entry points export with different values. */
function clashes(entryPoints: Record<string, Record<string, unknown>>): string[] {
  const out: string[] = [];
  const seen = new Map<string, { entry: string; value: unknown }>();
  for (const [entry, ns] of Object.entries(entryPoints)) {
    for (const [name, value] of Object.entries(ns)) {
      const first = seen.get(name);
      if (first === undefined) seen.set(name, { entry, value });
      else if (first.value !== value) out.push(`${name}: ${first.entry} ≠ ${entry}`);
    }
  }
  return out.sort();
}

describe('public API', () => {
  it('no name is exported by two entry points as two different values', () => {
    expect(clashes(ENTRY_POINTS)).toEqual([]);
  });

  it('the clash check sees a name two entry points give different functions', () => {
    expect(
      clashes({ a: { f: () => 1, g: core.findExtension }, b: { f: () => 1, g: core.findExtension } }),
    ).toEqual(['f: a ≠ b']);
  });

  it('findExtension is the typed lookup by name everywhere; hellokit/node reads raw ones by code', () => {
    expect(core.findExtension).toBeTypeOf('function');
    expect('findExtension' in node).toBe(false);
    expect(node.findRawExtension).toBeTypeOf('function');
  });

  it('docs/api.md lists every value each entry point exports (run node scripts/api/reference.mjs)', () => {
    const page = readFileSync(new URL('../docs/api.md', import.meta.url), 'utf8');
    const missing = Object.entries(ENTRY_POINTS).flatMap(([entry, ns]) =>
      Object.keys(ns)
        .filter((name) => !page.includes(`| \`${name}\` |`))
        .map((name) => `${entry}: ${name}`),
    );
    expect(missing).toEqual([]);
  });
});
