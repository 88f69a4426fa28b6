/**
 * One hello per lint rule that breaks exactly that rule: each starts from a real client's
 * captured ClientHello (Firefox for TLS 1.3, `openssl s_client -tls1_2` for TLS 1.2), which lints
 * clean, and changes one thing — a field of the parsed hello, an extension body encoded by
 * the registry, or a forged length the encoder writes as given.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fromHex } from '../../src/bytes/hex.ts';
import { makeExtension } from '../../src/extensions/block.ts';
import type { Extension } from '../../src/extensions/types.ts';
import { encodeClientHello, parseClientHello } from '../../src/handshake/client-hello.ts';
import type { ClientHello } from '../../src/handshake/types.ts';
import { lookupExtensionType } from '../../src/iana/lookup.ts';
import {
  LINT_RULES,
  type LintProblem,
  type LintRuleId,
  problemsNotForged,
  validateClientHello,
} from '../../src/lint/index.ts';

const fixture = (name: string): ClientHello =>
  parseClientHello(new Uint8Array(readFileSync(`fixtures/clients/${name}.bin`)));
const tls13 = fixture('firefox-sni');
const tls12 = fixture('openssl-tls12-sni');

const code = (name: string | number): number => (typeof name === 'number' ? name : lookupExtensionType(name));
const ext = (hello: ClientHello, name: string): Extension =>
  hello.extensions!.find((e) => e.type === code(name))!;
const withExtensions = (hello: ClientHello, edit: (list: Extension[]) => Extension[]): ClientHello => ({
  ...hello,
  extensions: edit([...hello.extensions!]),
});
const remove = (hello: ClientHello, ...names: string[]): ClientHello =>
  withExtensions(hello, (list) => list.filter((e) => !names.map(code).includes(e.type)));
/** Replaces the extension's body in place, or adds it first when absent. */
const put = (hello: ClientHello, name: string | number, bodyOrValue: Uint8Array | object): ClientHello => {
  const e: Extension =
    bodyOrValue instanceof Uint8Array
      ? { type: code(name), body: bodyOrValue }
      : makeExtension(name, bodyOrValue);
  return withExtensions(hello, (list) => {
    const at = list.findIndex((x) => x.type === e.type);
    if (at < 0) return [e, ...list];
    list[at] = e;
    return list;
  });
};
const append = (hello: ClientHello, e: Extension): ClientHello =>
  withExtensions(hello, (list) => [...list, e]);
const share = (group: number, n: number) => ({ group, keyExchange: new Uint8Array(n).fill(7) });
const psk = (binders: number) =>
  makeExtension('pre_shared_key', {
    identities: [{ identity: new Uint8Array(16).fill(1), obfuscatedTicketAge: 5 }],
    binders: Array.from({ length: binders }, () => new Uint8Array(32).fill(2)),
  });
const hostNames = (...names: { nameType: number; hostName?: string; name?: Uint8Array }[]) => ({
  serverNameList: names,
});
const groups = (hello: ClientHello): number[] =>
  (ext(hello, 'supported_groups').value as { namedGroupList: number[] }).namedGroupList;

interface Case {
  readonly hello: ClientHello | Uint8Array;
  /** The path the problem must name, when the test pins it. */
  readonly path?: string;
}

const forgedCipherSuitesLength = {
  ...tls13,
  lengthOverrides: { cipherSuites: 2 * tls13.cipherSuites.length + 2 },
};

