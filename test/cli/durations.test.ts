import { describe, expect, it } from 'vitest';
import { durationFlag } from '../../src/cli/args.ts';
import { UsageError } from '../../src/cli/errors.ts';
import { cli } from './run.ts';

const read = (raw: string) => durationFlag('probe', { timeout: raw }, 'timeout', 10_000, 1, 600_000);

describe('duration flags (--timeout, --idle-timeout, --flow-timeout)', () => {
  it('take a unit, or a bare number of seconds', () => {
    expect(read('500ms')).toBe(500);
    expect(read('5s')).toBe(5000);
    expect(read('1.5s')).toBe(1500);
    expect(read('2m')).toBe(120_000);
    expect(read('3')).toBe(3000);
    expect(read('0.25')).toBe(250);
    expect(durationFlag('scan', {}, 'timeout', 120_000, 1000, 3_600_000)).toBe(120_000);
  });

  it('refuse what is not a duration, or out of range, naming the flag, the range and the bare unit', () => {
    for (const [raw, message] of [
      [
        'soon',
        /^probe: --timeout expects a duration 1ms\.\.600s \(500ms, 5s, 2m; a bare number is seconds\), got "soon"$/,
      ],
      ['5 h', /got "5 h"$/],
      ['-1s', /got "-1s"$/],
      ['11m', /got 11m$/],
      ['601', /got 601$/],
      ['0', /got 0$/],
    ] as const) {
      expect(() => read(raw)).toThrow(UsageError);
      expect(() => read(raw)).toThrow(message);
    }
  });

  it('reach the commands: a bare number is seconds in every one of them', async () => {
    const bad = await cli(['scan', '127.0.0.1:1', '--timeout', '2h']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(
      /^hellokit scan: --timeout expects a duration 1s\.\.3600s .*a bare number is seconds\), got 2h\n$/,
    );
    const serve = await cli(['serve', '--timeout', '100ms']);
    expect(serve.code).toBe(2);
    expect(serve.stderr).toMatch(/--timeout expects a duration 1s\.\.300s/);
    // 601 seconds is over probe's and fuzz's 10-minute limit; as milliseconds it would not be.
    for (const command of ['probe', 'fuzz']) {
      const r = await cli([command, '127.0.0.1:1', '--timeout', '601']);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/--timeout expects a duration .*a bare number is seconds\), got 601\n$/);
    }
    // A refused connection answers at once, well within either spelling of the limit.
    for (const timeout of ['2s', '2']) {
      const r = await cli(['probe', '127.0.0.1:1', '--timeout', timeout, '--json']);
      expect(r.code, r.stderr).toBe(3);
      expect(JSON.parse(r.stdout).outcome).toBe('connect_failed');
    }
  });
});
