/**
 * The engine replays a real server's flight. Each test records once what openssl s_server on
 * loopback answered a probe (the received records of `result.transcript`, the server's bytes as
 * they came), then feeds exactly those bytes to a fresh engine for the same ClientHello: in one
 * chunk, one byte at a time, and in uneven chunks. Every feeding must give the same ProbeResult,
 * the same bytes to send, and the same path through the states, and agree with the live probe.
 * After a HelloRetryRequest the second ClientHello's key share comes from a seeded random
 * source, so the replaying engine sends the same second hello the server answered.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { clientHello } from '../../src/builder/client-hello.ts';
import { concatBytes } from '../../src/bytes/hex.ts';
import { seededRandom } from '../../src/crypto/random.ts';
import { probe } from '../../src/node/probe.ts';
import { ProbeEngine, type ProbeStateName } from '../../src/probe/engine.ts';
import { engineOptionsFrom, probeResult } from '../../src/probe/session.ts';
import type { HelloWithKeyShares, ProbeResult } from '../../src/probe/types.ts';
import { describePeer, type Peer, startPeer, stopAll } from '../peers/index.ts';
import { TLS13_CERTIFICATE_PATH } from './state-paths.ts';

afterAll(stopAll);

const NAME = 'hellokit.test';
const TIMINGS = { connectMs: 0, firstByteMs: 0, totalMs: 0 };

/** What a replay gives: the result (raw DER certificates), the bytes the engine sent, the states it entered. */
interface Replay {
  readonly result: ProbeResult<Uint8Array>;
  readonly sent: Uint8Array[];
  readonly states: ProbeStateName[];
}

/** The server's bytes of a live probe: its received records, concatenated in order. */
function serverBytes(r: ProbeResult): Uint8Array {
  return concatBytes(...r.transcript.filter((t) => t.direction === 'received').map((t) => t.bytes));
}

/** Feeds `bytes` in the chunks `cut` gives to a new engine for `hello`, as probe() would set it up. */
async function replay(
  hello: HelloWithKeyShares,
  seed: string,
  bytes: Uint8Array,
  cut: (at: number) => number,
): Promise<Replay> {
  const options = { hello, random: seededRandom(seed) };
  const engine = new ProbeEngine(hello, hello.keyShares ?? [], engineOptionsFrom(options, 1 << 20, false));
  const sent: Uint8Array[] = [];
  const states: ProbeStateName[] = [engine.stateName];
  for (let at = 0; at < bytes.length && !engine.done; ) {
    const end = Math.min(bytes.length, at + cut(at));
    const step = engine.receive(bytes.subarray(at, end), 0);
    sent.push(...step.send);
    for (const e of step.events) if (e.kind === 'state') states.push(e.state);
    at = end;
  }
  // The live probe's server was still connected; here the bytes simply run out.
  engine.stop('closed');
  if (states.at(-1) !== engine.stateName) states.push(engine.stateName);
  const chain = await engine.certificates();
  return {
    result: probeResult(engine, engine.stopReason!, { host: '', port: 0 }, TIMINGS, chain),
    sent,
    states,
  };
}

/** Records the server's answer to `hello`, replays it three ways, and checks that they agree. */
async function recordAndReplay(peer: Peer, hello: HelloWithKeyShares, seed: string) {
  const live = await probe(`${peer.host}:${peer.port}`, {
    hello,
    random: seededRandom(seed),
    timeoutMs: 5000,
  });
  const bytes = serverBytes(live);
  expect(bytes.length).toBeGreaterThan(500);
  const whole = await replay(hello, seed, bytes, () => bytes.length);
  const byByte = await replay(hello, seed, bytes, () => 1);
  const uneven = await replay(hello, seed, bytes, (at) => 1 + (at % 7) * 13);
  for (const other of [byByte, uneven]) {
    expect(other.result).toEqual(whole.result);
    expect(other.sent).toEqual(whole.sent);
    expect(other.states).toEqual(whole.states);
  }
  // The replay reads what the live probe read, and answers what it answered.
  const r = whole.result;
  expect(r.stopReason).toBe(live.stopReason);
  expect(r.serverHello).toEqual(live.serverHello);
  expect(r.serverMessages).toEqual(live.serverMessages);
  expect(r.finishedVerified).toBe(live.finishedVerified);
  expect(r.violations).toEqual(live.violations);
  const liveSent = live.transcript.filter((t) => t.direction === 'sent').map((t) => t.bytes);
  expect(concatBytes(...whole.sent)).toEqual(concatBytes(...liveSent.slice(1)));
  expect(r.certificates.length).toBe(live.certificates.length);
  return { live, replayed: whole };
}

