/**
 * The summary of a ClientHello that `hellokit decode --json`, `hellokit build --json` and
 * `hellokit serve` print (DESIGN.md contract): wire-order lists read each from its own
 * extension, GREASE included; ALPN strings; JA3 and JA4; and every extension with its raw
 * body and typed value.
 */

import type { Problem } from '../bytes/errors.ts';
import { toHex } from '../bytes/hex.ts';
import { jsonView } from '../bytes/json-view.ts';
import {
  alpnProtocols,
  EXTENSION,
  firstExtensionBody,
  keyShareGroups,
  serverName,
  signatureAlgorithms,
  supportedGroups,
  supportedVersions,
} from '../handshake/hello-fields.ts';
import type { ClientHello } from '../handshake/types.ts';
import { extensionTypeName } from '../iana/lookup.ts';
import { ja3All } from './ja3.ts';
import { type Ja4Fingerprints, type Ja4Options, ja4All } from './ja4.ts';

/** One extension in a {@link ClientHelloSummary}, in wire order. */
export interface ClientHelloSummaryExtension {
  readonly type: number;
  /** The IANA name, or `unknown(0x…)`. */
  readonly name: string;
  /** The raw body, hex. */
  readonly body: string;
  /** The typed value as JSON (byte strings as hex); absent for a hello built from raw bodies. */
  readonly value?: unknown;
}

/** A ClientHello's JA3 and its four JA4 forms, under the names every hellokit output uses. */
export interface HelloFingerprints extends Ja4Fingerprints {
  readonly ja3: string;
  readonly ja3Full: string;
}

/**
 * The contract view of one ClientHello ({@link clientHelloSummary}), in the key order it is
 * printed (the fingerprints come after `alpn`). Lists keep wire order and GREASE; an absent extension gives `[]` (`null` for the
 * server name).
 */
export interface ClientHelloSummary extends HelloFingerprints {
  readonly type: 'client_hello';
  readonly legacyVersion: number;
  /** Hex. */
  readonly random: string;
  /** Hex. */
  readonly legacySessionId: string;
  /** The first host name in server_name, or null when the hello has none. */
  readonly serverName: string | null;
  readonly cipherSuites: number[];
  readonly legacyCompressionMethods: number[];
  readonly extensionTypes: number[];
  readonly supportedGroups: number[];
  readonly signatureAlgorithms: number[];
  readonly supportedVersions: number[];
  readonly keyShareGroups: number[];
  readonly alpn: string[];
  readonly extensions: ClientHelloSummaryExtension[];
  /** Bytes after the hello's last field, hex; present only when there are some. */
  readonly trailing?: string;
  /** Faults a lenient parse collected; present only when there are some. */
  readonly problems?: readonly Problem[];
}

/**
 * The contract view of one ClientHello, ready for JSON.
 * @example clientHelloSummary(parseClientHello(bytes)).serverName // 'example.com'
 */
export function clientHelloSummary(hello: ClientHello, ja4Options: Ja4Options = {}): ClientHelloSummary {
  const list = (type: number, read: (b: Uint8Array) => number[]): number[] => {
    const body = firstExtensionBody(hello, type);
    return body === undefined ? [] : read(body);
  };
  const sni = firstExtensionBody(hello, EXTENSION.server_name);
  const alpn = firstExtensionBody(hello, EXTENSION.application_layer_protocol_negotiation);
  const fingerprints = ja4All(hello, ja4Options);
  return {
    type: 'client_hello',
    legacyVersion: hello.legacyVersion,
    random: toHex(hello.random),
    legacySessionId: toHex(hello.legacySessionId),
    serverName: sni === undefined ? null : serverName(sni),
    cipherSuites: [...hello.cipherSuites],
    legacyCompressionMethods: [...hello.legacyCompressionMethods],
    extensionTypes: (hello.extensions ?? []).map((e) => e.type),
    supportedGroups: list(EXTENSION.supported_groups, supportedGroups),
    signatureAlgorithms: list(EXTENSION.signature_algorithms, signatureAlgorithms),
    supportedVersions: list(EXTENSION.supported_versions, supportedVersions),
    keyShareGroups: list(EXTENSION.key_share, keyShareGroups),
    alpn: alpn === undefined ? [] : alpnProtocols(alpn),
    ...ja3All(hello),
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
