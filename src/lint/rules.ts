/**
 * The lint rules, one row each: severity, the RFC section that states the rule, and how it is
 * found — a `check` over the hello, and/or `fromDecode`, the decoder faults it stands for
 * (the first row whose `fromDecode` matches a fault reports it; `invalid_value` takes the rest).
 * An `error` breaks a MUST; a `warning` is a SHOULD or interop advice.
 */
import { codecForType } from '../extensions/registry.ts';
import type { ServerNameList } from '../extensions/server-name.ts';
import { isGrease } from '../iana/grease.ts';
import { cipherSuiteInfo, cipherSuiteName, groupName, versionName } from '../iana/lookup.ts';
import type { DecodeFinding } from './read-hello.ts';
import type { LintRuleId, LintSeverity } from './types.ts';
import type { LintView } from './view.ts';

/** One thing a rule found: the field and what is wrong with it. */
export interface LintFinding {
  readonly path: string;
  readonly message: string;
}

/** One lint rule. */
export interface LintRule {
  readonly severity: LintSeverity;
  /** Where the rule is stated, e.g. `RFC 8446 §4.2.8`. */
  readonly rfc: string;
  /** One line for docs and `--help`. */
  readonly summary: string;
  /** Checks a readable hello. */
  readonly check?: (v: LintView) => LintFinding[];
  /** The decoder faults this rule reports (their path and detail become the finding). */
  readonly fromDecode?: (f: DecodeFinding, v: LintView | undefined) => boolean;
}

const TLS10 = 0x0301;
const TLS12 = 0x0303;
const EMPTY_RENEGOTIATION_INFO_SCSV = 0x00ff;
const EXT = 'client_hello.extensions';
/** Extensions only TLS 1.3 defines for a ClientHello (RFC 8446 §4.2 table). */
const TLS13_ONLY = ['key_share', 'pre_shared_key', 'psk_key_exchange_modes', 'early_data', 'cookie'] as const;

const hex = (n: number): string => `0x${n.toString(16).padStart(4, '0')}`;
const versionAndCode = (v: number): string => `${versionName(v)} (${hex(v)})`;
const none: LintFinding[] = [];
const one = (path: string, message: string): LintFinding[] => [{ path, message }];
/** A decoder fault inside the body of the extension called `name`. */
const inExtension = (f: DecodeFinding, name: string): boolean =>
  f.path === `${EXT}.${name}` || f.path.startsWith(`${EXT}.${name}.`);

/** `1.2.3.4`, or anything with a colon (IPv6, `[::1]`): not a HostName (RFC 6066 §3). */
function isIpLiteral(name: string): boolean {
  return /^[0-9]{1,3}(\.[0-9]{1,3}){3}$/.test(name) || name.includes(':');
}

/** The host_name a decoder fault at `…server_name_list[i].host_name` is about. */
function hostNameAt(f: DecodeFinding, v: LintView | undefined): string | undefined {
  const m = /^client_hello\.extensions\.server_name\.server_name_list\[(\d+)\]\.host_name$/.exec(f.path);
  return m && v ? (hostNames(v)[Number(m[1])]?.hostName ?? '') : undefined;
}

function hostNames(v: LintView): { index: number; nameType: number; hostName?: string }[] {
  const list = v.value<ServerNameList>('server_name')?.serverNameList ?? [];
  return list.map((e, index) => ({ index, nameType: e.nameType, hostName: e.hostName }));
}

/** Cipher suites with a known version range (GREASE, SCSVs and unassigned codes left out). */
function rangedSuites(v: LintView): { code: number; min: number; max: number }[] {
  const out: { code: number; min: number; max: number }[] = [];
  for (const code of v.hello.cipherSuites) {
    if (isGrease(code)) continue;
    const info = cipherSuiteInfo(code);
    if (!info || ('scsv' in info && info.scsv)) continue;
    out.push({ code, min: info.minVersion, max: info.maxVersion });
  }
  return out;
}

/**
 * Every rule by id. The type makes the compiler hold ids and rows in step: each id has
 * exactly one row. Rows that claim decoder faults come before the catch-all `invalid_value`.
 */
