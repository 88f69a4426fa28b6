/**
 * The core (src/ outside node/ and cli/) runs in browsers, workers, Deno and Bun: no
 * `node:*` import, no Buffer, no process, no require. DESIGN.md principle 4.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect, it } from 'vitest';

const SRC = join(process.cwd(), 'src');
const NODE_ONLY = new Set(['node', 'cli']);

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return dir === SRC && NODE_ONLY.has(name) ? [] : files(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

const core = files(SRC);

it('finds the core sources', () => expect(core.length).toBeGreaterThan(50));

it('holds the probe engine and probeStream in the core, not in node/', () => {
  const probe = core.map((f) => relative(process.cwd(), f)).filter((f) => f.startsWith(join('src', 'probe')));
  for (const name of ['engine.ts', 'session.ts', 'stream.ts', 'decompress.ts'])
    expect(probe).toContain(join('src', 'probe', name));
});

it('keeps node:* imports, Buffer, process and require out of the core', () => {
  const offenders: string[] = [];
  for (const file of core) {
    const code = readFileSync(file, 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/\/\/.*$/gm, '');
    for (const [pattern, what] of [
      [/from\s+['"]node:/, 'node:* import'],
      [/import\(\s*['"]node:/, 'node:* import'],
      [/\bBuffer\b/, 'Buffer'],
      [/\bprocess\./, 'process'],
      [/\brequire\(/, 'require'],
    ] as const) {
      if (pattern.test(code)) offenders.push(`${relative(process.cwd(), file)}: ${what}`);
    }
  }
  expect(offenders).toEqual([]);
});
