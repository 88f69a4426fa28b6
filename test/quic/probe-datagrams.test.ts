/**
 * probeQuicDatagrams(), the QUIC probe over any datagram transport, in memory: datagrams are
 * handed to it through a web ReadableStream (or an async iterable) and taken from a write
 * function, with no socket. The server side is RFC 9001 Appendix A.3's server Initial (real
 * protected bytes from the RFC). test/node/probe-quic-datagrams-peers.test.ts runs it against
 * Caddy's HTTP/3 over a UDP socket of the test's own, and replays Caddy's datagrams in memory.
 */
import { describe, expect, test } from 'vitest';
import { toHex } from '../../src/bytes/hex.ts';
import { probeQuicDatagrams } from '../../src/probe/quic/datagrams.ts';
import type { ProbeDuplex } from '../../src/probe/stream.ts';
import { initialKeys, openInitial, parseLongHeader, readInitialFrames } from '../../src/quic/index.ts';
import { RFC9001_DCID, RFC9001_SERVER_INITIAL } from '../helpers/rfc9001.ts';

// RFC 9001 Appendix A.3: the server Initial (ACK + CRYPTO with a ServerHello) for connection ID 8394c8f03e515708.
const DCID = RFC9001_DCID;
const SERVER_INITIAL = RFC9001_SERVER_INITIAL;
const ids = { destinationConnectionId: DCID, sourceConnectionId: new Uint8Array(0) };
const quick = { timeoutMs: 3000, idleTimeoutMs: 300, resendAfterMs: 100 };

/** The frames of a client Initial datagram, opened with the client Initial keys of DCID. */
function clientFrames(datagram: Uint8Array): string[] {
  const header = parseLongHeader(datagram, 0)!;
  return readInitialFrames(openInitial(datagram, header, initialKeys(1, DCID, 'client'), -1)!.payload).names;
}

/**
 * An in-memory transport: `answer` gives the server's datagrams for each client datagram.
 * `written` holds what the probe sent; `cancelled` says the probe let go of the readable.
 */
function memoryTransport(answer: (datagram: Uint8Array, index: number) => readonly Uint8Array[]) {
  const written: Uint8Array[] = [];
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const state = { cancelled: false };
  const transport: ProbeDuplex = {
    readable: new ReadableStream<Uint8Array>({
      start: (c) => {
        controller = c;
      },
      cancel: () => {
        state.cancelled = true;
      },
    }),
    writable: (datagram) => {
      written.push(datagram);
      for (const d of answer(datagram, written.length - 1)) controller.enqueue(d);
    },
  };
  return { transport, written, state, fail: (e: unknown) => controller.error(e) };
}

