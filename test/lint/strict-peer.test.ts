/**
 * What an `error` means, shown on a strict real server: `openssl s_server -groups P-384`
 * refuses the hello of issue 12 — key shares for x25519 and secp256r1 while supported_groups
 * offers x25519 and secp384r1 — with illegal_parameter, and lint names the broken rule. The
 * same hello with the groups and shares in step gets a HelloRetryRequest for secp384r1 and
 * a handshake.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { clientHello } from '../../src/builder/client-hello.ts';
import { unforgedHelloProblems } from '../../src/cli/hello-problems.ts';
import { makeExtension } from '../../src/extensions/block.ts';
import { problemsNotForged, validateClientHello } from '../../src/lint/index.ts';
import { probe } from '../../src/node/probe.ts';
import type { HelloWithKeyShares } from '../../src/node/probe-types.ts';
import { describePeer, type Peer, startPeer, stopAll } from '../peers/index.ts';

const NAME = 'hellokit.test';
const X25519 = 0x001d;
const SECP384R1 = 0x0018;

/** A clean hello (shares x25519 and secp256r1), then supported_groups narrowed to x25519 and secp384r1. */
function mismatched(): HelloWithKeyShares {
  const hello = clientHello({ serverName: NAME, keyShares: ['x25519', 'secp256r1'], seed: 12 });
  return {
    ...hello,
    extensions: hello.extensions!.map((e) =>
      e.type === 10 ? makeExtension('supported_groups', { namedGroupList: [X25519, SECP384R1] }) : e,
    ),
  };
}

describePeer('openssl', () => {
  let peer: Peer;
  beforeAll(async () => {
    peer = await startPeer('openssl', { names: [NAME], groups: ['secp384r1'] });
  });
  afterAll(stopAll);

  it('a key share for a group the hello does not offer: lint error, and OpenSSL says illegal_parameter', async () => {
    const hello = mismatched();
    expect(validateClientHello(hello).map((p) => [p.severity, p.rule, p.path])).toEqual([
      ['error', 'key_share_not_in_groups', 'client_hello.extensions.key_share.client_shares[1].group'],
    ]);
    const result = await probe(`${peer.host}:${peer.port}`, { hello, timeoutMs: 10_000 });
    expect(result.outcome).toBe('alert');
    expect(result.alert?.name).toBe('illegal_parameter');
  });

  it('the same hello with groups and shares in step lints clean and completes after a HelloRetryRequest', async () => {
    const hello = clientHello({
      serverName: NAME,
      groups: ['x25519', 'secp384r1'],
      keyShares: ['x25519'],
      seed: 12,
    });
    expect(validateClientHello(hello)).toEqual([]);
    const result = await probe(`${peer.host}:${peer.port}`, { hello, timeoutMs: 10_000 });
    expect(result.outcome).toBe('server_hello');
    expect(result.serverHello?.group).toBe(SECP384R1);
  });
});

it('a problem about a field the builder lists as forged is not reported before sending', () => {
  const hello = mismatched();
  const forged = {
    ...hello,
    forged: ['client_hello.extensions.supported_groups', 'client_hello.extensions.key_share'],
  };
  expect(unforgedHelloProblems(hello).map((p) => p.rule)).toEqual(['key_share_not_in_groups']);
  expect(unforgedHelloProblems(forged)).toEqual([]);
  expect(
    problemsNotForged(validateClientHello(hello), ['client_hello.extensions.supported_groups']),
  ).toHaveLength(1);
});
