/**
 * Reads a ClientHello for the linter: as far as the bytes allow, never giving up on a hello
 * because one length is wrong. Faults the decoder finds come back as `DecodeFinding`s whose
 * paths name extensions by their registry name (`client_hello.extensions.key_share...`),
 * not by index, so they line up with the paths the rules and the builder's forged list use.
 */
import { DecodeError } from '../bytes/errors.ts';
import { Reader } from '../bytes/reader.ts';
import { codecForType } from '../extensions/registry.ts';
import type { Extension } from '../extensions/types.ts';
import { parseClientHello } from '../handshake/client-hello.ts';
import { HANDSHAKE_TYPES } from '../handshake/header.ts';
import type { ClientHello, RecordFraming } from '../handshake/types.ts';
import { extensionTypeName } from '../iana/lookup.ts';
import { CONTENT_TYPES, RECORD_HEADER_LENGTH } from '../records/record.ts';

/** A fault the decoder reported, with a lint path. */
export interface DecodeFinding {
  readonly code: DecodeError['code'];
  readonly path: string;
  readonly detail: string;
}

/** One extension as the rules see it: its registry name and, when its body decodes, its value. */
export interface LintExtension {
  readonly type: number;
  /** Registry name (`key_share`), or the IANA name / `GREASE(0x0a0a)` / `unknown(0x…)`. */
  readonly name: string;
  readonly body: Uint8Array;
  readonly value?: unknown;
}

/** What the rules read. `hello` is absent when a length fault left nothing to read past. */
export interface ReadHello {
  readonly hello?: ClientHello;
  readonly extensions: readonly LintExtension[];
  /** Record framing, when the hello came in records. */
  readonly record?: RecordFraming;
  readonly findings: readonly DecodeFinding[];
}

/** The name an extension type goes by in lint paths. */
export function extensionName(type: number): string {
  return codecForType(type)?.name ?? extensionTypeName(type);
}

/**
 * Reads `bytes` (TLS records or a bare handshake message). A record or handshake length that
 * disagrees with the bytes is reported and corrected so the rest can still be read.
 * @throws {DecodeError} when the bytes are not a ClientHello at all
 */
export function readHelloForLint(bytes: Uint8Array): ReadHello {
  try {
    return fromParsed(parseClientHello(bytes, { strict: false }));
  } catch (e) {
    if (!(e instanceof DecodeError) || !looksLikeClientHello(bytes)) throw e;
    return repaired(bytes, e);
  }
}

/** A handshake record whose payload starts a client_hello, or a bare client_hello header. */
function looksLikeClientHello(bytes: Uint8Array): boolean {
  if (bytes[0] === HANDSHAKE_TYPES.client_hello) return bytes.length >= 4;
  return (
    bytes[0] === CONTENT_TYPES.handshake &&
    bytes[1] === 3 &&
    bytes.length > RECORD_HEADER_LENGTH &&
    bytes[RECORD_HEADER_LENGTH] === HANDSHAKE_TYPES.client_hello
  );
}

function fromParsed(hello: ClientHello, extra: DecodeFinding[] = []): ReadHello {
  const findings = [...extra];
  for (const p of hello.problems ?? []) {
    // Inside the extensions block the rules read the extensions themselves (below, by name);
    // the hello-level checks of compression and psk modes are rules of their own too.
    if (p.path.startsWith('client_hello.extensions')) continue;
    if (p.path === 'client_hello.legacy_compression_methods' && p.code === 'illegal-value') continue;
    findings.push({ code: p.code, path: recordPath(p.path), detail: p.detail });
  }
  const extensions = (hello.extensions ?? []).map((ext) => readExtension(ext, findings));
  return { hello, extensions, ...(hello.record ? { record: hello.record } : {}), findings };
}

/** `records[2].length` → `record.length`: the rules speak of the record layer as one. */
function recordPath(path: string): string {
  return path.replace(/^records\[\d+\]\.?/, 'record.').replace(/^record\.fragment$/, 'record.length');
}

/** Decodes one extension body with its registry codec, leniently, collecting faults by name. */
function readExtension(ext: Extension, findings: DecodeFinding[]): LintExtension {
  const codec = codecForType(ext.type);
  const name = extensionName(ext.type);
  if (!codec) return { type: ext.type, name, body: ext.body };
  const r = new Reader(ext.body, { path: ['client_hello', 'extensions', name], strict: false });
  let value: unknown;
  try {
    value = codec.decode(r, 'client_hello');
    r.done();
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
    findings.push({ code: e.code, path: e.path, detail: e.detail });
  }
  for (const p of r.problems) findings.push({ code: p.code, path: p.path, detail: p.detail });
  return value === undefined
    ? { type: ext.type, name, body: ext.body }
    : { type: ext.type, name, body: ext.body, value };
}

