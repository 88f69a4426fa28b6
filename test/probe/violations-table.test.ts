/**
 * docs/violations.md and the rule table say the same thing: every rule once, with the RFC
 * section and the abort alert of its rows in src/probe/violations.ts.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { clientHello } from '../../src/builder/client-hello.ts';
import {
  encodeServerHello,
  HELLO_RETRY_REQUEST_RANDOM,
  parseServerHello,
  type ServerHello,
} from '../../src/handshake/server-hello.ts';
import type { ClientHello } from '../../src/handshake/types.ts';
import { checkConformance, VIOLATION_RULE_IDS, VIOLATION_RULES } from '../../src/probe/index.ts';

const DOC = readFileSync(new URL('../../docs/violations.md', import.meta.url), 'utf8');

/** The rows of the doc's rule table: rule id → [RFC column, abort column]. */
function documented(): Map<string, [string, string]> {
  const rows = new Map<string, [string, string]>();
  for (const line of DOC.split('\n')) {
    const m = /^\| `([a-z0-9_]+)` \| ([^|]+) \|[^|]+\| ([^|]+) \|$/.exec(line);
    if (m) rows.set(m[1], [m[2].trim(), m[3].trim()]);
  }
  return rows;
}

test('docs/violations.md lists every rule of the table, and only those', () => {
  expect([...documented().keys()].sort()).toEqual([...VIOLATION_RULE_IDS].sort());
});

test("each rule's RFC section and abort alert in the doc are the table's", () => {
  const doc = documented();
  for (const row of VIOLATION_RULES) {
    const [rfc, abort] = doc.get(row.id)!;
    expect(rfc, row.id).toBe(row.rfc);
    if (row.abortWith === null) expect(abort, row.id).toMatch(/^—/);
    else expect(abort, row.id).toBe(`\`${row.abortWith}\``);
  }
});

test('one row per rule: no id appears twice', () => {
  expect(new Set(VIOLATION_RULE_IDS).size).toBe(VIOLATION_RULES.length);
});

describe('answers the RFCs allow are not violations', () => {
  const serverHello = (edit: Partial<ServerHello>): ServerHello =>
    parseServerHello(
      encodeServerHello({
        type: 'server_hello',
        legacyVersion: 0x0303,
        random: new Uint8Array(32).fill(5),
        legacySessionIdEcho: new Uint8Array(0),
        cipherSuite: 0xc02f,
        legacyCompressionMethod: 0,
        extensions: [],
        helloRetryRequest: false,
        downgrade: null,
        version: 0x0303,
        ...edit,
      }),
    );
  const check = (hello: ClientHello, message: ServerHello) =>
    checkConformance({ kind: 'server_hello', hello, message, previousRetry: null, keyShares: [] }, false)
      .violations;

  test('renegotiation_info answering only the SCSV (RFC 5746 §3.6) is solicited', () => {
    const hello = clientHello({
      tls: '1.2',
      removeExtensions: ['renegotiation_info'],
      cipherSuites: ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 0x00ff],
    });
    expect(check(hello, serverHello({ extensions: [{ type: 0xff01, body: Uint8Array.of(0) }] }))).toEqual([]);
    // without the SCSV the same answer is unsolicited
    const bare = clientHello({ tls: '1.2', removeExtensions: ['renegotiation_info'] });
    expect(
      check(bare, serverHello({ extensions: [{ type: 0xff01, body: Uint8Array.of(0) }] })).map((v) => v.rule),
    ).toEqual(['unsolicited_extension']);
  });

  test('a cookie in a HelloRetryRequest is the one extension a server may send unasked', () => {
    const hello = clientHello({ groups: ['x25519', 'secp256r1'], keyShares: ['x25519'] });
    const hrr = serverHello({
      random: HELLO_RETRY_REQUEST_RANDOM,
      cipherSuite: 0x1301,
      legacySessionIdEcho: hello.legacySessionId,
      extensions: [
        { type: 43, body: Uint8Array.of(3, 4) },
        { type: 44, body: Uint8Array.of(0, 3, 1, 2, 3) },
      ],
    });
    expect(check(hello, hrr)).toEqual([]);
  });

  test('TLS 1.2 may pick a compression method the hello offered', () => {
    const hello = clientHello({ tls: '1.2', compressionMethods: [1, 0] });
    expect(check(hello, serverHello({ legacyCompressionMethod: 1 }))).toEqual([]);
    expect(
      check(clientHello({ tls: '1.2' }), serverHello({ legacyCompressionMethod: 1 })).map((v) => v.rule),
    ).toEqual(['compression_not_null']);
  });
});
