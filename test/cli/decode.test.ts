import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toHex } from '../../src/bytes/hex.ts';
import { cli } from './run.ts';

const CLIENTS = join(process.cwd(), 'fixtures', 'clients');
const SERVERS = join(process.cwd(), 'fixtures', 'servers');
const clientFixtures = readdirSync(CLIENTS).filter((f) => f.endsWith('.bin'));
const serverFixtures = readdirSync(SERVERS).filter((f) => f.endsWith('.bin'));

interface Facts {
  serverName: string | null;
  cipherSuites: number[];
  extensionTypes: number[];
  supportedGroups: number[] | null;
  signatureAlgorithms: number[] | null;
  supportedVersions: number[] | null;
  keyShareGroups: number[] | null;
  alpn: string[] | null;
  ja3: string;
  ja3Full: string;
}

describe('hellokit decode on real ClientHellos', () => {
  it('has real client fixtures', () => expect(clientFixtures.length).toBeGreaterThanOrEqual(16));

  for (const file of clientFixtures) {
    it(`${file}: agrees with tshark on every contract field`, async () => {
      const facts = JSON.parse(readFileSync(join(CLIENTS, file.replace(/\.bin$/, '.json')), 'utf8'))
        .tshark as Facts;
      const { code, stdout } = await cli(['decode', '--json', join(CLIENTS, file)]);
      expect(code).toBe(0);
      const hello = JSON.parse(stdout).messages.find((m: { type: string }) => m.type === 'client_hello');
      expect(hello.serverName).toBe(facts.serverName);
      expect(hello.cipherSuites).toEqual(facts.cipherSuites);
      expect(hello.extensionTypes).toEqual(facts.extensionTypes);
      expect(hello.supportedGroups).toEqual(facts.supportedGroups ?? []);
      expect(hello.signatureAlgorithms).toEqual(facts.signatureAlgorithms ?? []);
      expect(hello.supportedVersions).toEqual(facts.supportedVersions ?? []);
      expect(hello.keyShareGroups).toEqual(facts.keyShareGroups ?? []);
      expect(hello.alpn).toEqual(facts.alpn ?? []);
      expect(hello.ja3).toBe(facts.ja3);
      expect(hello.ja3Full).toBe(facts.ja3Full);
      for (const key of ['ja4', 'ja4_r', 'ja4_o', 'ja4_ro']) expect(hello[key]).toMatch(/^t1[0-3][di]\d{4}/);
    });
  }

  for (const file of [
    ...clientFixtures.map((f) => join(CLIENTS, f)),
    ...serverFixtures.map((f) => join(SERVERS, f)),
  ]) {
    it(`${file.split('/').slice(-2).join('/')}: decode --json then encode gives the same bytes`, async () => {
      const original = new Uint8Array(readFileSync(file));
      const decoded = await cli(['decode', '--json', file]);
      expect(decoded.code).toBe(0);
      const jsonFile = join(tmpdir(), `hellokit-${process.pid}-${file.split('/').pop()}.json`);
      writeFileSync(jsonFile, decoded.stdout);
      const encoded = await cli(['encode', '--hex', jsonFile]);
      expect(encoded.code).toBe(0);
      expect(encoded.stdout.trim()).toBe(toHex(original));
    });
  }
});

