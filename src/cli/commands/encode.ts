import { writeFile } from 'node:fs/promises';
import { concatBytes, fromHex, toHex } from '../../bytes/hex.ts';
import { encodeClientHelloMessage } from '../../handshake/client-hello.ts';
import type { ClientHello } from '../../handshake/types.ts';
import { encodeRecords, type TLSPlaintext } from '../../records/record.ts';
import { parseFlags, stringFlag } from '../args.ts';
import type { Command } from '../command.ts';
import { EXIT, UsageError } from '../errors.ts';
import { readInputBytes } from '../input.ts';
import { schemaField } from '../json-contract.ts';

const flags = {
  hex: { type: 'boolean', help: 'write hex text instead of binary' },
  output: {
    type: 'string',
    short: 'o',
    value: 'FILE',
    help: 'write the bytes to FILE (- for stdout; hex on a terminal)',
  },
  json: { type: 'boolean', help: 'print {"hex": ..., "length": ...}' },
} as const;

const HANDSHAKE = 22;

/**
 * `hellokit encode [FILE|-]`: the JSON of `decode --json` back into bytes. ClientHellos are
 * re-encoded from their fields (edit `cipherSuites`, `extensions[].body`, …); other messages
 * from their `hex`; records keep their content type, version and sizes where the bytes allow.
 */
export const encodeCommand: Command = {
  name: 'encode',
  summary: 'turn the JSON of decode --json back into bytes (after editing it)',
  usage: 'encode [FILE|-] [--hex] [-o FILE]',
  flags,
  async run(argv, io) {
    const { flags: f, positionals } = parseFlags('encode', argv, flags);
    const text = new TextDecoder().decode(
      await readInputBytes('encode', positionals[0], io, 64 * 1024 * 1024),
    );
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (e) {
      throw new UsageError(`encode: input is not JSON: ${(e as Error).message}`);
    }
    if (doc !== null && typeof doc === 'object' && 'truncated' in doc)
      throw new UsageError(
        'encode: this decode --json output was truncated by --max-records, so its bytes would be incomplete (decode again with a larger --max-records)',
      );
    const bytes = encodeDocument(doc);
    const file = stringFlag(f, 'output');
    const output = file === '-' ? undefined : file;
    if (output !== undefined) await writeFile(output, bytes);
    if (f.json)
      io.out(`${JSON.stringify({ ...schemaField('encode'), length: bytes.length, hex: toHex(bytes) })}\n`);
    // Binary never goes to a terminal (stdout's, whatever stderr is): there it is hex.
    else if (f.hex || (output === undefined && io.stdoutIsTTY === true)) io.out(`${toHex(bytes)}\n`);
    else if (output === undefined) io.outBytes(bytes);
    return EXIT.ok;
  },
};

type Json = Record<string, unknown>;

/** Bytes for a `decode --json` document; errors name the JSON path. */
export function encodeDocument(doc: unknown): Uint8Array {
  const root = object(doc, '(root)');
  const messages = array(root.messages ?? [], 'messages');
  const records = array(root.records ?? [], 'records');
  // Another command's JSON (build --json, probe --json) is an object too: say what was expected.
  if (messages.length === 0 && records.length === 0)
    throw new UsageError(
      `encode: (root) has no records and no messages to encode; it reads the JSON of decode --json${typeof root.schema === 'string' ? `, not ${root.schema}` : ''}`,
    );
  const handshake: Uint8Array[] = [];
  const opaqueRecords = new Set<number>();
  messages.forEach((m, i) => {
    const msg = object(m, `messages[${i}]`);
    const type = msg.type;
    if (type === 'client_hello')
      handshake.push(encodeClientHelloMessage(clientHelloFrom(msg, `messages[${i}]`)));
    else if (type === 'encrypted_handshake')
      opaqueRecords.add(integer(msg.recordIndex, `messages[${i}].recordIndex`, -1, 2 ** 31));
    else if (typeof msg.hex === 'string') handshake.push(hex(msg.hex, `messages[${i}].hex`));
  });
  const stream = concatBytes(...handshake);
  if (records.length === 0) return stream;
  const lastHandshake = records.reduce<number>(
    (last, r, i) =>
      object(r, `records[${i}]`).contentType === HANDSHAKE && !opaqueRecords.has(i) ? i : last,
    -1,
  );
  const out: TLSPlaintext[] = [];
  let at = 0;
  records.forEach((r, i) => {
    const rec = object(r, `records[${i}]`);
    const contentType = integer(rec.contentType, `records[${i}].contentType`, 0, 255);
    const version = integer(rec.version, `records[${i}].version`, 0, 0xffff);
    if (contentType !== HANDSHAKE || opaqueRecords.has(i)) {
      out.push({ contentType, version, fragment: hex(rec.fragment, `records[${i}].fragment`) });
      return;
    }
    const length = integer(rec.length, `records[${i}].length`, 0, 0xffff);
    const end = i === lastHandshake ? stream.length : Math.min(stream.length, at + length);
    if (end > at) out.push({ contentType, version, fragment: stream.subarray(at, end) });
    at = end;
  });
  return encodeRecords(out);
}

function clientHelloFrom(m: Json, path: string): ClientHello {
  const extensions =
    m.extensions === null
      ? null
      : array(m.extensions, `${path}.extensions`).map((e, i) => {
          const ext = object(e, `${path}.extensions[${i}]`);
          return {
            type: integer(ext.type, `${path}.extensions[${i}].type`, 0, 0xffff),
            body: hex(ext.body, `${path}.extensions[${i}].body`),
          };
        });
  const random = hex(m.random, `${path}.random`);
  if (random.length !== 32)
    throw new UsageError(`encode: ${path}.random must be 32 bytes of hex, got ${random.length}`);
  return {
    legacyVersion: integer(m.legacyVersion, `${path}.legacyVersion`, 0, 0xffff),
    random,
    legacySessionId: hex(m.legacySessionId ?? '', `${path}.legacySessionId`),
    cipherSuites: array(m.cipherSuites, `${path}.cipherSuites`).map((v, i) =>
      integer(v, `${path}.cipherSuites[${i}]`, 0, 0xffff),
    ),
    legacyCompressionMethods: array(
      m.legacyCompressionMethods ?? [0],
      `${path}.legacyCompressionMethods`,
    ).map((v, i) => integer(v, `${path}.legacyCompressionMethods[${i}]`, 0, 255)),
    extensions,
    ...(typeof m.trailing === 'string' ? { trailing: hex(m.trailing, `${path}.trailing`) } : {}),
  };
}

function object(v: unknown, path: string): Json {
  if (v === null || typeof v !== 'object' || Array.isArray(v))
    throw new UsageError(`encode: ${path} must be an object`);
  return v as Json;
}
function array(v: unknown, path: string): unknown[] {
  if (!Array.isArray(v)) throw new UsageError(`encode: ${path} must be an array`);
  return v;
}
function integer(v: unknown, path: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new UsageError(`encode: ${path} must be an integer ${min}..${max}, got ${JSON.stringify(v)}`);
  }
  return v;
}
function hex(v: unknown, path: string): Uint8Array {
  if (typeof v !== 'string') throw new UsageError(`encode: ${path} must be a hex string`);
  try {
    return fromHex(v);
  } catch (e) {
    throw new UsageError(`encode: ${path}: ${(e as Error).message}`);
  }
}
