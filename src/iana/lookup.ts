/**
 * One table-driven lookup for every registry: name ⇄ code, list parsing, and error messages
 * that suggest what the user probably meant. Each registry below is a `Registry` over a table.
 */
import { ALERT_DESCRIPTIONS, ALERT_LEVEL_TABLE, type AlertInfo } from './alerts.ts';
import { CERTIFICATE_COMPRESSION_ALGORITHMS } from './certificate-compression.ts';
import { CERTIFICATE_TYPES, CLIENT_CERTIFICATE_TYPES } from './certificate-types.ts';
import { CIPHER_SUITES, type CipherSuiteInfo } from './cipher-suites.ts';
import { COMPRESSION_METHODS } from './compression-methods.ts';
import { CONTENT_TYPE_TABLE } from './content-types.ts';
import { EC_POINT_FORMATS } from './ec-point-formats.ts';
import { EXTENSION_TYPES, type ExtensionTypeInfo } from './extension-types.ts';
import { greaseName, isGrease, isGreaseByte } from './grease.ts';
import { type GroupInfo, NAMED_GROUPS } from './groups.ts';
import { HANDSHAKE_TYPE_TABLE } from './handshake-types.ts';
import { HEARTBEAT_MESSAGE_TYPES, HEARTBEAT_MODES } from './heartbeat.ts';
import { MAX_FRAGMENT_LENGTHS, type MaxFragmentLengthInfo } from './max-fragment-length.ts';
import { NAME_TYPES } from './name-types.ts';
import { PSK_KEY_EXCHANGE_MODES } from './psk-key-exchange-modes.ts';
import type { RegistryEntry } from './registry-entry.ts';
import { SIGNATURE_SCHEMES, type SignatureSchemeInfo } from './signature-schemes.ts';
import { PROTOCOL_VERSIONS, TLS13_DRAFT_VERSIONS, type VersionInfo } from './versions.ts';

/** How a registry is read and printed. */
export interface RegistryOptions {
  /** What one value is called in messages: `cipher suite`, `named group`. */
  readonly what: string;
  /** Bytes per code point on the wire: codes above 0xFF (or 0xFFFF) are rejected. */
  readonly width: 1 | 2;
  /** Which GREASE values (RFC 8701) the registry reserves, printed as `GREASE(0x0a0a)`. */
  readonly grease?: 'two-byte' | 'one-byte';
}

const MAX_SUGGESTIONS = 3;

/**
 * A registry table with name ⇄ code lookups. Names and aliases match without regard to case;
 * codes are accepted as numbers, `0x`-prefixed hex, `unknown(0x…)`/`GREASE(0x…)` as printed by
 * `name()`, and — for two-byte registries — bare four-digit hex (`1301`, `11ec`, as OpenSSL
 * and Wireshark print codes) and OpenSSL's `0x13,0x01`. Other bare digits are decimal (`29`).
 */
export class Registry<E extends RegistryEntry> {
  /** The rows, in table order. */
  readonly entries: readonly E[];
  /** What one value is called in messages. */
  readonly what: string;
  /** Bytes per code point. */
  readonly width: 1 | 2;
  readonly #grease: ((code: number) => boolean) | undefined;
  readonly #byCode: ReadonlyMap<number, E>;
  readonly #byName: ReadonlyMap<string, E>;
  /** Every accepted spelling with its entry, names before aliases, for suggestions. */
  readonly #spellings: readonly (readonly [string, E])[];

