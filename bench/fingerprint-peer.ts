/**
 * hellokit's JA4 and JA3 against read-tls-client-hello, the only JavaScript package found
 * that reads a ClientHello and computes JA4 (and JA3), on the same rotation of fixture hellos
 * (bench/fixture-hellos.ts) in the same run. The peer reads a hello from a Node stream only
 * (it is made to read a socket's first record), so each of its calls gets a fresh `Readable`
 * holding the bytes; that is part of what it costs a caller who has the bytes. Its
 * fingerprints are checked equal to hellokit's for every hello before timing. hellokit's rows
 * are run with its digest memo off and on (bench/fingerprint.ts).
 */
import { Readable } from 'node:stream';
import { calculateJa3, calculateJa4, readTlsClientHello } from 'read-tls-client-hello';
import { setDigestMemo } from '../src/fingerprint/digest.ts';
import { ja3 } from '../src/fingerprint/ja3.ts';
import { ja4 } from '../src/fingerprint/ja4.ts';
import { parseClientHello } from '../src/handshake/client-hello.ts';
import { fixtureHellos, rotation } from './fixture-hellos.ts';
import { formatResult, measurePeer } from './measure.ts';

/** Runs the peer comparison: hellokit's row, the peer's, and how many times faster hellokit is. */
export async function benchFingerprintPeer(minMillis = 1000): Promise<string[]> {
  const hellos = fixtureHellos();
  const buffers = hellos.map((b) => Buffer.from(b));
  const read = async (i: number) => {
    const stream = new Readable({ read() {} });
    stream.push(buffers[i]);
    const hello = await readTlsClientHello(stream);
    stream.destroy();
    return hello;
  };
  for (let i = 0; i < hellos.length; i++) {
    const peerJa4 = calculateJa4(await read(i));
    const peerJa3 = calculateJa3(await read(i));
    if (peerJa4 !== ja4(hellos[i]) || peerJa3 !== ja3(hellos[i])) {
      throw new Error(
        `read-tls-client-hello disagrees on hello ${i}: ${peerJa4} ${peerJa3} vs ${ja4(hellos[i])} ${ja3(hellos[i])}`,
      );
    }
  }
  let kept: unknown = null;
  // Each side steps through the same hellos on its own.
  const ours = (fn: (bytes: Uint8Array) => unknown) => {
    const next = rotation(hellos.length);
    return (): void => {
      kept = fn(hellos[next()]);
    };
  };
  const theirs = (fn: (hello: Awaited<ReturnType<typeof readTlsClientHello>>) => unknown) => {
    const next = rotation(hellos.length);
    return async () => (kept = fn(await read(next())));
  };
  const PEER_JA4 = 'read-tls-client-hello: read + calculateJa4';
  const PEER_JA3 = 'read-tls-client-hello: read + calculateJa3';
  const rows: [string, () => void, string, () => Promise<unknown>][] = [
    ['JA4 from the bytes, ja4(bytes)', ours(ja4), PEER_JA4, theirs(calculateJa4)],
    ['typed decode + JA4', ours((b) => ja4(parseClientHello(b))), PEER_JA4, theirs(calculateJa4)],
    ['JA3 from the bytes, ja3(bytes)', ours(ja3), PEER_JA3, theirs(calculateJa3)],
    ['typed decode + JA3', ours((b) => ja3(parseClientHello(b))), PEER_JA3, theirs(calculateJa3)],
  ];
  const lines: string[] = [`peer: ${hellos.length} fixture hellos in rotation, the same for both sides`];
  // hellokit's rows without its digest memo (every text hashed), then with it.
  for (const [row, fn, peerName, peer] of rows)
    for (const memo of [false, true]) {
      setDigestMemo(memo);
      const name = `${row}, ${memo ? 'memo' : 'no memo'}`;
      const r = await measurePeer(name, fn, peerName, peer, minMillis);
      lines.push(
        formatResult('peer', r.result),
        formatResult('peer', r.peer),
        `peer: ${name} is ${r.speedup.toFixed(0)}x read-tls-client-hello (aim: at least 50x)${kept === undefined ? '' : ''}`,
      );
    }
  setDigestMemo(true);
  return lines;
}
