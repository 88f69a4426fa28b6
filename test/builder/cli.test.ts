import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { fromHex } from '../../src/bytes/hex.ts';
import type { CommandIO } from '../../src/cli/command.ts';
import { UsageError } from '../../src/cli/errors.ts';
import { helloOptionsFromFlags } from '../../src/cli/hello-flags.ts';
import { runCli } from '../../src/cli/main.ts';
import { parseClientHello } from '../../src/handshake/client-hello.ts';

function bufferIO(): CommandIO & { stdout: string; stderr: string; bytes: Uint8Array[] } {
  const io = {
    stdout: '',
    stderr: '',
    bytes: [] as Uint8Array[],
    out: (t: string) => {
      io.stdout += t;
    },
    err: (t: string) => {
      io.stderr += t;
    },
    outBytes: (b: Uint8Array) => {
      io.bytes.push(b);
    },
    readStdin: async () => new Uint8Array(0),
    isTTY: false,
  };
  return io;
}

async function run(...argv: string[]) {
  const io = bufferIO();
  const code = await runCli(['build', ...argv], io);
  return { code, ...io };
}

describe('hellokit build', () => {
  test('prints the record bytes as hex by default', async () => {
    const r = await run('--sni', 'example.com', '--seed', '1');
    expect(r.code).toBe(0);
    const hello = parseClientHello(fromHex(r.stdout.trim()));
    expect(r.stdout.startsWith('160301')).toBe(true);
    expect(hello.extensions!.some((e) => e.type === 0)).toBe(true);
  });

  test('the same --seed gives the same bytes', async () => {
    const a = await run('--preset', 'chrome', '--sni', 'a.test', '--seed', 's');
    const b = await run('--preset', 'chrome', '--sni', 'a.test', '--seed', 's');
    expect(a.stdout).toBe(b.stdout);
  });

  test('-o FILE writes the record bytes', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'hellokit-build-')), 'hello.bin');
    const r = await run('-o', file, '--seed', '2', '--no-sni');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    const bytes = new Uint8Array(readFileSync(file));
    expect(bytes[0]).toBe(0x16);
    expect(parseClientHello(bytes).extensions!.some((e) => e.type === 0)).toBe(false);
  });

  test('--json prints the decoded hello', async () => {
    const r = await run(
      '--json',
      '--sni',
      'x.test',
      '--ciphers',
      'TLS_AES_128_GCM_SHA256:ECDHE-RSA-AES128-GCM-SHA256,0xc030',
      '--alpn',
      'http/1.1',
      '--seed',
      '3',
    );
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.clientHello.type).toBe('client_hello');
    expect(out.clientHello.serverName).toBe('x.test');
    expect(out.clientHello.cipherSuites).toEqual([0x1301, 0xc02f, 0xc030]);
    expect(out.clientHello.alpn).toEqual(['http/1.1']);
    expect(typeof out.clientHello.ja4).toBe('string');
  });

  test('hello flags set their options', async () => {
    const r = await run(
      '--json',
      '--tls',
      '1.3',
      '--groups',
      'P-384:x25519',
      '--key-shares',
      'secp384r1',
      '--sigalgs',
      'ECDSA+SHA384',
      '--grease',
      '--pad',
      '700',
      '--fragment',
      '2',
      '--seed',
      '4',
    );
    const h = JSON.parse(r.stdout).clientHello;
    expect(h.supportedVersions.slice(1)).toEqual([0x0304]);
    expect(h.supportedGroups.slice(1)).toEqual([0x0018, 0x001d]);
    expect(h.keyShareGroups.slice(1)).toEqual([0x0018]);
    expect(h.signatureAlgorithms.slice(1)).toEqual([0x0503]);
    expect(JSON.parse(r.stdout).record.fragments.reduce((a: number, b: number) => a + b, 0)).toBe(700);
  });

  test.each([
    [
      ['--ciphers', 'TLS_AES_128_GCM_SHA265'],
      /--ciphers.*TLS_AES_128_GCM_SHA256.*IANA names, OpenSSL names or hex codes/,
    ],
    [['--groups', 'x25518'], /--groups/],
    [['--sigalgs', 'nope'], /--sigalgs/],
    [['--tls', '1.4'], /--tls accepts 1.2 or 1.3/],
    [['--preset', 'netscape'], /--preset.*accepted: chrome/],
    [['--pad', 'lots'], /--pad expects a whole number.*'boringssl' or 'none'/],
    [['--fragment', '0'], /--fragment expects a whole number 1\.\./],
    [['--sni', 'a', '--no-sni'], /--sni and --no-sni/],
    [['--bogus'], /unknown flag --bogus/],
  ])('bad flags %j exit 2 naming the flag', async (argv, message) => {
    const r = await run(...argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  test('helloOptionsFromFlags throws UsageError', () => {
    expect(() => helloOptionsFromFlags('probe', { ciphers: 'nope' })).toThrow(UsageError);
    expect(helloOptionsFromFlags('probe', { sni: 'a.test', pad: 'none', alpn: '' })).toEqual({
      serverName: 'a.test',
      padding: false,
      alpn: null,
    });
  });
});

describe('hellokit build keeps the flags coherent', () => {
  test('--groups without --key-shares: the key shares follow the groups', async () => {
    const r = await run('--groups', 'x25519,secp384r1', '--json', '--seed', '1');
    expect(r.code).toBe(0);
    const hello = JSON.parse(r.stdout).clientHello;
    expect(hello.supportedGroups).toEqual([0x001d, 0x0018]);
    expect(hello.keyShareGroups).toEqual([0x001d]);
  });

  test('flags that contradict each other exit 2 with one line naming both', async () => {
    const r = await run('--tls', '1.2', '--ciphers', 'TLS_AES_128_GCM_SHA256');
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(
      /"cipherSuites" and "tls" disagree: no cipher suite can be negotiated in TLS 1\.2/,
    );
    const shares = await run('--groups', 'x25519', '--key-shares', 'secp256r1');
    expect(shares.code).toBe(2);
    expect(shares.stderr).toMatch(/"keyShares" and "groups" disagree: a key share for secp256r1/);
  });
});
