/**
 * testssl.sh's JSON and sslscan's XML in the terms of `truth.json`, and the fields where
 * each differs from what `openssl s_client` settled.
 */
import { groupName, lookupGroup } from '../../src/iana/lookup.ts';
import type { Disagreement, OrderKind, ScannerReport, ServerTruth } from '../../test/matrix/truth.ts';
import type { SslscanResult, TestsslEntry } from '../../test/peers/reference-scanners.ts';

const DAY_MS = 86_400_000;
const EXPIRING_DAYS = 14;

const TESTSSL_VERSIONS: Record<string, string> = {
  TLS1_3: 'TLS 1.3',
  TLS1_2: 'TLS 1.2',
  TLS1_1: 'TLS 1.1',
  TLS1: 'TLS 1.0',
};
const TESTSSL_SUITE_VERSIONS: Record<string, string> = {
  tls1_3: 'TLS 1.3',
  tls1_2: 'TLS 1.2',
  tls1_1: 'TLS 1.1',
  tls1: 'TLS 1.0',
};

/** A group name as a scanner prints it (`prime256v1`, `X25519`, `secp256r1`) → the IANA name, or itself. */
function iana(name: string): string {
  try {
    return groupName(lookupGroup(name));
  } catch {
    return name;
  }
}

function status(daysLeft: number): string {
  return daysLeft < 0 ? 'expired' : daysLeft < EXPIRING_DAYS ? 'expiring' : 'valid';
}

/** testssl's findings (`-p -E -P -S -f`) as a {@link ScannerReport}. */
export function fromTestssl(
  entries: readonly TestsslEntry[],
  collectedAt: number,
  seconds: number,
): ScannerReport {
  const versions = entries
    .filter((e) => TESTSSL_VERSIONS[e.id] && /^offered/.test(e.finding))
    .map((e) => TESTSSL_VERSIONS[e.id]);
  const suites: Record<string, number[]> = {};
  for (const e of entries) {
    const m = /^cipher-(tls1(?:_\d)?)_x([0-9a-f]+)$/.exec(e.id);
    if (!m) continue;
    const version = TESTSSL_SUITE_VERSIONS[m[1]];
    suites[version] = [...(suites[version] ?? []), Number.parseInt(m[2], 16)].sort((a, b) => a - b);
  }
  const cipherOrder = entries.find((e) => e.id === 'cipher_order')?.finding ?? '';
  const kind: OrderKind = /^server/i.test(cipherOrder) ? 'server' : 'client';
  const order: Record<string, OrderKind> = {};
  for (const v of Object.keys(suites)) if (suites[v].length >= 2) order[v] = kind;
  const curves = [
    ...(entries.find((e) => e.id === 'PFS_ECDHE_curves' || e.id === 'FS_ECDHE_curves')?.finding ?? '').split(
      /\s+/,
    ),
    ...(entries.find((e) => e.id === 'DH_groups')?.finding ?? '').split(/\s+/),
  ]
    // Words of the finding that are not names (testssl writes e.g. `DH Group` beside them) have no digit.
    .filter((c) => /^[\w-]+$/.test(c) && /\d/.test(c))
    .map(iana)
    .sort();
  // One certificate: `cert_keySize`; several: `cert_keySize <hostCert#1>`, … .
  const suffixes = new Set(
    entries.filter((e) => e.id.startsWith('cert_keySize')).map((e) => e.id.slice('cert_keySize'.length)),
  );
  const certificates = [...suffixes].map((suffix) => {
    const get = (id: string) => entries.find((e) => e.id === `${id}${suffix}`)?.finding ?? '';
    const size = /^(EC|RSA)\s+(\d+)/.exec(get('cert_keySize'));
    const keyType = size ? (size[1] === 'EC' ? `ecdsa-p${size[2]}` : `rsa-${size[2]}`) : get('cert_keySize');
    const notAfter = Date.parse(`${get('cert_notAfter').replace(' ', 'T')}Z`);
    return {
      keyType,
      status: status(Math.floor((notAfter - collectedAt) / DAY_MS)),
      selfSigned: /self signed/i.test(get('cert_chain_of_trust')),
    };
  });
  const error = entries.find((e) => e.id === 'scanProblem' || e.severity === 'FATAL')?.finding;
  return { versions, suites, order, curves, certificates, seconds, ...(error ? { error } : {}) };
}

