/**
 * Presets: ClientHellos of real clients, derived from the captures in fixtures/clients/
 * (see docs/presets.md). `clientHello({ preset: 'chrome', serverName })` reproduces the
 * client's suites, extensions and their order rules, groups, key shares, signature schemes,
 * ALPN, GREASE, padding and ECH GREASE.
 */
import { fromHex } from '../../bytes/hex.ts';
import type { ClientHelloOptions } from '../client-hello.ts';
import { CAPTURED_PRESETS } from './captured.generated.ts';
import type { CapturedPreset } from './types.ts';

export type { CapturedPreset } from './types.ts';

/** The presets' names: the keys of the captured preset table. */
export type PresetName = keyof typeof CAPTURED_PRESETS;

/** Every preset name, in a stable order. */
export const PRESET_NAMES: readonly PresetName[] = Object.freeze(
  Object.keys(CAPTURED_PRESETS) as PresetName[],
);

/** Other spellings users type for a preset. */
const ALIASES = {
  chromium: 'chrome',
  'firefox-esr': 'firefox',
  'gnutls-cli': 'gnutls',
  golang: 'go',
  nodejs: 'node',
  s_client: 'openssl',
} as const;

/** Another spelling of a preset's name (`chromium` for `chrome`, `golang` for `go`). */
export type PresetAlias = keyof typeof ALIASES;
const ALIAS_TARGETS: Readonly<Record<PresetAlias, PresetName>> = ALIASES;

/**
 * The preset a user typed, read case-insensitively and through aliases.
 * @example parsePresetName('Chromium') // 'chrome'
 * @throws {TypeError} for an unknown name, listing the presets
 */
export function parsePresetName(input: string): PresetName {
  const lower = input.toLowerCase();
  const name = Object.hasOwn(ALIASES, lower) ? ALIAS_TARGETS[lower as PresetAlias] : lower;
  if (!Object.hasOwn(CAPTURED_PRESETS, name))
    throw new TypeError(`unknown preset ${JSON.stringify(input)}; presets: ${PRESET_NAMES.join(', ')}`);
  return name as PresetName;
}

/** The captured data behind a preset. */
export function presetInfo(name: PresetName | PresetAlias): CapturedPreset {
  return CAPTURED_PRESETS[parsePresetName(name)];
}

/** A preset a hello matches: its name and the client it was captured from. */
export interface KnownClient {
  readonly preset: PresetName;
  readonly client: string;
}

/**
 * The presets whose captured hellos (with SNI or without) have the JA4 `ja4`: which known
 * client a hello looks like. Several clients on one TLS library can share a JA4, so this is
 * a list; an empty one means no captured client matches.
 * @example presetsWithJa4(ja4(hello)) // [{ preset: 'curl', client: 'curl 7.88.1 …' }]
 */
export function presetsWithJa4(ja4: string): KnownClient[] {
  const out: KnownClient[] = [];
  for (const name of PRESET_NAMES) {
    const p: CapturedPreset = CAPTURED_PRESETS[name];
    if (p.ja4.includes(ja4)) out.push({ preset: name, client: p.client });
  }
  return out;
}

/**
 * The builder options of a preset; pass them (with overrides) to `clientHello`, or use
 * `clientHello({ preset: name, ... })`.
 * @example clientHello({ ...preset('firefox'), serverName: 'example.com' })
 * @throws {TypeError} for an unknown name, listing the presets
 */
export function preset(name: PresetName | PresetAlias): ClientHelloOptions {
  const p = presetInfo(name);
  const extensionBodies: Record<string, Uint8Array> = {};
  for (const [code, hex] of Object.entries(p.extensionBodies)) extensionBodies[code] = fromHex(hex as string);
  return { ...p.options, serverName: null, extensionBodies };
}

/** Same as {@link preset}; the builder's entry point for `options.preset`. */
export const presetOptions: (name: PresetName | PresetAlias) => ClientHelloOptions = preset;