  constructor(entries: readonly E[], options: RegistryOptions) {
    this.entries = entries;
    this.what = options.what;
    this.width = options.width;
    this.#grease =
      options.grease === 'two-byte' ? isGrease : options.grease === 'one-byte' ? isGreaseByte : undefined;
    const byCode = new Map<number, E>();
    const byName = new Map<string, E>();
    const spellings: [string, E][] = [];
    const add = (spelling: string, e: E) => {
      const key = spelling.toLowerCase();
      const other = byName.get(key);
      if (other && other !== e)
        throw new Error(`${this.what} table: "${spelling}" names both ${other.name} and ${e.name}`);
      if (!other) spellings.push([spelling, e]);
      byName.set(key, e);
    };
    for (const e of entries) {
      if (byCode.has(e.code)) throw new Error(`${this.what} table: code ${this.hex(e.code)} appears twice`);
      byCode.set(e.code, e);
      add(e.name, e);
    }
    for (const e of entries) {
      if (e.openssl) add(e.openssl, e);
      for (const alias of e.aliases ?? []) add(alias, e);
    }
    this.#byCode = byCode;
    this.#byName = byName;
    this.#spellings = spellings;
  }

  /** The largest code a value of this registry can take (0xFF or 0xFFFF). */
  get maxCode(): number {
    return this.width === 1 ? 0xff : 0xffff;
  }

  /** The row for a code, if the table has one. */
  get(code: number): E | undefined {
    return this.#byCode.get(code);
  }

  /** Whether `code` is a GREASE value of this registry. */
  isGrease(code: number): boolean {
    return this.#grease?.(code) ?? false;
  }

  /**
   * The printable name of a code: the table name, `GREASE(0x0a0a)` for GREASE values, or
   * `unknown(0x1234)`. Never throws (a non-code prints as `unknown(<value>)`).
   */
  name(code: number): string {
    const e = this.#byCode.get(code);
    if (e) return e.name;
    if (!Number.isInteger(code) || code < 0 || code > this.maxCode) return `unknown(${String(code)})`;
    if (this.isGrease(code)) return greaseName(code, this.width);
    return `unknown(${this.hex(code)})`;
  }

  /**
   * The code a name, alias or code denotes. Codes the table lacks are accepted as they are
   * (a fuzzer may send any value).
   * @throws {TypeError} for a name the registry does not know; the message suggests up to three close ones
   * @throws {RangeError} for a code that does not fit the registry's width
   */
  lookup(input: string | number): number {
    if (typeof input === 'number') return this.checkRange(input, String(input));
    if (typeof input !== 'string')
      throw new TypeError(`${this.what} must be a name or a code, got ${typeof input}`);
    const text = input.trim();
    if (text === '') throw new TypeError(`empty ${this.what}`);
    const byName = this.#byName.get(text.toLowerCase());
    if (byName) return byName.code;
    const code = this.parseCode(text);
    if (code !== undefined) return this.checkRange(code, text);
    const suggestions = this.suggest(text);
    throw new TypeError(
      suggestions.length > 0
        ? `unknown ${this.what} ${JSON.stringify(text)}; did you mean ${joinOr(suggestions)}?`
        : `unknown ${this.what} ${JSON.stringify(text)}`,
    );
  }

  /**
   * The row a name, alias or code denotes, or `undefined` for a valid code the table lacks.
   * @throws {TypeError} for an unknown name, like `lookup`
   */
  info(input: string | number): E | undefined {
    return this.#byCode.get(this.lookup(input));
  }

  /**
   * Codes of a list in OpenSSL style: items separated by `:`, `,` or white space (or given as
   * an array), each a name, alias or code. Order and duplicates are kept.
   * @throws {TypeError} naming the first unknown item
   */
  parseList(input: string | readonly (string | number)[]): number[] {
    if (typeof input !== 'string') return input.map((item) => this.lookup(item));
    // `openssl ciphers -V` prints codes as 0x13,0x01: keep such a pair one item
    const text =
      this.width === 2 ? input.replace(/\b0x([0-9a-f]{2}),0x([0-9a-f]{2})(?![0-9a-f])/gi, '0x$1$2') : input;
    const items = text.split(/[,:]/).flatMap((part) => {
      const item = part.trim();
      if (item === '') return [];
      // white space separates items too, unless it is part of a name ('TLS 1.2')
      return /\s/.test(item) && !this.#byName.has(item.toLowerCase()) ? item.split(/\s+/) : [item];
    });
    return items.map((item) => this.lookup(item));
  }