describe('probeQuicDatagrams over an in-memory datagram pair', () => {
  test("RFC 9001 A.3's server Initial gives the ServerHello; the probe ACKs, then closes to the server's connection ID", async () => {
    const pair = memoryTransport((_d, i) => (i === 0 ? [SERVER_INITIAL] : []));
    const r = await probeQuicDatagrams(pair.transport, { ...quick, ...ids, serverName: 'example.test' });
    expect(r.outcome).toBe('server_hello');
    // No Handshake packet follows the RFC's Initial: the probe waits for one until the idle timeout.
    expect(r.stopReason).toBe('idle_timeout');
    expect(r.serverHello).toMatchObject({ cipherSuite: 0x1301, group: 0x001d });
    expect(toHex(r.connectionIds.server!)).toBe('f067a5502a4262b5');
    expect(r.target).toEqual({ host: '', port: 0 });
    expect(r.certificates).toEqual([]);
    expect(r.datagramsReceived).toBe(1);
    expect(pair.written.map(clientFrames)).toEqual([
      ['crypto', 'padding'],
      ['ack', 'padding'],
      ['connection_close', 'padding'],
    ]);
    expect(toHex(parseLongHeader(pair.written[2], 0)!.destinationConnectionId)).toBe('f067a5502a4262b5');
    expect(pair.state.cancelled).toBe(true);
  });

  test('an async iterable of datagrams works as a readable; `target` is what the result says', async () => {
    let first!: () => void;
    const sent = new Promise<void>((resolve) => {
      first = resolve;
    });
    async function* datagrams() {
      await sent;
      yield SERVER_INITIAL;
    }
    const r = await probeQuicDatagrams(
      { readable: datagrams(), writable: () => first() },
      { ...quick, ...ids, decrypt: false, target: { host: 'example.test', port: 443 } },
    );
    // decrypt: false stops at the ServerHello, as over UDP.
    expect(r.stopReason).toBe('server_hello');
    expect(r.target).toEqual({ host: 'example.test', port: 443 });
  });

  test('the summariser given turns the DER chain into result.certificates', async () => {
    const seen: (readonly Uint8Array[])[] = [];
    const pair = memoryTransport((_d, i) => (i === 0 ? [SERVER_INITIAL] : []));
    const r = await probeQuicDatagrams(pair.transport, {
      ...quick,
      ...ids,
      decrypt: false,
      summarizeCertificates: (chain) => {
        seen.push(chain);
        return [{ count: chain.length }];
      },
    });
    expect(seen).toEqual([[]]);
    expect(r.certificates).toEqual([{ count: 0 }]);
  });

  test('ECONNREFUSED from the readable before any answer is connect_failed, with the error as the transport wrote it', async () => {
    const pair = memoryTransport(() => []);
    const refused = Object.assign(new Error('recv ECONNREFUSED'), { code: 'ECONNREFUSED' });
    setTimeout(() => pair.fail(refused), 10);
    const target = { host: 'example.test', port: 443 };
    const r = await probeQuicDatagrams(pair.transport, { ...quick, ...ids, target });
    expect(r.outcome).toBe('connect_failed');
    expect(r.error).toBe('ECONNREFUSED recv ECONNREFUSED');
    expect(r.conclusion).toBe('could not send to example.test:443 over UDP: ECONNREFUSED recv ECONNREFUSED');
  });

  test('another readable error is socket_error: nothing is sent after it', async () => {
    const pair = memoryTransport(() => []);
    setTimeout(() => pair.fail(new Error('the tunnel broke')), 10);
    const r = await probeQuicDatagrams(pair.transport, { ...quick, ...ids, maxResends: 0 });
    expect(r.stopReason).toBe('socket_error');
    expect(r.error).toBe('the tunnel broke');
    expect(pair.written).toHaveLength(1);
  });

  test('a write that fails before any answer is connect_failed: the datagram could not be sent', async () => {
    const r = await probeQuicDatagrams(
      {
        readable: new ReadableStream<Uint8Array>(),
        writable: () => Promise.reject(Object.assign(new Error('no route'), { code: 'EHOSTUNREACH' })),
      },
      { ...quick, ...ids },
    );
    expect(r.outcome).toBe('connect_failed');
    expect(r.error).toBe('EHOSTUNREACH no route');
  });

  test('silence: the Initial is resent maxResends times, then an idle timeout', async () => {
    const pair = memoryTransport(() => []);
    const r = await probeQuicDatagrams(pair.transport, {
      ...ids,
      idleTimeoutMs: 400,
      resendAfterMs: 50,
      maxResends: 2,
    });
    expect(r.outcome).toBe('timeout');
    expect(r.stopReason).toBe('idle_timeout');
    expect(pair.written.map(clientFrames)).toEqual([
      ['crypto', 'padding'],
      ['crypto', 'padding'],
      ['crypto', 'padding'],
    ]);
  });

  test('options are checked before the transport is used', async () => {
    let touched = false;
    const transport: ProbeDuplex = {
      get readable(): ReadableStream<Uint8Array> {
        touched = true;
        return new ReadableStream();
      },
      writable: () => {
        touched = true;
      },
    };
    await expect(probeQuicDatagrams(transport, { maxResends: 9 })).rejects.toThrow(
      /"maxResends" expected 0\.\.5, got 9/,
    );
    await expect(
      probeQuicDatagrams(transport, { destinationConnectionId: new Uint8Array(4) }),
    ).rejects.toThrow(RangeError);
    expect(touched).toBe(false);
    await expect(probeQuicDatagrams(null as unknown as ProbeDuplex)).rejects.toThrow(TypeError);
  });
});
