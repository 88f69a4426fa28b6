import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from './run.ts';

const CLIENTS = join(process.cwd(), 'fixtures', 'clients');
const file = (name: string) => join(CLIENTS, `${name}.bin`);

describe('hellokit diff', () => {
  it('names the one field between a client with and without SNI, and exits 1 for a difference', async () => {
    const { code, stdout, stderr } = await cli(['diff', file('curl-sni'), file('curl-nosni')]);
    expect(stderr).toBe('');
    expect(code).toBe(1);
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^a {2}.*curl-sni\.bin: JA4 t13d\w+_\w+_\w+, JA3 [0-9a-f]{32}$/);
    expect(lines.slice(2)).toEqual([
      'extensions: only in a: server_name',
      'server_name: a: hellokit.test, b: (none)',
      expect.stringMatching(
        /^2 differences; not compared, as they change on every connection: GREASE values, /,
      ),
    ]);
  });

  it('finds no difference between a captured client and its preset', async () => {
    const { code, stdout } = await cli(['diff', file('curl-sni'), 'preset:curl', '--sni', 'hellokit.test']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^no differences; /m);
  });

  it('--json gives both fingerprints and every difference (exit 1, as without --json)', async () => {
    const { code, stdout } = await cli(['diff', file('openssl-sni'), file('openssl-tls12-sni'), '--json']);
    expect(code).toBe(1);
    const doc = JSON.parse(stdout);
    expect(doc.a).toMatchObject({ source: file('openssl-sni'), ja4: expect.stringMatching(/^t13d/) });
    expect(doc.b.ja4).toMatch(/^t12d/);
    expect(doc.exact).toBe(false);
    const versions = doc.differences.find((d: { field: string }) => d.field === 'supported_versions');
    expect(versions?.onlyInA).toContain('TLS 1.3');
  });

  it('exits 2 with one line for a missing side, an unknown preset or a file that is not a hello', async () => {
    for (const argv of [
      ['diff', file('curl-sni')],
      ['diff', file('curl-sni'), 'preset:nope'],
      ['diff', file('curl-sni'), join(CLIENTS, 'curl-sni.json')],
      ['diff', '-', '-'],
    ]) {
      const { code, stdout, stderr } = await cli(argv);
      expect(code, argv.join(' ')).toBe(2);
      expect(stdout).toBe('');
      expect(stderr.trim().split('\n'), argv.join(' ')).toHaveLength(1);
      expect(stderr).toMatch(/^hellokit diff: /);
    }
  });
});
