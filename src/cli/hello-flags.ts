/**
 * The hello flags shared by build, probe, diagnose, scan and fuzz (DESIGN.md): each maps to
 * one `clientHello` option, and a bad value is a UsageError naming the flag and what it takes.
 */
import type { ClientHelloOptions } from '../builder/client-hello.ts';
import { PRESET_NAMES, parsePresetName } from '../builder/presets/index.ts';
import { parseCipherSuiteList, parseGroupList, parseSignatureSchemeList } from '../iana/lookup.ts';
import { type FlagSpecs, type Flags, stringFlag } from './args.ts';
import { UsageError } from './errors.ts';

const LIST_HELP = "IANA names, OpenSSL names or hex codes, ':' or ',' separated";

/** The shared hello flags, for a command's `flags` (spread them in). */
export const HELLO_FLAGS: FlagSpecs = {
  sni: {
    type: 'string',
    value: 'NAME',
    help: 'send server_name NAME (probe, scan, diagnose: default the target host name, none for an IP)',
  },
  'no-sni': { type: 'boolean', help: 'send no server_name (build: the default)' },
  preset: {
    type: 'string',
    value: 'NAME',
    help: `start from a real client's hello: ${PRESET_NAMES.join(', ')}`,
  },
  tls: { type: 'string', value: '1.2|1.3', help: 'offer only this TLS version' },
  ciphers: { type: 'string', value: 'LIST', help: `cipher suites (${LIST_HELP})` },
  groups: { type: 'string', value: 'LIST', help: `supported_groups (${LIST_HELP})` },
  'key-shares': { type: 'string', value: 'LIST', help: `groups to send key shares for (${LIST_HELP})` },
  sigalgs: { type: 'string', value: 'LIST', help: `signature_algorithms (${LIST_HELP})` },
  alpn: { type: 'string', value: 'LIST', help: "ALPN protocols, ',' separated ('' for none)" },
  grease: { type: 'boolean', help: 'add GREASE values as BoringSSL does' },
  pad: {
    type: 'string',
    value: 'N|boringssl|none',
    help: 'padding: to N bytes, BoringSSL 256–511 → 512 rule, or none',
  },
  fragment: { type: 'string', value: 'N', help: 'split the hello over N records' },
  seed: { type: 'string', value: 'S', help: 'seed every random choice (same seed, same bytes)' },
};

function list(
  command: string,
  flags: Flags,
  flag: string,
  parse: (s: string) => number[],
): number[] | undefined {
  const raw = stringFlag(flags, flag);
  if (raw === undefined) return undefined;
  if (raw.trim() === '')
    throw new UsageError(`${command}: --${flag} needs at least one value (${LIST_HELP})`);
  try {
    return parse(raw);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    throw new UsageError(`${command}: --${flag}: ${message} (--${flag} takes ${LIST_HELP})`);
  }
}

function wholeNumber(
  command: string,
  flag: string,
  raw: string,
  min: number,
  max: number,
  also = '',
): number {
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new UsageError(
      `${command}: --${flag} expects a whole number ${min}..${max}${also}, got ${JSON.stringify(raw)}`,
    );
  }
  return Number(raw);
}

/**
 * The builder options the hello flags ask for (flags not given leave the preset's or the
 * default's value).
 * @example helloOptionsFromFlags('build', { sni: 'example.com', ciphers: 'ECDHE-RSA-AES128-GCM-SHA256' })
 * @throws {UsageError} naming the flag and the accepted values
 */
export function helloOptionsFromFlags(command: string, flags: Flags): ClientHelloOptions {
  const out: Record<string, unknown> = {};
  const sni = stringFlag(flags, 'sni');
  if (sni !== undefined && flags['no-sni'] === true)
    throw new UsageError(`${command}: --sni and --no-sni contradict each other`);
  if (sni !== undefined) {
    if (sni === '') throw new UsageError(`${command}: --sni needs a host name (or use --no-sni)`);
    out.serverName = sni;
  }
  if (flags['no-sni'] === true) out.serverName = null;
  const preset = stringFlag(flags, 'preset');
  if (preset !== undefined) {
    try {
      out.preset = parsePresetName(preset);
    } catch {
      throw new UsageError(
        `${command}: --preset: unknown preset ${JSON.stringify(preset)} (accepted: ${PRESET_NAMES.join(', ')})`,
      );
    }
  }
  const tls = stringFlag(flags, 'tls');
  if (tls !== undefined) {
    const v = tls.replace(/^(tls|TLS)v?\s*/, '');
    if (v !== '1.2' && v !== '1.3')
      throw new UsageError(`${command}: --tls accepts 1.2 or 1.3, got ${JSON.stringify(tls)}`);
    out.tls = v;
  }
  const ciphers = list(command, flags, 'ciphers', parseCipherSuiteList);
  if (ciphers) out.cipherSuites = ciphers;
  const groups = list(command, flags, 'groups', parseGroupList);
  if (groups) out.groups = groups;
  const keyShares = list(command, flags, 'key-shares', parseGroupList);
  if (keyShares) out.keyShares = keyShares;
  const sigalgs = list(command, flags, 'sigalgs', parseSignatureSchemeList);
  if (sigalgs) out.signatureAlgorithms = sigalgs;
  const alpn = stringFlag(flags, 'alpn');
  if (alpn !== undefined) {
    const ids = alpn.split(',').filter((s) => s !== '');
    for (const id of ids) {
      // One byte a character (Latin-1), the rule the ALPN codec uses for text ids.
      if (id.length > 255)
        throw new UsageError(`${command}: --alpn: protocol ids are 1..255 bytes, got ${id.length}`);
    }
    out.alpn = ids.length > 0 ? ids : null;
  }
  if (flags.grease === true) out.grease = true;
  const pad = stringFlag(flags, 'pad');
  if (pad !== undefined) {
    if (pad === 'boringssl') out.padding = 'boringssl';
    else if (pad === 'none' || pad === 'off' || pad === 'false') out.padding = false;
    else out.padding = wholeNumber(command, 'pad', pad, 1, 0xffffff, ", 'boringssl' or 'none'");
  }
  const fragment = stringFlag(flags, 'fragment');
  if (fragment !== undefined) out.fragment = wholeNumber(command, 'fragment', fragment, 1, 65535);
  const seed = stringFlag(flags, 'seed');
  if (seed !== undefined) out.seed = seed;
  return out as ClientHelloOptions;
}
