/**
 * The read-only view of a ClientHello that lint rules check: the hello, its extensions by
 * registry name with their decoded values, and the versions it offers.
 */
import type { KeyShareClientHello } from '../extensions/key-share.ts';
import type { NamedGroupList } from '../extensions/supported-groups.ts';
import type { SupportedVersionsList } from '../extensions/supported-versions.ts';
import type { ClientHello, RecordFraming } from '../handshake/types.ts';
import { isGrease } from '../iana/grease.ts';
import type { LintExtension } from './read-hello.ts';
import type { ValidateOptions } from './types.ts';

const TLS12 = 0x0303;
const TLS13 = 0x0304;

/** What a rule reads. */
export class LintView {
  readonly hello: ClientHello;
  readonly extensions: readonly LintExtension[];
  readonly record: RecordFraming | undefined;
  readonly options: ValidateOptions;
  /** supported_versions without GREASE, or undefined when the hello has none. */
  readonly supportedVersions: readonly number[] | undefined;

  constructor(
    hello: ClientHello,
    extensions: readonly LintExtension[],
    record: RecordFraming | undefined,
    options: ValidateOptions,
  ) {
    this.hello = hello;
    this.extensions = extensions;
    this.record = record;
    this.options = options;
    const versions = this.value<SupportedVersionsList>('supported_versions')?.versions;
    this.supportedVersions = versions?.filter((v) => !isGrease(v));
  }

  /** The first extension called `name`, if the hello has one. */
  ext(name: string): LintExtension | undefined {
    return this.extensions.find((e) => e.name === name);
  }

  /** Whether the hello carries an extension called `name` (whatever its body). */
  has(name: string): boolean {
    return this.ext(name) !== undefined;
  }

  /** The decoded value of the first extension called `name` (undefined when absent or undecodable). */
  value<V>(name: string): V | undefined {
    return this.ext(name)?.value as V | undefined;
  }

  /** TLS 1.3 is offered (supported_versions lists 0x0304). */
  get offersTls13(): boolean {
    return this.supportedVersions?.includes(TLS13) ?? false;
  }

  /**
   * The highest version ≤ TLS 1.2 on offer: from supported_versions, or legacy_version
   * when there is none (RFC 8446 §4.2.1). Undefined when only TLS 1.3 is offered.
   */
  get highestLegacyVersion(): number | undefined {
    if (!this.supportedVersions) return Math.min(this.hello.legacyVersion, TLS12);
    const old = this.supportedVersions.filter((v) => v <= TLS12);
    return old.length > 0 ? Math.max(...old) : undefined;
  }

  /** The versions a suite must fit: TLS 1.3 when offered, and the highest older one. */
  get negotiableVersions(): number[] {
    const out: number[] = [];
    if (this.offersTls13) out.push(TLS13);
    const legacy = this.highestLegacyVersion;
    if (legacy !== undefined) out.push(legacy);
    return out;
  }

  /** supported_groups, GREASE kept (undefined when absent or undecodable). */
  get groups(): readonly number[] | undefined {
    return this.value<NamedGroupList>('supported_groups')?.namedGroupList;
  }

  /** The key_share entries (undefined when absent or undecodable). */
  get keyShares(): KeyShareClientHello['clientShares'] | undefined {
    return this.value<KeyShareClientHello>('key_share')?.clientShares;
  }
}
