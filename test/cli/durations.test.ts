import { describe, expect, it } from 'vitest';
import { durationFlag } from '../../src/cli/args.ts';
import { UsageError } from '../../src/cli/errors.ts';
import { cli } from './run.ts';

const read = (raw: string, bare: 'ms' | 's') =>
  durationFlag('probe', { timeout: raw }, 'timeout', 10_000, 1, 600_000, bare);

describe('duration flags (--timeout and --idle-timeout)', () => {
  it('take a unit, or a bare number in the unit the command always used', () => {
    expect(read('500ms', 's')).toBe(500);
    expect(read('5s', 'ms')).toBe(5000);
    expect(read('1.5s', 'ms')).toBe(1500);
    expect(read('2m', 'ms')).toBe(120_000);
    expect(read('250', 'ms')).toBe(250);
    expect(read('3', 's')).toBe(3000);
    expect(durationFlag('scan', {}, 'timeout', 120_000, 1000, 3_600_000, 's')).toBe(120_000);
  });

  it('refuse what is not a duration, or out of range, naming the flag, the range and the bare unit', () => {
    for (const [raw, message] of [
      [
        'soon',
        /^probe: --timeout expects a duration 1ms\.\.600s \(500ms, 5s, 2m; a bare number is milliseconds\), got "soon"$/,
      ],
      ['5 h', /got "5 h"$/],
      ['-1s', /got "-1s"$/],
      ['11m', /got 11m$/],
      ['0', /got 0$/],
    ] as const) {
      expect(() => read(raw, 'ms')).toThrow(UsageError);
      expect(() => read(raw, 'ms')).toThrow(message);
    }
  });

  it('reach the commands: scan and serve read seconds, probe and fuzz milliseconds, all read units', async () => {
    const bad = await cli(['scan', '127.0.0.1:1', '--timeout', '2h']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(
      /^hellokit scan: --timeout expects a duration 1s\.\.3600s .*a bare number is seconds\), got 2h\n$/,
    );
    const serve = await cli(['serve', '--timeout', '100ms']);
    expect(serve.code).toBe(2);
    expect(serve.stderr).toMatch(/--timeout expects a duration 1s\.\.300s/);
    // A refused connection answers at once, well within either spelling of the limit.
    for (const timeout of ['2s', '2000']) {
      const r = await cli(['probe', '127.0.0.1:1', '--timeout', timeout, '--json']);
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout).outcome).toBe('connect_failed');
    }
  });
});
