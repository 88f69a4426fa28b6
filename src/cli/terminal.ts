import { styleText } from 'node:util';
import type { Severity } from '../diagnose/types.ts';
import type { CommandIO } from './command.ts';

const SEVERITY_STYLE: Readonly<Record<Severity, Parameters<typeof styleText>[0]>> = {
  error: ['bold', 'red'],
  warning: 'yellow',
  info: 'green',
};

/**
 * Whether to colour what goes to a stream: `FORCE_COLOR` (anything but `0`) forces colours,
 * else `NO_COLOR` (any non-empty value) turns them off, else colours only on a terminal.
 */
export function colourWanted(isTTY: boolean, env: NodeJS.ProcessEnv = process.env): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '' && force !== '0' && force !== 'false') return true;
  if (force === '0' || force === 'false') return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return isTTY;
}

/** `text` in its severity's colour when `colour`, else as it is. */
export function severityText(severity: Severity, text: string, colour: boolean): string {
  // The decision is made once, for stdout (colourWanted); styleText is not to make it again.
  return colour ? styleText(SEVERITY_STYLE[severity], text, { validateStream: false }) : text;
}

/**
 * A progress line on stderr, rewritten in place: `37/148 probes`, or `37 probes` when the
 * total is not known in advance. Only for a terminal: callers make one when `io.isTTY`.
 */
export class Progress {
  private shown = false;
  private readonly io: CommandIO;
  private readonly total: number | undefined;
  private readonly unit: string;

  constructor(io: CommandIO, total: number | undefined, unit: string) {
    this.io = io;
    this.total = total;
    this.unit = unit;
  }

  /** Shows `done` (of `total`, when the plan changes as it runs), with a `detail` after it. */
  update(done: number, detail?: string, total: number | undefined = this.total): void {
    const count = total === undefined ? `${done}` : `${done}/${total}`;
    this.io.err(`\r\x1b[K${count} ${this.unit}${detail ? `  ${detail}` : ''}`);
    this.shown = true;
  }

  /** Erases the line, so the result starts on a clean one. */
  clear(): void {
    if (this.shown) this.io.err('\r\x1b[K');
    this.shown = false;
  }
}
