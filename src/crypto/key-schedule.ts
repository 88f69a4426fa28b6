/**
 * The TLS 1.3 key schedule (RFC 8446 §7.1) for SHA-256 and SHA-384, the transcript hash
 * (§4.4.1, including the HelloRetryRequest rule), traffic keys (§7.3) and Finished
 * (§4.4.4).
 */
import { expand, extract } from '@noble/hashes/hkdf.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256, sha384 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { concatBytes } from '../bytes/hex.ts';
import { hex16, UnsupportedError } from './errors.ts';

/** The hash functions TLS 1.3 cipher suites use. */
export type HashName = 'sha256' | 'sha384';

/** The AEADs of TLS 1.3 cipher suites. */
export type AeadName = 'AES_128_GCM' | 'AES_256_GCM' | 'CHACHA20_POLY1305' | 'AES_128_CCM' | 'AES_128_CCM_8';

/** What a TLS 1.3 cipher suite means for the key schedule and record protection. */
export interface CipherSuiteParams {
  readonly suite: number;
  /** IANA name, e.g. `TLS_AES_128_GCM_SHA256`. */
  readonly name: string;
  readonly aead: AeadName;
  readonly hash: HashName;
  /** Hash output length: the length of every secret. */
  readonly hashLength: number;
  readonly keyLength: number;
  /** Per-record nonce length (RFC 8446 §5.3: 12 for every defined suite). */
  readonly ivLength: number;
  readonly tagLength: number;
}

const SUITES: ReadonlyMap<number, CipherSuiteParams> = new Map(
  (
    [
      [0x1301, 'TLS_AES_128_GCM_SHA256', 'AES_128_GCM', 'sha256', 16, 16],
      [0x1302, 'TLS_AES_256_GCM_SHA384', 'AES_256_GCM', 'sha384', 32, 16],
      [0x1303, 'TLS_CHACHA20_POLY1305_SHA256', 'CHACHA20_POLY1305', 'sha256', 32, 16],
      [0x1304, 'TLS_AES_128_CCM_SHA256', 'AES_128_CCM', 'sha256', 16, 16],
      // RFC 8446 §B.4 / RFC 6655: the CCM_8 suite truncates the tag to 8 bytes.
      [0x1305, 'TLS_AES_128_CCM_8_SHA256', 'AES_128_CCM_8', 'sha256', 16, 8],
    ] as const
  ).map(([suite, name, aead, hash, keyLength, tagLength]) => [
    suite,
    {
      suite,
      name,
      aead,
      hash,
      hashLength: hash === 'sha256' ? 32 : 48,
      keyLength,
      ivLength: 12,
      tagLength,
    },
  ]),
);

/** TLS 1.3 cipher suites hellokit can decrypt and encrypt with. */
export const SUPPORTED_TLS13_CIPHER_SUITES: readonly number[] = Object.freeze([...SUITES.keys()]);

/**
 * Parameters of a TLS 1.3 cipher suite.
 * @example cipherSuiteParams(0x1301).hash // 'sha256'
 * @throws {UnsupportedError} for anything that is not a TLS 1.3 suite
 */
export function cipherSuiteParams(suite: number): CipherSuiteParams {
  const params = SUITES.get(suite);
  if (params) return params;
  throw new UnsupportedError(
    'cipher_suite',
    suite,
    `${hex16(suite)} is not a TLS 1.3 cipher suite hellokit supports (${[...SUITES.keys()].map(hex16).join(', ')})`,
  );
}

const HASHES = { sha256, sha384 } as const;

/** Output length of `hash` in bytes. */
export function hashLength(hash: HashName): number {
  return HASHES[hash].outputLen;
}

/** `Hash(data)`. */
export function hashBytes(hash: HashName, data: Uint8Array): Uint8Array {
  return HASHES[hash](data);
}

/** HKDF-Extract(salt, IKM) (RFC 5869); an empty salt means a string of zeros. */
export function hkdfExtract(hash: HashName, salt: Uint8Array, ikm: Uint8Array): Uint8Array {
  return extract(HASHES[hash], ikm, salt);
}

/**
 * HKDF-Expand-Label (RFC 8446 §7.1): `HKDF-Expand(secret, HkdfLabel, length)` where
 * `HkdfLabel = uint16 length || opaque label<7..255> = "tls13 " + label || opaque context<0..255>`.
 * @example hkdfExpandLabel('sha256', secret, 'key', new Uint8Array(0), 16)
 */
