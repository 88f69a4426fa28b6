import { describe, expect, it } from 'vitest';
import type { CertificateChain } from '../../src/diagnose/certificate-discovery.ts';
import { certificateChecks, chainCertificateChecks, hostMatches } from '../../src/diagnose/certificates.ts';
import type { AnswerCertificate, ProbeAnswer } from '../../src/diagnose/types.ts';

const NOW = Date.parse('2026-11-26T12:00:00Z');
const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

function cert(over: Partial<AnswerCertificate> = {}): AnswerCertificate {
  return {
    subject: 'CN=example.test',
    subjectAltNames: ['DNS:example.test'],
    issuer: 'CN=Example CA',
    notBefore: iso(NOW - 30 * DAY),
    notAfter: iso(NOW + 60 * DAY),
    selfSigned: false,
    sha256: 'aa',
    ...over,
  };
}
const answer = (...certificates: AnswerCertificate[]): ProbeAnswer => ({
  outcome: 'server_hello',
  certificates,
});
const ids = (checks: { id: string }[]) => checks.map((c) => c.id);

describe('hostMatches (RFC 6125 §6.4)', () => {
  it.each([
    ['example.test', ['DNS:example.test'], true],
    ['EXAMPLE.test.', ['DNS:example.TEST'], true],
    ['a.example.test', ['DNS:*.example.test'], true],
    ['example.test', ['DNS:*.example.test'], false],
    ['a.b.example.test', ['DNS:*.example.test'], false],
    ['other.test', ['DNS:example.test', 'DNS:www.example.test'], false],
    ['127.0.0.1', ['DNS:127.0.0.1'], false],
    ['127.0.0.1', ['IP:127.0.0.1'], true],
    ['::1', ['IP:::1'], true],
  ] as const)('%s against %j: %s', (host, sans, expected) => {
    expect(hostMatches(host, sans)).toBe(expected);
  });

  it('reads the CN only when there is no subjectAltName at all', () => {
    expect(hostMatches('example.test', [], 'O=x, CN=example.test')).toBe(true);
    expect(hostMatches('example.test', ['IP:10.0.0.1'], 'CN=example.test')).toBe(false);
  });
});

describe('certificateChecks', () => {
  it('is one info line when the name, the dates and the chain are fine', () => {
    const checks = certificateChecks(
      'example.test',
      answer(cert(), cert({ subject: 'CN=Example CA' })),
      undefined,
      NOW,
    );
    expect(ids(checks)).toEqual(['certificate']);
    expect(checks[0].explanation).toBe(
      'The certificate covers example.test (DNS:example.test), is valid until 2027-01-25 (60 days) and comes with 1 more certificate in the chain.',
    );
  });

  it('names a mismatch, an expired, a not yet valid and a soon expiring certificate', () => {
    expect(ids(certificateChecks('other.test', answer(cert(), cert()), undefined, NOW))).toEqual([
      'cert_name_mismatch',
    ]);
    const expired = certificateChecks(
      'example.test',
      answer(cert({ notAfter: iso(NOW - 3 * DAY) }), cert()),
      undefined,
      NOW,
    );
    expect(ids(expired)).toEqual(['cert_expired']);
    expect(expired[0].explanation).toMatch(/expired on 2026-11-23, 3 days ago/);
    expect(
      ids(
        certificateChecks(
          'example.test',
          answer(cert({ notBefore: iso(NOW + DAY) }), cert()),
          undefined,
          NOW,
        ),
      ),
    ).toEqual(['cert_not_yet_valid']);
    const soon = certificateChecks(
      'example.test',
      answer(cert({ notAfter: iso(NOW + 5 * DAY) }), cert()),
      undefined,
      NOW,
    );
    expect(ids(soon)).toEqual(['cert_expiring']);
    expect(soon[0].severity).toBe('warning');
  });

  it('warns about a self-signed certificate, and about a lone certificate with no intermediate', () => {
    expect(
      ids(certificateChecks('example.test', answer(cert({ selfSigned: true })), undefined, NOW)),
    ).toEqual(['cert_self_signed']);
    expect(ids(certificateChecks('example.test', answer(cert()), undefined, NOW))).toEqual(['cert_chain']);
  });

  it('warns when the certificate sent without SNI is another one that does not cover the name', () => {
    const withSni = answer(cert(), cert());
    const other = answer(cert({ subjectAltNames: ['DNS:default.test'], sha256: 'bb' }));
    expect(ids(certificateChecks('example.test', withSni, other, NOW))).toEqual(['cert_without_sni']);
    // The same certificate, or another that covers the name, is no finding.
    expect(ids(certificateChecks('example.test', withSni, answer(cert()), NOW))).toEqual(['certificate']);
    const wildcard = answer(cert({ subjectAltNames: ['DNS:*.test'], sha256: 'cc' }));
    expect(ids(certificateChecks('example.test', withSni, wildcard, NOW))).toEqual(['certificate']);
  });

  it('says nothing without certificates (a refused hello, or a flight that was not decrypted)', () => {
    expect(certificateChecks('example.test', { outcome: 'alert' }, undefined, NOW)).toEqual([]);
    expect(certificateChecks('example.test', undefined, undefined, NOW)).toEqual([]);
  });
});

