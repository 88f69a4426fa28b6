/**
 * Shrinking an interesting fuzz case: delta debugging (Zeller's ddmin, complements only)
 * over the bytes of the hello, keeping every candidate the server still answers with the
 * same outcome class. Framing that was consistent stays consistent: when the bytes are whole
 * records, bytes are removed from the record payload and the record lengths recomputed; when
 * that payload is one handshake message whose length matched, its length is recomputed too.
 * So a server keeps seeing complete records and messages, and the shrinking reaches the
 * fields that cause the answer instead of stalling on a server waiting for missing bytes.
 *
 * Platform-neutral: the candidates go out through the `send` function given, which
 * hellokit/node's `minimizeFuzzCase` makes from a socket probe.
 */
import { FUZZ_DEFAULTS, type FuzzCase, type FuzzCaseResult } from './cases.ts';
import { createPacer } from './pacer.ts';

/** Sends one candidate within `timeoutMs` and classifies the answer. */
export type SendFuzzCase = (c: FuzzCase, timeoutMs: number) => Promise<FuzzCaseResult>;

/** Options of {@link minimizeCase}. */
export interface MinimizeOptions {
  /** Most candidates sent (default 200). */
  readonly maxProbes?: number;
  readonly concurrency?: number;
  readonly ratePerSecond?: number;
  /** Per-candidate limit, ms (default 3000). */
  readonly timeoutMs?: number;
}

/** What {@link minimizeCase} found. */
export interface MinimizedCase {
  readonly id: string;
  /** The outcome class kept throughout. */
  readonly outcomeClass: string;
  readonly originalLength: number;
  /** The smallest bytes found that still get `outcomeClass`. */
  readonly bytes: Uint8Array;
  readonly writes?: readonly number[];
  /** The answer to `bytes`. */
  readonly result: FuzzCaseResult;
  /** Candidates sent. */
  readonly probes: number;
  /** False when `maxProbes` ran out before ddmin finished. */
  readonly complete: boolean;
  /** `records+handshake`, `records` or `bytes`: what framing the shrinking kept. */
  readonly framing: ShrinkView['framing'];
}

/** The part of the bytes that shrinks, and how to put the bytes back together around it. */
export interface ShrinkView {
  readonly framing: 'records+handshake' | 'records' | 'bytes';
  readonly unit: Uint8Array;
  rebuild(unit: Uint8Array): Uint8Array;
}

interface RecordHeader {
  readonly contentType: number;
  readonly version: number;
  readonly length: number;
}

function wholeRecords(bytes: Uint8Array): RecordHeader[] | null {
  const out: RecordHeader[] = [];
  let at = 0;
  while (at + 5 <= bytes.length) {
    const length = (bytes[at + 3] << 8) | bytes[at + 4];
    if (at + 5 + length > bytes.length) return null;
    out.push({ contentType: bytes[at], version: (bytes[at + 1] << 8) | bytes[at + 2], length });
    at += 5 + length;
  }
  return at === bytes.length && out.length > 0 ? out : null;
}

/** `payload` cut into records shaped like `headers` (sizes kept while they fit, the rest in the last). */
function reframe(payload: Uint8Array, headers: readonly RecordHeader[]): Uint8Array {
  const sizes: number[] = [];
  let used = 0;
  for (const h of headers) {
    if (used + h.length >= payload.length) break;
    sizes.push(h.length);
    used += h.length;
  }
  sizes.push(payload.length - used);
  const out = new Uint8Array(payload.length + 5 * sizes.length);
  let at = 0;
  let from = 0;
  sizes.forEach((size, i) => {
    const h = headers[Math.min(i, headers.length - 1)];
    out.set([h.contentType, h.version >> 8, h.version & 0xff, size >> 8, size & 0xff], at);
    out.set(payload.subarray(from, from + size), at + 5);
    at += 5 + size;
    from += size;
  });
  return out;
}

/**
 * How `bytes` shrink: inside the handshake message, inside the record payload, or as raw bytes.
 * @example shrinkView(helloRecordBytes).framing // 'records+handshake'
 */
