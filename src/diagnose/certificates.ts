/**
 * Certificate findings: what a verifying client (a browser, curl, Node) will say about the
 * certificate the server sends, read from the baseline probe (with SNI) and the probe
 * without SNI. The handshake can succeed and the connection still fail here.
 */
import type { CertificateChain } from './certificate-discovery.ts';
import type { AnswerCertificate, ProbeAnswer } from './types.ts';

const DAY_MS = 86_400_000;
/** A certificate that ends within this many days gets a warning. */
export const EXPIRY_WARNING_DAYS = 14;

/** One certificate problem (or the all-clear), before it becomes a finding. */
export interface CertificateCheck {
  readonly id:
    | 'certificate'
    | 'cert_name_mismatch'
    | 'cert_expired'
    | 'cert_not_yet_valid'
    | 'cert_expiring'
    | 'cert_self_signed'
    | 'cert_chain'
    | 'cert_without_sni';
  readonly severity: 'error' | 'warning' | 'info';
  readonly explanation: string;
  readonly fix?: string;
  readonly extra: Record<string, unknown>;
}

/**
 * Whether `host` is covered by a certificate's names (RFC 6125 §6.4): the subjectAltName
 * DNS entries, case-insensitively, a wildcard standing for exactly one whole left-most label
 * (`*.example.com` covers `a.example.com`, not `example.com` or `a.b.example.com`); an IP
 * address only by an `IP:` entry. The subject CN counts only when there is no
 * subjectAltName, as the RFC allows and browsers no longer do.
 * @example hostMatches('a.example.com', ['DNS:*.example.com'], 'CN=x') // true
 */
export function hostMatches(host: string, subjectAltNames: readonly string[], subject = ''): boolean {
  const name = host.toLowerCase().replace(/\.$/, '');
  if (/^[\d.]+$/.test(name) || name.includes(':')) {
    return subjectAltNames.some((s) => s.startsWith('IP:') && s.slice(3).toLowerCase() === name);
  }
  const dns = subjectAltNames.filter((s) => s.startsWith('DNS:')).map((s) => s.slice(4));
  const patterns = dns.length > 0 || subjectAltNames.length > 0 ? dns : commonNames(subject);
  return patterns.some((p) => dnsMatch(name, p.toLowerCase().replace(/\.$/, '')));
}

function dnsMatch(host: string, pattern: string): boolean {
  if (!pattern.startsWith('*.')) return host === pattern;
  const rest = pattern.slice(1); // '.example.com'
  if (!host.endsWith(rest)) return false;
  const label = host.slice(0, -rest.length);
  return label.length > 0 && !label.includes('.');
}

function commonNames(subject: string): string[] {
  return [...subject.matchAll(/(?:^|,\s*)CN=([^,]+)/g)].map((m) => m[1].trim());
}

/** How many subjectAltName entries an explanation lists before it counts the rest. */
const SHOWN_NAMES = 5;

/**
 * The names a certificate covers, in words. A certificate for hundreds of names (shared
 * hosting, CDNs) is shown by the entry that covers `host` first, a few others and a count.
 */
function names(c: AnswerCertificate, host: string | null = null): string {
  const sans = c.subjectAltNames ?? [];
  if (sans.length === 0) return `${c.subject} (no subjectAltName)`;
  if (sans.length <= SHOWN_NAMES) return sans.join(', ');
  const covering = host === null ? undefined : sans.find((s) => hostMatches(host, [s]));
  const shown = [...new Set([...(covering ? [covering] : []), ...sans])].slice(0, SHOWN_NAMES);
  return `${shown.join(', ')} and ${sans.length - shown.length} more`;
}

function day(iso: string): string {
  return iso.slice(0, 10);
}

/**
 * The checks on the certificates of `withSni` (the hello naming `serverName`) and, when it
 * differs, of `withoutSni`, at time `now` (ms since the epoch). Empty when the answer carried
 * no certificate (a refused hello, or TLS 1.3 without decryption).
 */
