import type { Reader } from '../bytes/reader.ts';
import type { Writer } from '../bytes/writer.ts';
import { has } from './common.ts';
import type { ExtensionCodec, MessageContext } from './types.ts';

/** ECHClientHelloType outer (draft-ietf-tls-esni §5). */
export const ECH_OUTER = 0;
/** ECHClientHelloType inner. */
export const ECH_INNER = 1;

/** HpkeSymmetricCipherSuite. */
export interface HpkeSymmetricCipherSuite {
  readonly kdfId: number;
  readonly aeadId: number;
}

/** encrypted_client_hello in a ClientHelloOuter. */
export interface EchOuterClientHello {
  readonly type: 0;
  readonly cipherSuite: HpkeSymmetricCipherSuite;
  readonly configId: number;
  /** `opaque enc<0..2^16-1>`: the HPKE encapsulated key (empty after HRR). */
  readonly enc: Uint8Array;
  /** `opaque payload<1..2^16-1>`: the encrypted ClientHelloInner. */
  readonly payload: Uint8Array;
}

/** encrypted_client_hello in a ClientHelloInner: just the type. */
export interface EchInnerClientHello {
  readonly type: 1;
}

/** encrypted_client_hello with an unknown ECHClientHelloType (lenient mode only): the rest as bytes. */
export interface EchUnknownClientHello {
  readonly type: number;
  readonly data: Uint8Array;
}

/** encrypted_client_hello in EncryptedExtensions: the server's retry configs. */
export interface EchEncryptedExtensions {
  /** The whole ECHConfigList, its u16 length included (the form DNS publishes). */
  readonly retryConfigs: Uint8Array;
}

/** encrypted_client_hello in a HelloRetryRequest: the 8-byte acceptance confirmation. */
export interface EchHelloRetryRequest {
  readonly confirmation: Uint8Array;
}

/** encrypted_client_hello in any form. */
export type EncryptedClientHelloValue =
  | EchOuterClientHello
  | EchInnerClientHello
  | EchUnknownClientHello
  | EchEncryptedExtensions
  | EchHelloRetryRequest;

const PAYLOAD_LIMITS = { min: 1 } as const;

/** HpkeSymmetricCipherSuite, on the path `cipher_suite` (pushPath rather than a closure per hello). */
function readCipherSuite(r: Reader): HpkeSymmetricCipherSuite {
  r.pushPath('cipher_suite');
  try {
    return { kdfId: r.u16('kdf_id'), aeadId: r.u16('aead_id') };
  } finally {
    r.popPath();
  }
}

function decodeClientHelloForm(r: Reader): EncryptedClientHelloValue {
  const at = r.pos;
  const type = r.u8('type');
  if (type === ECH_INNER) return { type };
  if (type !== ECH_OUTER) {
    // draft-ietf-tls-esni §7.1: "MUST abort with an illegal_parameter alert"
    r.problem('illegal-value', `ECHClientHelloType ${type} is neither outer (0) nor inner (1)`, {
      at,
      field: 'type',
    });
    return { type, data: r.rest() };
  }
  const cipherSuite = readCipherSuite(r);
  const configId = r.u8('config_id');
  const enc = r.vectorBytes(2, 'enc');
  const payload = r.vectorBytes(2, 'payload', PAYLOAD_LIMITS);
  return { type, cipherSuite, configId, enc, payload };
}

/**
 * encrypted_client_hello (0xfe0d), draft-ietf-tls-esni-22 §5: outer or inner form in a
 * ClientHello, retry_configs in EncryptedExtensions, an 8-byte confirmation in a
 * HelloRetryRequest.
 */
export const encryptedClientHelloCodec: ExtensionCodec<EncryptedClientHelloValue> = {
  type: 0xfe0d,
  name: 'encrypted_client_hello',
  allowedIn: ['client_hello', 'encrypted_extensions', 'hello_retry_request'],
  fromPlan: (plan) => plan.ech,
  decode(r: Reader, context: MessageContext): EncryptedClientHelloValue {
    if (context === 'hello_retry_request') return { confirmation: r.bytes(8, 'confirmation') };
    if (context === 'encrypted_extensions') {
      const start = r.pos;
      r.vector(2, 'retry_configs', { min: 1 });
      return { retryConfigs: r.view(start, r.pos) };
    }
    return decodeClientHelloForm(r);
  },
  encode(w: Writer, value: EncryptedClientHelloValue): void {
    if (has(value, 'confirmation')) {
      const c = (value as EchHelloRetryRequest).confirmation;
      if (c.length !== 8) throw new RangeError(`"confirmation" expected 8 bytes, got ${c.length}`);
      w.bytes(c);
    } else if (has(value, 'retryConfigs')) {
      w.bytes((value as EchEncryptedExtensions).retryConfigs);
    } else if (has(value, 'data')) {
      const v = value as EchUnknownClientHello;
      w.u8(v.type, 'type');
      w.bytes(v.data);
    } else if (has(value, 'payload')) {
      const v = value as EchOuterClientHello;
      w.u8(v.type, 'type');
      w.u16(v.cipherSuite.kdfId, 'kdf_id');
      w.u16(v.cipherSuite.aeadId, 'aead_id');
      w.u8(v.configId, 'config_id');
      w.vector(2, 'enc', v.enc);
      w.vector(2, 'payload', v.payload);
    } else {
      w.u8((value as EchInnerClientHello).type, 'type');
    }
  },
};

/** ech_outer_extensions: `ExtensionType OuterExtensions<2..254>` (draft-ietf-tls-esni §5.1). */
export interface EchOuterExtensions {
  /** Extension types copied from the ClientHelloOuter, in order. */
  readonly outerExtensions: readonly number[];
}

/** ech_outer_extensions (0xfd00): only inside a ClientHelloInner. An empty list is `decode_error`. */
export const echOuterExtensionsCodec: ExtensionCodec<EchOuterExtensions> = {
  type: 0xfd00,
  name: 'ech_outer_extensions',
  allowedIn: ['client_hello'],
  decode(r: Reader): EchOuterExtensions {
    return { outerExtensions: r.u16List(1, 'outer_extensions', { min: 2, max: 254 }) };
  },
  encode(w: Writer, value: EchOuterExtensions): void {
    w.prefixed(1, 'outer_extensions', (w) => {
      for (const t of value.outerExtensions) w.u16(t, 'extension_type');
    });
  },
};
