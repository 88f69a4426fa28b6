/**
 * Where each field of a ClientHello handshake message lies: the map the mutators use to
 * break exactly one field. Built by walking the message with a bounded {@link Reader}, the
 * way the decoder does, down to the inner fields of every extension the registry decodes
 * (server_name's server_name_list and host_name, key_share's client_shares, ...), read by
 * the extension's own codec.
 */
import { Reader, type TraceSpan, traceReads } from '../bytes/reader.ts';
import { codecForType } from '../extensions/registry.ts';

/** One field of the message. Offsets are indexes into the handshake message bytes. */
export interface FieldSpan {
  /** Field path as decoders write it: `client_hello.extensions[2].server_name.host_name`. */
  readonly path: string;
  /** What the field is: a whole length-prefixed vector or a fixed-size value. */
  readonly kind: 'vector' | 'fixed';
  /** Index of the field's first byte (the length prefix for a vector). */
  readonly start: number;
  /** Index after the field's last byte. */
  readonly end: number;
  /** Width of a vector's length prefix. */
  readonly lengthWidth?: 1 | 2 | 3;
  /** Index after the end of the window the field sits in (its parent vector's end). */
  readonly parentEnd: number;
  /** Type of the extension the field belongs to, for fields inside one. */
  readonly extensionType?: number;
  /** Nesting depth: 0 for the handshake message, 1 for its fields, 2 inside the extensions block... */
  readonly depth: number;
}

/** The field map of a handshake message. */
export interface ClientHelloFieldMap {
  readonly fields: readonly FieldSpan[];
  /** Every extension: index in wire order, type, and the byte range of the whole extension. */
  readonly extensions: readonly { index: number; type: number; start: number; end: number }[];
  /** Byte range of the extensions block (its length prefix included), or null when absent. */
  readonly extensionsBlock: { start: number; end: number } | null;
}

class SpanWalker {
  readonly fields: FieldSpan[] = [];
  readonly data: Uint8Array;
  readonly prefix: string;
  readonly extensionType: number | undefined;
  readonly depth: number;
  constructor(data: Uint8Array, prefix: string, extensionType: number | undefined, depth: number) {
    this.data = data;
    this.prefix = prefix;
    this.extensionType = extensionType;
    this.depth = depth;
  }

  vector(r: Reader, width: 1 | 2 | 3, name: string): Reader {
    const start = r.pos;
    const sub = r.vector(width, name);
    this.fields.push({
      path: `${this.prefix}.${name}`,
      kind: 'vector',
      start,
      end: r.pos,
      lengthWidth: width,
      parentEnd: r.end,
      depth: this.depth,
      ...(this.extensionType === undefined ? {} : { extensionType: this.extensionType }),
    });
    return sub;
  }

  fixed(r: Reader, size: number, name: string): void {
    const start = r.pos;
    r.bytes(size, name);
    this.fields.push({
      path: `${this.prefix}.${name}`,
      kind: 'fixed',
      start,
      end: r.pos,
      parentEnd: r.end,
      depth: this.depth,
      ...(this.extensionType === undefined ? {} : { extensionType: this.extensionType }),
    });
  }
}

/**
 * The inner fields of one extension body, read by its registry row: the codec decodes the
 * body (lenient, so a semantic fault such as an IP-literal host name still maps) while every
 * read is traced; each traced vector becomes a `vector` field (its length prefix included)
 * and each integer or fixed-size read a `fixed` one. A body the codec cannot read has none.
 */
function extensionFields(
  message: Uint8Array,
  index: number,
  type: number,
  dataStart: number,
  dataEnd: number,
): FieldSpan[] {
  const codec = codecForType(type);
  if (!codec) return [];
  const { error, spans } = traceReads(() => {
    const r = new Reader(message.subarray(dataStart, dataEnd), {
      path: ['client_hello', 'extensions', index, codec.name],
      baseOffset: dataStart,
      strict: false,
    });
    codec.decode(r, 'client_hello');
    r.done();
  });
  if (error) return [];
  const lengths = new Map<string, TraceSpan>();
  for (const s of spans) if (s.kind === 'length') lengths.set(s.path.slice(0, -'.length'.length), s);
  const found: { path: string; kind: 'vector' | 'fixed'; start: number; end: number; width?: 1 | 2 | 3 }[] =
    [];
  for (const s of spans) {
    if (s.kind === 'value') found.push({ path: s.path, kind: 'fixed', start: s.start, end: s.end });
    const prefix = s.kind === 'vector' ? lengths.get(s.path) : undefined;
    if (prefix) {
      const width = (prefix.end - prefix.start) as 1 | 2 | 3;
      found.push({ path: s.path, kind: 'vector', start: prefix.start, end: s.end, width });
    }
  }
  found.sort((x, y) => x.start - y.start || y.end - x.end);
  return found.map((f) => {
    const parents = found.filter(
      (p) =>
        p !== f &&
        p.kind === 'vector' &&
        p.start <= f.start &&
        f.end <= p.end &&
        p.start + p.width! <= f.start,
    );
    const parentEnd = parents.reduce((end, p) => Math.min(end, p.end), dataEnd);
    return {
      path: f.path,
      kind: f.kind,
      start: f.start,
      end: f.end,
      ...(f.width === undefined ? {} : { lengthWidth: f.width }),
      parentEnd,
      extensionType: type,
      depth: 3 + parents.length,
    };
  });
}

/**
 * Maps every field of a ClientHello handshake message (header included).
 * @throws {DecodeError} when the message is not a well-formed ClientHello
 * @example clientHelloFieldMap(encodeClientHelloMessage(hello)).fields.find((f) => f.path.endsWith('.host_name'))
 */
export function clientHelloFieldMap(message: Uint8Array): ClientHelloFieldMap {
  const r = new Reader(message, { path: ['client_hello'] });
  const top = new SpanWalker(message, 'client_hello', undefined, 0);
  top.fixed(r, 1, 'msg_type');
  const bodyStart = r.pos;
  const body = r.vector(3, 'length');
  top.fields.push({
    path: 'client_hello.length',
    kind: 'vector',
    start: bodyStart,
    end: r.pos,
    lengthWidth: 3,
    parentEnd: r.end,
    depth: 0,
  });
  r.done();
  const w = new SpanWalker(message, 'client_hello', undefined, 1);
  w.fixed(body, 2, 'legacy_version');
  w.fixed(body, 32, 'random');
  w.vector(body, 1, 'legacy_session_id');
  w.vector(body, 2, 'cipher_suites');
  w.vector(body, 1, 'legacy_compression_methods');
  const extensions: { index: number; type: number; start: number; end: number }[] = [];
  let extensionsBlock: { start: number; end: number } | null = null;
  if (!body.atEnd) {
    const blockStart = body.pos;
    const block = w.vector(body, 2, 'extensions');
    extensionsBlock = { start: blockStart, end: body.pos };
    for (let i = 0; !block.atEnd; i++) {
      const start = block.pos;
      const type = (message[start] << 8) | message[start + 1];
      const ew = new SpanWalker(message, `client_hello.extensions[${i}]`, type, 2);
      ew.fixed(block, 2, 'extension_type');
      const data = ew.vector(block, 2, 'extension_data');
      extensions.push({ index: i, type, start, end: block.pos });
      w.fields.push(...ew.fields);
      w.fields.push(...extensionFields(message, i, type, data.pos, data.end));
    }
  }
  body.done();
  return { fields: [...top.fields, ...w.fields], extensions, extensionsBlock };
}
