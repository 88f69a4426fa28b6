/** The server programs the harness can start. */
export type PeerKind = 'caddy' | 'nginx' | 'haproxy' | 'openssl' | 'gnutls' | 'node';

/** Every peer kind, in a stable order (useful for `for` loops over suites). */
export const peerKinds: readonly PeerKind[] = ['caddy', 'nginx', 'haproxy', 'openssl', 'gnutls', 'node'];

/**
 * TLS versions a peer can be restricted to. TLS 1.0 and 1.1 only on `openssl` (s_server at
 * `@SECLEVEL=0`, which OpenSSL 3 needs for them); the other peers refuse them.
 */
export type TlsVersionName = 'TLS1.0' | 'TLS1.1' | 'TLS1.2' | 'TLS1.3';

/**
 * Which key type the certificate(s) of each served name use. `both` serves ECDSA P-256 and
 * RSA-2048; `rsa-pss` is an RSASSA-PSS key (id-RSASSA-PSS), which signs only with
 * rsa_pss_pss_* schemes; `ed25519` signs only with ed25519, which no browser offers.
 */
export type CertKind = 'ecdsa' | 'ecdsa-p384' | 'ecdsa-p521' | 'rsa' | 'rsa-pss' | 'ed25519' | 'both';

/** A key type the harness makes certificates with. */
export type CertKeyType =
  | 'ecdsa-p256'
  | 'ecdsa-p384'
  | 'ecdsa-p521'
  | 'rsa-2048'
  | 'rsa-pss-2048'
  | 'ed25519';

/**
 * A certificate's validity in whole days from now: `{ notBeforeDays: -40, notAfterDays: -10 }`
 * expired ten days ago, `{ notBeforeDays: 0, notAfterDays: 5 }` expires in five days.
 */
export interface CertValidity {
  readonly notBeforeDays: number;
  readonly notAfterDays: number;
}

/** How a peer is configured. Every field is optional; the defaults give a plain TLS 1.2+1.3 server. */
export interface PeerOptions {
  /** SNI names served, each with its own certificate (CN and SAN = the name). Default `['hellokit.test']`; the first is the default name. */
  names?: string[];
  /** Key type of the certificates. Default `ecdsa` (P-256). */
  cert?: CertKind;
  /**
   * Validity of the certificates of a key type (e.g. `{ 'rsa-2048': { notBeforeDays: -40, notAfterDays: -10 } }`
   * for an expired RSA certificate next to a valid ECDSA one). Default: from now for 30 days.
   */
  certValidity?: Partial<Record<CertKeyType, CertValidity>>;
  /**
   * Serve a certificate for the name and 700 more (`host1.NAME` …), issued through three
   * intermediate CAs, with the intermediates: the Certificate message (about 17.7 KB) spans
   * more than one record. Not with `certValidity`.
   */
  largeChain?: boolean;
  /** Versions the peer accepts. Default: TLS 1.2 and 1.3. */
  versions?: TlsVersionName[];
  /** Key exchange groups the peer accepts (IANA or OpenSSL names: `secp384r1`, `P-384`, `x25519`). Default: the server's own list. */
  groups?: string[];
  /**
   * Cipher suites by IANA name (`TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256`, `TLS_AES_256_GCM_SHA384`).
   * Each version is restricted only by the suites listed for it; a version with none listed keeps
   * the server's defaults.
   */
  ciphers?: string[];
  /**
   * `true`: a hello without SNI or with an unknown name is refused. `false`: the first name's certificate
   * is served to such hellos. Unset: the server's own default (Caddy refuses, the others serve the first name).
   */
  requireSni?: boolean;
  /** ALPN protocols the peer offers. */
  alpn?: string[];
  /**
   * `true`: the server picks the cipher suite by its own order (the order of `ciphers`), not
   * the client's. Supported by nginx (`ssl_prefer_server_ciphers`), openssl (`-serverpref`)
   * and node (`honorCipherOrder`); the other peers refuse it. Unset or false: client order.
   */
  serverCipherOrder?: boolean;
  /**
   * Caddy only: also serve HTTP/3 (QUIC over UDP) on the same 127.0.0.1 port as TLS over TCP.
   * The other peers ignore it (they have no QUIC).
   */
  http3?: boolean;
  /**
   * Ask every client for a certificate issued by the harness's client CA (`CN=client-ca.hellokit.test`,
   * see `peer.clientCa`): `required` refuses a client without one, `optional` lets it in.
   * openssl (`-Verify 1` / `-verify 1` with `-CAfile`), nginx (`ssl_verify_client on` /
   * `optional` with `ssl_client_certificate`), caddy (`client_auth` mode `require_and_verify` /
   * `verify_if_given` with `trusted_ca_cert_file`), gnutls (`--require-client-cert` / `--verify-client-cert`
   * with `--x509cafile`), haproxy (`verify required` / `optional` with `ca-file`), node
   * (`requestCert` with `rejectUnauthorized` true / false and `ca`). Unset: no certificate is asked for.
   */
  clientCertificate?: 'required' | 'optional';
  /** openssl only (`-no_ticket`): no NewSessionTicket in TLS 1.2; the other peers ignore it. */
  noSessionTickets?: boolean;
}

/** A certificate the peer serves. */
export interface PeerCertificate {
  /** The SNI name it is served for (its CN and only SAN). */
  name: string;
  keyType: CertKeyType;
  certPath: string;
  keyPath: string;
  /** The intermediate CAs alone, when `certPath` holds a chain (`largeChain`); s_server serves them with `-cert_chain`. */
  chainPath?: string;
  pem: string;
  /** SHA-256 fingerprint in Node's format (`AB:CD:…`), comparable to `getPeerCertificate().fingerprint256`. */
  fingerprint256: string;
  /** The end of its validity, ISO 8601. */
  notAfter: string;
}

/** A running server. */
export interface Peer {
  kind: PeerKind;
  /** Where to connect: `127.0.0.1`, or the address inside the peer's network namespace (gnutls). */
  host: string;
  port: number;
  /** The server software's version line, e.g. `nginx/1.22.1`. */
  software: string;
  /** The names served, the first one being the default. */
  names: string[];
  certificates: PeerCertificate[];
  /** The CA the peer asks client certificates from, when `clientCertificate` is set. */
  clientCa?: PeerCertificate;
  /** The process id of the server (the test process's own pid for `node`). */
  pid: number;
  /** Stops the server (SIGTERM, then SIGKILL) and removes its temp dir and namespace. Idempotent. */
  stop(): Promise<void>;
}
