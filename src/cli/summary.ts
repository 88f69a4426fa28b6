/**
 * The `decode --json` view of messages (DESIGN.md contract): each ClientHello with its
 * wire-order lists read from their own extensions, ALPN strings and fingerprints.
 */
import { toHex } from '../bytes/hex.ts';
import { Reader } from '../bytes/reader.ts';
import {
  extensionBodies,
  signatureAlgorithms,
  supportedGroups,
  supportedVersions,
  vectorContent,
} from '../fingerprint/hello-fields.ts';
import { type Ja4Options, ja3, ja3Full, ja4All } from '../fingerprint/index.ts';
import type { StreamMessage, StreamRecord } from '../handshake/stream.ts';
import type { ClientHello } from '../handshake/types.ts';
import { extensionTypeName } from '../iana/lookup.ts';
import { jsonView } from './json.ts';

const EXT = {
  serverName: 0,
  supportedGroups: 10,
  signatureAlgorithms: 13,
  alpn: 16,
  supportedVersions: 43,
  keyShare: 51,
} as const;

/** The contract view of one ClientHello. */
export function clientHelloJson(hello: ClientHello, ja4Options: Ja4Options = {}): Record<string, unknown> {
  const first = (type: number) => extensionBodies(hello, type)[0];
  const list = (type: number, read: (b: Uint8Array) => number[]) => {
    const body = first(type);
    return body === undefined ? [] : read(body);
  };
  const fingerprints = ja4All(hello, ja4Options);
  return {
    type: 'client_hello',
    legacyVersion: hello.legacyVersion,
    random: toHex(hello.random),
    legacySessionId: toHex(hello.legacySessionId),
    serverName: serverNameOf(first(EXT.serverName)),
    cipherSuites: [...hello.cipherSuites],
    legacyCompressionMethods: [...hello.legacyCompressionMethods],
    extensionTypes: (hello.extensions ?? []).map((e) => e.type),
    supportedGroups: list(EXT.supportedGroups, supportedGroups),
    signatureAlgorithms: list(EXT.signatureAlgorithms, signatureAlgorithms),
    supportedVersions: list(EXT.supportedVersions, supportedVersions),
    keyShareGroups: list(EXT.keyShare, keyShareGroups),
    alpn: alpnOf(first(EXT.alpn)),
    ja3: ja3(hello),
    ja3Full: ja3Full(hello),
    ja4: fingerprints.ja4,
    ja4_r: fingerprints.ja4_r,
    ja4_o: fingerprints.ja4_o,
    ja4_ro: fingerprints.ja4_ro,
    extensions: (hello.extensions ?? []).map((e) => ({
      type: e.type,
      name: extensionTypeName(e.type),
      body: toHex(e.body),
      ...(e.value !== undefined ? { value: jsonView(e.value) } : {}),
    })),
    ...(hello.trailing ? { trailing: toHex(hello.trailing) } : {}),
    ...(hello.problems && hello.problems.length > 0 ? { problems: hello.problems } : {}),
  };
}

/** The host_name of the first server_name entry (RFC 6066 §3), or null; never throws. */
export function serverNameOf(body: Uint8Array | undefined): string | null {
  if (body === undefined || body.length < 5) return null;
  const r = new Reader(body);
  try {
    const names = r.vector(2, 'server_name_list');
    while (!names.atEnd) {
      const nameType = names.u8('name_type');
      const name = names.vectorBytes(2, 'host_name');
      if (nameType === 0) return new TextDecoder('utf-8', { fatal: false }).decode(name);
    }
  } catch {
    return null;
  }
  return null;
}

/** ALPN protocol ids as strings (Latin-1 for non-UTF-8 bytes); never throws. */
export function alpnOf(body: Uint8Array | undefined): string[] {
  if (body === undefined) return [];
  const out: string[] = [];
  const content = vectorContent(body, 2);
  for (let i = 0; i < content.length; ) {
    const n = content[i];
    const id = content.subarray(i + 1, i + 1 + n);
    out.push(String.fromCharCode(...id));
    i += 1 + n;
  }
  return out;
}

/** Groups of the key_share entries, in wire order; never throws. */
export function keyShareGroups(body: Uint8Array): number[] {
  const out: number[] = [];
  const content = vectorContent(body, 2);
  for (let i = 0; i + 4 <= content.length; ) {
    out.push((content[i] << 8) | content[i + 1]);
    i += 4 + ((content[i + 2] << 8) | content[i + 3]);
  }
  return out;
}

/** JSON of one record. */
export function recordJson(r: StreamRecord): Record<string, unknown> {
  return {
    index: r.index,
    offset: r.offset,
    contentType: r.contentType,
    contentTypeName: r.contentTypeName,
    version: r.version,
    length: r.length,
    fragment: toHex(r.fragment),
  };
}

const MESSAGE_EXCLUDE: ReadonlySet<string> = new Set(['raw']);

/** JSON of one message: the ClientHello contract view, or the decoded fields plus `hex`. */
export function messageJson(m: StreamMessage, ja4Options: Ja4Options = {}): Record<string, unknown> {
  const place = { offset: m.offset, recordIndex: m.recordIndex };
  if (m.type === 'client_hello') {
    return {
      ...clientHelloJson(m as unknown as ClientHello, ja4Options),
      ...place,
      hex: toHex((m as { raw: Uint8Array }).raw),
    };
  }
  const view = jsonView(m, MESSAGE_EXCLUDE) as Record<string, unknown>;
  if ('raw' in m && m.raw instanceof Uint8Array) view.hex = toHex(m.raw);
  if ('extensions' in m && Array.isArray(m.extensions)) {
    view.extensions = (m.extensions as { type: number; body: Uint8Array; value?: unknown }[]).map((e) => ({
      type: e.type,
      name: extensionTypeName(e.type),
      body: toHex(e.body),
      ...(e.value !== undefined ? { value: jsonView(e.value) } : {}),
    }));
  }
  return view;
}