export function hkdfExpandLabel(
  hash: HashName,
  secret: Uint8Array,
  label: string,
  context: Uint8Array,
  length: number,
): Uint8Array {
  const fullLabel = utf8ToBytes(`tls13 ${label}`);
  if (fullLabel.length > 255) throw new RangeError(`HKDF label "${label}" is longer than 249 bytes`);
  if (context.length > 255)
    throw new RangeError(`HKDF context is ${context.length} bytes, at most 255 allowed`);
  if (!Number.isInteger(length) || length < 0 || length > 0xffff)
    throw new RangeError(`bad HKDF output length ${length}`);
  if (secret.length < hashLength(hash)) {
    // Every TLS 1.3 secret is Hash.length bytes; a shorter one is a secret from another suite's schedule.
    throw new RangeError(`${hash} secret must be at least ${hashLength(hash)} bytes, got ${secret.length}`);
  }
  const info = concatBytes(
    new Uint8Array([length >> 8, length & 0xff, fullLabel.length]),
    fullLabel,
    new Uint8Array([context.length]),
    context,
  );
  return expand(HASHES[hash], secret, info, length);
}

/**
 * Derive-Secret(secret, label, messages) = HKDF-Expand-Label(secret, label, Transcript-Hash(messages), Hash.length).
 * Takes the transcript hash, not the messages.
 */
export function deriveSecret(
  hash: HashName,
  secret: Uint8Array,
  label: string,
  transcriptHash: Uint8Array,
): Uint8Array {
  return hkdfExpandLabel(hash, secret, label, transcriptHash, hashLength(hash));
}

/** `Hash("")`, the transcript hash of no messages (used by the "derived" steps). */
export function emptyHash(hash: HashName): Uint8Array {
  return HASHES[hash](new Uint8Array(0));
}

/** Early Secret = HKDF-Extract(0, PSK); without a PSK the IKM is Hash.length zeros. */
export function earlySecret(hash: HashName, psk?: Uint8Array): Uint8Array {
  const zeros = new Uint8Array(hashLength(hash));
  return hkdfExtract(hash, zeros, psk ?? zeros);
}

/** Handshake Secret = HKDF-Extract(Derive-Secret(Early Secret, "derived", ""), (EC)DHE). */
export function handshakeSecret(hash: HashName, early: Uint8Array, sharedSecret: Uint8Array): Uint8Array {
  return hkdfExtract(hash, deriveSecret(hash, early, 'derived', emptyHash(hash)), sharedSecret);
}

/** Master Secret = HKDF-Extract(Derive-Secret(Handshake Secret, "derived", ""), 0). */
export function masterSecret(hash: HashName, handshake: Uint8Array): Uint8Array {
  return hkdfExtract(
    hash,
    deriveSecret(hash, handshake, 'derived', emptyHash(hash)),
    new Uint8Array(hashLength(hash)),
  );
}

/** The handshake-phase secrets. */
export interface HandshakeSecrets {
  readonly earlySecret: Uint8Array;
  readonly handshakeSecret: Uint8Array;
  readonly masterSecret: Uint8Array;
  /** `c hs traffic` over ClientHello..ServerHello. */
  readonly clientHandshakeTrafficSecret: Uint8Array;
  /** `s hs traffic` over ClientHello..ServerHello. */
  readonly serverHandshakeTrafficSecret: Uint8Array;
}

/**
 * Every secret up to the handshake traffic secrets, from the (EC)DHE shared secret and
 * the transcript hash of ClientHello..ServerHello.
 * @example
 * const s = handshakeSecrets('sha256', sharedSecret, transcript.digest());
 * const { key, iv } = trafficKeys(cipherSuiteParams(0x1301), s.serverHandshakeTrafficSecret);
 */
export function handshakeSecrets(
  hash: HashName,
  sharedSecret: Uint8Array,
  helloHash: Uint8Array,
  psk?: Uint8Array,
): HandshakeSecrets {
  const early = earlySecret(hash, psk);
  const hs = handshakeSecret(hash, early, sharedSecret);
  return {
    earlySecret: early,
    handshakeSecret: hs,
    masterSecret: masterSecret(hash, hs),
    clientHandshakeTrafficSecret: deriveSecret(hash, hs, 'c hs traffic', helloHash),
    serverHandshakeTrafficSecret: deriveSecret(hash, hs, 's hs traffic', helloHash),
  };
}

/** The application-phase secrets, over ClientHello..server Finished. */
export interface ApplicationSecrets {
  /** `c ap traffic` (CLIENT_TRAFFIC_SECRET_0). */
  readonly clientApplicationTrafficSecret: Uint8Array;
  /** `s ap traffic` (SERVER_TRAFFIC_SECRET_0). */
  readonly serverApplicationTrafficSecret: Uint8Array;
  /** `exp master` (EXPORTER_SECRET). */
  readonly exporterMasterSecret: Uint8Array;
}

/** Application traffic and exporter secrets from the master secret and the hash of ClientHello..server Finished. */
export function applicationSecrets(
  hash: HashName,
  master: Uint8Array,
  serverFinishedHash: Uint8Array,
): ApplicationSecrets {
  return {
    clientApplicationTrafficSecret: deriveSecret(hash, master, 'c ap traffic', serverFinishedHash),
    serverApplicationTrafficSecret: deriveSecret(hash, master, 's ap traffic', serverFinishedHash),
    exporterMasterSecret: deriveSecret(hash, master, 'exp master', serverFinishedHash),
  };
}

