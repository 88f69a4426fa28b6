import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { toHex } from '../../src/bytes/hex.ts';
import { makeExtension } from '../../src/extensions/block.ts';
import {
  encodeClientHello,
  encodeClientHelloMessage,
  parseClientHello,
} from '../../src/handshake/client-hello.ts';
import { cli } from '../cli/run.ts';

const fixture = 'fixtures/clients/firefox-sni.bin';
/**
 * Firefox's hello with secp256r1 dropped from supported_groups but not from key_share (its
 * shares: X25519MLKEM768, x25519, secp256r1): the mismatch OpenSSL refuses with illegal_parameter.
 */
const firefox = parseClientHello(new Uint8Array(readFileSync(fixture)));
const mismatched = {
  ...firefox,
  extensions: firefox.extensions!.map((e) =>
    e.type === 10 ? makeExtension('supported_groups', { namedGroupList: [0x11ec, 0x001d, 0x0018] }) : e,
  ),
};

describe('hellokit lint', () => {
  it('a clean hello prints "no problems" and exits 0', async () => {
    const { code, stdout, stderr } = await cli(['lint', fixture]);
    expect([code, stdout, stderr]).toEqual([0, 'no problems\n', '']);
  });

  it('warnings print one line each and still exit 0', async () => {
    const { code, stdout } = await cli(['lint', 'fixtures/clients/go-sni.bin']);
    expect(code).toBe(0);
    expect(stdout).toBe(
      'warning extended_master_secret_missing client_hello.extensions.extended_master_secret: TLS 1.2 (0x0303) is offered without extended_master_secret (the session hash protects against triple handshake attacks) (RFC 7627 §5.1)\n',
    );
  });

  it('an error prints severity, rule, path, message and RFC, and exits 1', async () => {
    const { code, stdout, stderr } = await cli(['lint', '-'], encodeClientHello(mismatched));
    expect(code).toBe(1);
    expect(stderr).toBe('');
    expect(stdout).toBe(
      'error key_share_not_in_groups client_hello.extensions.key_share.client_shares[2].group: a key share for secp256r1 (0x0017), which supported_groups does not offer (RFC 8446 §4.2.8)\n',
    );
  });

  it('reads hex text and a bare handshake message, as decode does', async () => {
    const hex = new TextEncoder().encode(toHex(encodeClientHelloMessage(mismatched)));
    const { code, stdout } = await cli(['lint'], hex);
    expect(code).toBe(1);
    expect(stdout).toMatch(/^error key_share_not_in_groups /);
  });

  it('--json prints {schema, problems} with the same exit code', async () => {
    const { code, stdout } = await cli(['lint', '-', '--json'], encodeClientHello(mismatched));
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toEqual({
      schema: 'hellokit.lint/1',
      problems: [
        {
          rule: 'key_share_not_in_groups',
          severity: 'error',
          path: 'client_hello.extensions.key_share.client_shares[2].group',
          message: 'a key share for secp256r1 (0x0017), which supported_groups does not offer',
          rfc: 'RFC 8446 §4.2.8',
        },
      ],
    });
    const clean = await cli(['lint', fixture, '--json']);
    expect([clean.code, JSON.parse(clean.stdout)]).toEqual([0, { schema: 'hellokit.lint/1', problems: [] }]);
  });

  it('a hello whose record length is wrong is a length_mismatch (exit 1), not a refusal to read', async () => {
    const bytes = new Uint8Array(readFileSync(fixture));
    bytes[4] ^= 0x10;
    const { code, stdout } = await cli(['lint', '-'], bytes);
    expect(code).toBe(1);
    expect(stdout).toMatch(/^error length_mismatch record\.length: /);
  });

  it('input that is not a ClientHello is one line on stderr, exit 2', async () => {
    for (const argv of [
      ['lint', 'fixtures/README.md'],
      ['lint', 'test/handshake/data/openssl-server-hrr.bin'],
      ['lint', 'fixtures/clients/sslv2/testssl-sslv2.bin'],
      ['lint', 'no-such-file.bin'],
      ['lint', fixture, fixture],
    ]) {
      const { code, stdout, stderr } = await cli(argv);
      expect(code, argv.join(' ')).toBe(2);
      expect(stdout).toBe('');
      expect(stderr, argv.join(' ')).toMatch(/^hellokit lint: [^\n]+\n$/);
    }
  });

  it('is listed by --help, and lint --help names its flags', async () => {
    expect((await cli(['--help'])).stdout).toMatch(/^ {2}lint +check a ClientHello/m);
    const { code, stdout } = await cli(['lint', '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('--json');
  });
});