/** One case per rule; the type makes a new rule without a case a compile error. */
const CASES: { readonly [K in LintRuleId]: Case } = {
  record_overflow: { hello: put(tls13, 'padding', new Uint8Array(17000)), path: 'record.length' },
  record_empty: {
    // A zero-length handshake record, then the whole hello in a second one.
    hello: (() => {
      const bytes = encodeClientHello(tls13);
      const out = new Uint8Array(bytes.length + 5);
      out.set([22, 3, 1, 0, 0]);
      out.set(bytes, 5);
      return out;
    })(),
    path: 'record.length',
  },
  record_version: { hello: { ...tls13, record: { version: 0x0302 } }, path: 'record.legacy_record_version' },
  length_mismatch: { hello: forgedCipherSuitesLength, path: 'client_hello.cipher_suites' },
  empty_list: { hello: { ...tls13, cipherSuites: [] }, path: 'client_hello.cipher_suites' },
  session_id_too_long: {
    hello: { ...tls13, legacySessionId: new Uint8Array(33) },
    path: 'client_hello.legacy_session_id',
  },
  legacy_version_not_tls12: {
    hello: { ...tls13, legacyVersion: 0x0301 },
    path: 'client_hello.legacy_version',
  },
  obsolete_version: {
    hello: put(tls13, 'supported_versions', { versions: [0x0304, 0x0303, 0x0302] }),
    path: 'client_hello.extensions.supported_versions',
  },
  compression_not_null: {
    hello: { ...tls13, legacyCompressionMethods: [1, 0] },
    path: 'client_hello.legacy_compression_methods',
  },
  compression_offered: { hello: { ...tls12, legacyCompressionMethods: [1, 0] } },
  suite_version_mismatch: {
    hello: { ...tls13, cipherSuites: tls13.cipherSuites.filter((c) => c >> 8 !== 0x13) },
    path: 'client_hello.cipher_suites',
  },
  suite_unusable: { hello: { ...tls12, cipherSuites: [0x1301, ...tls12.cipherSuites] } },
  tls13_without_supported_versions: {
    hello: put(tls12, 'key_share', { clientShares: [share(0x001d, 32)] }),
    path: 'client_hello.extensions.supported_versions',
  },
  tls13_without_signature_algorithms: { hello: remove(tls13, 'signature_algorithms') },
  tls13_without_key_share_or_psk: {
    hello: remove(tls13, 'key_share'),
    path: 'client_hello.extensions.key_share',
  },
  key_share_without_supported_groups: { hello: remove(tls13, 'supported_groups') },
  key_share_not_in_groups: {
    // The shares are 0x11ec, x25519, secp256r1: secp256r1 leaves the groups.
    hello: put(tls13, 'supported_groups', { namedGroupList: groups(tls13).filter((g) => g !== 0x0017) }),
    path: 'client_hello.extensions.key_share.client_shares[2].group',
  },
  key_share_order: {
    hello: put(tls13, 'supported_groups', { namedGroupList: [0x001d, 0x11ec, 0x0017, 0x0018] }),
    path: 'client_hello.extensions.key_share.client_shares[1].group',
  },
  key_share_duplicate_group: {
    hello: put(tls13, 'key_share', { clientShares: [share(0x001d, 32), share(0x001d, 32)] }),
    path: 'client_hello.extensions.key_share.client_shares[1]',
  },
  key_share_size: {
    hello: put(tls13, 'key_share', { clientShares: [share(0x001d, 31)] }),
    path: 'client_hello.extensions.key_share.client_shares[0].key_exchange',
  },
  duplicate_extension: {
    hello: withExtensions(tls13, (list) => [ext(tls13, 'extended_master_secret'), ...list]),
    path: 'client_hello.extensions.extended_master_secret',
  },
  extension_not_allowed: {
    hello: put(tls13, 'oid_filters', Uint8Array.of(0, 0)),
    path: 'client_hello.extensions.oid_filters',
  },
  psk_not_last: {
    hello: withExtensions(tls13, (list) => [psk(1), ...list]),
    path: 'client_hello.extensions.pre_shared_key',
  },
  psk_without_modes: {
    hello: append(remove(tls13, 'psk_key_exchange_modes'), psk(1)),
    path: 'client_hello.extensions.psk_key_exchange_modes',
  },
  psk_binders_mismatch: {
    hello: append(tls13, psk(2)),
    path: 'client_hello.extensions.pre_shared_key.binders',
  },
  early_data_without_psk: {
    hello: put(tls13, 'early_data', new Uint8Array(0)),
    path: 'client_hello.extensions.early_data',
  },
  sni_not_hostname: {
    hello: put(tls13, 'server_name', hostNames({ nameType: 0, hostName: 'hellokit.test.' })),
    path: 'client_hello.extensions.server_name.server_name_list[0].host_name',
  },
  sni_ip_literal: {
    hello: put(tls13, 'server_name', hostNames({ nameType: 0, hostName: '192.0.2.1' })),
    path: 'client_hello.extensions.server_name.server_name_list[0].host_name',
  },
  sni_multiple_names: {
    hello: put(
      tls13,
      'server_name',
      hostNames({ nameType: 0, hostName: 'a.test' }, { nameType: 0, hostName: 'b.test' }),
    ),
    path: 'client_hello.extensions.server_name.server_name_list[1]',
  },
  sni_unknown_name_type: {
    hello: put(
      tls13,
      'server_name',
      hostNames({ nameType: 0, hostName: 'a.test' }, { nameType: 1, name: Uint8Array.of(1, 2) }),
    ),
    path: 'client_hello.extensions.server_name.server_name_list[1].name_type',
  },
  alpn_empty_protocol: {
    // protocol_name_list: "" then "h2".
    hello: put(tls13, 'application_layer_protocol_negotiation', fromHex('0004 00 026832')),
    path: 'client_hello.extensions.application_layer_protocol_negotiation.protocol_name_list[0].protocol_name',
  },
  grease_misplaced: { hello: { ...tls13, legacyVersion: 0x0a0a }, path: 'client_hello.legacy_version' },
  padding_nonzero: {
    hello: put(tls13, 'padding', Uint8Array.of(0, 1, 0)),
    path: 'client_hello.extensions.padding',
  },
  ec_point_formats_without_uncompressed: {
    hello: put(tls13, 'ec_point_formats', Uint8Array.of(1, 1)),
    path: 'client_hello.extensions.ec_point_formats.ec_point_format_list',
  },
  ecc_suites_without_supported_groups: { hello: remove(tls12, 'supported_groups') },
  extended_master_secret_missing: { hello: remove(tls12, 'extended_master_secret') },
  renegotiation_info_missing: {
    hello: { ...tls12, cipherSuites: tls12.cipherSuites.filter((c) => c !== 0x00ff) },
    path: 'client_hello.extensions.renegotiation_info',
  },
  ech_without_tls13: {
    hello: put(tls12, 'encrypted_client_hello', ext(tls13, 'encrypted_client_hello').body),
  },
  ech_outer_extensions_in_outer: { hello: put(tls13, 'ech_outer_extensions', { outerExtensions: [10, 13] }) },
  invalid_value: {
    hello: put(tls13, 'max_fragment_length', Uint8Array.of(7)),
    path: 'client_hello.extensions.max_fragment_length',
  },
};

