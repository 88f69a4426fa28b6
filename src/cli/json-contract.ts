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

/** The `schema` field of a command's JSON output: `{schema: 'hellokit.probe/1'}`. */
export function schemaField(command: JsonCommand): { schema: string } {
  return { schema: `hellokit.${command}/1` };
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
