import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describePeer, startPeer } from '../peers/index.ts';
import { cli } from './run.ts';

const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));

describe('the package', () => {
  it('--version prints the version in package.json', async () => {
    const { code, stdout } = await cli(['--version']);
    expect(code).toBe(0);
    expect(stdout).toBe(`hellokit ${manifest.version}\n`);
  });

  it('builds on prepack, not on prepare, so installing it from the registry builds nothing', () => {
    expect(manifest.scripts.prepare).toBeUndefined();
    expect(manifest.scripts.prepack).toMatch(/build/);
  });

  it('ships the docs the README links to, and its licence', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const linked = [...readme.matchAll(/\]\((docs\/[^)#]+)/g)].map((m) => m[1]);
    expect(linked.length).toBeGreaterThan(5);
    for (const path of linked) {
      expect(manifest.files.some((f: string) => path === f || path.startsWith(`${f}/`))).toBe(true);
      expect(() => readFileSync(new URL(`../../${path}`, import.meta.url))).not.toThrow();
    }
    expect(manifest.files).toContain('LICENSE');
    expect(readFileSync(new URL('../../LICENSE', import.meta.url), 'utf8')).toMatch(/MIT License/);
  });
});

describe('the README', () => {
  it('lists exactly the commands that take the hello flags', async () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const listed = /^Hello flags \(([a-z, ]+);/m.exec(readme)?.[1].split(', ');
    expect(listed).toEqual(['build', 'probe', 'fuzz']);
    const { COMMANDS } = await import('../../src/cli/commands/index.ts');
    for (const entry of COMMANDS) {
      const command = await entry.load();
      expect(Object.hasOwn(command.flags, 'preset') && Object.hasOwn(command.flags, 'tls'), entry.name).toBe(
        listed?.includes(entry.name),
      );
    }
  });
});

describe('the bin (the bundled CLI)', () => {
  it('decodes a real hello exactly as the CLI run from source does', async () => {
    const { execFileSync } = await import('node:child_process');
    const { ensureBuiltCli } = await import('../helpers/built-cli.ts');
    const bin = ensureBuiltCli();
    const file = new URL('../../fixtures/clients/firefox-sni.bin', import.meta.url).pathname;
    const fromBin = execFileSync(process.execPath, [bin, 'decode', file, '--json'], { encoding: 'utf8' });
    const fromSource = await cli(['decode', file, '--json']);
    expect(fromSource.code).toBe(0);
    expect(JSON.parse(fromBin)).toEqual(JSON.parse(fromSource.stdout));
    expect(manifest.bin.hellokit).toBe('dist/cli-bundle/main.js');
  });

  it("reads QUIC Initials in a capture as the CLI run from source does (the bin's pcap decrypts them with OpenSSL)", async () => {
    const { execFileSync } = await import('node:child_process');
    const { ensureBuiltCli } = await import('../helpers/built-cli.ts');
    const bin = ensureBuiltCli();
    const file = new URL(
      '../../../shared/conformance/ja4/pcap/chrome-cloudflare-quic-with-secrets.pcapng',
      import.meta.url,
    ).pathname;
    const lines = (out: string) =>
      out
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l))
        .map((l) => (l.type === 'summary' ? { ...l, elapsedMs: 0 } : l));
    const fromBin = lines(
      execFileSync(process.execPath, [bin, 'pcap', file, '--json'], { encoding: 'utf8' }),
    );
    const fromSource = await cli(['pcap', file, '--json']);
    expect(fromSource.code).toBe(0);
    expect(fromBin).toEqual(lines(fromSource.stdout));
    expect(fromBin.filter((l) => l.transport === 'quic').length).toBeGreaterThan(0);
  });

  it('reports bad input found inside a command with exit 2 and one line (each command is a bundle of its own)', async () => {
    const { spawnSync } = await import('node:child_process');
    const { ensureBuiltCli } = await import('../helpers/built-cli.ts');
    const bin = ensureBuiltCli();
    const notTls = new URL('../../package.json', import.meta.url).pathname;
    const bad = spawnSync(process.execPath, [bin, 'decode', notTls], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^hellokit decode: .*not TLS.*\n$/);
    expect(bad.stderr.split('\n')).toHaveLength(2);
    const flag = spawnSync(process.execPath, [bin, 'probe', '--timeout', 'soon', '127.0.0.1:9'], {
      encoding: 'utf8',
    });
    expect(flag.status).toBe(2);
    expect(flag.stderr).toMatch(/^hellokit probe: --timeout expects a duration/);
  });

  it("writes the same seeded hello as the library, key shares on every curve included (the bin's curves are OpenSSL's)", async () => {
    const { execFileSync } = await import('node:child_process');
    const { ensureBuiltCli } = await import('../helpers/built-cli.ts');
    const bin = ensureBuiltCli();
    const groups = 'x25519,secp256r1,secp384r1,secp521r1,x448,X25519MLKEM768';
    const argv = ['build', '--seed', 'bin', '--groups', groups, '--key-shares', groups, '--json'];
    const fromBin = JSON.parse(execFileSync(process.execPath, [bin, ...argv], { encoding: 'utf8' }));
    const fromSource = await cli(argv);
    expect(fromSource.code).toBe(0);
    expect(fromBin.clientHello.keyShareGroups).toEqual([0x1d, 0x17, 0x18, 0x19, 0x1e, 0x11ec]);
    expect(fromBin).toEqual(JSON.parse(fromSource.stdout));
  });

  it('completes TLS 1.3 handshakes with a real server on every group and suite its native crypto covers', async () => {
    const { execFile } = await import('node:child_process');
    const { promisify } = await import('node:util');
    const { ensureBuiltCli } = await import('../helpers/built-cli.ts');
    const { startPeer } = await import('../peers/index.ts');
    const bin = ensureBuiltCli();
    const peer = await startPeer('node', { names: ['hellokit.test'] });
    try {
      for (const [group, suite] of [
        ['x25519', 'TLS_AES_128_GCM_SHA256'],
        ['secp256r1', 'TLS_AES_256_GCM_SHA384'],
        ['secp384r1', 'TLS_CHACHA20_POLY1305_SHA256'],
      ]) {
        const argv = ['probe', `${peer.host}:${peer.port}`, '--sni', 'hellokit.test', '--tls', '1.3'];
        const { stdout } = await promisify(execFile)(process.execPath, [
          bin,
          ...argv,
          ...['--groups', group, '--key-shares', group, '--ciphers', suite, '--json'],
        ]);
        const result = JSON.parse(stdout);
        expect([result.serverHello.groupName, result.serverHello.cipherSuiteName]).toEqual([group, suite]);
        expect(result.finishedVerified, `${group} ${suite}`).toBe(true);
      }
    } finally {
      await peer.stop();
    }
  });
});

describePeer('caddy', () => {
  it("the bin's probe --quic (OpenSSL for its key schedule, AEAD and header protection) completes a QUIC handshake with Caddy", async () => {
    const { execFile } = await import('node:child_process');
    const { promisify } = await import('node:util');
    const { ensureBuiltCli } = await import('../helpers/built-cli.ts');
    const bin = ensureBuiltCli();
    const caddy = await startPeer('caddy', { names: ['hellokit.test'], http3: true });
    try {
      const argv = ['probe', '--quic', `127.0.0.1:${caddy.port}`, '--sni', 'hellokit.test', '--json'];
      const result = JSON.parse((await promisify(execFile)(process.execPath, [bin, ...argv])).stdout);
      expect(result.outcome).toBe('server_hello');
      expect(result.finishedVerified).toBe(true);
    } finally {
      await caddy.stop();
    }
  });
});
