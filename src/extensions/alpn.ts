import { latin1 } from '../bytes/hex.ts';
import type { Reader } from '../bytes/reader.ts';
import type { Writer } from '../bytes/writer.ts';
import { bytesOrText } from './common.ts';
import type { ExtensionCodec, MessageContext } from './types.ts';

/**
 * `ProtocolName protocol_name_list<2..2^16-1>` (RFC 7301 §3.1), as bytes and as text.
 * Decoding fills both; to encode, give either (or both, then they must agree).
 */
export interface ProtocolNameList {
  /** Protocol ids exactly as on the wire (GREASE and non-ASCII ids included). */
  readonly protocolNameList: readonly Uint8Array[];
  /** The same ids as Latin-1 text (`'h2'`, `'http/1.1'`); restores the bytes exactly. */
  readonly protocols: readonly string[];
}

/**
 * A ProtocolNameList from protocol names.
 * @example makeExtension('application_layer_protocol_negotiation', alpnValue(['h2', 'http/1.1']))
 */
export function alpnValue(protocols: readonly string[]): ProtocolNameList {
  const list = protocols.map((p, i) => bytesOrText(undefined, p, `protocols[${i}]`));
  return { protocolNameList: list, protocols: [...protocols] };
}

/**
 * A ProtocolNameList from ids given as text (the Latin-1 view, one character per byte) or
 * as bytes, in any mix.
 * @example alpnValueOf(['h2', Uint8Array.of(0x0a, 0x0a)])
 */
export function alpnValueOf(ids: readonly (string | Uint8Array)[]): ProtocolNameList {
  const protocolNameList = ids.map((p, i) =>
    typeof p === 'string' ? bytesOrText(undefined, p, `protocols[${i}]`) : p,
  );
  return { protocolNameList, protocols: protocolNameList.map(latin1) };
}

/** Protocol ids as bytes, from whichever of `protocolNameList` / `protocols` is given. */
export function protocolIds(value: Partial<ProtocolNameList>, what = 'protocolNameList'): Uint8Array[] {
  const bytes = value.protocolNameList;
  const text = value.protocols;
  if (bytes === undefined && text === undefined) {
    throw new TypeError(`"${what}" needs protocolNameList (bytes) or protocols (strings)`);
  }
  if (bytes !== undefined && text !== undefined && bytes.length !== text.length) {
    throw new TypeError(
      `"${what}" has ${bytes.length} ids as bytes but ${text.length} as strings; drop one of the two`,
    );
  }
  const n = (bytes ?? text)!.length;
  const out: Uint8Array[] = [];
  for (let i = 0; i < n; i++) out.push(bytesOrText(bytes?.[i], text?.[i], `${what}[${i}]`));
  return out;
}

/**
 * Reads a ProtocolNameList. Empty lists and empty ids are `decode_error` (the vector floors
 * `<2..2^16-1>` and `<1..2^8-1>`).
 */
export function decodeProtocolNameList(r: Reader, field = 'protocol_name_list'): ProtocolNameList {
  const protocolNameList = r.list(2, field, readProtocolName, PROTOCOL_NAME_LIST_LIMITS);
  const protocols = new Array<string>(protocolNameList.length);
  for (let i = 0; i < protocols.length; i++) protocols[i] = latin1(protocolNameList[i]);
  return { protocolNameList, protocols };
}

const PROTOCOL_NAME_LIST_LIMITS = { min: 2 } as const;
const PROTOCOL_NAME_LIMITS = { min: 1 } as const;

function readProtocolName(r: Reader): Uint8Array {
  return r.vectorBytes(1, 'protocol_name', PROTOCOL_NAME_LIMITS);
}

/** Writes a ProtocolNameList. */
export function encodeProtocolNameList(
  w: Writer,
  value: Partial<ProtocolNameList>,
  field = 'protocol_name_list',
): void {
  const ids = protocolIds(value);
  w.prefixed(2, field, (w) => {
    for (const id of ids) w.vector(1, 'protocol_name', id);
  });
}

/**
 * application_layer_protocol_negotiation (16), RFC 7301. The same list in every message;
 * in ServerHello/EncryptedExtensions it must hold exactly one id (§3.1), else `decode_error`
 * (what BoringSSL sends when the server's list does not parse as one name).
 */
export const alpnCodec: ExtensionCodec<ProtocolNameList> = {
  type: 16,
  name: 'application_layer_protocol_negotiation',
  allowedIn: ['client_hello', 'server_hello', 'encrypted_extensions'],
  fromPlan: (plan) => (plan.alpn && plan.alpn.length > 0 ? alpnValueOf(plan.alpn) : null),
  decode(r: Reader, context: MessageContext): ProtocolNameList {
    const at = r.pos;
    const value = decodeProtocolNameList(r);
    if (context !== 'client_hello' && value.protocolNameList.length > 1) {
      r.problem(
        'illegal-value',
        `the server's protocol_name_list must hold exactly one id, has ${value.protocolNameList.length} (RFC 7301 §3.1)`,
        { at, field: 'protocol_name_list', alert: 'decode_error' },
      );
    }
    return value;
  },
  encode(w: Writer, value: ProtocolNameList): void {
    encodeProtocolNameList(w, value);
  },
};