/**
 * A hello whose lengths do not add up: the records are joined as far as they go, the
 * handshake length is set to what arrived, and the message is read again. Each correction is
 * a `length_mismatch` finding; a fault deeper inside ends the reading with one more.
 */
function repaired(bytes: Uint8Array, first: DecodeError): ReadHello {
  const findings: DecodeFinding[] = [];
  let message = bytes;
  let record: RecordFraming | undefined;
  if (bytes[0] === CONTENT_TYPES.handshake) {
    const joined = joinRecords(bytes, findings);
    message = joined.message;
    record = joined.record;
  }
  if (message.length < 4) {
    findings.push({
      code: 'truncated',
      path: 'client_hello.length',
      detail: 'the handshake header is cut short',
    });
    return { extensions: [], ...(record ? { record } : {}), findings };
  }
  const declared = (message[1] << 16) | (message[2] << 8) | message[3];
  if (declared !== message.length - 4) {
    findings.push({
      code: declared > message.length - 4 ? 'truncated' : 'trailing',
      path: 'client_hello.length',
      detail: `the handshake length says ${declared} bytes, ${message.length - 4} follow`,
    });
    message = message.slice();
    const n = message.length - 4;
    message[1] = n >> 16;
    message[2] = (n >> 8) & 0xff;
    message[3] = n & 0xff;
  }
  // Nothing to correct above: the decoder's own fault is the one to report.
  if (findings.length === 0)
    findings.push({ code: first.code, path: faultPath(first, bytes), detail: first.detail });
  try {
    const read = fromParsed(parseClientHello(message, { strict: false }), findings);
    return record ? { ...read, record } : read;
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
    const path = faultPath(e, message);
    if (!findings.some((f) => f.path === path)) findings.push({ code: e.code, path, detail: e.detail });
    return { extensions: [], ...(record ? { record } : {}), findings };
  }
}

/** Every record's fragment, joined; a last record shorter than its length is taken as it is. */
function joinRecords(
  bytes: Uint8Array,
  findings: DecodeFinding[],
): { message: Uint8Array; record: RecordFraming } {
  const parts: Uint8Array[] = [];
  const versions: number[] = [];
  for (let at = 0; at + RECORD_HEADER_LENGTH <= bytes.length && bytes[at] === CONTENT_TYPES.handshake; ) {
    let length = (bytes[at + 3] << 8) | bytes[at + 4];
    const available = bytes.length - at - RECORD_HEADER_LENGTH;
    const next = at + RECORD_HEADER_LENGTH + length;
    // A record that ends short of the input, with no record header after it, was given too
    // small a length: the bytes up to the end are its own.
    const short = length < available && !(bytes[next] === CONTENT_TYPES.handshake && bytes[next + 1] === 3);
    if (length > available || short) {
      findings.push({
        code: short ? 'trailing' : 'truncated',
        path: 'record.length',
        detail: `the record length says ${length} bytes, ${available} follow`,
      });
      length = available;
    }
    versions.push((bytes[at + 1] << 8) | bytes[at + 2]);
    parts.push(bytes.subarray(at + RECORD_HEADER_LENGTH, at + RECORD_HEADER_LENGTH + length));
    at += RECORD_HEADER_LENGTH + length;
  }
  const message = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    message.set(p, at);
    at += p.length;
  }
  const record: RecordFraming =
    parts.length > 1
      ? { version: versions[0], fragments: parts.map((p) => p.length), versions }
      : { version: versions[0] };
  return { message, record };
}

/**
 * The lint path of a fault the decoder threw: records as `record.*`, and an extension's
 * length by the extension's name, read from the type just before the length field.
 */
function faultPath(e: DecodeError, input: Uint8Array): string {
  const m = /^client_hello\.extensions\[\d+\]\.extension_data$/.exec(e.path);
  if (m && e.offset >= 2 && e.offset <= input.length) {
    const type = (input[e.offset - 2] << 8) | input[e.offset - 1];
    return `client_hello.extensions.${extensionName(type)}`;
  }
  if (/^client_hello\.extensions\[\d+\]/.test(e.path)) return 'client_hello.extensions';
  return recordPath(e.path);
}
