/**
 * From one captured stream to the handshakes it carries: the ClientHello(s) of a TCP or QUIC
 * connection and the server's ServerHello, decoded leniently (a capture shows what clients
 * really send, faults included). Fingerprinting them is the caller's step (src/fingerprint).
 */
import { DecodeError, type Problem } from '../bytes/errors.ts';
import { parseClientHello } from '../handshake/client-hello.ts';
import type { ServerHello } from '../handshake/server-hello.ts';
import { decodeStream, type StreamMessage } from '../handshake/stream.ts';
import type { ClientHello } from '../handshake/types.ts';
import { endpointText } from './ip.ts';
import type { CapturedStream } from './streams.ts';
import type { Endpoint } from './tcp.ts';

/** One ClientHello found in a capture, with its connection and what the server answered. */
export interface CapturedHandshake {
  readonly transport: 'tcp' | 'quic';
  /** The connection's number in the capture (tshark's tcp.stream / udp.stream). */
  readonly stream: number;
  /** 1 for the first ClientHello of the connection, 2 for one sent after a HelloRetryRequest. */
  readonly helloIndex: number;
  readonly client: Endpoint;
  readonly server: Endpoint;
  readonly firstSeen: number;
  readonly clientHello: ClientHello;
  /** Offset of the ClientHello's first byte in the client's byte stream. */
  readonly clientHelloOffset: number;
  readonly serverHello: ServerHello | null;
  /** Faults in the hello that a strict peer would reject. */
  readonly problems: readonly Problem[];
}

/** The handshakes of one captured stream (none when it carries no ClientHello). */
export function streamHandshakes(stream: CapturedStream, warnings: string[] = []): CapturedHandshake[] {
  const start = stream.transport === 'quic' ? 0 : findClientHelloRecord(stream.clientBytes);
  if (start < 0) return [];
  const server = stream.serverBytes.length > 0 ? decodeStream(stream.serverBytes, { strict: false }) : null;
  const serverHello = server ? firstServerHello(server.messages) : null;
  const out: CapturedHandshake[] = [];
  const single = stream.transport === 'tcp' ? singleRecordHello(stream.clientBytes, start) : null;
  if (single) {
    out.push({
      transport: stream.transport,
      stream: stream.index,
      helloIndex: 1,
      client: stream.client,
      server: stream.server,
      firstSeen: stream.firstSeen,
      clientHello: single,
      clientHelloOffset: start + RECORD_HEADER,
      serverHello,
      problems: single.problems ?? [],
    });
    return out;
  }
  const where = `${stream.transport} stream ${stream.index} (${endpointText(stream.client.ip, stream.client.port)} → ${endpointText(stream.server.ip, stream.server.port)})`;
  const client = decodeStream(stream.clientBytes.subarray(start), { strict: false });
  if (client.error) warnings.push(`${where}: client bytes stop decoding: ${describe(client.error, start)}`);
  for (const m of client.messages) {
    if (m.type !== 'client_hello') continue;
    const hello = m as unknown as ClientHello & { offset: number; problems?: readonly Problem[] };
    out.push({
      transport: stream.transport,
      stream: stream.index,
      helloIndex: out.length + 1,
      client: stream.client,
      server: stream.server,
      firstSeen: stream.firstSeen,
      clientHello: hello,
      clientHelloOffset: start + hello.offset,
      serverHello,
      problems: hello.problems ?? [],
    });
  }
  return out;
}

const RECORD_HEADER = 5;
const HANDSHAKE_HEADER = 4;

/**
 * The usual case, decoded without the general stream decoder: the client's bytes from `start`
 * are one handshake record of at most 2^14 bytes holding exactly one ClientHello message, and
 * nothing follows it. The message is decoded as that decoder decodes it (lenient, problems
 * kept, offsets in the stream), without its record and message bookkeeping. Null otherwise.
 */
function singleRecordHello(bytes: Uint8Array, start: number): ClientHello | null {
  const at = start + RECORD_HEADER;
  if (bytes.length < at + HANDSHAKE_HEADER) return null;
  const recordLength = (bytes[start + 3] << 8) | bytes[start + 4];
  const messageLength = (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3];
  if (
    bytes[at] !== 1 ||
    recordLength > 16384 ||
    at + recordLength !== bytes.length ||
    HANDSHAKE_HEADER + messageLength !== recordLength
  )
    return null;
  try {
    return parseClientHello(bytes.subarray(at), { strict: false, baseOffset: at });
  } catch (e) {
    // A structural fault: the general decoder says where the client's bytes stop decoding.
    if (e instanceof DecodeError) return null;
    throw e;
  }
}

function firstServerHello(messages: readonly StreamMessage[]): ServerHello | null {
  for (const m of messages) if (m.type === 'server_hello') return m as unknown as ServerHello;
  return null;
}

function describe(e: DecodeError, shift: number): string {
  return shift === 0 ? e.message : `${e.message} (stream offset ${e.offset + shift})`;
}

/**
 * Offset of the first record that looks like it starts a ClientHello: content type 22,
 * version 3.x, a plausible length, and handshake type 1. Usually 0; later when a proxy
 * exchange (SOCKS, HTTP CONNECT) precedes TLS on the same connection. The search starts at `from`.
 */
export function findClientHelloRecord(bytes: Uint8Array, from = 0): number {
  for (let i = from; i + 6 <= bytes.length; i++) {
    if (bytes[i] === 0x16 && bytes[i + 1] === 0x03 && bytes[i + 2] <= 0x04 && bytes[i + 5] === 0x01) {
      const length = (bytes[i + 3] << 8) | bytes[i + 4];
      if (length >= 4 && length <= 16384 + 2048) return i;
    }
  }
  return -1;
}
