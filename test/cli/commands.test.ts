import { expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/commands/index.ts';
import { cli } from './run.ts';

it('every command entry loads the command of its own name, and help lists them in order', async () => {
  const loaded = await Promise.all(COMMANDS.map((c) => c.load()));
  expect(loaded.map((c) => c.name)).toEqual(COMMANDS.map((c) => c.name));
  const { code, stdout } = await cli(['--help']);
  expect(code).toBe(0);
  const listed = stdout
    .split('\n')
    .filter((l) => /^ {2}\w/.test(l))
    .map((l) => l.trim().split(/\s+/)[0]);
  expect(listed).toEqual(COMMANDS.map((c) => c.name));
});

it('a missing target or a stray argument is one line on stderr, exit 2', async () => {
  for (const argv of [['probe'], ['probe', '--quic'], ['build', 'extra'], ['scan'], ['diff', 'a.bin']]) {
    const { code, stdout, stderr } = await cli(argv);
    expect(code, argv.join(' ')).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n'), argv.join(' ')).toHaveLength(1);
  }
});
