/**
 * Warnings about a capture, capped per kind: a hostile or badly damaged file can carry
 * millions of faults of one kind, and a reader that kept a line for each would run out of
 * memory. The first few of each kind are kept word for word; the rest are counted, and
 * {@link WarningLog.lines} ends with one line per kind saying how many more there were.
 */

/** Warning lines kept word for word per kind before the rest are only counted. */
export const WARNINGS_PER_KIND = 10;

/**
 * A bounded list of warnings, counted by kind.
 * @example
 * const log = new WarningLog();
 * log.add('pcap-timestamp', 'pcap record at byte offset 40 has a sub-second timestamp 2000000 out of range');
 * log.lines(); // the kept lines, then "… and N more" lines
 */
export class WarningLog {
  /** The most lines kept per kind. */
  readonly perKind: number;
  private readonly kept: string[] = [];
  private readonly byKind = new Map<string, number>();
  private readonly listener: ((message: string) => void) | undefined;

  /** `onKept` is called with each line that is kept (so a caller can print it at once). */
  constructor(perKind: number = WARNINGS_PER_KIND, onKept?: (message: string) => void) {
    if (!Number.isInteger(perKind) || perKind < 0)
      throw new RangeError(`"perKind" expected a non-negative integer, got ${perKind}`);
    this.perKind = perKind;
    this.listener = onKept;
  }

  /**
   * Counts one warning of `kind`; keeps its text while the kind is under the cap. A function
   * is called only then (so a flood of warnings does not build a string for each).
   */
  add(kind: string, message: string | (() => string)): void {
    const count = (this.byKind.get(kind) ?? 0) + 1;
    this.byKind.set(kind, count);
    if (count > this.perKind) return;
    const text = typeof message === 'string' ? message : message();
    this.kept.push(text);
    this.listener?.(text);
  }

  /** Every warning counted, kept or not. */
  get total(): number {
    let n = 0;
    for (const c of this.byKind.values()) n += c;
    return n;
  }

  /** Warnings counted per kind. */
  counts(): Record<string, number> {
    return Object.fromEntries(this.byKind);
  }

  /** Lines beyond the cap, one per kind that went over it (empty when none did). */
  overflowLines(): string[] {
    const out: string[] = [];
    for (const [kind, count] of this.byKind) {
      if (count > this.perKind)
        out.push(`${count - this.perKind} more warnings of kind ${kind} not shown (${count} in all)`);
    }
    return out;
  }

  /** The kept lines in order, then the overflow lines. */
  lines(): string[] {
    return [...this.kept, ...this.overflowLines()];
  }
}
