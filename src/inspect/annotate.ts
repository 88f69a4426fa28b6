/**
 * `hellokit decode --annotate`: a hex dump where every byte range is labelled with its field
 * path, as Wireshark shows a capture — for bytes that never were in one.
 *
 * The dump is written as it is decoded: labels are kept only for the bytes not yet printed,
 * which is at most one record, or one handshake message still waiting for the records that
 * complete it (a message is at most 2^18 bytes), so memory does not grow with the input.
 */
import { DecodeError } from '../bytes/errors.ts';
import { toHex } from '../bytes/hex.ts';
import { Reader, type TraceSpan, traceReads } from '../bytes/reader.ts';
import { parseHandshakeMessage } from '../handshake/messages.ts';
import { HandshakeReassembler, mapOffset, type ReassembledMessage } from '../handshake/reassembler.ts';
import { isSslv2ClientHello, parseSslv2ClientHello } from '../handshake/sslv2-client-hello.ts';
import { readRecord } from '../records/record.ts';

const HANDSHAKE = 22;
/** Bytes of bare handshake input given to the reassembler at a time. */
const BARE_SLICE = 64 * 1024;

/** Options for {@link annotateLines}. */
export interface AnnotateOptions {
  /** Records (or, for bare handshake input, messages) to annotate before stopping; default no limit. */
  readonly maxRecords?: number;
}

/** Where annotating stopped short of the input's end because of `maxRecords`. */
export interface AnnotateTruncation {
  /** Records (or bare messages) annotated. */
  readonly count: number;
  readonly unit: 'record' | 'message';
  /** Input offset of the first byte not annotated. */
  readonly offset: number;
}

/**
 * Labelled spans found so far, the records read meanwhile (their spans are made when they are
 * printed: a record inside a message still waiting costs two numbers, not its labels), and the
 * offset before which no later span can start.
 */
interface SpanBatch {
  readonly spans: TraceSpan[];
  /** Index and input offset of each record read, in pairs. */
  readonly records: number[];
  readonly settled: number;
}

interface SpansEnd {
  readonly error: DecodeError | null;
  readonly truncated: AnnotateTruncation | null;
}

/** Labelled byte ranges of a record stream (or bare handshake messages), a batch at a time. */
function* spanBatches(bytes: Uint8Array, maxRecords: number): Generator<SpanBatch, SpansEnd, undefined> {
  if (isSslv2ClientHello(bytes)) {
    const traced = traceReads(() => parseSslv2ClientHello(bytes, { strict: false }));
    if (traced.error !== undefined && !(traced.error instanceof DecodeError)) throw traced.error;
    yield { spans: traced.spans, records: [], settled: bytes.length };
    return { error: (traced.error as DecodeError | undefined) ?? null, truncated: null };
  }
  const reassembler = new HandshakeReassembler();
  let version: number | undefined;
  let spans: TraceSpan[] = [];
  let records: number[] = [];
  const message = (m: ReassembledMessage) => {
    const traced = traceReads(() => parseHandshakeMessage(m.raw, { version, strict: false }));
    for (const s of traced.spans) {
      const start = mapOffset(m.segments, s.start);
      const end = s.end > s.start ? mapOffset(m.segments, s.end - 1) + 1 : start;
      spans.push({ ...s, start, end });
    }
    if (traced.error) throw traced.error;
    const parsed = traced.result;
    if (parsed?.type === 'server_hello' && !parsed.helloRetryRequest) version = parsed.version;
  };
  const batch = (end: number): SpanBatch => {
    const out = { spans, records, settled: reassembler.pendingOffset ?? end };
    spans = [];
    records = [];
    return out;
  };
  let count = 0;
  try {
    if (bytes.length > 0 && bytes[0] < 20) {
      for (let at = 0; at < bytes.length; at += BARE_SLICE) {
        for (const m of reassembler.push(bytes.subarray(at, at + BARE_SLICE), at)) {
          if (count === maxRecords) {
            yield batch(m.offset);
            return { error: null, truncated: { count, unit: 'message', offset: m.offset } };
          }
          message(m);
          count++;
        }
        yield batch(Math.min(bytes.length, at + BARE_SLICE));
      }
      return { error: null, truncated: null };
    }
    const r = new Reader(bytes, { path: ['records'], strict: false });
    for (; !r.atEnd; count++) {
      if (count === maxRecords) {
        yield batch(r.offset);
        return { error: null, truncated: { count, unit: 'record', offset: r.offset } };
      }
      records.push(count, r.offset);
      const rec = r.enter(count, () => readRecord(r));
      if (rec.contentType === HANDSHAKE)
        for (const m of reassembler.push(rec.fragment, rec.offset + 5)) message(m);
      yield batch(r.offset);
    }
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
    yield batch(bytes.length);
    return { error: e, truncated: null };
  }
  return { error: null, truncated: null };
}

