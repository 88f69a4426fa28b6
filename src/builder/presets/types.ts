import type { EchGreaseOptions } from '../ech-grease.ts';
import type { GreasePlacement } from '../grease.ts';
import type { PaddingRule } from '../padding.ts';

/** A preset as derived from captures: plain data (numbers, strings, hex bodies). */
export interface CapturedPreset {
  /** The client's own version string at capture time. */
  readonly client: string;
  /** The fixtures/clients files it was derived from and is tested against. */
  readonly captures: readonly string[];
  /** The JA4 of those captures (with SNI and without), each once. */
  readonly ja4: readonly string[];
  readonly options: {
    readonly legacyVersion: number;
    readonly record: { readonly version: number };
    readonly sessionId: number;
    readonly cipherSuites: readonly number[];
    readonly compressionMethods: readonly number[];
    readonly groups: readonly number[] | null;
    readonly keyShares: readonly number[] | null;
    readonly signatureAlgorithms: readonly number[] | null;
    readonly versions: readonly number[] | null;
    readonly pskModes: readonly number[] | null;
    readonly ecPointFormats: readonly number[] | null;
    readonly alpn: readonly string[] | null;
    readonly padding: PaddingRule;
    readonly echGrease: false | EchGreaseOptions;
    readonly grease: false | GreasePlacement;
    readonly permuteExtensions: boolean;
    readonly extensionOrder: readonly number[];
  };
  /** Raw bodies of the extensions the builder does not fill in from options, by code. */
  readonly extensionBodies: Readonly<Record<number, string>>;
}
