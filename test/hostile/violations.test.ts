/**
 * The violation catalogue: one scripted server per rule of src/probe/violations.ts, each
 * breaking exactly that rule, and probe() must name that rule and nothing else. Where the
 * RFC has the client abort, the server must also receive the alert the rule names (decrypted
 * with the client handshake key after a TLS 1.3 ServerHello); with abortOnViolation false
 * the probe reads on and still reports the one rule.
 *
 * These servers are fakes on purpose (test/hostile/tls-responder.ts): no real server
 * software violates these rules, so no real peer can show them. test/node/probe-peers.test.ts
 * checks the other side: real servers get no violation reported.
 */
import { afterAll, describe, expect, test } from 'vitest';
import { type ClientHelloOptions, clientHello } from '../../src/builder/client-hello.ts';
import type { CommandIO } from '../../src/cli/command.ts';
import { probeStory } from '../../src/cli/commands/probe.ts';
import { runCli } from '../../src/cli/main.ts';
import { generateKeyShare } from '../../src/crypto/key-share.ts';
import { ALERT } from '../../src/iana/alerts.ts';
import { type ProbeResult, probe } from '../../src/node/index.ts';
import { VIOLATION_RULE_IDS, type ViolationRuleId } from '../../src/probe/violations.ts';
import {
  alpnSelecting,
  DOWNGRADED_RANDOM,
  type Exchange,
  ext,
  type Responder,
  retryKeyShare,
  type Scenario,
  selectedVersion,
  serverKeyShare,
  startResponder,
  tlsRecord,
} from './tls-responder.ts';

const responders: Responder[] = [];
afterAll(async () => {
  await Promise.all(responders.map((r) => r.close()));
});

const TLS13: ClientHelloOptions = {
  serverName: null,
  groups: ['x25519', 'secp256r1', 'secp384r1'],
  keyShares: ['x25519'],
  alpn: ['http/1.1'],
};
const TLS12: ClientHelloOptions = { serverName: null, tls: '1.2', alpn: ['http/1.1'] };

interface Case {
  readonly rule: ViolationRuleId;
  /** What the server does, for the test name. */
  readonly does: string;
  readonly hello: ClientHelloOptions;
  readonly scenario: Scenario;
  /** The alert the probe must send when it aborts; null when the rule does not abort. */
  readonly alert: keyof typeof ALERT | null;
  /** The alert goes out encrypted (after the TLS 1.3 ServerHello). */
  readonly encrypted?: boolean;
  /** Also run with abortOnViolation false (the server then finishes a valid handshake). */
  readonly readOn: boolean;
}

const hrr13 = (group: number) => [selectedVersion(0x0304), retryKeyShare(group)];

