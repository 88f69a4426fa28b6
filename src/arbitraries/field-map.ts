/**
 * Where each field of a ClientHello handshake message lies: the map the mutators use to
 * break exactly one field. Built by walking the message with a bounded {@link Reader}, the
 * way the decoder does, down to the inner vectors of the extensions whose wire format is
 * known (server_name's server_name_list and host_name, key_share's client_shares, ...).
 */
import { Reader } from '../bytes/reader.ts';

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

  vector(
    r: Reader,
    width: 1 | 2 | 3,
    name: string,
    inner?: (sub: Reader, walker: SpanWalker) => void,
  ): Reader {
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
    if (inner) {
      const child = new SpanWalker(this.data, `${this.prefix}.${name}`, this.extensionType, this.depth + 1);
      inner(sub, child);
      sub.done();
      this.fields.push(...child.fields);
    }
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

type InnerWalk = (r: Reader, w: SpanWalker) => void;

function collect(fn: (r: Reader, w: SpanWalker, i: number) => void): InnerWalk {
  return (r, w) => {
    for (let i = 0; !r.atEnd; i++) {
      const child = new SpanWalker(w.data, `${w.prefix}[${i}]`, w.extensionType, w.depth);
      fn(r, child, i);
      w.fields.push(...child.fields);
    }
  };
}
const u16Items: InnerWalk = (r) => {
  while (!r.atEnd) r.u16('value');
};

/** Inner vectors of the extensions whose ClientHello wire format hellokit knows, by type. */
const INNER: ReadonlyMap<number, { name: string; walk: InnerWalk }> = new Map([
  [
    0,
    {
      name: 'server_name',
      walk: (r: Reader, w: SpanWalker) => {
        w.vector(
          r,
          2,
          'server_name_list',
          collect((r, w) => {
            w.fixed(r, 1, 'name_type');
            w.vector(r, 2, 'host_name');
          }),
        );
      },
    },
  ],
  [
    10,
    {
      name: 'supported_groups',
      walk: (r: Reader, w: SpanWalker) => void w.vector(r, 2, 'named_group_list', u16Items),
    },
  ],
  [
    11,
    {
      name: 'ec_point_formats',
      walk: (r: Reader, w: SpanWalker) => void w.vector(r, 1, 'ec_point_format_list'),
    },
  ],
  [
    13,
    {
      name: 'signature_algorithms',
      walk: (r: Reader, w: SpanWalker) => void w.vector(r, 2, 'supported_signature_algorithms', u16Items),
    },
  ],
  [
    16,
    {
      name: 'application_layer_protocol_negotiation',
      walk: (r: Reader, w: SpanWalker) =>
        void w.vector(
          r,
          2,
          'protocol_name_list',
          collect((r, w) => void w.vector(r, 1, 'protocol_name')),
        ),
    },
  ],
  [
    27,
    {
      name: 'compress_certificate',
      walk: (r: Reader, w: SpanWalker) => void w.vector(r, 1, 'algorithms', u16Items),
    },
  ],
  [
    43,
    {
      name: 'supported_versions',
      walk: (r: Reader, w: SpanWalker) => void w.vector(r, 1, 'versions', u16Items),
    },
  ],
  [44, { name: 'cookie', walk: (r: Reader, w: SpanWalker) => void w.vector(r, 2, 'cookie') }],
  [
    45,
    { name: 'psk_key_exchange_modes', walk: (r: Reader, w: SpanWalker) => void w.vector(r, 1, 'ke_modes') },
  ],
  [
    50,
    {
      name: 'signature_algorithms_cert',
      walk: (r: Reader, w: SpanWalker) => void w.vector(r, 2, 'supported_signature_algorithms', u16Items),
    },
  ],
  [
    51,
    {
      name: 'key_share',
      walk: (r: Reader, w: SpanWalker) =>
        void w.vector(
          r,
          2,
          'client_shares',
          collect((r, w) => {
            w.fixed(r, 2, 'group');
            w.vector(r, 2, 'key_exchange');
          }),
        ),
    },
  ],
  [
    0xff01,
    {
      name: 'renegotiation_info',
      walk: (r: Reader, w: SpanWalker) => void w.vector(r, 1, 'renegotiated_connection'),
    },
  ],
]);

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
      const inner = INNER.get(type);
      if (inner) {
        const iw = new SpanWalker(message, `client_hello.extensions[${i}].${inner.name}`, type, 3);
        try {
          inner.walk(data, iw);
          data.done();
          w.fields.push(...iw.fields);
        } catch {
          // A body that does not follow the RFC grammar has no inner fields to map.
        }
      }
    }
  }
  body.done();
  return { fields: [...top.fields, ...w.fields], extensions, extensionsBlock };
}
