/**
 * Protocol versions as they appear on the wire (ProtocolVersion, supported_versions).
 * IANA keeps no registry of these; the values come from the protocol RFCs.
 */
import type { RegistryEntry } from './registry-entry.ts';
import { type CodesByName, codesByName } from './registry-entry.ts';
import type { Satisfies } from './satisfies.ts';

/** One protocol version. */
export interface VersionInfo extends RegistryEntry {
  /** Whether the version is a DTLS one. */
  readonly dtls: boolean;
  /** For the TLS 1.3 drafts (0x7F0E = draft 14): the draft number. */
  readonly draft?: number;
}

/**
 * The released versions, with the spellings people and tools use for them
 * (OpenSSL `TLSv1.2`, `-tls1_2`, curl `tls12`, plain `1.2`). Lookups ignore case.
 */
export const PROTOCOL_VERSIONS = [
  {
    code: 0x0002,
    name: 'SSL 2.0',
    aliases: ['SSLv2', 'SSL2', 'SSL2.0', 'ssl20', '2.0'],
    dtls: false,
    iana: false,
  },
  {
    code: 0x0300,
    name: 'SSL 3.0',
    aliases: ['SSLv3', 'SSL3', 'SSL3.0', 'ssl30', '3.0', 'ssl3_0'],
    dtls: false,
    iana: false,
  },
  {
    code: 0x0301,
    name: 'TLS 1.0',
    aliases: ['TLSv1', 'TLSv1.0', 'TLS1', 'TLS1.0', 'tls10', '1.0', 'tls1_0', 'TLSv1_0'],
    dtls: false,
    iana: false,
  },
  {
    code: 0x0302,
    name: 'TLS 1.1',
    aliases: ['TLSv1.1', 'TLS1.1', 'tls11', '1.1', 'tls1_1', 'TLSv1_1'],
    dtls: false,
    iana: false,
  },
  {
    code: 0x0303,
    name: 'TLS 1.2',
    aliases: ['TLSv1.2', 'TLS1.2', 'tls12', '1.2', 'tls1_2', 'TLSv1_2'],
    dtls: false,
    iana: false,
  },
  {
    code: 0x0304,
    name: 'TLS 1.3',
    aliases: ['TLSv1.3', 'TLS1.3', 'tls13', '1.3', 'tls1_3', 'TLSv1_3'],
    dtls: false,
    iana: false,
  },
  {
    code: 0xfeff,
    name: 'DTLS 1.0',
    aliases: ['DTLSv1', 'DTLSv1.0', 'DTLS1', 'DTLS1.0', 'dtls10', 'dtls1_0'],
    dtls: true,
    iana: false,
  },
  {
    code: 0xfefd,
    name: 'DTLS 1.2',
    aliases: ['DTLSv1.2', 'DTLS1.2', 'dtls12', 'dtls1_2'],
    dtls: true,
    iana: false,
  },
  {
    code: 0xfefc,
    name: 'DTLS 1.3',
    aliases: ['DTLSv1.3', 'DTLS1.3', 'dtls13', 'dtls1_3'],
    dtls: true,
    iana: false,
  },
] as const;
type _CheckProtocolVersions = Satisfies<typeof PROTOCOL_VERSIONS, readonly VersionInfo[]>;

/**
 * TLS 1.3 drafts 1-28 (0x7F01-0x7F1C): browsers shipped drafts 18-28 in 2017-2018, and
 * captures from then still carry them.
 */
export const TLS13_DRAFT_VERSIONS: readonly VersionInfo[] = Array.from({ length: 28 }, (_, i) => ({
  code: 0x7f01 + i,
  name: `TLS 1.3 draft ${i + 1}`,
  aliases: [`TLS1.3-draft-${i + 1}`, `tls13-draft${i + 1}`],
  dtls: false,
  draft: i + 1,
  iana: false,
}));

/**
 * Version codes by name.
 * @example VERSION['TLS 1.2'] // 0x0303
 */
export const VERSION: CodesByName<typeof PROTOCOL_VERSIONS> = codesByName(PROTOCOL_VERSIONS);

/** SSL 3.0 */
export const SSL3_VERSION = 0x0300;
/** TLS 1.0 */
export const TLS10_VERSION = 0x0301;
/** TLS 1.1 */
export const TLS11_VERSION = 0x0302;
/** TLS 1.2: also the legacy_version of every TLS 1.3 ClientHello (RFC 8446 §4.1.2). */
export const TLS12_VERSION = 0x0303;
/** TLS 1.3 */
export const TLS13_VERSION = 0x0304;
/** DTLS 1.0 */
export const DTLS10_VERSION = 0xfeff;
/** DTLS 1.2 */
export const DTLS12_VERSION = 0xfefd;
/** DTLS 1.3 */
export const DTLS13_VERSION = 0xfefc;