  /** Up to three known spellings closest to `input` (edit distance, or `input` as a prefix). */
  suggest(input: string): string[] {
    const needle = input.toLowerCase();
    const limit = Math.max(2, Math.floor(needle.length / 4));
    let best = limit + 1;
    let found: [string, E][] = [];
    for (const [spelling, e] of this.#spellings) {
      const hay = spelling.toLowerCase();
      let d = Math.abs(hay.length - needle.length) > limit ? limit + 1 : editDistance(needle, hay, limit);
      if (needle.length >= 4 && hay.startsWith(needle)) d = Math.min(d, 1);
      if (d > limit || d > best) continue;
      if (d < best) {
        best = d;
        found = [];
      }
      if (!found.some(([, f]) => f === e)) found.push([spelling, e]);
    }
    return found.slice(0, MAX_SUGGESTIONS).map(([spelling]) => spelling);
  }

  /** A code as hex of the registry's width: `0x1301`, `0x28`. */
  hex(code: number): string {
    return `0x${code.toString(16).padStart(this.width * 2, '0')}`;
  }

  private parseCode(text: string): number | undefined {
    const printed = /^(?:grease|unknown)\((0x[0-9a-f]+)\)$/i.exec(text);
    if (printed) return Number.parseInt(printed[1], 16);
    if (/^0x[0-9a-f]+$/i.test(text)) return Number.parseInt(text, 16);
    if (this.width === 2) {
      const pair = /^0x([0-9a-f]{2}),\s*0x([0-9a-f]{2})$/i.exec(text);
      if (pair) return (Number.parseInt(pair[1], 16) << 8) | Number.parseInt(pair[2], 16);
      if (/^[0-9a-f]{4}$/i.test(text)) return Number.parseInt(text, 16);
    }
    if (/^[0-9]+$/.test(text)) return Number.parseInt(text, 10);
    return undefined;
  }

  private checkRange(code: number, shown: string): number {
    if (!Number.isInteger(code) || code < 0 || code > this.maxCode) {
      throw new RangeError(
        `${this.what} code ${shown} is not a ${this.width}-byte value (0 to ${this.hex(this.maxCode)})`,
      );
    }
    return code;
  }
}

function joinOr(items: readonly string[]): string {
  return items.length === 1 ? items[0] : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/**
 * Optimal string alignment distance (Levenshtein plus adjacent transpositions, so
 * `SHA265` is one edit from `SHA256`), giving up past `limit`.
 */
export function editDistance(a: string, b: string, limit: number = Number.POSITIVE_INFINITY): number {
  let prevPrev: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let d = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d = Math.min(d, prevPrev[j - 2] + 1);
      row.push(d);
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > limit) return rowMin;
    prevPrev = prev;
    prev = row;
  }
  return prev[b.length];
}

// ---------------------------------------------------------------------------------------------
// The registries

/** Cipher suites (two-byte, GREASE-reserved). */
export const cipherSuiteRegistry: Registry<CipherSuiteInfo> = /* @__PURE__ */ new Registry<CipherSuiteInfo>(
  CIPHER_SUITES,
  {
    what: 'cipher suite',
    width: 2,
    grease: 'two-byte',
  },
);
/** Named groups (two-byte, GREASE-reserved). */
export const groupRegistry: Registry<GroupInfo> = /* @__PURE__ */ new Registry<GroupInfo>(NAMED_GROUPS, {
  what: 'named group',
  width: 2,
  grease: 'two-byte',
});
/** Signature schemes (two-byte, GREASE-reserved). */
export const signatureSchemeRegistry: Registry<SignatureSchemeInfo> =
  /* @__PURE__ */ new Registry<SignatureSchemeInfo>(SIGNATURE_SCHEMES, {
    what: 'signature scheme',
    width: 2,
    grease: 'two-byte',
  });
