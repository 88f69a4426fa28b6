/**
 * The server matrix: real servers on loopback, each configured to differ from an ordinary
 * modern server in one way a scanner can get wrong. `scripts/matrix/collect.ts` settles the
 * truth about each with `openssl s_client`, testssl.sh and sslscan into `truth.json`; the
 * tests in this folder start the same servers and check hellokit's scan and diagnose against it.
 */
import { behindTls13IntolerantMiddlebox } from '../peers/middlebox.ts';
import { startPeer } from '../peers/peers.ts';
import type { Peer, PeerKind, PeerOptions } from '../peers/types.ts';

/** One server configuration of the matrix. */
export interface MatrixConfiguration {
  /** Stable id, the key in `truth.json`. */
  readonly id: string;
  readonly kind: PeerKind;
  readonly options: PeerOptions;
  /** The SNI name scanners send (the first of `options.names`, default `hellokit.test`). */
  readonly serverName: string;
  /** What this configuration shows, in a few words. */
  readonly shows: string;
  /** Put the server behind the TLS 1.3-intolerant middlebox (test/peers/middlebox.ts). */
  readonly tls13IntolerantMiddlebox?: boolean;
  /**
   * What diagnose's `baseline_refused` must say, for servers that refuse the modern hello for a
   * reason truth.json does not record; each was settled with `openssl s_client` (see the entry).
   */
  readonly baselineRefused?: { readonly feature?: string; readonly repairs?: readonly string[] };
}

/** Starts the server of `config` (behind its middlebox, if it has one). */
export async function startConfiguration(config: MatrixConfiguration): Promise<Peer> {
  const peer = await startPeer(config.kind, config.options);
  if (!config.tls13IntolerantMiddlebox) return peer;
  try {
    return await behindTls13IntolerantMiddlebox(peer);
  } catch (error) {
    await peer.stop();
    throw error;
  }
}

const NAME = 'hellokit.test';
const EXPIRED = { notBeforeDays: -40, notAfterDays: -10 } as const;
const FIVE_DAYS = { notBeforeDays: -1, notAfterDays: 5 } as const;

/** TLS 1.2 suites of a server with its own order, strongest last so that no client order matches it. */
const ORDERED_SUITES = [
  'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256',
  'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA',
];