export const LINT_RULES: { readonly [K in LintRuleId]: LintRule } = {
  record_overflow: {
    severity: 'error',
    rfc: 'RFC 8446 §5.1',
    summary: 'a record fragment longer than 2^14 bytes',
    fromDecode: (f) => f.path === 'record.length' && f.code === 'too-large',
  },
  record_empty: {
    severity: 'error',
    rfc: 'RFC 8446 §5.1',
    summary: 'a zero-length handshake record',
    fromDecode: (f) => f.path === 'record.length' && f.code === 'bad-length',
  },
  record_version: {
    severity: 'error',
    rfc: 'RFC 8446 §5.1, RFC 5246 Appendix E.1',
    summary: 'legacy_record_version is not 0x0301/0x0303 (0x0303 after a HelloRetryRequest), or not 3.x',
    check(v) {
      if (!v.record) return none;
      const out: LintFinding[] = [];
      for (const version of v.record.versions ?? [v.record.version]) {
        if (isGrease(version)) continue; // grease_misplaced
        let why: string | undefined;
        if (v.options.afterHelloRetryRequest && version !== TLS12)
          why = 'must be 0x0303 in a ClientHello that answers a HelloRetryRequest';
        else if (v.offersTls13 && version !== TLS10 && version !== TLS12)
          why = 'must be 0x0303 (or 0x0301 in an initial ClientHello) when TLS 1.3 is offered';
        else if (version >> 8 !== 3 || version > TLS12)
          why = 'must be a TLS 1.x version no higher than 0x0303';
        if (why) out.push({ path: 'record.legacy_record_version', message: `${hex(version)} ${why}` });
      }
      return out.slice(0, 1);
    },
  },
  session_id_too_long: {
    severity: 'error',
    rfc: 'RFC 8446 §4.1.2',
    summary: 'legacy_session_id longer than 32 bytes',
    fromDecode: (f) => f.path === 'client_hello.legacy_session_id' && f.code === 'bad-length',
  },
  alpn_empty_protocol: {
    severity: 'error',
    rfc: 'RFC 7301 §3.1',
    summary: 'an empty protocol name in application_layer_protocol_negotiation',
    fromDecode: (f) =>
      /^client_hello\.extensions\.application_layer_protocol_negotiation\.protocol_name_list\[\d+\]\.protocol_name$/.test(
        f.path,
      ),
  },
  key_share_duplicate_group: {
    severity: 'error',
    rfc: 'RFC 8446 §4.2.8',
    summary: 'two key_share entries for one group',
    fromDecode: (f) => inExtension(f, 'key_share') && f.code === 'duplicate',
  },
  key_share_size: {
    severity: 'error',
    rfc: 'RFC 8446 §4.2.8.2, RFC 8446 §4.2.8.1',
    summary: "a key_exchange whose length is not the group's",
    fromDecode: (f) => inExtension(f, 'key_share') && f.code === 'illegal-value',
  },
  psk_binders_mismatch: {
    severity: 'error',
    rfc: 'RFC 8446 §4.2.11',
    summary: 'pre_shared_key has a different number of identities and binders',
    fromDecode: (f) => inExtension(f, 'pre_shared_key') && f.code === 'illegal-value',
  },
  sni_multiple_names: {
    severity: 'error',
    rfc: 'RFC 6066 §3',
    summary: 'server_name lists more than one name of a type',
    fromDecode: (f) => inExtension(f, 'server_name') && f.code === 'duplicate',
  },
  sni_ip_literal: {
    severity: 'error',
    rfc: 'RFC 6066 §3',
    summary: 'server_name host_name is an IP address literal',
    fromDecode: (f, v) => {
      const name = hostNameAt(f, v);
      return name !== undefined && isIpLiteral(name);
    },
  },
  sni_not_hostname: {
    severity: 'error',
    rfc: 'RFC 6066 §3',
    summary:
      'server_name host_name is not a DNS host name (trailing dot, bad character, label or name too long)',
    fromDecode: (f, v) =>
      (f.code === 'illegal-value' || f.code === 'too-large') && hostNameAt(f, v) !== undefined,
  },
  sni_unknown_name_type: {
    severity: 'warning',
    rfc: 'RFC 6066 §3',
    summary: 'server_name lists a name_type other than host_name (0)',
    check(v) {
      return hostNames(v)
        .filter((e) => e.nameType !== 0)
        .map((e) => ({
          path: `${EXT}.server_name.server_name_list[${e.index}].name_type`,
          message: `name_type ${e.nameType} is not defined; servers may abort the handshake`,
        }));
    },
  },
  padding_nonzero: {
    severity: 'error',
    rfc: 'RFC 7685 §3',
    summary: 'the padding extension holds a non-zero byte',
    fromDecode: (f) => inExtension(f, 'padding') && f.code === 'illegal-value',
  },
  ec_point_formats_without_uncompressed: {
    severity: 'error',
    rfc: 'RFC 8422 §5.1.2',
    summary: 'ec_point_formats does not list uncompressed (0)',
    fromDecode: (f) => inExtension(f, 'ec_point_formats') && f.code === 'illegal-value',
  },
  empty_list: {
    severity: 'error',
    rfc: 'RFC 8446 §3.4, RFC 5246 §4.3',
    summary: 'a vector with a minimum length is empty (cipher_suites, a list in an extension, …)',
    fromDecode: (f) => f.code === 'empty-list',
  },
  length_mismatch: {
    severity: 'error',
    rfc: 'RFC 8446 §3.4, RFC 8446 §4.2',
    summary: 'a length field disagrees with the bytes (record, handshake, vector, extension)',
    fromDecode: (f) =>
      f.code === 'truncated' || f.code === 'trailing' || f.code === 'bad-length' || f.code === 'too-large',
  },
  grease_misplaced: {
    severity: 'error',
    rfc: 'RFC 8701 §2',
    summary: 'a GREASE value where RFC 8701 reserves none (legacy_version, legacy_record_version)',
    check(v) {
      const out: LintFinding[] = [];
      if (isGrease(v.hello.legacyVersion))
        out.push({
          path: 'client_hello.legacy_version',
          message: `${hex(v.hello.legacyVersion)} is GREASE; GREASE versions belong in supported_versions`,
        });
      const records = v.record ? (v.record.versions ?? [v.record.version]) : [];
      const greased = records.find(isGrease);
      if (greased !== undefined)
        out.push({ path: 'record.legacy_record_version', message: `${hex(greased)} is GREASE` });
      return out;
    },
  },
  legacy_version_not_tls12: {
    severity: 'error',
    rfc: 'RFC 8446 §4.1.2, RFC 8446 Appendix D.5',
    summary: 'legacy_version is not 0x0303 while TLS 1.3 is offered, is above 0x0303, or is 0x0300 or less',
    check(v) {
      const lv = v.hello.legacyVersion;
      if (isGrease(lv)) return none;
      const path = 'client_hello.legacy_version';
      if (v.offersTls13 && lv !== TLS12)
        return one(path, `${hex(lv)}: a hello that offers TLS 1.3 must say 0x0303 here`);
      if (lv > TLS12)
        return one(path, `${hex(lv)} is above TLS 1.2; newer versions are offered in supported_versions`);
      if (lv >> 8 !== 3 || lv <= 0x0300)
        return one(path, `${hex(lv)}: a client must not send SSL 3.0 (0x0300) or less`);
      return none;
    },
  },
  obsolete_version: {
    severity: 'warning',
    rfc: 'RFC 8996 §4, §5',
    summary: 'TLS 1.0 or 1.1 is offered (deprecated)',
    check(v) {
      const old = (v.supportedVersions ?? [v.hello.legacyVersion]).filter(
        (x) => x === 0x0301 || x === 0x0302,
      );
      if (old.length === 0) return none;
      const path = v.supportedVersions ? `${EXT}.supported_versions` : 'client_hello.legacy_version';
      return one(path, `offers ${old.map(versionAndCode).join(', ')}, deprecated by RFC 8996`);
    },
  },
  compression_not_null: {
    severity: 'error',
    rfc: 'RFC 8446 §4.1.2, RFC 5246 §7.4.1.2',
    summary: 'legacy_compression_methods is not exactly [0] with TLS 1.3, or lacks null (0)',
    check(v) {
      const methods = v.hello.legacyCompressionMethods;
      const path = 'client_hello.legacy_compression_methods';
      const list = `[${methods.join(', ')}]`;
      if (v.offersTls13 && (methods.length !== 1 || methods[0] !== 0))
        return one(path, `${list}: a hello that offers TLS 1.3 must send exactly [0]`);
      if (methods.length > 0 && !methods.includes(0)) return one(path, `${list} lacks the null method (0)`);
      return none;
    },
  },
  compression_offered: {
    severity: 'warning',
    rfc: 'RFC 9325 §3.3',
    summary: 'a TLS 1.2 hello offers a compression method other than null (CRIME)',
    check(v) {
      const methods = v.hello.legacyCompressionMethods;
      if (v.offersTls13 || !methods.includes(0) || methods.length === 1) return none;
      return one('client_hello.legacy_compression_methods', `[${methods.join(', ')}] offers compression`);
    },
  },
  suite_version_mismatch: {
    severity: 'error',
    rfc: 'RFC 8446 §4.1.1, RFC 5246 §7.4.1.2',
    summary: 'a version is offered for which no offered cipher suite works',
    check(v) {
      const suites = rangedSuites(v);
      if (suites.length === 0) return none;
      const unknown = v.hello.cipherSuites.some((c) => !isGrease(c) && cipherSuiteInfo(c) === undefined);
      if (unknown) return none; // an unassigned suite may be anyone's
      const missing = v.negotiableVersions.filter((ver) => !suites.some((s) => s.min <= ver && ver <= s.max));
      if (missing.length === 0) return none;
      return one(
        'client_hello.cipher_suites',
        `${missing.map(versionAndCode).join(' and ')} ${missing.length === 1 ? 'is' : 'are'} offered but no cipher suite works with ${missing.length === 1 ? 'it' : 'them'}`,
      );
    },
  },
  suite_unusable: {
    severity: 'warning',
    rfc: 'RFC 8446 §4.1.2, RFC 5246 Appendix E.1',
    summary: 'a cipher suite that none of the offered versions can use',
    check(v) {
      // Without supported_versions a client takes every version up to legacy_version
      // (RFC 5246 Appendix E.1), so a suite for an older one is not out of place.
      const listed = v.supportedVersions;
      const fits = (s: { min: number; max: number }) =>
        listed ? listed.some((ver) => s.min <= ver && ver <= s.max) : s.min <= v.hello.legacyVersion;
      const unusable = rangedSuites(v).filter((s) => !fits(s));
      if (unusable.length === 0) return none;
      const names = unusable.map((s) => cipherSuiteName(s.code));
      const offered = listed
        ? listed.map(versionAndCode).join(', ')
        : `versions up to ${versionAndCode(v.hello.legacyVersion)}`;
      return one(
        'client_hello.cipher_suites',
        `${names.slice(0, 3).join(', ')}${names.length > 3 ? ` and ${names.length - 3} more` : ''} fit none of the versions offered (${offered})`,
      );
    },
  },
  tls13_without_supported_versions: {
    severity: 'error',
    rfc: 'RFC 8446 §4.2.1, RFC 8446 §9.2',
    summary: 'a TLS 1.3 extension (key_share, pre_shared_key, …) without TLS 1.3 in supported_versions',
    check(v) {
      if (v.offersTls13) return none;
      const present = TLS13_ONLY.filter((name) => v.has(name));
      if (present.length === 0) return none;
      return one(
        `${EXT}.supported_versions`,
        `${present.join(', ')} ${present.length === 1 ? 'is' : 'are'} TLS 1.3 only, but supported_versions does not offer TLS 1.3`,
      );
    },
  },
  tls13_without_signature_algorithms: {
    severity: 'error',
    rfc: 'RFC 8446 §4.2.3, RFC 8446 §9.2',
    summary: 'TLS 1.3 is offered without signature_algorithms and without pre_shared_key',
    check(v) {
      if (!v.offersTls13 || v.has('signature_algorithms') || v.has('pre_shared_key')) return none;
      return one(`${EXT}.signature_algorithms`, 'TLS 1.3 with certificates needs signature_algorithms');
    },
  },
  tls13_without_key_share_or_psk: {
    severity: 'error',
    rfc: 'RFC 8446 §9.2, RFC 8446 §4.2.8',
    summary:
      'TLS 1.3 is offered with neither key_share nor pre_shared_key, or supported_groups without key_share',
    check(v) {
      if (!v.offersTls13 || v.has('key_share')) return none;
      if (v.has('supported_groups'))
        return one(`${EXT}.key_share`, 'supported_groups is sent without key_share; TLS 1.3 needs both');
      if (v.has('pre_shared_key')) return none;
      return one(`${EXT}.key_share`, 'TLS 1.3 is offered with neither key_share nor pre_shared_key');
    },
  },
  key_share_without_supported_groups: {
    severity: 'error',
    rfc: 'RFC 8446 §9.2',
    summary: 'key_share is sent without supported_groups',
    check(v) {
      if (!v.has('key_share') || v.has('supported_groups')) return none;
      return one(`${EXT}.supported_groups`, 'key_share is sent without supported_groups; TLS 1.3 needs both');
    },
  },
  key_share_not_in_groups: {
    severity: 'error',
    rfc: 'RFC 8446 §4.2.8',
    summary: 'a key_share entry for a group supported_groups does not offer',
    check(v) {
      const groups = v.groups;
      const shares = v.keyShares;
      if (!groups || !shares) return none;
      const out: LintFinding[] = [];
      shares.forEach((share, i) => {
        if (groups.includes(share.group)) return;
        out.push({
          path: `${EXT}.key_share.client_shares[${i}].group`,
          message: `a key share for ${groupName(share.group)} (${hex(share.group)}), which supported_groups does not offer`,
        });
      });
      return out;
    },
  },
  key_share_order: {
    severity: 'error',
    rfc: 'RFC 8446 §4.2.8',
    summary: 'key_share entries are not in supported_groups order',
    check(v) {
      const groups = v.groups;
      const shares = v.keyShares;
      if (!groups || !shares) return none;
      let last = -1;
      let lastGroup = 0;
      for (let i = 0; i < shares.length; i++) {
        const at = groups.indexOf(shares[i].group);
        if (at < 0) continue; // key_share_not_in_groups
        if (at < last) {
          return one(
            `${EXT}.key_share.client_shares[${i}].group`,
            `${groupName(shares[i].group)} comes after ${groupName(lastGroup)} here but before it in supported_groups`,
          );
        }
        last = at;
        lastGroup = shares[i].group;
      }
      return none;
    },
  },
  duplicate_extension: {
    severity: 'error',
    rfc: 'RFC 8446 §4.2, RFC 5246 §7.4.1.4',
    summary: 'an extension type appears more than once',
    check(v) {
      const seen = new Set<number>();
      const out: LintFinding[] = [];
      for (const e of v.extensions) {
        if (seen.has(e.type))
          out.push({ path: `${EXT}.${e.name}`, message: `${e.name} appears more than once` });
        seen.add(e.type);
      }
      return out;
    },
  },
  extension_not_allowed: {
    severity: 'error',
    rfc: 'RFC 8446 §4.2',
    summary: 'an extension the registry does not allow in a ClientHello',
    check(v) {
      return v.extensions
        .filter(
          (e) =>
            e.name !== 'ech_outer_extensions' &&
            codecForType(e.type)?.allowedIn.includes('client_hello') === false,
        )
        .map((e) => ({ path: `${EXT}.${e.name}`, message: `${e.name} is not allowed in a ClientHello` }));
    },
  },
  psk_not_last: {
    severity: 'error',
    rfc: 'RFC 8446 §4.2.11',
    summary: 'pre_shared_key is not the last extension',
    check(v) {
      const at = v.extensions.findIndex((e) => e.name === 'pre_shared_key');
      if (at < 0 || at === v.extensions.length - 1) return none;
      return one(
        `${EXT}.pre_shared_key`,
        `pre_shared_key is extension ${at + 1} of ${v.extensions.length}; it must be last`,
      );
    },
  },
  psk_without_modes: {
    severity: 'error',
    rfc: 'RFC 8446 §4.2.9',
    summary: 'pre_shared_key without psk_key_exchange_modes',
    check(v) {
      if (!v.has('pre_shared_key') || v.has('psk_key_exchange_modes')) return none;
      return one(`${EXT}.psk_key_exchange_modes`, 'pre_shared_key is offered without psk_key_exchange_modes');
    },
  },
  early_data_without_psk: {
    severity: 'error',
    rfc: 'RFC 8446 §4.2.10',
    summary: 'early_data without pre_shared_key',
    check(v) {
      if (!v.has('early_data') || v.has('pre_shared_key')) return none;
      return one(`${EXT}.early_data`, 'early_data is offered without pre_shared_key');
    },
  },
  ech_without_tls13: {
    severity: 'warning',
    rfc: 'RFC 9849 §6.1',
    summary: 'encrypted_client_hello in a hello that does not offer TLS 1.3',
    check(v) {
      if (!v.has('encrypted_client_hello') || v.offersTls13) return none;
      return one(
        `${EXT}.encrypted_client_hello`,
        'ECH works only with TLS 1.3, which this hello does not offer',
      );
    },
  },
  ech_outer_extensions_in_outer: {
    severity: 'error',
    rfc: 'RFC 9849 §5.1',
    summary: 'ech_outer_extensions on the wire (it belongs only in an encoded ClientHelloInner)',
    check(v) {
      if (!v.has('ech_outer_extensions')) return none;
      return one(
        `${EXT}.ech_outer_extensions`,
        'ech_outer_extensions never appears in a ClientHello on the wire',
      );
    },
  },
  ecc_suites_without_supported_groups: {
    severity: 'warning',
    rfc: 'RFC 8422 §4',
    summary: 'ECC cipher suites for TLS 1.2 or older without supported_groups',
    check(v) {
      if (v.highestLegacyVersion === undefined || v.has('supported_groups')) return none;
      const ecc = v.hello.cipherSuites.some((c) => cipherSuiteInfo(c)?.keyExchange.startsWith('ECDH'));
      if (!ecc) return none;
      return one(`${EXT}.supported_groups`, 'ECDHE/ECDH suites are offered without supported_groups');
    },
  },
  extended_master_secret_missing: {
    severity: 'warning',
    rfc: 'RFC 7627 §5.1',
    summary: 'TLS 1.2 or older is offered without extended_master_secret',
    check(v) {
      const older = v.highestLegacyVersion;
      if (older === undefined || older < TLS10 || v.has('extended_master_secret')) return none;
      return one(
        `${EXT}.extended_master_secret`,
        `${versionAndCode(older)} is offered without extended_master_secret (the session hash protects against triple handshake attacks)`,
      );
    },
  },
  renegotiation_info_missing: {
    severity: 'error',
    rfc: 'RFC 5746 §3.4',
    summary: 'TLS 1.2 or older is offered without renegotiation_info or TLS_EMPTY_RENEGOTIATION_INFO_SCSV',
    check(v) {
      if (v.highestLegacyVersion === undefined || v.has('renegotiation_info')) return none;
      if (v.hello.cipherSuites.includes(EMPTY_RENEGOTIATION_INFO_SCSV)) return none;
      return one(
        `${EXT}.renegotiation_info`,
        `${versionAndCode(v.highestLegacyVersion)} is offered with neither renegotiation_info nor TLS_EMPTY_RENEGOTIATION_INFO_SCSV`,
      );
    },
  },
  invalid_value: {
    severity: 'error',
    rfc: 'RFC 8446 §4',
    summary: 'a field whose value the extension codec rejects (max_fragment_length, heartbeat mode, …)',
    fromDecode: () => true,
  },
};
