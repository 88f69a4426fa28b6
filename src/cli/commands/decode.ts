import { DecodeError, type Problem } from '../../bytes/errors.ts';
import { toHex } from '../../bytes/hex.ts';
import { jsonText } from '../../bytes/json-view.ts';
import type { Ja4Options } from '../../fingerprint/ja4.ts';
import { sslv2ClientHelloSummary } from '../../fingerprint/sslv2.ts';
import { isSslv2ClientHello, parseSslv2ClientHello } from '../../handshake/sslv2-client-hello.ts';
import {
  decodeStreamEvents,
  type StreamEvent,
  type StreamMessage,
  type StreamRecord,
} from '../../handshake/stream.ts';
import { annotateLines } from '../../inspect/annotate.ts';
import { messageJson, recordJson } from '../../inspect/summary.ts';
import { messageTree, recordLine, sslv2Tree } from '../../inspect/tree.ts';
import { intFlag, parseFlags, stringFlag } from '../args.ts';
import type { Command, CommandIO } from '../command.ts';
import { EXIT, UsageError } from '../errors.ts';
import { MAX_TLS_HEX_TEXT_BYTES, MAX_TLS_INPUT_BYTES, readTlsInput } from '../input.ts';
import { schemaField } from '../json-contract.ts';
import { JsonObjectWriter, TextOutput } from '../json-stream.ts';

/** Records (and messages) listed before decode stops and says so. */
export const DEFAULT_MAX_RECORDS = 100_000;

const flags = {
  json: { type: 'boolean', help: 'print records and messages as JSON (the decode contract)' },
  annotate: { type: 'boolean', help: 'hex dump with every byte range labelled by its field path' },
  lenient: { type: 'boolean', help: 'keep going past semantic faults and list them' },
  'max-records': {
    type: 'string',
    value: 'N',
    help: `list at most N records and N messages, then stop and say where (default ${DEFAULT_MAX_RECORDS})`,
  },
  'ja4-alpn': {
    type: 'string',
    value: 'spec|reference',
    help: 'JA4 rule for non-alphanumeric ALPN (default spec)',
  },
} as const;

/** `hellokit decode [FILE|-]`: records and handshake messages from binary or hex text. */
export const decodeCommand: Command = {
  name: 'decode',
  summary: `decode TLS records / handshake messages from a file or stdin (binary up to 16 MiB, or hex text up to ${MAX_TLS_HEX_TEXT_BYTES / 1024 / 1024} MiB)`,
  usage: 'decode [FILE|-] [--json] [--annotate] [--lenient] [--max-records N]',
  flags,
  async run(argv, io) {
    const { flags: f, positionals } = parseFlags('decode', argv, flags);
    const alpnRule = stringFlag(f, 'ja4-alpn') ?? 'spec';
    if (alpnRule !== 'spec' && alpnRule !== 'reference') {
      throw new UsageError(`decode: --ja4-alpn expects spec or reference, got ${JSON.stringify(alpnRule)}`);
    }
    const maxRecords = intFlag('decode', f, 'max-records', DEFAULT_MAX_RECORDS, 1, MAX_TLS_INPUT_BYTES);
    const bytes = await readTlsInput('decode', positionals[0], io);
    const out = new TextOutput((text) => io.out(text), io.drain?.bind(io));
    if (f.annotate) {
      for (const line of annotateLines(bytes, { maxRecords })) {
        out.add(`${line}\n`);
        if (out.unsettled) await out.settle();
      }
      out.flush();
      return EXIT.ok;
    }
    if (isSslv2ClientHello(bytes))
      return decodeSslv2(bytes, { json: f.json === true, strict: !f.lenient }, io);
    // A QUIC long header sets the form and fixed bits (RFC 9000 §17.2); no TLS record or
    // SSLv2 hello of this size does, so the QUIC code (AES, HKDF) loads only for one.
    const quic =
      (bytes[0] & 0xc0) === 0xc0 ? (await import('../quic-input.ts')).quicInitial(bytes) : undefined;
    const ja4Options: Ja4Options = { alpnRule, ...(quic ? { transport: 'quic' as const } : {}) };
    const input = quic ? quic.crypto : bytes;
    // Each list is written as it is decoded: one decoding pass per list (records, messages,
    // problems) keeps nothing but the current item, whatever the input holds.
    const pass = () => listed(input, { strict: !f.lenient }, maxRecords);
    let end: Listing;
    if (f.json) {
      const doc = new JsonObjectWriter(out);
      doc.field('schema', schemaField('decode').schema);
      if (quic) doc.field('quic', quic.json);
      doc.openArray('records');
      end = await each(pass(), out, 'record', (r) => doc.item(recordJson(r)));
      doc.closeArray();
      doc.openArray('messages');
      await each(pass(), out, 'message', (m) => doc.item(messageJson(m, ja4Options)));
      doc.closeArray();
      if (end.problems > 0) {
        doc.openArray('problems');
        await each(pass(), out, 'problem', (p) => doc.item(p));
        doc.closeArray();
      }
      if (end.error) doc.field('error', errorJson(end.error));
      if (end.truncated) doc.field('truncated', end.truncated);
      doc.end();
      if (end.truncated) io.err(`hellokit decode: ${truncationText(end.truncated)}\n`);
    } else {
      if (quic) out.add(`${quic.line}\n`);
      end = await each(pass(), out, 'record', (r) => out.add(`${recordLine(r)}\n`));
      await each(pass(), out, 'message', (m) => out.add(`${messageTree(m, ja4Options)}\n`));
      if (end.problems > 0) await each(pass(), out, 'problem', (p) => out.add(`${problemLine(p)}\n`));
      if (end.truncated) out.add(`truncated: ${truncationText(end.truncated)}\n`);
      out.flush();
    }
    if (end.error) {
      io.err(`hellokit decode: ${end.error.message}\n`);
      return EXIT.usage;
    }
    return EXIT.ok;
  },
};