const CASES: readonly Case[] = [
  {
    rule: 'hrr_not_tls13',
    does: 'sends a HelloRetryRequest to a TLS 1.2-only hello',
    hello: TLS12,
    scenario: (x) => x.helloRetryRequest(hrr13(0x0017)),
    alert: 'illegal_parameter',
    readOn: false,
  },
  {
    rule: 'second_hrr',
    does: 'answers the second ClientHello with another HelloRetryRequest',
    hello: TLS13,
    scenario: (x, n) => x.helloRetryRequest(hrr13(n === 0 ? 0x0017 : 0x0018)),
    alert: 'unexpected_message',
    readOn: true,
  },
  {
    rule: 'hrr_changes_nothing',
    does: 'sends a HelloRetryRequest with neither key_share nor cookie',
    hello: TLS13,
    scenario: (x, n) => (n === 0 ? x.helloRetryRequest([selectedVersion(0x0304)]) : x.tls13Flight()),
    alert: 'illegal_parameter',
    readOn: true,
  },
  {
    rule: 'hrr_group_not_offered',
    does: 'asks for an ffdhe2048 share the hello never listed',
    hello: TLS13,
    scenario: (x, n) => (n === 0 ? x.helloRetryRequest(hrr13(0x0100)) : x.tls13Flight({ group: 0x0100 })),
    alert: 'illegal_parameter',
    readOn: true,
  },
  {
    rule: 'hrr_group_already_shared',
    does: 'asks for the x25519 share the hello already carried',
    hello: TLS13,
    scenario: (x, n) => (n === 0 ? x.helloRetryRequest(hrr13(0x001d)) : x.tls13Flight()),
    alert: 'illegal_parameter',
    readOn: true,
  },
  {
    rule: 'server_hello_version_not_offered',
    does: 'picks TLS 1.1 when the hello offered only TLS 1.2',
    hello: { serverName: null, versions: ['TLS 1.2'], alpn: ['http/1.1'] },
    scenario: (x) => x.tls12Flight({ legacyVersion: 0x0302, version: 0x0302 }),
    alert: 'illegal_parameter',
    readOn: true,
  },
  {
    rule: 'server_hello_suite_not_offered',
    does: 'picks a cipher suite the hello did not offer',
    hello: { ...TLS12, cipherSuites: ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'] },
    scenario: (x) => x.tls12Flight({ cipherSuite: 0xc030 }),
    alert: 'illegal_parameter',
    readOn: true,
  },
  {
    rule: 'session_id_not_echoed',
    does: 'echoes no session id in TLS 1.3',
    hello: TLS13,
    scenario: (x) => x.tls13Flight({ edit: { legacySessionIdEcho: new Uint8Array(0) } }),
    alert: 'illegal_parameter',
    readOn: true,
  },
  {
    rule: 'compression_not_null',
    does: 'picks DEFLATE compression the hello did not offer',
    hello: TLS12,
    scenario: (x) => x.tls12Flight({ legacyCompressionMethod: 1 }),
    alert: 'illegal_parameter',
    readOn: true,
  },
  {
    rule: 'downgrade_sentinel',
    does: 'answers a TLS 1.3 hello in TLS 1.2 with the DOWNGRD sentinel',
    hello: TLS13,
    scenario: (x) =>
      x.tls12Flight({ random: DOWNGRADED_RANDOM, extensions: [ext(0xff01, Uint8Array.of(0))] }),
    alert: 'illegal_parameter',
    readOn: true,
  },
  {
    rule: 'unsolicited_extension',
    does: 'puts an extension the hello did not send in its TLS 1.2 ServerHello',
    hello: TLS12,
    scenario: (x) => x.tls12Flight({ extensions: [ext(0x1234)] }),
    alert: 'unsupported_extension',
    readOn: true,
  },
  {
    rule: 'unsolicited_extension',
    does: 'puts an extension the hello did not send in EncryptedExtensions',
    hello: TLS13,
    scenario: (x) => x.tls13Flight({ encryptedExtensions: [ext(0x1234)] }),
    alert: 'unsupported_extension',
    encrypted: true,
    readOn: true,
  },
  {
    rule: 'extension_in_wrong_message',
    does: 'puts ALPN in its TLS 1.3 ServerHello instead of EncryptedExtensions',
    hello: TLS13,
    scenario: (x) => x.tls13Flight({ serverHelloExtensions: [alpnSelecting('http/1.1')] }),
    alert: 'illegal_parameter',
    readOn: true,
  },
  {
    rule: 'extension_in_wrong_message',
    does: 'puts ec_point_formats in EncryptedExtensions',
    hello: TLS13,
    scenario: (x) => x.tls13Flight({ encryptedExtensions: [ext(11, Uint8Array.of(1, 0))] }),
    alert: 'illegal_parameter',
    encrypted: true,
    readOn: true,
  },
  {
    rule: 'duplicate_extension',
    does: 'sends extended_master_secret twice',
    hello: TLS12,
    scenario: (x) => x.tls12Flight({ extensions: [ext(23), ext(23)] }),
    alert: 'illegal_parameter',
    readOn: true,
  },
  {
    rule: 'key_share_group_not_offered',
    does: 'answers with a secp256r1 share when the hello shared only x25519',
    hello: TLS13,
    scenario: (x) => x.tls13Flight({ share: serverKeyShare(0x0017, generateKeyShare(0x0017).keyExchange) }),
    alert: 'illegal_parameter',
    readOn: true,
  },
  {
    rule: 'invalid_key_share',
    does: 'answers with an all-zero x25519 share',
    hello: TLS13,
    scenario: (x) => x.tls13Flight({ share: serverKeyShare(0x001d, new Uint8Array(32)) }),
    alert: 'illegal_parameter',
    readOn: true,
  },
  {
    rule: 'invalid_key_share',
    does: 'answers with a secp256r1 point that is not on the curve',
    hello: { ...TLS13, keyShares: ['secp256r1'] },
    scenario: (x) => {
      const point = new Uint8Array(65);
      point[0] = 4;
      point[64] = 1;
      return x.tls13Flight({ group: 0x0017, share: serverKeyShare(0x0017, point) });
    },
    alert: 'illegal_parameter',
    readOn: true,
  },
  {
    rule: 'renegotiation_info_mismatch',
    does: 'sends renegotiated_connection bytes on an initial handshake',
    hello: TLS12,
    scenario: (x) =>
      x.tls12Flight({ extensions: [ext(0xff01, Uint8Array.of(12, ...new Uint8Array(12).fill(7)))] }),
    alert: 'handshake_failure',
    readOn: true,
  },
  {
    rule: 'alpn_not_offered',
    does: 'selects ALPN h2 in TLS 1.2 when the hello offered only http/1.1',
    hello: TLS12,
    scenario: (x) => x.tls12Flight({ extensions: [alpnSelecting('h2')] }),
    alert: 'unsupported_extension',
    readOn: true,
  },
  {
    rule: 'alpn_not_offered',
    does: 'selects ALPN h2 in EncryptedExtensions when the hello offered only http/1.1',
    hello: TLS13,
    scenario: (x) => x.tls13Flight({ encryptedExtensions: [alpnSelecting('h2')] }),
    alert: 'unsupported_extension',
    encrypted: true,
    readOn: true,
  },
  {
    rule: 'alert_after_close_notify',
    does: 'sends a fatal alert after its close_notify',
    hello: TLS12,
    scenario: () =>
      Uint8Array.from([...tlsRecord(21, Uint8Array.of(1, 0)), ...tlsRecord(21, Uint8Array.of(2, 40))]),
    alert: null,
    readOn: true,
  },
  {
    rule: 'stalled_after_server_hello',
    does: 'sends its ServerHello and then nothing',
    hello: TLS12,
    scenario: (x) => {
      const flight = x.tls12Flight({ extensions: [ext(0xff01, Uint8Array.of(0))] });
      return flight.subarray(0, 5 + ((flight[3] << 8) | flight[4])); // the ServerHello record alone
    },
    alert: null,
    readOn: true,
  },
];

async function run(c: Case, abortOnViolation: boolean): Promise<{ r: ProbeResult; x: Exchange }> {
  const server = await startResponder(c.scenario);
  responders.push(server);
  const r = await probe(server.target, {
    hello: c.hello,
    abortOnViolation,
    timeoutMs: 4000,
    idleTimeoutMs: 700,
  });
  // the client's alert may trail the probe's end by a moment on a loaded machine
  for (let i = 0; i < 20 && c.alert && abortOnViolation && server.exchange().clientAlerts.length === 0; i++)
    await new Promise((done) => setTimeout(done, 25));
  return { r, x: server.exchange() };
}

describe('the violation catalogue: one hostile server per rule', () => {
  test('every rule of the table has a server here', () => {
    expect(new Set(CASES.map((c) => c.rule))).toEqual(new Set(VIOLATION_RULE_IDS));
  });

  for (const c of CASES) {
    test(`${c.rule}: a server that ${c.does}`, async () => {
      const { r, x } = await run(c, true);
      expect(
        r.violations.map((v) => v.rule),
        r.conclusion,
      ).toEqual([c.rule]);
      const [v] = r.violations;
      expect(v.rfc).toMatch(/^RFC \d+ §/);
      expect(v.message.length).toBeGreaterThan(20);
      expect(r.conclusion.length).toBeLessThan(300);
      if (c.alert === null) {
        expect(r.abort).toBeUndefined();
        expect(x.clientAlerts).toEqual([]);
        expect(r.conclusion).toContain(c.rule);
        return;
      }
      expect(r.stopReason).toBe('violation');
      expect(r.abort).toMatchObject({
        rule: c.rule,
        alert: { name: c.alert, encrypted: c.encrypted === true },
      });
      expect(r.conclusion).toContain(`aborted: server violated ${v.rfc} (${c.rule}:`);
      expect(r.conclusion).toContain(`sent alert ${c.alert}`);
      // the server really received that alert, fatal, and encrypted when it had to be
      expect(x.clientAlerts).toEqual([
        { level: 2, description: ALERT[c.alert], encrypted: c.encrypted === true },
      ]);
    });
    if (c.readOn && c.alert !== null)
      test(`${c.rule} with abortOnViolation false: reported, nothing sent, the probe reads on`, async () => {
        const { r, x } = await run(c, false);
        expect(
          r.violations.map((v) => v.rule),
          r.conclusion,
        ).toEqual([c.rule]);
        expect(r.abort).toBeUndefined();
        expect(r.stopReason).not.toBe('violation');
        expect(x.clientAlerts).toEqual([]);
        expect(r.conclusion).toContain(c.rule);
        expect(r.conclusion.length).toBeLessThan(300);
      });
  }
});

describe('the scripted server itself keeps the rules when told to', () => {
  const valid: { name: string; hello: ClientHelloOptions; scenario: Scenario }[] = [
    { name: 'TLS 1.3', hello: TLS13, scenario: (x) => x.tls13Flight() },
    {
      name: 'TLS 1.3 after a HelloRetryRequest',
      hello: TLS13,
      scenario: (x, n) => (n === 0 ? x.helloRetryRequest(hrr13(0x0017)) : x.tls13Flight({ group: 0x0017 })),
    },
    {
      name: 'TLS 1.2',
      hello: TLS12,
      scenario: (x) => x.tls12Flight({ extensions: [ext(0xff01, Uint8Array.of(0))] }),
    },
  ];
  for (const v of valid)
    test(`${v.name}: a complete handshake with no violation`, async () => {
      const server = await startResponder(v.scenario);
      responders.push(server);
      const r = await probe(server.target, { hello: v.hello, timeoutMs: 4000, idleTimeoutMs: 700 });
      expect(r.stopReason, r.conclusion).toBe('complete');
      expect(r.violations).toEqual([]);
    });
});

describe('what the conclusion and the text output say', () => {
  test('thirty violations read on: the conclusion counts them and stays under 300 characters', async () => {
    const extensions = Array.from({ length: 30 }, (_, i) => ext(0x3000 + i));
    const server = await startResponder((x) => x.tls12Flight({ extensions }));
    responders.push(server);
    const r = await probe(server.target, { hello: TLS12, abortOnViolation: false, timeoutMs: 4000 });
    expect(r.violations).toHaveLength(30);
    expect(r.conclusion).toMatch(/30 RFC violations: unsolicited_extension$/);
    expect(r.conclusion.length).toBeLessThan(300);
  });

  test('a certificate that does not decompress is in the text output, not only in --json', async () => {
    // CompressedCertificate (RFC 8879): zlib, 100 bytes announced, 4 bytes that are not zlib
    const broken = Uint8Array.of(25, 0, 0, 12, 0, 1, 0, 0, 100, 0, 0, 4, 1, 2, 3, 4);
    const server = await startResponder((x) => x.tls13Flight({ beforeFinished: [broken] }));
    responders.push(server);
    const hello = clientHello({ ...TLS13, certificateCompression: [1] });
    const r = await probe(server.target, { hello, timeoutMs: 4000 });
    expect(r.stopReason, r.conclusion).toBe('complete');
    expect(r.error).toMatch(/compressed certificate does not decompress/);
    const text = probeStory(r, hello);
    expect(text).toMatch(/^= .*compressed certificate does not decompress/m);
  });

  test('the CLI: --no-abort reads on, and each violation has its own line', async () => {
    const server = await startResponder((x) => x.tls12Flight({ extensions: [ext(0x1234)] }));
    responders.push(server);
    let out = '';
    const io: CommandIO = {
      out: (t) => {
        out += t;
      },
      err: () => {},
      outBytes: () => {},
      readStdin: async () => new Uint8Array(0),
      isTTY: false,
    };
    expect(await runCli(['probe', server.target, '--tls', '1.2', '--idle-timeout', '700ms'], io)).toBe(0);
    expect(out).toMatch(/^! unsolicited_extension \(RFC 8446 §4\.2\): the ServerHello carries /m);
    expect(out).toMatch(/^→ fatal alert unsupported_extension \(110\): aborted$/m);
    expect(out).toMatch(/stopped: violation/);
    out = '';
    expect(await runCli(['probe', server.target, '--tls', '1.2', '--no-abort', '--json'], io)).toBe(0);
    const json = JSON.parse(out);
    expect(json.stopReason).toBe('complete');
    expect(json.violations).toEqual([
      expect.objectContaining({ rule: 'unsolicited_extension', rfc: 'RFC 8446 §4.2' }),
    ]);
    expect(json.abort).toBeUndefined();
  });
});

describe('a ServerHello followed by a fatal alert is a refusal', () => {
  test('an encrypted no_application_protocol after a TLS 1.3 ServerHello reads as the refusal it is', async () => {
    const server = await startResponder((x) => x.tls13Flight({ after: { alert: 120 } }));
    responders.push(server);
    const r = await probe(server.target, { hello: TLS13, timeoutMs: 4000, idleTimeoutMs: 700 });
    expect(r.alert).toMatchObject({ name: 'no_application_protocol', encrypted: true });
    expect(r.conclusion).toMatch(
      /^the server refused with fatal alert no_application_protocol \(120\), encrypted, after its TLS 1\.3 ServerHello .* no ALPN protocol in common/,
    );
    expect(r.violations).toEqual([]);
  });
});