/** Protocol versions, TLS 1.3 drafts included (two-byte, GREASE-reserved). */
export const versionRegistry: Registry<VersionInfo> = /* @__PURE__ */ new Registry<VersionInfo>(
  [...PROTOCOL_VERSIONS, ...TLS13_DRAFT_VERSIONS],
  { what: 'protocol version', width: 2, grease: 'two-byte' },
);
/** Extension types (two-byte, GREASE-reserved). */
export const extensionTypeRegistry: Registry<ExtensionTypeInfo> =
  /* @__PURE__ */ new Registry<ExtensionTypeInfo>(EXTENSION_TYPES, {
    what: 'extension type',
    width: 2,
    grease: 'two-byte',
  });
/** Alert descriptions (one byte). */
export const alertRegistry: Registry<AlertInfo> = /* @__PURE__ */ new Registry<AlertInfo>(
  ALERT_DESCRIPTIONS,
  {
    what: 'alert',
    width: 1,
  },
);
/** Alert levels (one byte). */
export const alertLevelRegistry: Registry<RegistryEntry> = /* @__PURE__ */ new Registry<RegistryEntry>(
  ALERT_LEVEL_TABLE,
  {
    what: 'alert level',
    width: 1,
  },
);
/** Record content types (one byte). */
export const contentTypeRegistry: Registry<RegistryEntry> = /* @__PURE__ */ new Registry<RegistryEntry>(
  CONTENT_TYPE_TABLE,
  {
    what: 'content type',
    width: 1,
  },
);
/** Handshake message types (one byte). */
export const handshakeTypeRegistry: Registry<RegistryEntry> = /* @__PURE__ */ new Registry<RegistryEntry>(
  HANDSHAKE_TYPE_TABLE,
  {
    what: 'handshake type',
    width: 1,
  },
);
/** Compression methods (one byte). */
export const compressionMethodRegistry: Registry<RegistryEntry> = /* @__PURE__ */ new Registry<RegistryEntry>(
  COMPRESSION_METHODS,
  {
    what: 'compression method',
    width: 1,
  },
);
/** EC point formats (one byte). */
export const ecPointFormatRegistry: Registry<RegistryEntry> = /* @__PURE__ */ new Registry<RegistryEntry>(
  EC_POINT_FORMATS,
  {
    what: 'EC point format',
    width: 1,
  },
);
/** PSK key exchange modes (one byte, one-byte GREASE). */
export const pskKeyExchangeModeRegistry: Registry<RegistryEntry> =
  /* @__PURE__ */ new Registry<RegistryEntry>(PSK_KEY_EXCHANGE_MODES, {
    what: 'PSK key exchange mode',
    width: 1,
    grease: 'one-byte',
  });
/** Certificate types of cert_type / client_certificate_type / server_certificate_type (one byte). */
export const certificateTypeRegistry: Registry<RegistryEntry> = /* @__PURE__ */ new Registry<RegistryEntry>(
  CERTIFICATE_TYPES,
  {
    what: 'certificate type',
    width: 1,
  },
);
/** ClientCertificateType of a TLS 1.2 CertificateRequest (one byte). */
export const clientCertificateTypeRegistry: Registry<RegistryEntry> =
  /* @__PURE__ */ new Registry<RegistryEntry>(CLIENT_CERTIFICATE_TYPES, {
    what: 'client certificate type',
    width: 1,
  });
/** Certificate compression algorithms (two-byte). */
export const certificateCompressionRegistry: Registry<RegistryEntry> =
  /* @__PURE__ */ new Registry<RegistryEntry>(CERTIFICATE_COMPRESSION_ALGORITHMS, {
    what: 'certificate compression algorithm',
    width: 2,
  });
/** Heartbeat modes (one byte). */
export const heartbeatModeRegistry: Registry<RegistryEntry> = /* @__PURE__ */ new Registry<RegistryEntry>(
  HEARTBEAT_MODES,
  {
    what: 'heartbeat mode',
    width: 1,
  },
);
/** Heartbeat message types (one byte). */
export const heartbeatMessageTypeRegistry: Registry<RegistryEntry> =
  /* @__PURE__ */ new Registry<RegistryEntry>(HEARTBEAT_MESSAGE_TYPES, {
    what: 'heartbeat message type',
    width: 1,
  });
