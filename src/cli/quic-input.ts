/**
 * `decode` of a QUIC Initial datagram: its own module, so decoding TLS records never loads the
 * QUIC packet protection (AES, HKDF).
 */
import { toHex } from '../bytes/hex.ts';
import { QuicInitialTracker } from '../capture/quic.ts';
import { parseLongHeader } from '../quic/header.ts';
import { QUIC_VERSION } from '../quic/version.ts';
import { UsageError } from './errors.ts';

/**
 * A QUIC Initial datagram (a UDP payload, e.g. Wireshark's "copy as hex" of a client's first
 * packet): opened with the keys its Destination Connection ID gives every observer, its CRYPTO
 * frames joined. Undefined when the bytes do not start with a v1/v2 Initial long header.
 * @throws {UsageError} when it is one but does not open (a server's Initial, or damaged)
 */
export function quicInitial(
  bytes: Uint8Array,
): { crypto: Uint8Array; line: string; json: Record<string, unknown> } | undefined {
  const header = parseLongHeader(bytes, 0);
  if (!header?.initial) return undefined;
  const tracker = new QuicInitialTracker();
  const client = { ip: 'client', port: 0 };
  tracker.push(0, client, { ip: 'server', port: 0 }, bytes);
  const connection = tracker.connections()[0];
  if (!connection || connection.clientCrypto.length === 0) {
    throw new UsageError(
      `decode: a QUIC Initial (version 0x${header.version.toString(16).padStart(8, '0')}) that does not open as a client's first Initial: a server's Initial, a later packet or damaged bytes${tracker.warnings.length > 0 ? ` (${tracker.warnings[0]})` : ''}`,
    );
  }
  const dcid = toHex(connection.originalDestinationConnectionId);
  const version = connection.version === QUIC_VERSION.v2 ? 'v2' : 'v1';
  return {
    crypto: connection.clientCrypto,
    line: `quic initial: QUIC ${version}, DCID ${dcid}, ${connection.clientPackets} packet${connection.clientPackets === 1 ? '' : 's'} opened, ${connection.clientCrypto.length} CRYPTO bytes (offsets below are in the CRYPTO stream)`,
    json: {
      version: connection.version,
      destinationConnectionId: dcid,
      packets: connection.clientPackets,
      cryptoLength: connection.clientCrypto.length,
    },
  };
}
