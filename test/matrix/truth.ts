/**
 * The shape of `truth.json`: what `openssl s_client` settled about each configuration of the
 * matrix (the truth the tests assert), next to what testssl.sh and sslscan reported, and where
 * they differ from s_client. Written by `scripts/matrix/collect.ts`.
 */
import { readFileSync } from 'node:fs';

/** How a server answered one hello: a completed handshake, a fatal alert, or a close without one. */
export type Answer = 'handshake' | `alert ${number}` | 'closed';

/** The server's cipher preference in one version. */
export type OrderKind = 'server' | 'client' | 'server-except-chacha20';

/** One distinct certificate chain and the hellos that got it. */
export interface TruthCertificate {
  /** `ecdsa-p256`, `ecdsa-p384`, `rsa-2048`, … of the end-entity certificate. */
  readonly keyType: string;
  readonly subject: string;
  readonly selfSigned: boolean;
  /** Relative to the collection date: expired, expiring (within 14 days), or valid. */
  readonly status: 'expired' | 'expiring' | 'valid';
  /** Days from the collection date to notAfter (negative: expired). */
  readonly daysLeft: number;
  readonly chainLength: number;
  /** s_client hellos that got this chain, e.g. `TLS 1.3 ECDSA SNI`, `TLS 1.2 RSA no-SNI`. */
  readonly hellos: readonly string[];
}

/** What openssl s_client settled about one server configuration. */
export interface ServerTruth {
  /** `TLS 1.3`, `TLS 1.2`, … highest first. */
  readonly versions: readonly string[];
  /** Accepted suite codes per version, in code order. */
  readonly suites: Readonly<Record<string, readonly number[]>>;
  /** Per version with two or more suites: whose order decides. */
  readonly order: Readonly<Record<string, OrderKind>>;
  /** Per version with server order: the server's order of its suites (codes). */
  readonly serverPreference: Readonly<Record<string, readonly number[]>>;
  /** TLS 1.2 ECDHE curves the server uses (IANA names), sorted. */
  readonly tls12Curves: readonly string[];
  /** Of those, the ones accepted only when the certificate's curve is offered next to them. */
  readonly tls12CurvesNeedingCompany: readonly string[];
  /** Curves s_client could not decide (the server picked the companion instead). */
  readonly tls12CurvesUndecided: readonly string[];
  /** TLS 1.3 groups (IANA names), sorted. */
  readonly tls13Groups: readonly string[];
  /** TLS 1.2 finite-field DHE: the DH parameter size in bits, or null when no DHE suite works. */
  readonly tls12DheBits: number | null;
  readonly certificates: readonly TruthCertificate[];
  readonly sni: { readonly withName: Answer; readonly without: Answer; readonly unknownName: Answer };
  readonly alpn: {
    /** What the server picks from `h2,http/1.1` (null: no ALPN in its answer). */
    readonly chosen: string | null;
    /** What a hello offering only `hellokit-x` gets: `ignored` (handshake without ALPN) or the failure. */
    readonly unknownOnly: 'ignored' | Answer;
    /**
     * What a hello offering only h2, and one offering only http/1.1, gets: `chosen` (the
     * protocol in the answer), `ignored` (a handshake without ALPN) or the failure.
     */
    readonly alone: Readonly<Record<'h2' | 'http/1.1', 'chosen' | 'ignored' | Answer>>;
  };
  /** A hello offering TLS 1.3 (with every TLS 1.3 suite) and 1.2 fails where one offering TLS 1.2 alone works. */
  readonly tls13Intolerant: boolean;
}

/** What a reference scanner reported, in the same terms (fields it does not report are absent). */
export interface ScannerReport {
  readonly versions: readonly string[];
  readonly suites: Readonly<Record<string, readonly number[]>>;
  readonly order?: Readonly<Record<string, OrderKind>>;
  readonly tls12Curves?: readonly string[];
  /** Curves (or groups) without a version: testssl lists TLS 1.2 and 1.3 together. */
  readonly curves?: readonly string[];
  readonly tls13Groups?: readonly string[];
  readonly certificates?: readonly { keyType: string; status: string; selfSigned: boolean }[];
  readonly seconds: number;
  /** When this report was made (ISO 8601); the s_client truth of the same entry may be newer. */
  readonly collectedAt?: string;
  readonly error?: string;
}

/** One field where a reference scanner and s_client differ. */
export interface Disagreement {
  readonly tool: 'testssl' | 'sslscan' | 'hellokit';
  readonly field: string;
  readonly tool_says: unknown;
  readonly s_client_says: unknown;
}

export interface TruthEntry {
  readonly id: string;
  /** When s_client and sslscan were run on this server (ISO 8601). */
  readonly collectedAt: string;
  readonly software: string;
  readonly serverName: string;
  readonly shows: string;
  readonly truth: ServerTruth;
  readonly testssl?: ScannerReport;
  readonly sslscan?: ScannerReport;
  readonly disagreements: readonly Disagreement[];
}

export interface TruthFile {
  readonly provenance: {
    /** When the last collection run started (ISO 8601); each entry and report has its own date. */
    readonly collectedAt: string;
    /** The last collection run. */
    readonly command: string;
    readonly tools: Readonly<Record<string, string>>;
  };
  readonly servers: readonly TruthEntry[];
}

/** Reads `test/matrix/truth.json`. */
export function readTruth(): TruthFile {
  return JSON.parse(readFileSync(new URL('./truth.json', import.meta.url), 'utf8')) as TruthFile;
}
