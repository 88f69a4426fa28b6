import { latin1 } from '../bytes/hex.ts';
import type { Reader } from '../bytes/reader.ts';
import type { Writer } from '../bytes/writer.ts';
import { bytesOrText, EMPTY, type EmptyValue, has } from './common.ts';
import type { ExtensionCodec, MessageContext } from './types.ts';

/** NameType host_name (RFC 6066 §3), the only name type ever defined. */
export const NAME_TYPE_HOST_NAME = 0;

/** One entry of server_name_list. */
export interface ServerName {
  /** NameType; 0 is host_name. Other types are kept with their bytes, never rejected. */
  readonly nameType: number;
  /** The name's bytes exactly as on the wire (a HostName for nameType 0). */
  readonly name?: Uint8Array;
  /**
   * host_name as text (a Latin-1 view of `name`, so it restores the bytes exactly); only
   * for nameType 0. When encoding, give `name`, `hostName` or both (then they must agree).
   */
  readonly hostName?: string;
}

/** server_name in a ClientHello: `ServerName server_name_list<1..2^16-1>`. */
export interface ServerNameList {
  readonly serverNameList: readonly ServerName[];
}

/** server_name in any form: the list (ClientHello) or empty (ServerHello, EncryptedExtensions). */
export type ServerNameValue = ServerNameList | EmptyValue;

/**
 * A server_name value for one host name.
 * @example makeExtension('server_name', serverNameValue('example.com'))
 */
export function serverNameValue(hostName: string): ServerNameList {
  return { serverNameList: [{ nameType: NAME_TYPE_HOST_NAME, hostName }] };
}

const IPV4_LITERAL = /^[0-9]{1,3}(\.[0-9]{1,3}){3}$/;
const LDH_LABEL = /^[A-Za-z0-9_-]+$/;
const MAX_HOST_NAME = 253;
const MAX_LABEL = 63;

/**
 * The host_name rules of RFC 6066 §3 and the alert each fault draws from a strict server.
 * The RFC names no alert, so hellokit follows what servers send:
 * - empty host_name: `HostName<1..2^16-1>` is out of range, `decode_error` (RFC 8446 §6);
 * - a NUL byte, a name over 253 bytes or a label over 63: `unrecognized_name`, as OpenSSL
 *   and BoringSSL answer names they cannot look up;
 * - an IPv4/IPv6 literal ("Literal IPv4 and IPv6 addresses are not permitted"), a trailing
 *   dot ("without a trailing dot"), an empty label or a character outside
 *   letters/digits/hyphen/underscore (ASCII, A-labels only): `illegal_parameter`, a field
 *   whose value the RFC forbids. Underscore is tolerated as real names carry it.
 */
function checkHostName(r: Reader, name: Uint8Array, text: string, at: number): void {
  if (name.length === 0) return; // reported as empty-list by the vector limits
  if (isPlainHostName(name)) return;
  const opts = { at, field: 'host_name' } as const;
  if (name.includes(0)) {
    r.problem('illegal-value', 'host_name contains a NUL byte', { ...opts, alert: 'unrecognized_name' });
  } else if (IPV4_LITERAL.test(text) || text.includes(':')) {
    r.problem('illegal-value', `host_name ${JSON.stringify(text)} is an IP literal (RFC 6066 §3)`, opts);
  } else if (text.endsWith('.')) {
    r.problem('illegal-value', `host_name ${JSON.stringify(text)} has a trailing dot (RFC 6066 §3)`, opts);
  } else if (name.length > MAX_HOST_NAME) {
    r.problem('too-large', `host_name is ${name.length} bytes, over ${MAX_HOST_NAME}`, {
      ...opts,
      alert: 'unrecognized_name',
    });
  } else {
    for (const label of text.split('.')) {
      if (label.length === 0) {
        r.problem('illegal-value', `host_name ${JSON.stringify(text)} has an empty label`, opts);
        return;
      }
      if (label.length > MAX_LABEL) {
        r.problem('too-large', `host_name has a ${label.length}-byte label, over ${MAX_LABEL}`, {
          ...opts,
          alert: 'unrecognized_name',
        });
        return;
      }
      if (!LDH_LABEL.test(label)) {
        r.problem(
          'illegal-value',
          `host_name ${JSON.stringify(text)} has a character outside letters, digits, hyphen and underscore`,
          opts,
        );
        return;
      }
    }
  }
}