/** Spans that hold no other span: the ranges to print. */
function leaves(spans: readonly TraceSpan[]): TraceSpan[] {
  // Empty vectors cover no byte: nothing to label.
  const sorted = spans.filter((s) => s.end > s.start).sort((a, b) => a.start - b.start || b.end - a.end);
  const out: TraceSpan[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const s = sorted[i];
    const next = sorted[i + 1];
    const holdsAnother =
      next !== undefined &&
      next.start >= s.start &&
      next.end <= s.end &&
      (next.start !== s.start || next.end !== s.end);
    if (holdsAnother) continue;
    if (out.length > 0 && out[out.length - 1].start === s.start && out[out.length - 1].end === s.end)
      continue;
    out.push(s);
  }
  return out;
}

const BYTES_PER_LINE = 16;
/** Held records whose labels are made and printed together. */
const RECORD_CHUNK = 1024;

/**
 * The annotated hex dump, one text line (without its newline) at a time, as decoding goes.
 * A `truncated:` line ends the dump when `maxRecords` stopped it, an `error:` line when a
 * fault did.
 * @example for (const line of annotateLines(bytes)) process.stdout.write(`${line}\n`);
 */
export function* annotateLines(
  bytes: Uint8Array,
  options: AnnotateOptions = {},
): Generator<string, AnnotateTruncation | null, undefined> {
  let at = 0;
  let held: TraceSpan[] = [];
  function* emit(start: number, end: number, label: string): Generator<string> {
    for (let p = start; p < end || p === start; p += BYTES_PER_LINE) {
      const chunk = bytes.subarray(p, Math.min(end, p + BYTES_PER_LINE));
      const hex = toHex(chunk, ' ').padEnd(BYTES_PER_LINE * 3 - 1);
      yield `${p.toString(16).padStart(6, '0')}  ${hex}  ${p === start ? label : '…'}`;
      if (end === start) break;
    }
  }
  function* print(spans: readonly TraceSpan[]): Generator<string> {
    for (const s of leaves(spans)) {
      if (s.start < at) continue;
      if (s.start > at) yield* emit(at, s.start, '(not decoded)');
      const value =
        s.value !== undefined && s.kind !== 'vector'
          ? ` = ${s.value}${s.value > 9 ? ` (0x${s.value.toString(16)})` : ''}`
          : '';
      yield* emit(s.start, s.end, `${s.path}${value}`);
      at = s.end;
    }
  }
  const batches = spanBatches(bytes, options.maxRecords ?? Number.POSITIVE_INFINITY);
  let next = batches.next();
  let printedTo = 0;
  let heldRecords: number[] = [];
  let head = 0;
  /**
   * Prints what lies before `settled`, the held records a chunk at a time (their spans made
   * only now), so a message spread over many records never has all their labels at once.
   */
  function* printTo(settled: number): Generator<string> {
    while (true) {
      let upTo = head;
      while (upTo < heldRecords.length && heldRecords[upTo + 1] < settled && upTo - head < 2 * RECORD_CHUNK) {
        const offset = heldRecords[upTo + 1];
        const r = new Reader(bytes.subarray(offset), {
          path: ['records'],
          strict: false,
          baseOffset: offset,
        });
        for (const s of traceReads(() => r.enter(heldRecords[upTo], () => readRecord(r))).spans) held.push(s);
        upTo += 2;
      }
      head = upTo;
      if (head > 1 << 16 && head * 2 > heldRecords.length) {
        heldRecords = heldRecords.slice(head);
        head = 0;
      }
      const more = head < heldRecords.length && heldRecords[head + 1] < settled;
      const boundary = more ? heldRecords[head + 1] : settled;
      yield* print(held.filter((s) => s.end <= boundary));
      held = held.filter((s) => s.end > boundary);
      if (!more) return;
    }
  }
  for (; !next.done; next = batches.next()) {
    const { spans, records, settled } = next.value;
    // Spans ending past `settled` may still gain spans inside them (a message not yet whole);
    // while a message waits, `settled` stays at its start and every new span lies beyond it.
    for (const s of spans) held.push(s);
    for (const n of records) heldRecords.push(n);
    if (settled <= printedTo) continue;
    yield* printTo(settled);
    printedTo = settled;
  }
  const { error, truncated } = next.value;
  yield* printTo(Number.POSITIVE_INFINITY);
  const end = truncated ? truncated.offset : bytes.length;
  if (at < end) yield* emit(at, end, error ? '(not decoded: see the error below)' : '(not decoded)');
  if (truncated)
    yield `truncated: --max-records ${truncated.count} reached at ${truncated.unit} ${truncated.count} (offset ${truncated.offset}); the last ${bytes.length - truncated.offset} bytes are not annotated`;
  if (error) yield `error: ${error.message}`;
  return truncated;
}

/** The whole annotated hex dump as text (see {@link annotateLines}). */
export function annotateText(bytes: Uint8Array, options: AnnotateOptions = {}): string {
  let text = '';
  for (const line of annotateLines(bytes, options)) text += `${line}\n`;
  return text;
}
