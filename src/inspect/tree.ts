/** The readable tree `hellokit decode` prints without --json. */

import { presetsWithJa4 } from '../builder/presets/index.ts';
import { toHex } from '../bytes/hex.ts';
import { jsonView } from '../bytes/json-view.ts';
import type { ClientHelloSummary } from '../fingerprint/hello-summary.ts';
import type { Ja4Options } from '../fingerprint/ja4.ts';
import { sslv2Ja3 } from '../fingerprint/sslv2.ts';
import { type Sslv2ClientHello, sslv2CipherSpecName } from '../handshake/sslv2-client-hello.ts';
import type { StreamMessage, StreamRecord } from '../handshake/stream.ts';
import {
  alertName,
  cipherSuiteName,
  compressionMethodName,
  extensionTypeName,
  groupName,
  signatureSchemeName,
  versionName,
} from '../iana/lookup.ts';
import { clientHelloJson } from './summary.ts';

const hex16 = (v: number) => `0x${v.toString(16).padStart(4, '0')}`;
const named = (v: number, name: (v: number) => string) => `${name(v)} (${hex16(v)})`;

/** One line per record. */
export function recordLine(r: StreamRecord): string {
  return `record ${r.index} @${r.offset}: ${r.contentTypeName}, ${named(r.version, versionName)}, ${r.length} bytes`;
}

/** A message as an indented tree. */
export function messageTree(m: StreamMessage, ja4Options: Ja4Options = {}): string {
  const head = `${m.type} @${m.offset}${m.recordIndex >= 0 ? ` (record ${m.recordIndex})` : ''}`;
  if (m.type === 'client_hello')
    return `${head}\n${clientHelloTree(clientHelloJson(m as never, ja4Options))}`;
  if (m.type === 'alert') {
    const a = m as unknown as { level: number; description: number };
    return `${head}: ${a.level === 2 ? 'fatal' : a.level === 1 ? 'warning' : `level ${a.level}`} ${alertName(a.description)} (${a.description})`;
  }
  return `${head}\n${indent(yaml(jsonView(m, new Set(['raw', 'offset', 'recordIndex', 'type']))), 1)}`;
}

/** An SSLv2-compatible CLIENT-HELLO as a tree, like {@link messageTree} for TLS messages. */
export function sslv2Tree(h: Sslv2ClientHello): string {
  const header =
    h.header.form === 2
      ? '2-byte record header'
      : `3-byte record header${h.header.isEscape ? ', is-escape set' : ''}, ${h.header.padding.length} padding bytes`;
  const hex24 = (v: number) => `0x${v.toString(16).padStart(6, '0')}`;
  const bytes = (b: Uint8Array) => `${b.length} bytes${b.length > 0 ? ` ${toHex(b)}` : ''}`;
  return [
    `sslv2_client_hello @0 (${header})`,
    `  msg_type: ${h.msgType} (CLIENT-HELLO)`,
    `  version: ${named(h.version, versionName)}`,
    `  cipher_specs (${h.cipherSpecs.length}):`,
    ...h.cipherSpecs.map((s) => `    ${sslv2CipherSpecName(s)} (${hex24(s)})`),
    `  session_id: ${bytes(h.sessionId)}`,
    `  challenge: ${bytes(h.challenge)}`,
    ...(h.extra ? [`  extra bytes in the record: ${bytes(h.extra)}`] : []),
    ...(h.trailing ? [`  after the record: ${bytes(h.trailing)}`] : []),
    `  ja3: ${sslv2Ja3(h)} (salesforce/ja3's Zeek script; ja3.py gives none)`,
    '  ja4: (none: JA4 defines no rule for SSLv2 cipher specs)',
  ].join('\n');
}

function clientHelloTree(h: ClientHelloSummary): string {
  const list = (values: unknown, name: (v: number) => string) =>
    (values as number[]).map((v) => `    ${named(v, name)}`).join('\n');
  const exts = (h.extensions as { type: number; body: string }[]).map(
    (e, i) =>
      `    [${i}] ${named(e.type, extensionTypeName)}, ${e.body.length / 2} bytes${e.body.length > 0 && e.body.length <= 64 ? `: ${e.body}` : ''}`,
  );
  const rows = [
    `  legacy_version: ${named(h.legacyVersion as number, versionName)}`,
    `  random: ${h.random}`,
    `  legacy_session_id: ${(h.legacySessionId as string).length / 2} bytes ${h.legacySessionId}`,
    `  cipher_suites (${(h.cipherSuites as number[]).length}):`,
    list(h.cipherSuites, cipherSuiteName),
    `  legacy_compression_methods: ${(h.legacyCompressionMethods as number[]).map((c) => `${compressionMethodName(c)} (${c})`).join(', ')}`,
    `  extensions (${exts.length}):`,
    ...exts,
    `  server name: ${h.serverName ?? '(none — no server_name extension)'}`,
    `  supported versions: ${(h.supportedVersions as number[]).map((v) => versionName(v)).join(', ') || '(no supported_versions extension)'}`,
    `  groups: ${(h.supportedGroups as number[]).map((v) => groupName(v)).join(', ')}`,
    `  key shares: ${(h.keyShareGroups as number[]).map((v) => groupName(v)).join(', ')}`,
    `  signature algorithms: ${(h.signatureAlgorithms as number[]).map((v) => signatureSchemeName(v)).join(', ')}`,
    `  alpn: ${(h.alpn as string[]).join(', ') || '(none)'}`,
    `  ja3: ${h.ja3}`,
    `  ja4: ${h.ja4}`,
    knownClientsLine(String(h.ja4)),
  ];
  return rows.filter((r) => r !== '').join('\n');
}

function yaml(value: unknown, depth = 0): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) {
    if (value.every((v) => v === null || typeof v !== 'object'))
      return `[${value.map((v) => JSON.stringify(v)).join(', ')}]`;
    return value.map((v) => `\n${'  '.repeat(depth)}- ${indent(yaml(v, depth + 1), 0).trimStart()}`).join('');
  }
  return Object.entries(value)
    .map(([k, v]) => {
      const text = yaml(v, depth + 1);
      return `${k}:${text.startsWith('\n') ? text : ` ${text}`}`;
    })
    .join('\n')
    .replace(/\n(?!-)/g, `\n${'  '.repeat(depth)}`);
}

function indent(text: string, level: number): string {
  const pad = '  '.repeat(level);
  return text
    .split('\n')
    .map((l) => (l === '' ? l : pad + l))
    .join('\n');
}

/** `  known client: curl (curl 7.88.1 …)` when a captured preset has this JA4, else ''. */
export function knownClientsLine(ja4: string, label = '  known client: '): string {
  const known = presetsWithJa4(ja4);
  if (known.length === 0) return '';
  return `${label}${known.map((k) => `${k.preset} (${k.client})`).join('; ')} — the same JA4 as its captured hello`;
}