export function certificateChecks(
  serverName: string | null,
  withSni: ProbeAnswer | undefined,
  withoutSni: ProbeAnswer | undefined,
  now: number,
): CertificateCheck[] {
  const chain = withSni?.certificates ?? [];
  if (chain.length === 0) return [];
  const out = leafChecks(serverName, chain, now, 'The certificate');
  const other = withoutSni?.certificates?.[0];
  const covered = out.every((c) => c.id !== 'cert_name_mismatch');
  if (serverName !== null && covered && other && other.sha256 !== chain[0].sha256) {
    const problem = withoutSniCheck(serverName, other, 'another certificate');
    if (problem) out.push(problem);
  }
  return out.length > 0 ? out : [allClear(serverName, chain, now, 'The certificate')];
}

/** A certificate check about one of several chains: which chain, and which hellos got it. */
export interface ChainCertificateCheck extends CertificateCheck {
  readonly chain: {
    /** `RSA 2048`, `EC P-256`, `Ed25519`, ... */
    readonly keyType: string;
    readonly subject: string;
    readonly sha256: string | null;
    /** Ids of the probes whose hellos got this chain. */
    readonly hellos: readonly string[];
  };
}

/** `RSA 2048`, `EC P-256`, `Ed25519`: the leaf's key in short (from hellokit/node's summary). */
export function keyTypeOf(leaf: AnswerCertificate): string {
  const key = (leaf.publicKey ?? {}) as { type?: unknown; curve?: unknown; size?: unknown };
  const type = typeof key.type === 'string' ? key.type : 'unknown key';
  if (typeof key.curve === 'string') return `${type} ${key.curve}`;
  if (type.startsWith('RSA') && typeof key.size === 'number') return `${type} ${key.size}`;
  return type;
}

/**
 * Every certificate check on every chain of `chains` (from {@link discoverCertificates}), at
 * time `now`: each check names the chain (key type, subject) and the hellos that got it. A chain
 * got only without SNI is checked against `serverName` as {@link certificateChecks} checks the
 * no-SNI answer (`cert_without_sni`), not as a name mismatch.
 * @example chainCertificateChecks('example.test', await discoverCertificates(probe, opts), Date.now())
 */
export function chainCertificateChecks(
  serverName: string | null,
  chains: readonly CertificateChain[],
  now: number,
): ChainCertificateCheck[] {
  const out: ChainCertificateCheck[] = [];
  const withSni = chains.filter((c) => c.hellos.some((h) => h.serverName !== null));
  for (const chain of chains) {
    const leaf = chain.certificates[0];
    if (!leaf) continue;
    const keyType = keyTypeOf(leaf);
    const hellos = chain.hellos.map((h) => h.probe);
    const about = {
      keyType,
      subject: leaf.subject,
      sha256: leaf.sha256 ?? null,
      hellos,
    };
    const what = `The ${keyType} certificate`;
    const gotWithSni = serverName === null || chain.hellos.some((h) => h.serverName !== null);
    const checks = leafChecks(gotWithSni ? serverName : null, chain.certificates, now, what);
    if (!gotWithSni && serverName !== null && withSni.length > 0) {
      const problem = withoutSniCheck(serverName, leaf, `a ${keyType} certificate`);
      if (problem) checks.push(problem);
    }
    const all =
      checks.length > 0 ? checks : [allClear(gotWithSni ? serverName : null, chain.certificates, now, what)];
    const servedTo = `(served to: ${chain.hellos.map((h) => h.label).join('; ')})`;
    for (const c of all) {
      out.push({
        ...c,
        explanation: `${c.explanation} ${servedTo}`,
        extra: { ...c.extra, chain: about },
        chain: about,
      });
    }
  }
  return out;
}