/**
 * True when `name` passes every rule of {@link checkHostName}: letters, digits, hyphen and
 * underscore in labels of 1..63 bytes, at most 253 bytes, no trailing dot, and not only
 * digits and dots (which could be an IPv4 literal). One pass over the bytes for the name
 * nearly every hello carries; anything else gets the full checks and their exact problems.
 */
function isPlainHostName(name: Uint8Array): boolean {
  if (name.length > MAX_HOST_NAME) return false;
  let label = 0;
  let notDigit = false;
  for (let i = 0; i < name.length; i++) {
    const c = name[i];
    if (c === 0x2e) {
      if (label === 0) return false;
      label = 0;
      continue;
    }
    if (++label > MAX_LABEL) return false;
    if ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x2d || c === 0x5f) notDigit = true;
    else if (c < 0x30 || c > 0x39) return false;
  }
  return label > 0 && notDigit;
}

const HOST_NAME_LIMITS = { min: 1 } as const;
const SERVER_NAME_LIST_LIMITS = { min: 1 } as const;

function decodeServerNameList(r: Reader): ServerNameList {
  // name_type is a u8, so this list never holds more than 256 entries (no Set per hello).
  const seen: number[] = [];
  const serverNameList = r.list(
    2,
    'server_name_list',
    (r) => readServerName(r, seen),
    SERVER_NAME_LIST_LIMITS,
  );
  return { serverNameList };
}

function readServerName(r: Reader, seen: number[]): ServerName {
  const at = r.pos;
  const nameType = r.u8('name_type');
  if (seen.includes(nameType)) {
    r.problem('duplicate', `name_type ${nameType} appears more than once (RFC 6066 §3)`, { at });
  } else seen.push(nameType);
  if (nameType !== NAME_TYPE_HOST_NAME) {
    // RFC 6066 defines no other type; the opaque<0..2^16-1> reading is what every
    // implementation assumes, and the bytes are kept as they are.
    return { nameType, name: r.vectorBytes(2, 'name') };
  }
  const nameAt = r.pos;
  const name = r.vectorBytes(2, 'host_name', HOST_NAME_LIMITS);
  const hostName = latin1(name);
  checkHostName(r, name, hostName, nameAt);
  return { nameType, name, hostName };
}

/** server_name (0), RFC 6066 §3: the list in a ClientHello, empty in the server's answer. */
export const serverNameCodec: ExtensionCodec<ServerNameValue> = {
  type: 0,
  name: 'server_name',
  allowedIn: ['client_hello', 'server_hello', 'encrypted_extensions'],
  fromPlan: (plan) => (plan.serverName === null ? null : serverNameValue(plan.serverName)),
  decode(r: Reader, context: MessageContext): ServerNameValue {
    return context === 'client_hello' ? decodeServerNameList(r) : EMPTY;
  },
  encode(w: Writer, value: ServerNameValue): void {
    if (!has(value, 'serverNameList')) return;
    w.prefixed(2, 'server_name_list', (w) => {
      for (const entry of (value as ServerNameList).serverNameList) {
        w.u8(entry.nameType, 'name_type');
        const bytes =
          entry.nameType === NAME_TYPE_HOST_NAME
            ? bytesOrText(entry.name, entry.hostName, 'hostName')
            : bytesOrText(entry.name, undefined, 'name');
        w.vector(2, 'host_name', bytes);
      }
    });
  },
};