/** max_fragment_length values (one byte). */
export const maxFragmentLengthRegistry: Registry<MaxFragmentLengthInfo> =
  /* @__PURE__ */ new Registry<MaxFragmentLengthInfo>(MAX_FRAGMENT_LENGTHS, {
    what: 'max_fragment_length',
    width: 1,
  });
/** server_name name types (one byte). */
export const nameTypeRegistry: Registry<RegistryEntry> = /* @__PURE__ */ new Registry<RegistryEntry>(
  NAME_TYPES,
  {
    what: 'name type',
    width: 1,
  },
);

// ---------------------------------------------------------------------------------------------
// Named helpers, one set per registry most code needs

/**
 * The code of a cipher suite given by IANA name, OpenSSL name or code (see `Registry`).
 * @example lookupCipherSuite('ECDHE-RSA-AES128-GCM-SHA256') // 0xc02f
 * @example lookupCipherSuite('0x1301') // 0x1301
 * @throws {TypeError} `unknown cipher suite "TLS_AES_128_GCM_SHA265"; did you mean TLS_AES_128_GCM_SHA256?`
 */
export function lookupCipherSuite(input: string | number): number {
  return cipherSuiteRegistry.lookup(input);
}
/** The table row of a cipher suite, or undefined for a code the table lacks. @throws {TypeError} for an unknown name */
export function cipherSuiteInfo(input: string | number): CipherSuiteInfo | undefined {
  return cipherSuiteRegistry.info(input);
}
/** The IANA name of a cipher suite code, `GREASE(0x0a0a)` or `unknown(0x…)`; never throws. */
export function cipherSuiteName(code: number): string {
  return cipherSuiteRegistry.name(code);
}
/** The OpenSSL name of a cipher suite code, if OpenSSL has or had one. */
export function cipherSuiteOpenSslName(code: number): string | undefined {
  return cipherSuiteRegistry.get(code)?.openssl;
}
/**
 * Cipher suite codes of an OpenSSL-style list.
 * @example parseCipherSuiteList('TLS_AES_128_GCM_SHA256:ECDHE-RSA-AES128-GCM-SHA256,0xc030') // [0x1301, 0xc02f, 0xc030]
 */
export function parseCipherSuiteList(input: string | readonly (string | number)[]): number[] {
  return cipherSuiteRegistry.parseList(input);
}

/**
 * The code of a named group given by IANA name, alias (`P-256`, `prime256v1`) or code.
 * @example lookupGroup('P-256') // 23
 */
export function lookupGroup(input: string | number): number {
  return groupRegistry.lookup(input);
}
/** The table row of a named group, or undefined for a code the table lacks. @throws {TypeError} for an unknown name */
export function groupInfo(input: string | number): GroupInfo | undefined {
  return groupRegistry.info(input);
}
/** The IANA name of a named group code, `GREASE(0x…)` or `unknown(0x…)`; never throws. */
export function groupName(code: number): string {
  return groupRegistry.name(code);
}
/** Named group codes of an OpenSSL-style list (`X25519MLKEM768:x25519:P-256`). */
export function parseGroupList(input: string | readonly (string | number)[]): number[] {
  return groupRegistry.parseList(input);
}

/**
 * The code of a signature scheme given by IANA name, OpenSSL `SIG+HASH` alias or code.
 * @example lookupSignatureScheme('ECDSA+SHA256') // 0x0403
 */
export function lookupSignatureScheme(input: string | number): number {
  return signatureSchemeRegistry.lookup(input);
}
/** The table row of a signature scheme, or undefined for a code the table lacks. @throws {TypeError} for an unknown name */
export function signatureSchemeInfo(input: string | number): SignatureSchemeInfo | undefined {
  return signatureSchemeRegistry.info(input);
}
/** The IANA name of a signature scheme code, `GREASE(0x…)` or `unknown(0x…)`; never throws. */
export function signatureSchemeName(code: number): string {
  return signatureSchemeRegistry.name(code);
}
/** Signature scheme codes of an OpenSSL-style list (`ecdsa_secp256r1_sha256:RSA-PSS+SHA256`). */
export function parseSignatureSchemeList(input: string | readonly (string | number)[]): number[] {
  return signatureSchemeRegistry.parseList(input);
}

