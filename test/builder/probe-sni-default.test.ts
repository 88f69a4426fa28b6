/**
 * `hellokit probe` picks SNI as openssl s_client and curl do: a host-name target is the name
 * sent, an IP literal sends none, and --sni / --no-sni override. A real Node TLS server on
 * loopback records the name each hello carried.
 */
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:tls';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { CommandIO } from '../../src/cli/command.ts';
import { runCli } from '../../src/cli/main.ts';
import { certificate, removeCertificates } from '../peers/certs.ts';

let server: Server;
let port: number;
/** The SNI of each hello the server read, in order (null: none). */
const seen: (string | null)[] = [];

beforeAll(async () => {
  const cert = await certificate('localhost', 'ecdsa-p256');
  server = createServer({
    cert: readFileSync(cert.certPath),
    key: readFileSync(cert.keyPath),
    // Called while the server reads each ClientHello (the probe offers ALPN by default),
    // with the SNI it carried; the probe never finishes its side, so no later event fires.
    ALPNCallback: ({ servername }) => {
      // Node gives `false` when the hello carried no server_name.
      seen.push(servername || null);
      return undefined;
    },
  });
  server.on('tlsClientError', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  removeCertificates();
});

async function probeOut(args: string[]): Promise<{ code: number; line: string; name: string | null }> {
  let out = '';
  const io: CommandIO = {
    out: (t) => {
      out += t;
    },
    err: () => {},
    outBytes: () => {},
    readStdin: async () => new Uint8Array(0),
    isTTY: false,
  };
  const before = seen.length;
  const code = await runCli(['probe', ...args, '--timeout', '10s'], io);
  expect(seen.length, out).toBe(before + 1);
  return { code, line: out.split('\n')[0], name: seen[before] };
}

test('a host-name target sends that name as SNI, and the summary says where it came from', async () => {
  const r = await probeOut([`localhost:${port}`]);
  expect(r.code).toBe(0);
  expect(r.name).toBe('localhost');
  expect(r.line).toMatch(/, SNI localhost \(from the target\), /);
});

test('an IP literal target sends no SNI, and the summary says why', async () => {
  const r = await probeOut([`127.0.0.1:${port}`]);
  expect(r.name).toBeNull();
  expect(r.line).toMatch(/, no SNI \(the target is an IP address\), /);
});

test('--sni and --no-sni override the target', async () => {
  const named = await probeOut([`127.0.0.1:${port}`, '--sni', 'other.test']);
  expect(named.name).toBe('other.test');
  expect(named.line).toMatch(/, SNI other\.test, /);
  const none = await probeOut([`localhost:${port}`, '--no-sni']);
  expect(none.name).toBeNull();
  expect(none.line).toMatch(/, no SNI, /);
});
