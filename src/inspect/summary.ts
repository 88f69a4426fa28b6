/**
 * The `decode --json` view of messages (DESIGN.md contract): each ClientHello in the summary
 * form of src/fingerprint/hello-summary.ts, other messages as their decoded fields plus hex.
 */
import { presetsWithJa4 } from '../builder/presets/index.ts';
import { toHex } from '../bytes/hex.ts';
import { jsonView } from '../bytes/json-view.ts';
import { clientHelloSummary } from '../fingerprint/hello-summary.ts';
import type { Ja4Options } from '../fingerprint/index.ts';
import type { StreamMessage, StreamRecord } from '../handshake/stream.ts';
import type { ClientHello } from '../handshake/types.ts';
import { extensionTypeName } from '../iana/lookup.ts';

/** The contract view of one ClientHello (see {@link clientHelloSummary}). */
export const clientHelloJson: typeof clientHelloSummary = clientHelloSummary;

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
    const summary = clientHelloJson(m as unknown as ClientHello, ja4Options);
    return {
      ...summary,
      knownClients: presetsWithJa4(String(summary.ja4)),
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
