/**
 * ServerKeyExchange (RFC 5246 §7.4.3, RFC 8422 §5.4): enough to see the group or DH
 * parameters and the signature. Which form applies depends on the cipher suite, which the
 * message does not carry, so callers pass `keyExchange` or let the first byte decide.
 */
import type { Reader } from '../bytes/reader.ts';
import type { Writer } from '../bytes/writer.ts';

/** ECDHE parameters with a named curve (`curve_type` 3). */
export interface EcdheParams {
  readonly kind: 'ecdhe';
  readonly curveType: 3;
  /** NamedGroup code (23 secp256r1, 29 x25519, ...). */
  readonly namedGroup: number;
  /** ECPoint / key exchange value. */
  readonly point: Uint8Array;
}

/** Finite-field DHE parameters. */
export interface DheParams {
  readonly kind: 'dhe';
  readonly p: Uint8Array;
  readonly g: Uint8Array;
  readonly ys: Uint8Array;
}

/** Parameters hellokit does not decode (explicit curves, PSK hints...), kept raw. */
export interface RawParams {
  readonly kind: 'raw';
  readonly bytes: Uint8Array;
}

/** A ServerKeyExchange. */
export interface ServerKeyExchange {
  readonly type: 'server_key_exchange';
  readonly params: EcdheParams | DheParams | RawParams;
  /** SignatureScheme (TLS 1.2); `null` in TLS 1.0/1.1 or when unsigned. */
  readonly signatureAlgorithm: number | null;
  /** `null` for anonymous key exchange (no signature at all). */
  readonly signature: Uint8Array | null;
}

/** How to read a ServerKeyExchange. */
export interface ServerKeyExchangeOptions {
  /** From the cipher suite; default: `ecdhe` when the first byte is 3 (named_curve), else `dhe`. */
  readonly keyExchange?: 'ecdhe' | 'dhe';
  /** Negotiated version; TLS 1.2 signatures carry an algorithm. Default: guessed from the lengths. */
  readonly version?: number;
}

const NAMED_CURVE = 3;

/** Reads a ServerKeyExchange body. */
export function readServerKeyExchangeBody(
  r: Reader,
  options: ServerKeyExchangeOptions = {},
): ServerKeyExchange {
  const keyExchange = options.keyExchange ?? (r.peek(1)[0] === NAMED_CURVE ? 'ecdhe' : 'dhe');
  let params: ServerKeyExchange['params'];
  if (keyExchange === 'ecdhe') {
    const typeAt = r.pos;
    const curveType = r.u8('curve_type');
    if (curveType !== NAMED_CURVE) {
      r.problem('illegal-value', `curve_type ${curveType} is not named_curve (3) (RFC 8422 §5.4)`, {
        at: typeAt,
        field: 'curve_type',
      });
      r.pos = typeAt;
      params = { kind: 'raw', bytes: r.rest() };
      return { type: 'server_key_exchange', params, signatureAlgorithm: null, signature: null };
    }
    const namedGroup = r.u16('named_curve');
    const point = r.vectorBytes(1, 'point', { min: 1 });
    params = { kind: 'ecdhe', curveType: NAMED_CURVE, namedGroup, point };
  } else {
    const p = r.vectorBytes(2, 'dh_p', { min: 1 });
    const g = r.vectorBytes(2, 'dh_g', { min: 1 });
    const ys = r.vectorBytes(2, 'dh_Ys', { min: 1 });
    params = { kind: 'dhe', p, g, ys };
  }
  if (r.atEnd) return { type: 'server_key_exchange', params, signatureAlgorithm: null, signature: null };
  const withAlgorithm = options.version !== undefined ? options.version >= 0x0303 : guessHasAlgorithm(r);
  const signatureAlgorithm = withAlgorithm ? r.u16('signature_algorithm') : null;
  const signature = r.vectorBytes(2, 'signature');
  r.done();
  return { type: 'server_key_exchange', params, signatureAlgorithm, signature };
}

function guessHasAlgorithm(r: Reader): boolean {
  const rest = r.peek(4);
  if (r.remaining >= 4 && ((rest[2] << 8) | rest[3]) === r.remaining - 4) return true;
  return !(r.remaining >= 2 && ((rest[0] << 8) | rest[1]) === r.remaining - 2);
}

/** Writes a ServerKeyExchange body. */
export function writeServerKeyExchangeBody(w: Writer, m: ServerKeyExchange): void {
  const params = m.params;
  if (params.kind === 'ecdhe') {
    w.u8(params.curveType, 'curve_type');
    w.u16(params.namedGroup, 'named_curve');
    w.vector(1, 'point', params.point);
  } else if (params.kind === 'dhe') {
    w.vector(2, 'dh_p', params.p);
    w.vector(2, 'dh_g', params.g);
    w.vector(2, 'dh_Ys', params.ys);
  } else {
    w.bytes(params.bytes);
  }
  if (m.signatureAlgorithm !== null) w.u16(m.signatureAlgorithm, 'signature_algorithm');
  if (m.signature !== null) w.vector(2, 'signature', m.signature);
}