/**
 * The wire value of a protocol version: `TLS 1.2`, `TLSv1.2`, `TLS1.2`, `tls12`, `1.2` and
 * `0x0303` all give 0x0303.
 * @example lookupVersion('TLSv1.3') // 0x0304
 */
export function lookupVersion(input: string | number): number {
  return versionRegistry.lookup(input);
}
/** The table row of a version, or undefined for a value the table lacks. @throws {TypeError} for an unknown name */
export function versionInfo(input: string | number): VersionInfo | undefined {
  return versionRegistry.info(input);
}
/** The name of a version value (`TLS 1.2`, `TLS 1.3 draft 23`), `GREASE(0x…)` or `unknown(0x…)`; never throws. */
export function versionName(code: number): string {
  return versionRegistry.name(code);
}
/** Version values of a list (`TLSv1.3,TLSv1.2`). */
export function parseVersionList(input: string | readonly (string | number)[]): number[] {
  return versionRegistry.parseList(input);
}

/**
 * The code of an extension type given by name, alias (`sni`, `alpn`) or code.
 * @example lookupExtensionType('encrypted_client_hello') // 0xfe0d
 */
export function lookupExtensionType(input: string | number): number {
  return extensionTypeRegistry.lookup(input);
}
/** The table row of an extension type, or undefined for a code the table lacks. @throws {TypeError} for an unknown name */
export function extensionTypeInfo(input: string | number): ExtensionTypeInfo | undefined {
  return extensionTypeRegistry.info(input);
}
/** The name of an extension type code, `GREASE(0x…)` or `unknown(0x…)`; never throws. */
export function extensionTypeName(code: number): string {
  return extensionTypeRegistry.name(code);
}
/** Extension type codes of a list. */
export function parseExtensionTypeList(input: string | readonly (string | number)[]): number[] {
  return extensionTypeRegistry.parseList(input);
}

/**
 * The code of an alert description given by name or code (decimal, as RFCs write them).
 * @example lookupAlert('handshake_failure') // 40
 */
export function lookupAlert(input: string | number): number {
  return alertRegistry.lookup(input);
}
/** The table row of an alert description, or undefined for a code the table lacks. @throws {TypeError} for an unknown name */
export function alertInfo(input: string | number): AlertInfo | undefined {
  return alertRegistry.info(input);
}
/** The IANA name of an alert description code, or `unknown(0x…)`; never throws. */
export function alertName(code: number): string {
  return alertRegistry.name(code);
}
/** The name of an alert level (`warning`, `fatal`), or `unknown(0x…)`; never throws. */
export function alertLevelName(code: number): string {
  return alertLevelRegistry.name(code);
}
/** Alert description codes of a list. */
export function parseAlertList(input: string | readonly (string | number)[]): number[] {
  return alertRegistry.parseList(input);
}

/** The name of a compression method (`null`, `DEFLATE`), or `unknown(0x…)`; never throws. */
export function compressionMethodName(code: number): string {
  return compressionMethodRegistry.name(code);
}
/** The name of an EC point format, or `unknown(0x…)`; never throws. */
export function ecPointFormatName(code: number): string {
  return ecPointFormatRegistry.name(code);
}
/** The name of a PSK key exchange mode, `GREASE(0x0b)` or `unknown(0x…)`; never throws. */
export function pskKeyExchangeModeName(code: number): string {
  return pskKeyExchangeModeRegistry.name(code);
}
/** The name of a certificate type (`X509`, `RawPublicKey`), or `unknown(0x…)`; never throws. */
export function certificateTypeName(code: number): string {
  return certificateTypeRegistry.name(code);
}
/** The name of a certificate compression algorithm (`brotli`), or `unknown(0x…)`; never throws. */
export function certificateCompressionAlgorithmName(code: number): string {
  return certificateCompressionRegistry.name(code);
}
