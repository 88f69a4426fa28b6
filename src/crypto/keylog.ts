/**
 * NSS key log lines (the SSLKEYLOGFILE format read by Wireshark, curl and browsers):
 * `LABEL <client_random hex> <secret hex>`, one per line.
 */
import { toHex } from '../bytes/hex.ts';

/** Labels of the NSS key log format. */
export type KeyLogLabel =
  | 'CLIENT_RANDOM'
  | 'CLIENT_EARLY_TRAFFIC_SECRET'
  | 'EARLY_EXPORTER_SECRET'
  | 'CLIENT_HANDSHAKE_TRAFFIC_SECRET'
  | 'SERVER_HANDSHAKE_TRAFFIC_SECRET'
  | 'CLIENT_TRAFFIC_SECRET_0'
  | 'SERVER_TRAFFIC_SECRET_0'
  | 'EXPORTER_SECRET';

/** The labels a parsed key log may hold. */
export const KEY_LOG_LABELS: readonly KeyLogLabel[] = [
  'CLIENT_RANDOM',
  'CLIENT_EARLY_TRAFFIC_SECRET',
  'EARLY_EXPORTER_SECRET',
  'CLIENT_HANDSHAKE_TRAFFIC_SECRET',
  'SERVER_HANDSHAKE_TRAFFIC_SECRET',
  'CLIENT_TRAFFIC_SECRET_0',
  'SERVER_TRAFFIC_SECRET_0',
  'EXPORTER_SECRET',
];

function checkClientRandom(clientRandom: Uint8Array): void {
  if (clientRandom.length !== 32)
    throw new RangeError(`"clientRandom" expected 32 bytes, got ${clientRandom.length}`);
}

/**
 * One key log line.
 * @example keyLogLine('SERVER_HANDSHAKE_TRAFFIC_SECRET', hello.random, secret) // 'SERVER_HANDSHAKE_TRAFFIC_SECRET 3b1f… b67b…'
 * @throws {RangeError} when the client random is not 32 bytes or the secret is empty
 */
export function keyLogLine(label: KeyLogLabel, clientRandom: Uint8Array, secret: Uint8Array): string {
  checkClientRandom(clientRandom);
  if (secret.length === 0) throw new RangeError(`"secret" for ${label} is empty`);
  return `${label} ${toHex(clientRandom)} ${toHex(secret)}`;
}

/** The TLS 1.3 secrets a key log can carry; absent ones are skipped. */
export interface Tls13KeyLogSecrets {
  readonly clientEarlyTrafficSecret?: Uint8Array;
  readonly earlyExporterMasterSecret?: Uint8Array;
  readonly clientHandshakeTrafficSecret?: Uint8Array;
  readonly serverHandshakeTrafficSecret?: Uint8Array;
  readonly clientApplicationTrafficSecret?: Uint8Array;
  readonly serverApplicationTrafficSecret?: Uint8Array;
  readonly exporterMasterSecret?: Uint8Array;
}

/**
 * Key log lines for a TLS 1.3 connection, in the order secrets appear in a handshake.
 * Accepts the objects returned by `handshakeSecrets` and `applicationSecrets` spread together.
 * @example tls13KeyLogLines(clientRandom, { ...handshake, ...application }).join('\n')
 */
export function tls13KeyLogLines(clientRandom: Uint8Array, secrets: Tls13KeyLogSecrets): string[] {
  checkClientRandom(clientRandom);
  const pairs: [KeyLogLabel, Uint8Array | undefined][] = [
    ['CLIENT_EARLY_TRAFFIC_SECRET', secrets.clientEarlyTrafficSecret],
    ['EARLY_EXPORTER_SECRET', secrets.earlyExporterMasterSecret],
    ['CLIENT_HANDSHAKE_TRAFFIC_SECRET', secrets.clientHandshakeTrafficSecret],
    ['SERVER_HANDSHAKE_TRAFFIC_SECRET', secrets.serverHandshakeTrafficSecret],
    ['CLIENT_TRAFFIC_SECRET_0', secrets.clientApplicationTrafficSecret],
    ['SERVER_TRAFFIC_SECRET_0', secrets.serverApplicationTrafficSecret],
    ['EXPORTER_SECRET', secrets.exporterMasterSecret],
  ];
  const lines: string[] = [];
  for (const [label, secret] of pairs) if (secret) lines.push(keyLogLine(label, clientRandom, secret));
  return lines;
}

/**
 * The TLS 1.2 (and earlier) line: `CLIENT_RANDOM <client_random> <master_secret>`.
 * @throws {RangeError} unless the master secret is 48 bytes (RFC 5246 §8.1)
 */
export function tls12KeyLogLine(clientRandom: Uint8Array, masterSecret: Uint8Array): string {
  if (masterSecret.length !== 48)
    throw new RangeError(`"masterSecret" expected 48 bytes, got ${masterSecret.length}`);
  return keyLogLine('CLIENT_RANDOM', clientRandom, masterSecret);
}

/** One parsed key log entry. */
export interface KeyLogEntry {
  readonly label: KeyLogLabel;
  /** Client random, lower-case hex. */
  readonly clientRandom: string;
  /** Secret, lower-case hex. */
  readonly secret: string;
}

/**
 * Parses key log text; comments (`#`), blank lines and lines with unknown labels are skipped,
 * as NSS and Wireshark do.
 */
export function parseKeyLog(text: string): KeyLogEntry[] {
  const out: KeyLogEntry[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([A-Z0-9_]+) ([0-9a-fA-F]{64}) ([0-9a-fA-F]+)$/.exec(line);
    if (!m || !(KEY_LOG_LABELS as readonly string[]).includes(m[1]) || m[3].length % 2 !== 0) continue;
    out.push({ label: m[1] as KeyLogLabel, clientRandom: m[2].toLowerCase(), secret: m[3].toLowerCase() });
  }
  return out;
}
