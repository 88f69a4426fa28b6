import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { clientHello } from '../../src/builder/client-hello.ts';
import { runFuzz } from '../../src/node/fuzz.ts';
import { scanTarget } from '../../src/node/scan.ts';
import { type Responder, startResponder } from './tls-responder.ts';

// A scripted server (a fake: no real server breaks these rules) that answers every hello with
// a TLS 1.2 ServerHello picking TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, whatever was offered.
describe('scan against a server that answers with what the hello did not offer', () => {
  let server: Responder;
  beforeAll(async () => {
    server = await startResponder((x) => x.tls12Flight({ cipherSuite: 0xc030 }));
  });
  afterAll(() => server.close());

  test('only the honest answers count as support; the violations are reported once per rule', async () => {
    const r = await scanTarget(server.target, { serverName: null, timeoutMs: 60_000 });
    const v = (name: string) => r.versions.find((x) => x.version === name);
    expect(v('TLS 1.3')?.supported).toBe(false);
    expect(v('TLS 1.1')?.supported).toBe(false);
    expect(v('TLS 1.0')?.supported).toBe(false);
    expect(v('TLS 1.2')?.cipherSuites.map((s) => s.code)).toEqual([0xc030]);
    const rules = r.violations.map((x) => x.rule).sort();
    expect(rules).toContain('server_hello_suite_not_offered');
    expect(rules).toContain('server_hello_version_not_offered');
    for (const x of r.violations) expect(x.answers).toBeGreaterThan(0);
  });

  test('fuzz records the rules each answer broke', async () => {
    const hello = clientHello({
      tls: '1.2',
      cipherSuites: ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'],
      seed: 3,
    });
    const report = await runFuzz(server.target, { hello, seed: 'violations', runs: 20, timeoutMs: 3000 });
    expect(report.baseline.violations).toEqual(['server_hello_suite_not_offered']);
    expect(report.cases.filter((c) => c.violations.length > 0).length).toBeGreaterThan(0);
  });
});
