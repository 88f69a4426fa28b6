/**
 * The client's side of the transcript: bytes written to the server logged as records, and the
 * ClientHello handshake message found in the first flight (the TLS 1.3 transcript starts with
 * it exactly as written).
 */
import { HANDSHAKE_TYPES } from '../handshake/header.ts';
import { HandshakeReassembler } from '../handshake/reassembler.ts';
import { RecordDeframer } from '../records/deframer.ts';
import { contentTypeName, type DecodedRecord } from '../records/record.ts';
import type { TranscriptRecord } from './types.ts';

/**
 * The records in `bytes` as transcript entries; bytes that are not whole records (a raw probe
 * may send anything) become one last entry read as far as a record header goes.
 */
export function sentRecords(bytes: Uint8Array, atMs: number): TranscriptRecord[] {
  let records: DecodedRecord[] = [];
  try {
    records = new RecordDeframer({ strict: false, detectNotTls: false }).push(bytes);
  } catch {
    records = [];
  }
  const out: TranscriptRecord[] = [];
  let logged = 0;
  for (const r of records) {
    const length = r.fragment.length;
    out.push({
      direction: 'sent',
      atMs,
      contentType: r.contentType,
      contentTypeName: contentTypeName(r.contentType),
      version: r.version,
      length,
      bytes: bytes.slice(r.offset, r.offset + 5 + length),
    });
    logged = r.offset + 5 + length;
  }
  if (logged < bytes.length) {
    const rest = bytes.subarray(logged);
    const u16 = (at: number) => (rest[at] << 8) | rest[at + 1];
    out.push({
      direction: 'sent',
      atMs,
      contentType: rest[0],
      contentTypeName: contentTypeName(rest[0]),
      version: rest.length >= 3 ? u16(1) : 0,
      length: rest.length >= 5 ? u16(3) : 0,
      bytes: rest.slice(),
    });
  }
  return out;
}

/**
 * The first ClientHello handshake message inside `bytes` (TLS records), exactly as written,
 * or undefined when the records do not carry a whole one.
 */
export function clientHelloMessageIn(bytes: Uint8Array): Uint8Array | undefined {
  try {
    const reassembler = new HandshakeReassembler();
    for (const record of new RecordDeframer({ strict: false, detectNotTls: false }).push(bytes)) {
      if (record.contentType !== 22) continue;
      const [first] = reassembler.push(record.fragment, record.offset + 5);
      if (first) return first.msgType === HANDSHAKE_TYPES.client_hello ? first.raw : undefined;
    }
  } catch {
    // records or a handshake header that do not decode: there is no message to hash
  }
  return undefined;
}