describe('hellokit decode', () => {
  it('reads hex text as well as binary', async () => {
    const hex = toHex(new Uint8Array(readFileSync(join(CLIENTS, 'curl-sni.bin'))), ' ');
    const { code, stdout } = await cli(['decode', '--json', '-'], new TextEncoder().encode(hex));
    expect(code).toBe(0);
    expect(JSON.parse(stdout).messages[0].serverName).toBe('hellokit.test');
  });

  it('prints compression methods with their codes in the readable tree', async () => {
    const { code, stdout } = await cli(['decode', join(CLIENTS, 'curl-sni.bin')]);
    expect(code).toBe(0);
    // The IANA name of method 0 is NULL; alone it read like a missing value.
    expect(stdout).toMatch(/^ {2}legacy_compression_methods: null \(0\)$/m);
  });

  it('labels every byte of a ClientHello with its field path in --annotate', async () => {
    const bytes = new Uint8Array(readFileSync(join(CLIENTS, 'openssl-sni.bin')));
    const { code, stdout } = await cli(['decode', '--annotate', join(CLIENTS, 'openssl-sni.bin')]);
    expect(code).toBe(0);
    expect(stdout).not.toContain('(not decoded)');
    expect(stdout).toMatch(/client_hello\.cipher_suites\.length = \d+/);
    expect(stdout).toMatch(/client_hello\.extensions\[\d+\]\.extension_type = 0\n/);
    const dumped = stdout
      .split('\n')
      .filter((l) => /^[0-9a-f]{6} {2}/.test(l))
      .map((l) => l.slice(8, 8 + 47).replace(/ /g, ''))
      .join('');
    expect(dumped).toBe(toHex(bytes));
  });

  it('exits 2 with one line naming offset, field path and alert for a cut-short record', async () => {
    const bytes = new Uint8Array(readFileSync(join(CLIENTS, 'curl-sni.bin'))).subarray(0, 100);
    const { code, stderr } = await cli(['decode', '-'], bytes);
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toBe(
      'hellokit decode: records[0].fragment at offset 3: fragment length 512 runs past the end (95 bytes left) (truncated, alert decode_error)\n',
    );
  });

  it('names the field inside the hello when a length runs past its vector', async () => {
    const bytes = new Uint8Array(readFileSync(join(CLIENTS, 'curl-sni.bin')));
    bytes[0x4c] = 0x7f; // cipher_suites length now claims more than the message holds
    const { code, stderr } = await cli(['decode', '-'], bytes);
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/client_hello\.cipher_suites at offset 76: .*truncated, alert decode_error/);
  });

  it('exits 2 for an unknown flag and names it', async () => {
    const { code, stderr } = await cli(['decode', '--frobnicate']);
    expect(code).toBe(2);
    expect(stderr).toContain('--frobnicate');
  });

  it('exits 2 for a missing file without a stack trace', async () => {
    const { code, stderr } = await cli(['decode', '/nonexistent/hello.bin']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/cannot read \/nonexistent\/hello.bin: ENOENT/);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});

describe('hellokit encode', () => {
  it('re-encodes an edited cipher suite list with correct lengths', async () => {
    const decoded = JSON.parse((await cli(['decode', '--json', join(CLIENTS, 'openssl-sni.bin')])).stdout);
    decoded.messages[0].cipherSuites = [0x1301];
    const file = join(tmpdir(), `hellokit-edit-${process.pid}.json`);
    writeFileSync(file, JSON.stringify(decoded));
    const encoded = await cli(['encode', '--hex', file]);
    expect(encoded.code).toBe(0);
    const again = await cli(['decode', '--json', '-'], new TextEncoder().encode(encoded.stdout));
    expect(again.code).toBe(0);
    const hello = JSON.parse(again.stdout).messages[0];
    expect(hello.cipherSuites).toEqual([0x1301]);
    expect(hello.serverName).toBe('hellokit.test');
  });

  it('names the JSON path of a bad value and exits 2', async () => {
    const file = join(tmpdir(), `hellokit-bad-${process.pid}.json`);
    writeFileSync(
      file,
      JSON.stringify({ records: [], messages: [{ type: 'client_hello', extensions: [], random: 'zz' }] }),
    );
    const { code, stderr } = await cli(['encode', file]);
    expect(code).toBe(2);
    expect(stderr).toContain('messages[0].random');
  });

  it("refuses JSON with nothing to encode (another command's output) with exit 2, naming what it got", async () => {
    const built = await cli(['build', '--preset', 'curl', '--json']);
    const fromBuild = await cli(['encode', '-'], new TextEncoder().encode(built.stdout));
    expect(fromBuild.code).toBe(2);
    expect(fromBuild.stdout).toBe('');
    expect(fromBuild.stderr).toBe(
      'hellokit encode: (root) has no records and no messages to encode; it reads the JSON of decode --json, not hellokit.build/1\n',
    );
    const empty = await cli(['encode', '-'], new TextEncoder().encode('{}'));
    expect(empty.code).toBe(2);
  });
});

describe('hellokit decode: input limits and --max-records', () => {
  const alert = [0x15, 0x03, 0x03, 0x00, 0x02, 0x01, 0x00]; // warning close_notify
  const fiveAlerts = new Uint8Array(Array.from({ length: 5 }, () => alert).flat());
  // one handshake record carrying three server_hello_done messages
  const threeMessages = Uint8Array.of(0x16, 3, 3, 0, 12, 14, 0, 0, 0, 14, 0, 0, 0, 14, 0, 0, 0);
  const temp = (name: string, data: Uint8Array | string) => {
    const file = join(tmpdir(), `hellokit-${process.pid}-${name}`);
    writeFileSync(file, data);
    return file;
  };

  it('a file of only whitespace or only 0x prefixes is bad input: exit 2, one line saying it has no bytes', async () => {
    for (const text of [' \n\t\r\n', '0x 0x\n0X\n']) {
      const { code, stdout, stderr } = await cli(['decode', temp('blank.hex', text)]);
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr.trim().split('\n')).toHaveLength(1);
      expect(stderr).toMatch(/^hellokit decode: .*blank\.hex has no bytes: only whitespace/);
    }
  });

  it('refuses binary input over 16 MiB and hex text that decodes to over 16 MiB, naming the limit', async () => {
    const big = new Uint8Array(16 * 1024 * 1024 + 1).fill(0x17);
    const binary = await cli(['decode', temp('big.bin', big)]);
    expect(binary.code).toBe(2);
    expect(binary.stderr).toMatch(/is 16777217 bytes, more than the 16777216-byte \(16 MiB\) limit\n$/);
    const hex = await cli(['decode', temp('big.hex', toHex(big))]);
    expect(hex.code).toBe(2);
    expect(hex.stderr).toMatch(
      /is hex text of 16777217 bytes, more than the 16777216-byte \(16 MiB\) limit\n$/,
    );
  });

  it('--help states the input limits and the --max-records default', async () => {
    const { code, stdout } = await cli(['decode', '--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/binary up to 16 MiB, or hex text up to 48 MiB/);
    expect(stdout).toMatch(/--max-records N .*\(default 100000\)/);
    expect((await cli(['pcap', '--help'])).stdout).toMatch(
      /of any size \(read as a stream\).*\(256 KiB kept per direction of a connection\)/,
    );
  });

  it('stops listing at --max-records records and says where, in the text', async () => {
    const { code, stdout } = await cli(['decode', '-', '--max-records', '2'], fiveAlerts);
    expect(code).toBe(0);
    expect(stdout.match(/^record \d+ /gm)).toEqual(['record 0 ', 'record 1 ']);
    expect(stdout.match(/^alert @\d+/gm)).toEqual(['alert @5', 'alert @12']);
    expect(stdout.trimEnd().split('\n').pop()).toBe(
      'truncated: listing stopped at --max-records 2: the next record starts at offset 14, and the last 21 bytes are not decoded',
    );
  });

  it('states a truncation in --json as `truncated` (and on stderr), and lists no more than the limit', async () => {
    const { code, stdout, stderr } = await cli(['decode', '-', '--json', '--max-records', '2'], fiveAlerts);
    expect(code).toBe(0);
    const doc = JSON.parse(stdout);
    expect(doc.records.map((r: { offset: number }) => r.offset)).toEqual([0, 7]);
    expect(doc.messages.map((m: { type: string }) => m.type)).toEqual(['alert', 'alert']);
    expect(doc.truncated).toEqual({ maxRecords: 2, at: 'record', offset: 14, bytesNotDecoded: 21 });
    expect(stderr).toMatch(/^hellokit decode: listing stopped at --max-records 2/);
    const whole = JSON.parse((await cli(['decode', '-', '--json', '--max-records', '5'], fiveAlerts)).stdout);
    expect(Object.keys(whole)).toEqual(['schema', 'records', 'messages']);
    expect(whole.records).toHaveLength(5);
  });

  it('counts messages against --max-records too: the third message of one record is where it stops', async () => {
    const doc = JSON.parse(
      (await cli(['decode', '-', '--json', '--max-records', '2'], threeMessages)).stdout,
    );
    expect(doc.records).toHaveLength(1);
    expect(doc.messages.map((m: { type: string }) => m.type)).toEqual([
      'server_hello_done',
      'server_hello_done',
    ]);
    expect(doc.truncated).toEqual({ maxRecords: 2, at: 'message', offset: 13, bytesNotDecoded: 4 });
  });

  it('stops --annotate at --max-records records with a truncated: line', async () => {
    const { code, stdout } = await cli(['decode', '-', '--annotate', '--max-records', '2'], fiveAlerts);
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines.some((l) => l.includes('records[1].fragment'))).toBe(true);
    expect(lines.some((l) => l.includes('records[2]'))).toBe(false);
    expect(lines.pop()).toBe(
      'truncated: --max-records 2 reached at record 2 (offset 14); the last 21 bytes are not annotated',
    );
  });

  it('encode refuses a truncated decode --json (its bytes would be incomplete)', async () => {
    const json = (await cli(['decode', '-', '--json', '--max-records', '2'], fiveAlerts)).stdout;
    const { code, stderr } = await cli(['encode', '-', '--hex'], new TextEncoder().encode(json));
    expect(code).toBe(2);
    expect(stderr).toMatch(/^hellokit encode: this decode --json output was truncated by --max-records/);
  });

  it('rejects --max-records 0 or a non-number', async () => {
    for (const v of ['0', 'many']) {
      const { code, stderr } = await cli(['decode', '-', '--max-records', v], fiveAlerts);
      expect(code).toBe(2);
      expect(stderr).toMatch(/--max-records expects a whole number 1\.\./);
    }
  });
});