describe('chainCertificateChecks: every check on every chain, naming the chain', () => {
  const hello = (probe: string, serverName: string | null) => ({
    probe,
    label: `${probe} hello`,
    serverName,
    version: 0x0304,
    cipherSuite: 0x1301,
  });
  const chain = (leaf: AnswerCertificate, ...hellos: CertificateChain['hellos']): CertificateChain => ({
    certificates: [leaf, cert({ subject: 'CN=Example CA', sha256: 'ca' })],
    hellos,
  });
  const ec = cert({ sha256: 'ec', publicKey: { type: 'EC', curve: 'P-256', size: 256 } });
  const rsa = cert({ sha256: 'rsa', publicKey: { type: 'RSA', size: 2048 }, notAfter: iso(NOW - 3 * DAY) });

  it('an expired RSA chain next to a good ECDSA one: cert_expired about the RSA chain only', () => {
    const checks = chainCertificateChecks(
      'example.test',
      [
        chain(ec, hello('cert.tls13.ecdsa_p256.sni', 'example.test')),
        chain(rsa, hello('cert.tls13.rsa.sni', 'example.test')),
      ],
      NOW,
    );
    expect(checks.map((c) => [c.chain.keyType, c.id])).toEqual([
      ['EC P-256', 'certificate'],
      ['RSA 2048', 'cert_expired'],
    ]);
    expect(checks[1].explanation).toMatch(/^The RSA 2048 certificate expired on \d{4}-\d\d-\d\d, 3 days ago/);
    expect(checks[1].explanation).toMatch(/served to: cert\.tls13\.rsa\.sni hello/);
    expect(checks[1].chain.hellos).toEqual(['cert.tls13.rsa.sni']);
  });

  it('a chain got only without SNI that does not cover the name is cert_without_sni, not a name mismatch', () => {
    const other = cert({
      sha256: 'other',
      subject: 'CN=default.test',
      subjectAltNames: ['DNS:default.test'],
    });
    const checks = chainCertificateChecks(
      'example.test',
      [chain(ec, hello('a.sni', 'example.test')), chain(other, hello('a.nosni', null))],
      NOW,
    );
    expect(ids(checks.filter((c) => c.chain.sha256 === 'other'))).toEqual(['cert_without_sni']);
  });

  it('a chain got with SNI that does not cover the name is cert_name_mismatch', () => {
    const checks = chainCertificateChecks('other.test', [chain(ec, hello('a.sni', 'other.test'))], NOW);
    expect(ids(checks)).toEqual(['cert_name_mismatch']);
  });
});
