/**
 * The README's library examples run as written: every ```ts block that imports only from
 * 'hellokit' (the platform-neutral core) is written to a module and imported, and what it
 * logs is checked against the comments in the README.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it, vi } from 'vitest';

const readme = readFileSync(join(process.cwd(), 'README.md'), 'utf8');
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
const coreBlocks = blocks.filter((b) => /from 'hellokit'/.test(b) && !/from 'hellokit\//.test(b));
const dir = join(process.cwd(), 'test', '.readme-examples');

afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('has core library examples', () => expect(coreBlocks.length).toBeGreaterThan(0));

coreBlocks.forEach((code, i) => {
  it(`README core example ${i + 1} runs and logs what it says`, async () => {
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `example-${i}.ts`);
    writeFileSync(file, code);
    const logged: unknown[][] = [];
    const spy = vi.spyOn(console, 'log').mockImplementation((...args) => {
      logged.push(args);
    });
    try {
      await import(file);
    } finally {
      spy.mockRestore();
    }
    expect(logged.length).toBeGreaterThan(0);
    const text = logged.map((a) => a.join(' ')).join('\n');
    expect(text).toMatch(/t13d\d{4}h2_[0-9a-f]{12}_[0-9a-f]{12}/);
    expect(text).toMatch(/^(truncated|bad-length|duplicate|trailing) \d+ client_hello\.\S+ \w+$/m);
  });
});