/** Name, validity, issuer checks on one chain; `what` starts each sentence (`The certificate`). */
function leafChecks(
  serverName: string | null,
  chain: readonly AnswerCertificate[],
  now: number,
  what: string,
): CertificateCheck[] {
  const leaf = chain[0];
  const out: CertificateCheck[] = [];
  const covered = serverName !== null && hostMatches(serverName, leaf.subjectAltNames ?? [], leaf.subject);
  if (serverName !== null && !covered) {
    out.push({
      id: 'cert_name_mismatch',
      severity: 'error',
      explanation: `${what} the server sends for ${serverName} does not cover that name (it names ${names(leaf)}): a client that checks names (browsers, curl, Node, Go) refuses the connection after the handshake.`,
      fix: `Serve a certificate whose subjectAltName lists ${serverName} (or a wildcard one label up), or connect with a name the certificate lists.`,
      extra: { serverName, subjectAltNames: leaf.subjectAltNames ?? [], subject: leaf.subject },
    });
  }
  const notBefore = leaf.notBefore ? Date.parse(leaf.notBefore) : Number.NaN;
  const notAfter = leaf.notAfter ? Date.parse(leaf.notAfter) : Number.NaN;
  if (notAfter < now) {
    out.push({
      id: 'cert_expired',
      severity: 'error',
      explanation: `${what} expired on ${day(leaf.notAfter!)}, ${Math.floor((now - notAfter) / DAY_MS)} days ago: verifying clients refuse it.`,
      fix: 'Renew the certificate and reload the server.',
      extra: { notAfter: leaf.notAfter },
    });
  } else if (notBefore > now) {
    out.push({
      id: 'cert_not_yet_valid',
      severity: 'error',
      explanation: `${what} is valid only from ${leaf.notBefore}: verifying clients refuse it until then (or the server's or client's clock is wrong).`,
      fix: 'Check the clocks, or serve a certificate that is valid now.',
      extra: { notBefore: leaf.notBefore },
    });
  } else if (notAfter - now < EXPIRY_WARNING_DAYS * DAY_MS) {
    out.push({
      id: 'cert_expiring',
      severity: 'warning',
      explanation: `${what} expires on ${day(leaf.notAfter!)}, in ${Math.ceil((notAfter - now) / DAY_MS)} days.`,
      fix: 'Renew it before then.',
      extra: { notAfter: leaf.notAfter },
    });
  }
  if (leaf.selfSigned) {
    out.push({
      id: 'cert_self_signed',
      severity: 'warning',
      explanation: `${what} is self-signed (${leaf.subject}): clients that verify refuse it unless it is in their trust store.`,
      fix: 'Use a certificate from a CA the clients trust, or install this one as trusted where that is intended.',
      extra: { subject: leaf.subject },
    });
  } else if (chain.length === 1) {
    out.push({
      id: 'cert_chain',
      severity: 'warning',
      explanation: `The server sends only its own certificate (${what.replace(/^The /, '').replace(/ certificate$/, '')}), issued by ${leaf.issuer ?? 'a CA'}, and no intermediate: unless that issuer is a root the client trusts, clients that do not fetch or cache intermediates (curl, OpenSSL, Node, Go, Python) fail to verify it.`,
      fix: 'Configure the server with the full chain (its certificate followed by the intermediates).',
      extra: { issuer: leaf.issuer ?? null },
    });
  }
  return out;
}

/** `cert_without_sni` when `other`, sent to a hello without SNI, does not cover `serverName`. */
function withoutSniCheck(
  serverName: string,
  other: AnswerCertificate,
  what: string,
): CertificateCheck | null {
  if (hostMatches(serverName, other.subjectAltNames ?? [], other.subject)) return null;
  return {
    id: 'cert_without_sni',
    severity: 'warning',
    explanation: `Without SNI the server sends ${what} (${names(other)}), which does not cover ${serverName}: a client that leaves SNI out gets a name mismatch, not an alert.`,
    fix: `Send ${serverName} as SNI, or make the server's default certificate cover it.`,
    extra: { subjectAltNames: other.subjectAltNames ?? [], subject: other.subject },
  };
}

/** The `certificate` finding: nothing wrong with this chain. */
function allClear(
  serverName: string | null,
  chain: readonly AnswerCertificate[],
  now: number,
  what: string,
): CertificateCheck {
  const leaf = chain[0];
  const notAfter = leaf.notAfter ? Date.parse(leaf.notAfter) : Number.NaN;
  const left = Math.floor((notAfter - now) / DAY_MS);
  const head =
    serverName === null
      ? `${what} (${names(leaf)})`
      : `${what} covers ${serverName} (${names(leaf, serverName)}),`;
  return {
    id: 'certificate',
    severity: 'info',
    explanation: `${head} is valid until ${leaf.notAfter ? `${day(leaf.notAfter)} (${left} days)` : 'an unknown date'} and comes with ${chain.length - 1} more certificate${chain.length === 2 ? '' : 's'} in the chain.`,
    extra: { subject: leaf.subject, notAfter: leaf.notAfter ?? null, chainLength: chain.length },
  };
}
