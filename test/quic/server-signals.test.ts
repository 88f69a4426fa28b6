/**
 * The client session's pure readings of a Version Negotiation (RFC 9000 §6.2), a Retry
 * (§17.2.5) and a CONNECTION_CLOSE's TLS alert (RFC 9001 §4.8), without a session.
 */
import { describe, expect, test } from 'vitest';
import { concatBytes, fromHex, toHex } from '../../src/bytes/hex.ts';
import { readBareLongHeader, retryIntegrityTag } from '../../src/quic/index.ts';
import { closeAlert, readRetry, readVersionNegotiation } from '../../src/quic/server-signals.ts';

const ODCID = fromHex('8394c8f03e515708');
const CLIENT_SCID = fromHex('c1c1c1c1');
const SERVER_SCID = fromHex('5e5e5e5e5e5e5e5e');
const sent = { version: 1, originalDestinationConnectionId: ODCID };

/** A Version Negotiation to the client, from the connection ID `from`, listing `versions`. */
function versionNegotiation(from: Uint8Array, versions: readonly number[]): Uint8Array {
  const list = new Uint8Array(4 * versions.length);
  for (const [i, v] of versions.entries()) new DataView(list.buffer).setUint32(4 * i, v);
  return concatBytes(
    Uint8Array.of(0x80, 0, 0, 0, 0, CLIENT_SCID.length),
    CLIENT_SCID,
    Uint8Array.of(from.length),
    from,
    list,
  );
}

/** A v1 Retry to the client with `token`, its integrity tag computed over ODCID unless given. */
function retry(token: Uint8Array, tag?: Uint8Array): Uint8Array {
  const packet = concatBytes(
    Uint8Array.of(0xf0, 0, 0, 0, 1, CLIENT_SCID.length),
    CLIENT_SCID,
    Uint8Array.of(SERVER_SCID.length),
    SERVER_SCID,
    token,
  );
  return concatBytes(packet, tag ?? retryIntegrityTag(1, ODCID, packet));
}

const read = (b: Uint8Array) => ({ b, header: readBareLongHeader(b)! });
const fits = () => true;

describe('readVersionNegotiation', () => {
  test('names the versions the server lists and whether the one sent is among them', () => {
    const { b, header } = read(versionNegotiation(ODCID, [0x6b3343cf, 0xff00001d]));
    expect(readVersionNegotiation(b, header, sent)).toEqual({
      negotiation: { versions: [0x6b3343cf, 0xff00001d], versionNames: ['QUIC v2', 'draft-29'] },
      listsSent: false,
    });
    const own = read(versionNegotiation(ODCID, [1, 0x6b3343cf]));
    expect(readVersionNegotiation(own.b, own.header, sent)?.listsSent).toBe(true);
  });

  test('is discarded when it answers no Initial of ours, or comes after a server Initial', () => {
    const other = read(versionNegotiation(fromHex('0000000000000000'), [0x6b3343cf]));
    expect(readVersionNegotiation(other.b, other.header, sent)).toBeUndefined();
    const late = read(versionNegotiation(ODCID, [0x6b3343cf]));
    expect(
      readVersionNegotiation(late.b, late.header, { ...sent, serverConnectionId: SERVER_SCID }),
    ).toBeUndefined();
  });
});

describe('readRetry', () => {
  test('a Retry with a token and a matching tag is followed: its token and the server connection ID', () => {
    const { b, header } = read(retry(fromHex('70c0e2')));
    const r = readRetry(b, header, sent, fits);
    expect(typeof r).toBe('object');
    if (typeof r === 'string') return;
    expect(toHex(r.token)).toBe('70c0e2');
    expect(toHex(r.sourceConnectionId)).toBe(toHex(SERVER_SCID));
    expect(r.integrityVerified).toBe(true);
  });

  test('says why a Retry is ignored', () => {
    const good = read(retry(fromHex('70c0e2')));
    const bad = read(retry(fromHex('70c0e2'), new Uint8Array(16)));
    const empty = read(retry(new Uint8Array(0)));
    const reason = (p: ReturnType<typeof read>, view = {}, room = fits) =>
      readRetry(p.b, p.header, { ...sent, ...view }, room);
    expect(reason(bad)).toBe('ignored: the Retry Integrity Tag does not match');
    expect(reason(empty)).toBe('ignored: a Retry without a token');
    expect(reason(good, {}, () => false)).toBe(
      'ignored: a token of 3 bytes leaves no room in a 1200-byte Initial',
    );
    const followed = { token: new Uint8Array(1), sourceConnectionId: SERVER_SCID, integrityVerified: true };
    expect(reason(good, { retry: followed })).toBe('ignored: only one Retry, before any server Initial');
    expect(reason(good, { serverConnectionId: SERVER_SCID })).toBe(
      'ignored: only one Retry, before any server Initial',
    );
  });
});

describe('closeAlert', () => {
  test('CRYPTO_ERROR 0x0100 + alert is that TLS alert, fatal; another error is none', () => {
    expect(closeAlert({ errorCode: 0x150, errorName: 'CRYPTO_ERROR', frameType: 6, reason: '' })).toEqual({
      level: 2,
      levelName: 'fatal',
      description: 80,
      name: 'internal_error',
      encrypted: false,
    });
    expect(
      closeAlert({ errorCode: 0x0a, errorName: 'PROTOCOL_VIOLATION', frameType: 0, reason: '' }),
    ).toBeUndefined();
  });
});