/** Where listing stopped because of --max-records (the `truncated` field of decode --json). */
interface Truncation {
  readonly maxRecords: number;
  /** What would have been listed next: the record or message over the limit. */
  readonly at: 'record' | 'message';
  /** Input offset of that record or message: decoding covered the bytes before it. */
  readonly offset: number;
  readonly bytesNotDecoded: number;
}

interface Listing {
  readonly error: DecodeError | null;
  readonly truncated: Truncation | null;
  readonly problems: number;
}

/** The stream's events up to the --max-records'th record or message. */
function* listed(
  input: Uint8Array,
  options: { strict: boolean },
  maxRecords: number,
): Generator<StreamEvent, Listing, undefined> {
  const counts = { record: 0, message: 0, problem: 0 };
  const events = decodeStreamEvents(input, options);
  for (let next = events.next(); ; next = events.next()) {
    if (next.done) return { error: next.value, truncated: null, problems: counts.problem };
    const event = next.value;
    if (event.kind !== 'problem' && counts[event.kind] === maxRecords) {
      const offset = event.kind === 'record' ? event.record.offset : event.message.offset;
      const truncated = { maxRecords, at: event.kind, offset, bytesNotDecoded: input.length - offset };
      return { error: null, truncated, problems: counts.problem };
    }
    counts[event.kind]++;
    yield event;
  }
}

type Payload<K extends StreamEvent['kind']> = K extends 'record'
  ? StreamRecord
  : K extends 'message'
    ? StreamMessage
    : Problem;

/** Runs one pass, handing each event of `kind` to `use` (which writes to `out`); returns how the listing ended. */
async function each<K extends StreamEvent['kind']>(
  events: Generator<StreamEvent, Listing, undefined>,
  out: TextOutput,
  kind: K,
  use: (item: Payload<K>) => void,
): Promise<Listing> {
  for (let next = events.next(); ; next = events.next()) {
    if (next.done) return next.value;
    const event = next.value;
    if (event.kind !== kind) continue;
    use(
      (event.kind === 'record'
        ? event.record
        : event.kind === 'message'
          ? event.message
          : event.problem) as Payload<K>,
    );
    if (out.unsettled) await out.settle();
  }
}

function truncationText(t: Truncation): string {
  return `listing stopped at --max-records ${t.maxRecords}: the next ${t.at} starts at offset ${t.offset}, and the last ${t.bytesNotDecoded} bytes are not decoded`;
}

function problemLine(p: Problem): string {
  return `problem: ${p.path} at offset ${p.offset}: ${p.detail} (${p.code}, alert ${p.alert})`;
}

/**
 * An SSLv2-compatible CLIENT-HELLO: not TLS records, so `records` stays empty and the one
 * message has type `sslv2_client_hello` (decode --json consumers that look for
 * `client_hello` are not misled).
 */
function decodeSslv2(bytes: Uint8Array, options: { json: boolean; strict: boolean }, io: CommandIO): number {
  let hello: ReturnType<typeof parseSslv2ClientHello>;
  try {
    hello = parseSslv2ClientHello(bytes, { strict: options.strict });
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
    if (options.json)
      io.out(jsonText({ ...schemaField('decode'), records: [], messages: [], error: errorJson(e) }));
    io.err(`hellokit decode: ${e.message}\n`);
    return EXIT.usage;
  }
  const problems = hello.problems ?? [];
  if (options.json) {
    const message = { ...sslv2ClientHelloSummary(hello), offset: 0, recordIndex: -1, hex: toHex(bytes) };
    io.out(
      jsonText({
        ...schemaField('decode'),
        records: [],
        messages: [message],
        ...(problems.length > 0 ? { problems } : {}),
      }),
    );
  } else {
    io.out(`${sslv2Tree(hello)}\n`);
    for (const p of problems) io.out(`${problemLine(p)}\n`);
  }
  return EXIT.ok;
}

function errorJson(e: { code: string; offset: number; path: string; alert: string; detail: string }) {
  return { code: e.code, offset: e.offset, path: e.path, alert: e.alert, detail: e.detail };
}
