import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../src/bytes/hex.ts';
import { cli } from './run.ts';

const DIR = join(process.cwd(), 'fixtures', 'clients', 'sslv2');
const FIXTURE = join(DIR, 'testssl-sslv2.bin');
const facts = JSON.parse(readFileSync(join(DIR, 'testssl-sslv2.json'), 'utf8')).tshark as {
  version: number;
  cipherSpecs: number[];
  challengeLength: number;
};

describe('hellokit decode on an SSLv2-compatible CLIENT-HELLO', () => {
  it('--json gives one message of type sslv2_client_hello that agrees with tshark, and no TLS records', async () => {
    const { code, stdout, stderr } = await cli(['decode', '--json', FIXTURE]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.records).toEqual([]);
    expect(out.messages).toHaveLength(1);
    const m = out.messages[0];
    expect(m.type).toBe('sslv2_client_hello');
    expect(m.version).toBe(facts.version);
    expect(m.cipherSpecs).toEqual(facts.cipherSpecs);
    expect(m.challenge.length / 2).toBe(facts.challengeLength);
    expect(m.cipherSpecNames[2]).toBe('SSL_CK_RC4_128_WITH_MD5');
    expect(m.ja3Full.startsWith('2,327808-')).toBe(true);
    expect(m.ja4).toBeNull();
    expect(m.hex).toBe(toHex(new Uint8Array(readFileSync(FIXTURE))));
    // Nothing that reads like the TLS client_hello view.
    expect(out.messages.some((x: { type: string }) => x.type === 'client_hello')).toBe(false);
  });

  it('prints a readable tree with every cipher spec named', async () => {
    const { code, stdout } = await cli(['decode', FIXTURE]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^sslv2_client_hello @0 \(2-byte record header\)/);
    expect(stdout).toContain('version: SSL 2.0 (0x0002)');
    expect(stdout).toContain(`cipher_specs (${facts.cipherSpecs.length}):`);
    expect(stdout).toContain('SSL_CK_RC4_128_WITH_MD5 (0x010080)');
    expect(stdout).toContain(`challenge: ${facts.challengeLength} bytes`);
  });

  it('--annotate labels every byte with its field path', async () => {
    const { code, stdout } = await cli(['decode', '--annotate', FIXTURE]);
    expect(code).toBe(0);
    expect(stdout).toContain('sslv2_client_hello.msg_length');
    expect(stdout).toContain('sslv2_client_hello.cipher_specs');
    expect(stdout).toContain('sslv2_client_hello.challenge');
    expect(stdout).not.toContain('(not decoded)');
  });

  it('reads hex text as well as binary', async () => {
    const hex = toHex(new Uint8Array(readFileSync(FIXTURE)));
    const { code, stdout } = await cli(['decode', '--json', '-'], new TextEncoder().encode(hex));
    expect(code).toBe(0);
    expect(JSON.parse(stdout).messages[0].cipherSpecs).toEqual(facts.cipherSpecs);
  });

  it('exits 2 with one line naming the field and offset for a malformed hello', async () => {
    const file = join(tmpdir(), `hellokit-sslv2-bad-${process.pid}.bin`);
    // cipher_spec_length 4 is not a multiple of 3.
    writeFileSync(file, fromHex(`80 1d 01 0301 0004 0000 0010 0000 2f00 ${'11'.repeat(16)}`));
    const { code, stdout, stderr } = await cli(['decode', file]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^hellokit decode: sslv2_client_hello\.cipher_spec_length at offset 5: /);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 2 on a truncated hello, with the error in --json too', async () => {
    const bytes = new Uint8Array(readFileSync(FIXTURE)).subarray(0, 40);
    const { code, stdout, stderr } = await cli(['decode', '--json', '-'], bytes);
    expect(code).toBe(2);
    expect(JSON.parse(stdout).error).toMatchObject({
      code: 'truncated',
      path: 'sslv2_client_hello.msg_length',
    });
    expect(stderr).toMatch(/^hellokit decode: sslv2_client_hello\.msg_length at offset 0: .*truncated/);
  });

  it('--lenient shows a hello strict decoding rejects, with its problems', async () => {
    const bytes = fromHex(`80 1b 01 0301 0003 0000 000f 00002f ${'11'.repeat(15)}`);
    const strict = await cli(['decode', '-'], bytes);
    expect(strict.code).toBe(2);
    const lenient = await cli(['decode', '--lenient', '--json', '-'], bytes);
    expect(lenient.code).toBe(0);
    const out = JSON.parse(lenient.stdout);
    expect(out.messages[0].challenge).toBe('11'.repeat(15));
    expect(out.problems.map((p: { path: string }) => p.path)).toEqual([
      'sslv2_client_hello.challenge_length',
    ]);
  });
});
