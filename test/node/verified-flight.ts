import { expect } from 'vitest';
import type { ProbeResult } from '../../src/node/index.ts';

/**
 * A TLS 1.3 answer probe read to the end: ServerHello, then the decrypted flight with the
 * certificate for `name` and a Finished that matches the key schedule.
 */
export function expectVerifiedTls13(r: ProbeResult, name = 'hellokit.test'): void {
  expect(r.outcome, r.conclusion).toBe('server_hello');
  expect(r.serverHello!.version).toBe(0x0304);
  expect(r.finishedVerified).toBe(true);
  expect(r.certificates[0].subjectAltNames).toContain(`DNS:${name}`);
  expect(r.serverMessages.filter((m) => m !== 'hello_retry_request')).toEqual([
    'server_hello',
    'encrypted_extensions',
    'certificate',
    'certificate_verify',
    'finished',
  ]);
}