const rules = (problems: readonly LintProblem[], severity: 'error' | 'warning') =>
  [...new Set(problems.filter((p) => p.severity === severity).map((p) => p.rule))].sort();

describe('every rule has a hello that breaks exactly that rule', () => {
  it('the two captured hellos the cases start from lint clean', () => {
    expect(validateClientHello(tls13)).toEqual([]);
    expect(validateClientHello(tls12)).toEqual([]);
  });

  for (const id of Object.keys(CASES) as LintRuleId[]) {
    const rule = LINT_RULES[id];
    it(`${id} (${rule.severity}, ${rule.rfc})`, () => {
      const { hello, path } = CASES[id];
      const problems = validateClientHello(hello);
      const mine = problems.filter((p) => p.rule === id);
      expect(mine.length, JSON.stringify(problems)).toBeGreaterThan(0);
      for (const p of mine) expect(p).toMatchObject({ severity: rule.severity, rfc: rule.rfc });
      expect(rules(problems, 'error'), JSON.stringify(problems)).toEqual(
        rule.severity === 'error' ? [id] : [],
      );
      if (path !== undefined) expect(mine.map((p) => p.path)).toContain(path);
    });
  }
});

describe('problemsNotForged', () => {
  const problems = validateClientHello(CASES.key_share_not_in_groups.hello);

  it('drops a problem whose path starts with a forged field at a . or [ boundary', () => {
    expect(problems.map((p) => p.rule)).toEqual(['key_share_not_in_groups']);
    expect(problemsNotForged(problems, ['client_hello.extensions.key_share'])).toEqual([]);
    expect(problemsNotForged(problems, ['client_hello.extensions.key_share.client_shares'])).toEqual([]);
    expect(problemsNotForged(problems, [problems[0].path])).toEqual([]);
  });

  it('keeps it when the forged path only shares a prefix of characters, or is another field', () => {
    expect(problemsNotForged(problems, ['client_hello.extensions.key'])).toEqual(problems);
    expect(
      problemsNotForged(problems, ['client_hello.extensions.key_share.client_shares[2].group_x']),
    ).toEqual(problems);
    expect(problemsNotForged(problems, ['client_hello.cipher_suites'])).toEqual(problems);
  });
});

describe('hellos whose lengths do not add up', () => {
  const bytes = encodeClientHello(tls13);

  it('a record length that overshoots is one length_mismatch at record.length, and the rest is still checked', () => {
    const forged = bytes.slice();
    forged[4] += 9;
    const problems = validateClientHello(forged);
    expect(problems.map((p) => [p.rule, p.path])).toEqual([['length_mismatch', 'record.length']]);
    const withSni = encodeClientHello(
      put(tls13, 'server_name', hostNames({ nameType: 0, hostName: '10.0.0.1' })),
    );
    withSni[4] += 9;
    expect(
      validateClientHello(withSni)
        .map((p) => p.rule)
        .sort(),
    ).toEqual(['length_mismatch', 'sni_ip_literal']);
  });

  it('a record length that falls short is one length_mismatch at record.length', () => {
    const forged = bytes.slice();
    forged[4] -= 5;
    expect(validateClientHello(forged).map((p) => [p.rule, p.path])).toEqual([
      ['length_mismatch', 'record.length'],
    ]);
  });

  it('a handshake length that disagrees is one length_mismatch at client_hello.length', () => {
    const forged = bytes.slice();
    forged[8] += 3;
    expect(validateClientHello(forged).map((p) => [p.rule, p.path])).toEqual([
      ['length_mismatch', 'client_hello.length'],
    ]);
  });

  it("an extension's length that runs past the block names the extension", () => {
    const forged = {
      ...tls13,
      extensions: tls13.extensions!.map((e, i) => (i === 0 ? { ...e, lengthOverride: 400 } : e)),
    };
    expect(validateClientHello(forged).map((p) => [p.rule, p.path])).toEqual([
      ['length_mismatch', 'client_hello.extensions.server_name'],
    ]);
  });

  it('bytes that are not a ClientHello are an error to the caller', () => {
    expect(() => validateClientHello(fromHex('160303000502000001ff'))).toThrow(/client_hello/);
    expect(() => validateClientHello(new TextEncoder().encode('GET / HTTP/1.1\r\n'))).toThrow(/not TLS/);
  });
});
