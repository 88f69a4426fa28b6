/** The ClientHello builder, presets that reproduce real clients, GREASE and padding rules. */
export * from './bodies.ts';
export * from './client-hello.ts';
export * from './ech-grease.ts';
export * from './grease.ts';
export * from './padding.ts';
export * from './permute.ts';
export {
  type CapturedPreset,
  type KnownClient,
  PRESET_NAMES,
  type PresetAlias,
  type PresetName,
  parsePresetName,
  preset,
  presetInfo,
  presetsWithJa4,
} from './presets/index.ts';