describePeer('openssl', () => {
  let peer: Peer;
  let p384Only: Peer;
  beforeAll(async () => {
    [peer, p384Only] = await Promise.all([
      startPeer('openssl', { names: [NAME] }),
      startPeer('openssl', { names: [NAME], groups: ['P-384'] }),
    ]);
  });

  test('a TLS 1.3 flight replayed byte by byte decrypts, verifies and walks every encrypted state', async () => {
    const hello = clientHello({ serverName: NAME, tls: '1.3', seed: 'replay-13' });
    const { replayed } = await recordAndReplay(peer, hello, 'replay-13');
    expect(replayed.result.finishedVerified).toBe(true);
    expect(replayed.result.stopReason).toBe('complete');
    expect(replayed.states).toEqual(TLS13_CERTIFICATE_PATH);
  });

  test('a HelloRetryRequest replayed: the same second ClientHello goes out and the flight after it verifies', async () => {
    const hello = clientHello({
      serverName: NAME,
      tls: '1.3',
      groups: ['x25519', 'secp384r1'],
      keyShares: ['x25519'],
      seed: 'replay-hrr',
    });
    const { live, replayed } = await recordAndReplay(p384Only, hello, 'replay-hrr');
    expect(live.retried).toBe(true);
    expect(replayed.result.retried).toBe(true);
    expect(replayed.result.helloRetryRequest?.selectedGroupName).toBe('secp384r1');
    expect(replayed.sent.length).toBeGreaterThan(0);
    expect(replayed.result.finishedVerified).toBe(true);
    expect(replayed.states.slice(0, 3)).toEqual([
      'ExpectServerHello',
      'ExpectServerHello',
      'ExpectEncryptedExtensions',
    ]);
  });

  test('a TLS 1.2 flight replayed in any chunking walks Certificate, ServerKeyExchange, ServerHelloDone', async () => {
    const hello = clientHello({ serverName: NAME, tls: '1.2', seed: 'replay-12' });
    const { replayed } = await recordAndReplay(peer, hello, 'replay-12');
    expect(replayed.result.stopReason).toBe('complete');
    expect(replayed.result.serverKeyExchange?.kind).toBe('ecdhe');
    expect(replayed.result.certificates[0]?.[0]).toBe(0x30);
    expect(replayed.states).toEqual([
      'ExpectServerHello',
      'ExpectServerCertificate',
      'ExpectServerKeyExchange',
      'ExpectServerHelloDone',
      'Done',
    ]);
  });

  test('a flight cut short is read as far as it goes, the same in every chunking', async () => {
    const hello = clientHello({ serverName: NAME, tls: '1.3', seed: 'replay-cut' });
    const live = await probe(`${peer.host}:${peer.port}`, { hello, timeoutMs: 5000 });
    const bytes = serverBytes(live);
    const cut = bytes.subarray(0, bytes.length - 40);
    const whole = await replay(hello, 'replay-cut', cut, () => cut.length);
    const byByte = await replay(hello, 'replay-cut', cut, () => 1);
    expect(byByte.result).toEqual(whole.result);
    expect(whole.result.stopReason).toBe('closed');
    expect(whole.result.finishedVerified).toBe(false);
    expect(whole.states.at(-1)).toBe('Done');
    expect(whole.states).toContain('ExpectFinished');
  });
});
