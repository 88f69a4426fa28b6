/** Test-only builders for ClientHello objects and extension bodies. */
import { Writer } from '../../src/bytes/writer.ts';
import type { Extension } from '../../src/extensions/types.ts';
import type { ClientHello } from '../../src/handshake/types.ts';

export function hello(fields: {
  legacyVersion?: number;
  cipherSuites?: readonly number[];
  extensions?: readonly Extension[] | null;
}): ClientHello {
  return {
    legacyVersion: fields.legacyVersion ?? 0x0303,
    random: new Uint8Array(32),
    legacySessionId: new Uint8Array(0),
    cipherSuites: fields.cipherSuites ?? [0x1301],
    legacyCompressionMethods: [0],
    extensions: fields.extensions === undefined ? [] : fields.extensions,
  };
}

export function ext(type: number, body: Uint8Array | readonly number[] = []): Extension {
  return { type, body: Uint8Array.from(body) };
}

function u16s(width: 1 | 2, values: readonly number[]): Uint8Array {
  const w = new Writer();
  w.prefixed(width, 'list', (w) => {
    for (const v of values) w.u16(v);
  });
  return w.finish();
}

export const sni = (name: string): Extension => {
  const w = new Writer();
  w.prefixed(2, 'server_name_list', (w) => {
    w.u8(0);
    w.vector(
      2,
      'host_name',
      Uint8Array.from(name, (c) => c.charCodeAt(0)),
    );
  });
  return ext(0x0000, w.finish());
};

export const alpn = (...names: (string | readonly number[])[]): Extension => {
  const w = new Writer();
  w.prefixed(2, 'protocol_name_list', (w) => {
    for (const name of names) {
      const bytes =
        typeof name === 'string' ? Uint8Array.from(name, (c) => c.charCodeAt(0)) : Uint8Array.from(name);
      w.vector(1, 'protocol_name', bytes);
    }
  });
  return ext(0x0010, w.finish());
};

export const sigalgs = (...schemes: number[]): Extension => ext(0x000d, u16s(2, schemes));
export const groups = (...named: number[]): Extension => ext(0x000a, u16s(2, named));
export const pointFormats = (...formats: number[]): Extension => ext(0x000b, [formats.length, ...formats]);
export const versions = (...offered: number[]): Extension => ext(0x002b, u16s(1, offered));
