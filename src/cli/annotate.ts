/**
 * `hellokit decode --annotate`: a hex dump where every byte range is labelled with its field
 * path, as Wireshark shows a capture — for bytes that never were in one.
 */
import { DecodeError } from '../bytes/errors.ts';
import { toHex } from '../bytes/hex.ts';
import { Reader, type TraceSpan, traceReads } from '../bytes/reader.ts';
import { parseHandshakeMessage } from '../handshake/messages.ts';
import { HandshakeReassembler, mapOffset, type ReassembledMessage } from '../handshake/reassembler.ts';
import { isSslv2ClientHello, parseSslv2ClientHello } from '../handshake/sslv2-client-hello.ts';
import { readRecord } from '../records/record.ts';

const HANDSHAKE = 22;

/** Labelled byte ranges of a record stream (or bare handshake messages), and where decoding stopped. */
export function annotateSpans(bytes: Uint8Array): { spans: TraceSpan[]; error: DecodeError | null } {
  if (isSslv2ClientHello(bytes)) {
    const traced = traceReads(() => parseSslv2ClientHello(bytes, { strict: false }));
    if (traced.error !== undefined && !(traced.error instanceof DecodeError)) throw traced.error;
    return { spans: traced.spans, error: (traced.error as DecodeError | undefined) ?? null };
  }
  const spans: TraceSpan[] = [];
  const reassembler = new HandshakeReassembler();
  let version: number | undefined;
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
  try {
    if (bytes.length > 0 && bytes[0] < 20) {
      for (const m of reassembler.push(bytes, 0)) message(m);
      return { spans, error: null };
    }
    const r = new Reader(bytes, { path: ['records'], strict: false });
    for (let i = 0; !r.atEnd; i++) {
      const traced = traceReads(() => r.enter(i, () => readRecord(r)));
      spans.push(...traced.spans);
      if (traced.error) throw traced.error;
      const rec = traced.result!;
      if (rec.contentType === HANDSHAKE)
        for (const m of reassembler.push(rec.fragment, rec.offset + 5)) message(m);
    }
  } catch (e) {
    if (e instanceof DecodeError) return { spans, error: e };
    throw e;
  }
  return { spans, error: null };
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

/** The annotated hex dump as text lines. */
export function annotateText(bytes: Uint8Array): string {
  const { spans, error } = annotateSpans(bytes);
  const lines: string[] = [];
  let at = 0;
  const emit = (start: number, end: number, label: string) => {
    for (let p = start; p < end || p === start; p += BYTES_PER_LINE) {
      const chunk = bytes.subarray(p, Math.min(end, p + BYTES_PER_LINE));
      const hex = toHex(chunk, ' ').padEnd(BYTES_PER_LINE * 3 - 1);
      lines.push(`${p.toString(16).padStart(6, '0')}  ${hex}  ${p === start ? label : '…'}`);
      if (end === start) break;
    }
  };
  for (const s of leaves(spans)) {
    if (s.start < at) continue;
    if (s.start > at) emit(at, s.start, '(not decoded)');
    const value =
      s.value !== undefined && s.kind !== 'vector'
        ? ` = ${s.value}${s.value > 9 ? ` (0x${s.value.toString(16)})` : ''}`
        : '';
    emit(s.start, s.end, `${s.path}${value}`);
    at = s.end;
  }
  if (at < bytes.length)
    emit(at, bytes.length, error ? '(not decoded: see the error below)' : '(not decoded)');
  if (error) lines.push(`error: ${error.message}`);
  return `${lines.join('\n')}\n`;
}
