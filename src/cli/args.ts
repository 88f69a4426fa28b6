import { parseArgs } from 'node:util';
import { UsageError } from './errors.ts';

/** One flag of a command, as node:util parseArgs takes it, plus its help text. */
export interface FlagSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  readonly multiple?: boolean;
  readonly help: string;
  /** Shown in help as the value's name, e.g. `LIST`. */
  readonly value?: string;
}

export type FlagSpecs = Readonly<Record<string, FlagSpec>>;

/** Parsed flags: strings, booleans, or string lists for `multiple` flags. */
export type Flags = Record<string, string | boolean | string[] | undefined>;

/**
 * Parses `argv` against `specs`; an unknown flag or a missing value is a {@link UsageError}
 * that names the flag and lists the accepted ones.
 */
export function parseFlags(
  command: string,
  argv: readonly string[],
  specs: FlagSpecs,
): { flags: Flags; positionals: string[] } {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {};
  for (const [name, spec] of Object.entries(specs)) {
    options[name] = {
      type: spec.type,
      ...(spec.short ? { short: spec.short } : {}),
      ...(spec.multiple ? { multiple: true } : {}),
    };
  }
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      options,
      allowPositionals: true,
      strict: true,
    });
    return { flags: values as Flags, positionals };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const flag = /'(-[^' ]+)/.exec(message)?.[1];
    const accepted = Object.keys(specs)
      .map((n) => `--${n}`)
      .join(', ');
    if (flag && /Unknown option/.test(message))
      throw new UsageError(`${command}: unknown flag ${flag} (accepted: ${accepted})`);
    if (flag && /argument missing/.test(message))
      throw new UsageError(`${command}: flag ${flag} needs a value`);
    throw new UsageError(`${command}: ${message.split('\n')[0]}`);
  }
}

/** A string flag's value, or undefined. */
export function stringFlag(flags: Flags, name: string): string | undefined {
  const v = flags[name];
  if (Array.isArray(v)) return v[v.length - 1];
  return typeof v === 'string' ? v : undefined;
}

/** An integer flag within bounds, or the default; anything else is a UsageError naming the flag. */
export function intFlag(
  command: string,
  flags: Flags,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = stringFlag(flags, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw))
    throw new UsageError(
      `${command}: --${name} expects a whole number ${min}..${max}, got ${JSON.stringify(raw)}`,
    );
  const n = Number(raw);
  if (n < min || n > max)
    throw new UsageError(`${command}: --${name} expects a whole number ${min}..${max}, got ${n}`);
  return n;
}

const DURATION_UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * A duration flag in milliseconds: `500ms`, `5s`, `2m`, `1h`, or a bare number of seconds
 * (in every command, as in curl, sslscan and testssl). Out of `minMs..maxMs` or unreadable
 * is a UsageError naming the flag.
 */
export function durationFlag(
  command: string,
  flags: Flags,
  name: string,
  fallbackMs: number,
  minMs: number,
  maxMs: number,
): number {
  const raw = stringFlag(flags, name);
  if (raw === undefined) return fallbackMs;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(raw.trim());
  const expects = `${command}: --${name} expects a duration ${formatMs(minMs)}..${formatMs(maxMs)} (500ms, 5s, 2m; a bare number is seconds)`;
  if (!m) throw new UsageError(`${expects}, got ${JSON.stringify(raw)}`);
  const ms = Math.round(Number(m[1]) * DURATION_UNITS[m[2] ?? 's']);
  if (ms < minMs || ms > maxMs) throw new UsageError(`${expects}, got ${raw}`);
  return ms;
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

/** Help text for a command's flags. */
export function flagHelp(specs: FlagSpecs): string {
  const rows = Object.entries(specs).map(([name, s]) => {
    const left = `  ${s.short ? `-${s.short}, ` : ''}--${name}${s.type === 'string' ? ` ${s.value ?? 'VALUE'}` : ''}`;
    return `${left.padEnd(28)} ${s.help}`;
  });
  return rows.join('\n');
}
