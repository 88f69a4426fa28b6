/**
 * hellokit's scan result in the terms of `truth.json`, so each test compares like with like.
 * This is the one place that knows the shape of `ScanResult`: when scan's result changes
 * shape, this file changes and the tests do not.
 */
import type { CertificateSummary } from '../../src/node/certificates.ts';
import type { ScanResult } from '../../src/scan/scan.ts';
import type { OrderKind } from './truth.ts';

/** What a scan found, as truth.json states it. */
export interface ScanFacts {
  readonly versions: string[];
  readonly suites: Record<string, number[]>;
  /** Per supported version with a verdict: whose order decides. */
  readonly order: Record<string, OrderKind | 'unknown'>;
  /** Per version, the suites in the order the scan lists them. */
  readonly listed: Record<string, number[]>;
  readonly tls12Curves: string[];
  /** TLS 1.2 curves accepted only next to another (the certificate's) curve, sorted. */
  readonly tls12CurvesNeedingCompany: string[];
  /** TLS 1.2 DHE parameter size in bits; null when no DHE suite was accepted. */
  readonly tls12DheBits: number | null;
  readonly tls13Groups: string[];
  /** Each distinct chain once (by the end-entity's SHA-256). */
  readonly certificates: {
    keyType: string;
    notAfter: string;
    selfSigned: boolean;
    sha256: string;
    /** Certificates the server sent, the end-entity's included. */
    chainLength: number;
  }[];
}

/** `ecdsa-p256`, `rsa-2048`, … as truth.json names key types. */
export function keyTypeOf(c: CertificateSummary): string {
  const { type, curve, size } = c.publicKey;
  if (type === 'EC') return `ecdsa-${(curve ?? '').toLowerCase().replace('-', '')}`;
  // An EdDSA key's size is fixed by its curve: truth.json names it `ed25519`.
  if (type.startsWith('Ed')) return type.toLowerCase();
  return `${type.toLowerCase()}-${size ?? ''}`;
}

/**
 * `serverOrder` as a kind: true or false, refined by `serverOrderDescription` (a server order
 * with an exception says so in words; one that names ChaCha20 is Go's exception).
 */
function orderKind(serverOrder: unknown, description: string): OrderKind | 'unknown' {
  if (/chacha/i.test(description)) return 'server-except-chacha20';
  if (serverOrder === true) return 'server';
  if (serverOrder === false) return 'client';
  if (typeof serverOrder === 'string' && /chacha/i.test(serverOrder)) return 'server-except-chacha20';
  if (typeof serverOrder === 'string' && /^server/i.test(serverOrder)) return 'server';
  if (typeof serverOrder === 'string' && /^client/i.test(serverOrder)) return 'client';
  return 'unknown';
}

/** Every certificate chain anywhere in the result, end-entity first. */
function chains(r: ScanResult): (readonly CertificateSummary[])[] {
  return r.certificates.map((c) => c.certificates).filter((chain) => chain.length > 0);
}

export function scanFacts(r: ScanResult): ScanFacts {
  const supported = r.versions.filter((v) => v.supported);
  const suites: Record<string, number[]> = {};
  const listed: Record<string, number[]> = {};
  const order: Record<string, OrderKind | 'unknown'> = {};
  for (const v of supported) {
    listed[v.version] = v.cipherSuites.map((s) => s.code);
    suites[v.version] = [...listed[v.version]].sort((a, b) => a - b);
    if (v.cipherSuites.length >= 2) order[v.version] = orderKind(v.serverOrder, v.serverOrderDescription);
  }
  const tls12 = supported.find((v) => v.version === 'TLS 1.2');
  const byLeaf = new Map<string, ScanFacts['certificates'][number]>();
  for (const chain of chains(r)) {
    const leaf = chain[0];
    byLeaf.set(leaf.sha256, {
      keyType: keyTypeOf(leaf),
      notAfter: leaf.notAfter,
      selfSigned: leaf.selfSigned,
      sha256: leaf.sha256,
      chainLength: chain.length,
    });
  }
  return {
    versions: supported.map((v) => v.version),
    suites,
    order,
    listed,
    tls12Curves: [...(tls12?.groups ?? [])].sort(),
    tls12CurvesNeedingCompany: (tls12?.groupsNeedingCompany ?? []).map((g) => g.group).sort(),
    tls12DheBits: tls12?.dhe?.bits ?? null,
    tls13Groups: [...(supported.find((v) => v.version === 'TLS 1.3')?.groups ?? [])].sort(),
    certificates: [...byLeaf.values()],
  };
}
