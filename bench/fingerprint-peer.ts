/**
 * hellokit's JA4 and JA3 against read-tls-client-hello, the only JavaScript package found
 * that reads a ClientHello and computes JA4 (and JA3), on the same bytes in the same run.
 * The peer reads a hello from a Node stream only (it is made to read a socket's first
 * record), so each of its calls gets a fresh `Readable` holding the bytes; that is part of
 * what it costs a caller who has the bytes. Its fingerprints are checked equal to
 * hellokit's before timing.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { calculateJa3, calculateJa4, readTlsClientHello } from 'read-tls-client-hello';
import { ja3 } from '../src/fingerprint/ja3.ts';
import { ja4 } from '../src/fingerprint/ja4.ts';
import { parseClientHello } from '../src/handshake/client-hello.ts';
import { formatResult, measurePeer } from './measure.ts';

/** Runs the peer comparison: hellokit's row, the peer's, and how many times faster hellokit is. */
export async function benchFingerprintPeer(minMillis = 1000): Promise<string[]> {
  const bytes = new Uint8Array(
    readFileSync(join(process.cwd(), 'fixtures', 'clients', 'chromium-sni-1.bin')),
  );
  const buffer = Buffer.from(bytes);
  const read = async () => {
    const stream = new Readable({ read() {} });
    stream.push(buffer);
    const hello = await readTlsClientHello(stream);
    stream.destroy();
    return hello;
  };
  const peerJa4 = calculateJa4(await read());
  const peerJa3 = calculateJa3(await read());
  if (peerJa4 !== ja4(bytes) || peerJa3 !== ja3(bytes)) {
    throw new Error(`read-tls-client-hello disagrees: ${peerJa4} ${peerJa3} vs ${ja4(bytes)} ${ja3(bytes)}`);
  }
  let kept: unknown = null;
  const rows: [string, () => void, string, () => Promise<unknown>][] = [
    [
      'JA4 from the bytes, ja4(bytes)',
      () => (kept = ja4(bytes)),
      'read-tls-client-hello: read + calculateJa4',
      async () => (kept = calculateJa4(await read())),
    ],
    [
      'typed decode + JA4',
      () => (kept = ja4(parseClientHello(bytes))),
      'read-tls-client-hello: read + calculateJa4',
      async () => (kept = calculateJa4(await read())),
    ],
    [
      'JA3 from the bytes, ja3(bytes)',
      () => (kept = ja3(bytes)),
      'read-tls-client-hello: read + calculateJa3',
      async () => (kept = calculateJa3(await read())),
    ],
    [
      'typed decode + JA3',
      () => (kept = ja3(parseClientHello(bytes))),
      'read-tls-client-hello: read + calculateJa3',
      async () => (kept = calculateJa3(await read())),
    ],
  ];
  const lines: string[] = [];
  for (const [name, fn, peerName, peer] of rows) {
    const r = await measurePeer(name, fn, peerName, peer, minMillis);
    lines.push(
      formatResult('peer', r.result),
      formatResult('peer', r.peer),
      `peer: ${name} is ${r.speedup.toFixed(0)}x read-tls-client-hello (aim: at least 50x)${kept === undefined ? '' : ''}`,
    );
  }
  return lines;
}