const SSLSCAN_VERSIONS: Record<string, string> = {
  'TLSv1.3': 'TLS 1.3',
  'TLSv1.2': 'TLS 1.2',
  'TLSv1.1': 'TLS 1.1',
  'TLSv1.0': 'TLS 1.0',
};

const SSLSCAN_CURVES: Record<string, string> = {
  prime256v1: 'ecdsa-p256',
  secp384r1: 'ecdsa-p384',
  secp521r1: 'ecdsa-p521',
};

/** sslscan's findings as a {@link ScannerReport}. */
export function fromSslscan(r: SslscanResult, collectedAt: number, seconds: number): ScannerReport {
  const suites: Record<string, number[]> = {};
  for (const [v, codes] of Object.entries(r.suites))
    suites[SSLSCAN_VERSIONS[v] ?? v] = [...codes].sort((a, b) => a - b);
  const cert = r.certificate;
  const certificates = cert
    ? [
        {
          keyType:
            cert.keyType === 'EC'
              ? (SSLSCAN_CURVES[cert.curve ?? ''] ?? `ecdsa-${cert.curve}`)
              : `${cert.keyType.toLowerCase()}-${cert.bits ?? ''}`,
          status: cert.notAfter
            ? status(Math.floor((Date.parse(cert.notAfter) - collectedAt) / DAY_MS))
            : cert.expired
              ? 'expired'
              : 'valid',
          selfSigned: cert.selfSigned,
        },
      ]
    : [];
  return {
    versions: [...r.versions].sort().reverse(),
    suites,
    tls12Curves: (r.groups['TLSv1.2'] ?? []).map(iana).sort(),
    tls13Groups: (r.groups['TLSv1.3'] ?? []).map(iana).sort(),
    certificates,
    seconds,
  };
}

const same = (a: readonly unknown[], b: readonly unknown[]) =>
  JSON.stringify([...a].map(String).sort()) === JSON.stringify([...b].map(String).sort());

/** Every field where `report` says something else than s_client's `truth`. */
export function disagreements(
  tool: Disagreement['tool'],
  report: ScannerReport | undefined,
  truth: ServerTruth,
): Disagreement[] {
  if (!report) return [];
  const out: Disagreement[] = [];
  const differ = (field: string, toolSays: unknown, sClientSays: unknown) =>
    out.push({ tool, field, tool_says: toolSays, s_client_says: sClientSays });
  if (report.error) differ('error', report.error, null);
  if (!same(report.versions, truth.versions)) differ('versions', report.versions, truth.versions);
  for (const v of new Set([...Object.keys(report.suites), ...Object.keys(truth.suites)])) {
    const theirs = report.suites[v] ?? [];
    const ours = truth.suites[v] ?? [];
    if (!same(theirs, ours))
      differ(`suites ${v}`, hex(theirs.filter((s) => !ours.includes(s))), {
        missing: hex(ours.filter((s) => !theirs.includes(s))),
      });
  }
  if (report.order)
    for (const v of Object.keys(truth.order))
      if (report.order[v] !== undefined && report.order[v] !== truth.order[v])
        differ(`order ${v}`, report.order[v], truth.order[v]);
  // A curve s_client could not decide (the server took the companion P-256) is no one's error.
  const decided = (curves: readonly string[]) =>
    curves.filter((c) => !truth.tls12CurvesUndecided.includes(c));
  if (report.tls12Curves && !same(decided(report.tls12Curves), truth.tls12Curves))
    differ('TLS 1.2 curves', report.tls12Curves, truth.tls12Curves);
  if (report.tls13Groups && !same(report.tls13Groups, truth.tls13Groups))
    differ('TLS 1.3 groups', report.tls13Groups, truth.tls13Groups);
  if (report.curves) {
    const union = [...new Set([...truth.tls12Curves, ...truth.tls13Groups])];
    if (!same(decided(report.curves), decided(union)))
      differ('curves and groups (all versions)', report.curves, union);
  }
  if (report.certificates) {
    const describe = (c: { keyType: string; status: string; selfSigned: boolean }) =>
      `${c.keyType} ${c.status}${c.selfSigned ? ' self-signed' : ''}`;
    const theirs = report.certificates.map(describe);
    const ours = truth.certificates.map(describe);
    if (!same(theirs, ours)) differ('certificates', theirs, ours);
  }
  return out;
}

function hex(codes: readonly number[]): string[] {
  return codes.map((c) => `0x${c.toString(16).padStart(4, '0')}`);
}
