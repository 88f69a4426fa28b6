/**
 * The one JSON contract of `--json` output (docs/json.md): every document or NDJSON line names
 * its shape in `schema` (`hellokit.<command>/1`, validated by `schemas/<command>.json`), and the
 * same thing has one shape in every command: a target `{host, port, ip}`, a version
 * `{code, name}`, an alert `{level, description, name}`.
 */
import { isIP } from 'node:net';
import { versionName } from '../iana/lookup.ts';
import { parseProbeTarget } from '../node/target.ts';

/** The commands whose `--json` output this contract covers (one schema file each). */
export const JSON_COMMANDS = [
  'decode',
  'encode',
  'build',
  'probe',
  'diagnose',
  'scan',
  'pcap',
  'fuzz',
  'lint',
  'diff',
] as const;
export type JsonCommand = (typeof JSON_COMMANDS)[number];

/** `serve`'s JSON: its answers to /json and /api/all, to /api/clean, and its `--json` log lines. */
export const SERVE_SCHEMAS = ['serve', 'serve-clean', 'serve-log'] as const;

/** Every schema the package ships, as `schemas/<name>.json` and `hellokit/schemas/<name>.json`. */
export const JSON_SCHEMAS: readonly (JsonCommand | (typeof SERVE_SCHEMAS)[number])[] = [
  ...JSON_COMMANDS,
  ...SERVE_SCHEMAS,
];
export type JsonSchemaName = (typeof JSON_SCHEMAS)[number];

/** The `schema` field of a JSON output: `{schema: 'hellokit.probe/1'}`. */
export function schemaField(name: JsonSchemaName): { schema: string } {
  return { schema: `hellokit.${name}/1` };
}

export interface TargetJson {
  host: string;
  port: number;
  /** The address connected to: the host itself when it is an IP literal, null when a name was not resolved here. */
  ip: string | null;
}

/**
 * A target `{host, port, ip}` from its parts or from `HOST[:PORT]` text; `ip` is the address
 * connected to (given, or carried by the target as hellokit/node's probe() reports it), else
 * the host when it is an address.
 */
export function targetJson(
  target: string | { readonly host: string; readonly port: number; readonly ip?: string | null },
  ip?: string | null,
): TargetJson {
  const { host, port } = typeof target === 'string' ? parseProbeTarget(target) : target;
  const connected = ip ?? (typeof target === 'string' ? null : (target.ip ?? null));
  return { host, port, ip: connected ?? (isIP(host) !== 0 ? host : null) };
}

/** A protocol version `{code, name}`: `{code: 772, name: 'TLS 1.3'}`. */
export function versionJson(code: number): { code: number; name: string } {
  return { code, name: versionName(code) };
}