export const MATRIX: readonly MatrixConfiguration[] = [
  {
    id: 'nginx-dual-rsa-expired',
    kind: 'nginx',
    options: { cert: 'both', certValidity: { 'rsa-2048': EXPIRED } },
    serverName: NAME,
    shows: 'two certificates (ECDSA P-256 valid, RSA-2048 expired), picked by what the client offers',
  },
  {
    id: 'nginx-ecdsa-curves',
    kind: 'nginx',
    options: { groups: ['x25519', 'secp384r1'] },
    serverName: NAME,
    shows:
      'an ECDSA P-256 certificate with ssl_ecdh_curve X25519:secp384r1 (OpenSSL needs P-256 offered in TLS 1.2)',
  },
  {
    id: 'nginx-defaults',
    kind: 'nginx',
    options: {},
    serverName: NAME,
    shows: "nginx's own suites and curves with an ECDSA P-256 certificate",
  },
  {
    id: 'nginx-sni-required',
    kind: 'nginx',
    options: { requireSni: true },
    serverName: NAME,
    shows: 'a default server with ssl_reject_handshake: no SNI or an unknown name gets unrecognized_name',
  },
  {
    id: 'nginx-server-order',
    kind: 'nginx',
    options: { ciphers: ORDERED_SUITES, serverCipherOrder: true },
    serverName: NAME,
    shows: 'ssl_prefer_server_ciphers on with a TLS 1.2 list in a chosen order',
  },
  {
    id: 'haproxy-strict-sni',
    kind: 'haproxy',
    options: { requireSni: true, cert: 'rsa' },
    serverName: NAME,
    shows: 'HAProxy strict-sni with an RSA certificate',
  },
  {
    id: 'gnutls-tls12-only',
    kind: 'gnutls',
    options: { versions: ['TLS1.2'] },
    serverName: NAME,
    shows:
      'GnuTLS with TLS 1.3 disabled (NORMAL:-VERS-ALL:+VERS-TLS1.2): it answers hellos offering TLS 1.3 with TLS 1.2',
  },
  {
    id: 'openssl-cbc-only',
    kind: 'openssl',
    options: {
      versions: ['TLS1.2'],
      ciphers: [
        'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA',
        'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA',
        'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256',
        'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384',
      ],
    },
    serverName: NAME,
    shows: 'openssl s_server, TLS 1.2 only, CBC suites only',
  },
  {
    id: 'openssl-x448-p521',
    kind: 'openssl',
    options: { groups: ['x448', 'secp521r1'] },
    serverName: NAME,
    shows: 'openssl s_server -groups X448:P-521 with an ECDSA P-256 certificate',
  },
  {
    id: 'openssl-client-order',
    kind: 'openssl',
    options: { ciphers: ORDERED_SUITES },
    serverName: NAME,
    shows: "openssl s_server without -serverpref: the client's order decides",
  },
  {
    id: 'openssl-expiring-5d',
    kind: 'openssl',
    options: { cert: 'rsa', certValidity: { 'rsa-2048': FIVE_DAYS } },
    serverName: NAME,
    shows: 'a self-signed RSA certificate that expires in 5 days',
  },
  {
    id: 'caddy-defaults',
    kind: 'caddy',
    options: {},
    serverName: NAME,
    shows:
      'Go crypto/tls: name-based certificates (no SNI: internal_error), strict ALPN, server order except for ChaCha20',
  },
  {
    id: 'node-alpn',
    kind: 'node',
    options: { alpn: ['h2', 'http/1.1'] },
    serverName: NAME,
    shows: "Node's tls.createServer with ALPNProtocols h2 and http/1.1",
  },
  {
    id: 'openssl-tls13-intolerant',
    kind: 'openssl',
    options: { versions: ['TLS1.2'] },
    serverName: NAME,
    tls13IntolerantMiddlebox: true,
    shows:
      'openssl s_server (TLS 1.2 only) behind a middlebox that refuses any hello offering TLS 1.3 with alert 40',
  },
  {
    id: 'openssl-legacy-only',
    kind: 'openssl',
    options: { versions: ['TLS1.0', 'TLS1.1'], cert: 'rsa' },
    serverName: NAME,
    shows:
      'openssl s_server with only TLS 1.1 and 1.0 (@SECLEVEL=0): a hello listing TLS 1.3 and 1.2 in supported_versions gets protocol_version, one without the extension gets TLS 1.1',
  },
  {
    id: 'openssl-rsa-pss',
    kind: 'openssl',
    options: { cert: 'rsa-pss' },
    serverName: NAME,
    // s_client -tls1_3 and -tls1_2 with the baseline's -sigalgs (no rsa_pss_pss_*): alert 40
    // in both; adding rsa_pss_pss_sha256: a handshake.
    baselineRefused: { feature: 'signature_algorithms' },
    shows:
      'an RSASSA-PSS certificate key: it signs only with rsa_pss_pss_*, which a hello must offer in TLS 1.3 and 1.2',
  },
  {
    id: 'openssl-ecdsa-p521',
    kind: 'openssl',
    options: { cert: 'ecdsa-p521' },
    serverName: NAME,
    // s_client with the baseline's -sigalgs: -tls1_3 gets alert 40, -tls1_2 a handshake
    // (ECDHE-ECDSA-AES256-GCM-SHA384); -tls1_3 with ECDSA+SHA512 added: a handshake.
    baselineRefused: { repairs: ['tls13', 'signature_algorithms'] },
    shows:
      'an ECDSA P-521 certificate: TLS 1.3 needs ecdsa_secp521r1_sha512 offered; TLS 1.2 needs secp521r1 in supported_groups',
  },
  {
    id: 'openssl-tls13-ccm',
    kind: 'openssl',
    options: { ciphers: ['TLS_AES_128_CCM_SHA256', 'TLS_AES_128_CCM_8_SHA256'] },
    serverName: NAME,
    // s_client -tls1_3 -ciphersuites with the three common TLS 1.3 suites: alert 40; with
    // TLS_AES_128_CCM_SHA256: a handshake; -tls1_2: a handshake.
    baselineRefused: { feature: 'tls13_suites' },
    shows: 'TLS 1.3 with the AES-CCM suites only (which few clients offer), TLS 1.2 as usual',
  },
  {
    id: 'openssl-tls13-only',
    kind: 'openssl',
    options: { versions: ['TLS1.3'] },
    serverName: NAME,
    shows: 'TLS 1.3 only (Mozilla\'s "modern" profile): a client offering only TLS 1.2 gets protocol_version',
  },
  {
    id: 'openssl-ffdhe2048-only',
    kind: 'openssl',
    options: { groups: ['ffdhe2048'] },
    serverName: NAME,
    // s_client -groups X25519:P-256:P-384:P-521 (the baseline's): -tls1_3 alert 40, -tls1_2 alert
    // 40 (no ECDHE curve for the ECDSA certificate); -tls1_3 -groups ffdhe2048: a handshake.
    baselineRefused: { feature: 'groups' },
    shows:
      'openssl s_server -groups ffdhe2048 with an ECDSA certificate: TLS 1.3 with finite-field DHE only, no TLS 1.2 (no curve for ECDHE)',
  },
  {
    id: 'openssl-dhe-only',
    kind: 'openssl',
    options: {
      versions: ['TLS1.2'],
      cert: 'rsa',
      ciphers: ['TLS_DHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_DHE_RSA_WITH_AES_256_GCM_SHA384'],
    },
    serverName: NAME,
    // s_client -tls1_2 -cipher ECDHE (the baseline's suites are all ECDHE): alert 40; kDHE: a handshake.
    baselineRefused: { feature: 'cipher_suites' },
    shows: 'TLS 1.2 only with DHE-RSA suites only (no ECDHE), RSA certificate',
  },
  {
    id: 'openssl-rsa-kx-only',
    kind: 'openssl',
    options: {
      versions: ['TLS1.2'],
      cert: 'rsa',
      ciphers: ['TLS_RSA_WITH_AES_128_GCM_SHA256', 'TLS_RSA_WITH_AES_256_GCM_SHA384'],
    },
    serverName: NAME,
    // s_client -tls1_2 -cipher ECDHE: alert 40; -cipher kRSA: a handshake.
    baselineRefused: { feature: 'cipher_suites' },
    shows: 'TLS 1.2 only with static RSA key exchange only (AES128-GCM-SHA256, AES256-GCM-SHA384)',
  },
  {
    id: 'openssl-chacha20-only',
    kind: 'openssl',
    options: {
      ciphers: ['TLS_CHACHA20_POLY1305_SHA256', 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256'],
    },
    serverName: NAME,
    shows:
      'ChaCha20-Poly1305 only, in TLS 1.3 and 1.2: a client offering only AES-GCM (FIPS mode) gets handshake_failure',
  },
  {
    id: 'openssl-tls12-chacha20-only',
    kind: 'openssl',
    options: {
      versions: ['TLS1.2'],
      ciphers: ['TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256'],
    },
    serverName: NAME,
    // s_client -tls1_2 -cipher AES: alert 40; -cipher CHACHA20: ECDHE-ECDSA-CHACHA20-POLY1305.
    shows:
      'TLS 1.2 only with ECDHE-ECDSA-CHACHA20-POLY1305 only: a client offering only AES suites (FIPS mode) gets handshake_failure',
  },
  {
    id: 'openssl-tls12-ccm-only',
    kind: 'openssl',
    options: {
      versions: ['TLS1.2'],
      ciphers: ['TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8', 'TLS_ECDHE_ECDSA_WITH_AES_128_CCM'],
    },
    serverName: NAME,
    // s_client -tls1_2 (OpenSSL's default suites have no CCM): alert 40; -cipher ECDHE-ECDSA-AES128-CCM8: a handshake.
    baselineRefused: { feature: 'cipher_suites' },
    shows:
      'TLS 1.2 only with ECDHE-ECDSA AES-128-CCM and CCM_8 only (an IoT profile, RFC 7925): browsers and OpenSSL defaults get handshake_failure',
  },
  {
    id: 'openssl-ed25519',
    kind: 'openssl',
    options: { cert: 'ed25519' },
    serverName: NAME,
    // s_client -sigalgs with Chrome's list (no ed25519): alert 40 in TLS 1.3 and 1.2; with ed25519: a handshake.
    baselineRefused: { feature: 'signature_algorithms' },
    shows:
      'openssl s_server with only an Ed25519 certificate: browsers offer no ed25519 signature algorithm and get handshake_failure',
  },
  {
    id: 'openssl-tls12-camellia-only',
    kind: 'openssl',
    options: {
      versions: ['TLS1.2'],
      cert: 'rsa',
      ciphers: ['TLS_ECDHE_RSA_WITH_CAMELLIA_128_CBC_SHA256', 'TLS_RSA_WITH_CAMELLIA_128_CBC_SHA'],
    },
    serverName: NAME,
    // s_client -tls1_2 (OpenSSL's default suites have no Camellia): alert 40; -cipher CAMELLIA: a handshake.
    baselineRefused: { feature: 'cipher_suites' },
    shows:
      'TLS 1.2 only with Camellia suites only (ECDHE-RSA-CAMELLIA128-SHA256, CAMELLIA128-SHA), RSA certificate: browsers and OpenSSL defaults get handshake_failure',
  },
  {
    id: 'nginx-p384-aes256',
    kind: 'nginx',
    options: {
      cert: 'ecdsa-p384',
      groups: ['secp384r1'],
      ciphers: ['TLS_AES_256_GCM_SHA384', 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384'],
    },
    serverName: NAME,
    shows:
      'a CNSA-style nginx: ECDSA P-384 certificate, ssl_ecdh_curve secp384r1, AES-256-GCM suites only (an x25519 key share gets a HelloRetryRequest)',
  },
  {
    id: 'openssl-alpn-h2-only',
    kind: 'openssl',
    options: { alpn: ['h2'] },
    serverName: NAME,
    shows:
      'openssl s_server -alpn h2: a client offering only http/1.1 gets no_application_protocol (120), one offering no ALPN connects',
  },
  {
    id: 'gnutls-server-order',
    kind: 'gnutls',
    options: {
      serverCipherOrder: true,
      ciphers: [
        'TLS_AES_256_GCM_SHA384',
        'TLS_CHACHA20_POLY1305_SHA256',
        'TLS_AES_128_GCM_SHA256',
        'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
        'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256',
        'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
      ],
    },
    serverName: NAME,
    shows:
      'GnuTLS with %SERVER_PRECEDENCE: its own suite order (AES-256-GCM, ChaCha20, AES-128-GCM) in both versions',
  },
  {
    id: 'openssl-large-chain',
    kind: 'openssl',
    options: { largeChain: true },
    serverName: NAME,
    shows:
      'a certificate for 701 names issued through three intermediates: the Certificate message (about 17.7 KB) spans two records',
  },
  {
    id: 'haproxy-dual',
    kind: 'haproxy',
    options: { cert: 'both' },
    serverName: NAME,
    shows: 'HAProxy with ECDSA and RSA certificates on one bind',
  },
];