/** resumption_master_secret = Derive-Secret(Master Secret, "res master", ClientHello..client Finished). */
export function resumptionMasterSecret(
  hash: HashName,
  master: Uint8Array,
  clientFinishedHash: Uint8Array,
): Uint8Array {
  return deriveSecret(hash, master, 'res master', clientFinishedHash);
}

/** application_traffic_secret_N+1 = HKDF-Expand-Label(secret_N, "traffic upd", "", Hash.length) (§7.2). */
export function nextTrafficSecret(hash: HashName, secret: Uint8Array): Uint8Array {
  return hkdfExpandLabel(hash, secret, 'traffic upd', new Uint8Array(0), hashLength(hash));
}

/** A record-protection key and IV. */
export interface TrafficKeys {
  readonly key: Uint8Array;
  readonly iv: Uint8Array;
}

/** write_key and write_iv from a traffic secret (RFC 8446 §7.3). */
export function trafficKeys(params: CipherSuiteParams, secret: Uint8Array): TrafficKeys {
  const empty = new Uint8Array(0);
  return {
    key: hkdfExpandLabel(params.hash, secret, 'key', empty, params.keyLength),
    iv: hkdfExpandLabel(params.hash, secret, 'iv', empty, params.ivLength),
  };
}

/** finished_key = HKDF-Expand-Label(BaseKey, "finished", "", Hash.length) (§4.4.4). */
export function finishedKey(hash: HashName, baseKey: Uint8Array): Uint8Array {
  return hkdfExpandLabel(hash, baseKey, 'finished', new Uint8Array(0), hashLength(hash));
}

/**
 * verify_data = HMAC(finished_key, Transcript-Hash(Handshake Context, Certificate*, CertificateVerify*)).
 * `baseKey` is the sender's handshake traffic secret.
 */
export function finishedVerifyData(
  hash: HashName,
  baseKey: Uint8Array,
  transcriptHash: Uint8Array,
): Uint8Array {
  return hmac(HASHES[hash], finishedKey(hash, baseKey), transcriptHash);
}

/** Handshake type of the synthetic message that replaces ClientHello1 after a HelloRetryRequest. */
export const MESSAGE_HASH_TYPE = 254;

type RunningHash = ReturnType<typeof sha256.create> | ReturnType<typeof sha384.create>;

/**
 * The running transcript hash over whole handshake messages (each with its 4-byte header).
 * @example
 * const t = new Transcript('sha256');
 * t.update(clientHello); t.update(serverHello);
 * const helloHash = t.digest();
 */
export class Transcript {
  readonly hash: HashName;
  private state: RunningHash;
  private count = 0;

  constructor(hash: HashName) {
    if (!(hash in HASHES))
      throw new RangeError(`transcript hash must be sha256 or sha384, got ${String(hash)}`);
    this.hash = hash;
    this.state = HASHES[hash].create();
  }

  /** How many messages (or message_hash stand-ins) have been hashed. */
  get messageCount(): number {
    return this.count;
  }

  /** Adds one or more whole handshake messages, header included. */
  update(...messages: Uint8Array[]): this {
    for (const m of messages) {
      this.state.update(m);
      this.count++;
    }
    return this;
  }

  /** Transcript-Hash of everything added so far; the transcript can keep growing. */
  digest(): Uint8Array {
    return this.state.clone().digest();
  }

  /** An independent copy. */
  clone(): Transcript {
    const copy = new Transcript(this.hash);
    copy.state = this.state.clone();
    copy.count = this.count;
    return copy;
  }

  /**
   * The HelloRetryRequest rule (RFC 8446 §4.4.1): call after adding ClientHello1 and
   * before adding the HelloRetryRequest. Replaces everything so far with
   * `message_hash (254) || 00 00 Hash.length || Hash(ClientHello1)`.
   * @throws {RangeError} unless exactly one message (ClientHello1) has been added
   */
  replaceWithMessageHash(): this {
    if (this.count !== 1) {
      throw new RangeError(
        `message_hash replaces exactly ClientHello1, but the transcript holds ${this.count} messages`,
      );
    }
    const h = this.digest();
    this.state = HASHES[this.hash].create();
    this.state.update(messageHashMessage(h));
    return this;
  }

  /**
   * A transcript that starts ClientHello1, HelloRetryRequest, as both sides hold it after a
   * retry (ClientHello2 and the rest follow with {@link update}).
   */
  static afterHelloRetryRequest(
    hash: HashName,
    clientHello1: Uint8Array,
    helloRetryRequest: Uint8Array,
  ): Transcript {
    return new Transcript(hash).update(clientHello1).replaceWithMessageHash().update(helloRetryRequest);
  }
}

/** The synthetic `message_hash` handshake message carrying `Hash(ClientHello1)`. */
export function messageHashMessage(clientHello1Hash: Uint8Array): Uint8Array {
  return concatBytes(new Uint8Array([MESSAGE_HASH_TYPE, 0, 0, clientHello1Hash.length]), clientHello1Hash);
}