export function shrinkView(bytes: Uint8Array): ShrinkView {
  const headers = wholeRecords(bytes);
  if (!headers) return { framing: 'bytes', unit: bytes, rebuild: (unit) => unit };
  const payload = new Uint8Array(bytes.length - 5 * headers.length);
  let at = 0;
  let from = 0;
  for (const h of headers) {
    payload.set(bytes.subarray(at + 5, at + 5 + h.length), from);
    at += 5 + h.length;
    from += h.length;
  }
  const messageLength = payload.length >= 4 ? (payload[1] << 16) | (payload[2] << 8) | payload[3] : -1;
  if (headers[0].contentType === 22 && messageLength === payload.length - 4) {
    const msgType = payload[0];
    return {
      framing: 'records+handshake',
      unit: payload.subarray(4),
      rebuild(unit) {
        const message = new Uint8Array(4 + unit.length);
        message.set([msgType, unit.length >> 16, (unit.length >> 8) & 0xff, unit.length & 0xff]);
        message.set(unit, 4);
        return reframe(message, headers);
      },
    };
  }
  return { framing: 'records', unit: payload, rebuild: (unit) => reframe(unit, headers) };
}

function without(unit: Uint8Array, start: number, end: number): Uint8Array {
  const out = new Uint8Array(unit.length - (end - start));
  out.set(unit.subarray(0, start));
  out.set(unit.subarray(end), start);
  return out;
}

/**
 * Shrinks case `c`, whose answer was `outcomeClass`, to the smallest bytes found that still
 * get that answer through `send`. Sends at most `maxProbes` candidates, within the same
 * bounds as a run.
 * @example
 * const small = await minimizeCase(c, 'alert:decode_error', send);
 * small.bytes.length <= c.bytes.length // true
 */
export async function minimizeCase(
  c: FuzzCase,
  outcomeClass: string,
  send: SendFuzzCase,
  options: MinimizeOptions = {},
): Promise<MinimizedCase> {
  const maxProbes = options.maxProbes ?? 200;
  const timeoutMs = options.timeoutMs ?? FUZZ_DEFAULTS.timeoutMs;
  const pace = createPacer(
    options.concurrency ?? FUZZ_DEFAULTS.concurrency,
    options.ratePerSecond ?? FUZZ_DEFAULTS.ratePerSecond,
  );
  const view = shrinkView(c.bytes);
  let probes = 0;
  const candidate = (unit: Uint8Array): FuzzCase => {
    const bytes = view.rebuild(unit);
    const writes = c.writes?.filter((w) => w > 0 && w < bytes.length);
    const { writes: _, ...rest } = c;
    return { ...rest, bytes, ...(writes && writes.length > 0 ? { writes } : {}) };
  };
  const holds = async (unit: Uint8Array): Promise<FuzzCaseResult | null> => {
    probes++;
    const summary = await send(candidate(unit), timeoutMs);
    return summary.outcomeClass === outcomeClass ? summary : null;
  };

  let best = view.unit;
  let bestResult: FuzzCaseResult | null = null;
  let complete = true;
  let n = 2;
  while (best.length >= 1) {
    const chunk = Math.ceil(best.length / n);
    const starts: number[] = [];
    for (let s = 0; s < best.length; s += chunk) starts.push(s);
    const budget = maxProbes - probes;
    if (budget <= 0) {
      complete = false;
      break;
    }
    const tried = starts.slice(0, budget);
    const current = best;
    const answers = await Promise.all(
      tried.map((s) => pace(() => holds(without(current, s, Math.min(current.length, s + chunk))))),
    );
    const hit = answers.findIndex((a) => a !== null);
    if (hit >= 0) {
      best = without(current, tried[hit], Math.min(current.length, tried[hit] + chunk));
      bestResult = answers[hit];
      n = Math.max(n - 1, 2);
      continue;
    }
    if (tried.length < starts.length) {
      complete = false;
      break;
    }
    if (chunk <= 1) break;
    n = Math.min(n * 2, best.length);
  }

  const final = candidate(best);
  if (!bestResult) {
    // Nothing could be removed: the answer to the original bytes stands (sent once more to report it).
    probes++;
    bestResult = await pace(() => send(final, timeoutMs));
  }
  return {
    id: c.id,
    outcomeClass,
    originalLength: c.bytes.length,
    bytes: final.bytes,
    ...(final.writes ? { writes: final.writes } : {}),
    result: bestResult,
    probes,
    complete,
    framing: view.framing,
  };
}
