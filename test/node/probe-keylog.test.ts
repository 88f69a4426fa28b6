import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import {
  chmodSync,
  lstatSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { probe } from '../../src/node/index.ts';
import { KeyLogFileError } from '../../src/node/keylog-file.ts';
import { cli } from '../cli/run.ts';
import { describePeer, type Peer, startPeer, stopAll } from '../peers/index.ts';

const NAME = 'hellokit.test';

function hasTshark(): boolean {
  try {
    execFileSync('tshark', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Starts tshark on loopback and resolves once it says it is capturing. */
function startCapture(port: number, file: string): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn('tshark', ['-i', 'lo', '-f', `tcp port ${port}`, '-w', file], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`tshark did not start capturing within 10 s: ${stderr}`));
    }, 10_000);
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (/Capturing on/.test(stderr)) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`tshark exited (${code}) before capturing: ${stderr}`));
    });
  });
}

function stopCapture(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    const hard = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(hard);
      resolve();
    });
    child.kill('SIGINT');
  });
}

/** An empty 0600 key log `PREFIXtarget.log` in `dir` and a symbolic link `PREFIXlink.log` to it. */
function linkedKeyLog(dir: string, prefix: string): { target: string; link: string } {
  const target = join(dir, `${prefix}target.log`);
  const link = join(dir, `${prefix}link.log`);
  writeFileSync(target, '', { mode: 0o600 });
  symlinkSync(target, link);
  return { target, link };
}

describePeer('openssl', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hellokit-keylog-'));
  let peer: Peer;
  beforeAll(async () => {
    peer = await startPeer('openssl', { names: [NAME] });
  });
  afterAll(async () => {
    await stopAll();
    rmSync(dir, { recursive: true, force: true });
  });

  test('tshark decrypts a capture of the probe with its key log and finds the server Certificate', async () => {
    if (!hasTshark()) {
      if (process.env.CI) throw new Error('tshark is required in CI (run .ci/install-peers.sh)');
      console.warn('[hellokit] tshark not found: skipping the key log capture check');
      return;
    }
    const pcap = join(dir, 'probe.pcapng');
    const keylog = join(dir, 'keys.log');
    const capture = await startCapture(peer.port, pcap);
    let result: Awaited<ReturnType<typeof probe>>;
    try {
      result = await probe(`${peer.host}:${peer.port}`, {
        hello: { serverName: NAME },
        keylog: { file: keylog },
        timeoutMs: 5000,
      });
      // let the last segments reach the capture before stopping it
      await new Promise((r) => setTimeout(r, 300));
    } finally {
      await stopCapture(capture);
    }
    expect(result.finishedVerified).toBe(true);
    expect(readFileSync(keylog, 'utf8')).toMatch(/^CLIENT_HANDSHAKE_TRAFFIC_SECRET [0-9a-f]{64} [0-9a-f]+$/m);
    const out = execFileSync(
      'tshark',
      [
        '-r',
        pcap,
        '-o',
        `tls.keylog_file:${keylog}`,
        '-Y',
        'tls.handshake.type==11',
        '-T',
        'fields',
        '-e',
        'tls.handshake.type',
      ],
      { encoding: 'utf8' },
    );
    expect(out.split('\n').some((l) => l.split(',').includes('11'))).toBe(true);
    // without the key log the Certificate stays encrypted
    const blind = execFileSync('tshark', ['-r', pcap, '-Y', 'tls.handshake.type==11'], { encoding: 'utf8' });
    expect(blind.trim()).toBe('');
  });
  const SECRET_LINE = /^CLIENT_HANDSHAKE_TRAFFIC_SECRET [0-9a-f]{64} [0-9a-f]+$/m;
  const probeArgs = () => ['probe', `${peer.host}:${peer.port}`, '--sni', NAME, '--timeout', '5s'];
  const mode = (file: string) => statSync(file).mode & 0o777;

  test('--keylog creates a missing key log with mode 0600 and writes the secrets, without a warning', async () => {
    const file = join(dir, 'new.log');
    const r = await cli([...probeArgs(), '--keylog', file]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(mode(file)).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toMatch(SECRET_LINE);
  });

  test('--keylog appends to an existing 0644 key log, keeps its mode and warns on stderr that others can read it', async () => {
    const file = join(dir, 'shared.log');
    writeFileSync(file, '# earlier lines\n');
    chmodSync(file, 0o644);
    const r = await cli([...probeArgs(), '--keylog', file]);
    expect(r.code).toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(
      /^hellokit probe: warning: the key log .*shared\.log is readable by group and others \(mode 0644\)/,
    );
    expect(mode(file)).toBe(0o644);
    const text = readFileSync(file, 'utf8');
    expect(text.startsWith('# earlier lines\n')).toBe(true);
    expect(text).toMatch(SECRET_LINE);
  });

  test('--keylog appends to an existing 0600 key log without a warning', async () => {
    const file = join(dir, 'private.log');
    writeFileSync(file, '', { mode: 0o600 });
    const r = await cli([...probeArgs(), '--keylog', file]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(readFileSync(file, 'utf8')).toMatch(SECRET_LINE);
  });

  test('--keylog refuses a symbolic link (exit 2, one line, the target untouched); --keylog-follow writes through it', async () => {
    const { target, link } = linkedKeyLog(dir, '');
    const refused = await cli([...probeArgs(), '--keylog', link]);
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toMatch(
      /^hellokit probe: the key log .*link\.log is a symbolic link: not followed/,
    );
    expect(refused.stdout).toBe('');
    expect(readFileSync(target, 'utf8')).toBe('');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);

    const followed = await cli([...probeArgs(), '--keylog', link, '--keylog-follow']);
    expect(followed.code).toBe(0);
    expect(readFileSync(target, 'utf8')).toMatch(SECRET_LINE);
  });

  test('probe() with keylog {file} refuses a symbolic link unless follow is set', async () => {
    const { target, link } = linkedKeyLog(dir, 'lib-');
    const options = { hello: { serverName: NAME }, timeoutMs: 5000 };
    await expect(probe(`${peer.host}:${peer.port}`, { ...options, keylog: { file: link } })).rejects.toThrow(
      KeyLogFileError,
    );
    const r = await probe(`${peer.host}:${peer.port}`, { ...options, keylog: { file: link, follow: true } });
    expect(r.outcome).toBe('server_hello');
    expect(readFileSync(target, 'utf8')).toMatch(SECRET_LINE);
  });
});

describe('probe --quic --keylog', () => {
  // The key log is opened before anything is sent, so no server is needed to see the refusal.
  test('refuses a symbolic link too (exit 2, one line), and --keylog-follow without --keylog is a usage error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hellokit-keylog-quic-'));
    try {
      const { target, link } = linkedKeyLog(dir, '');
      const r = await cli(['probe', '127.0.0.1:1', '--quic', '--keylog', link]);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/is a symbolic link: not followed/);
      expect(readFileSync(target, 'utf8')).toBe('');
      const alone = await cli(['probe', '127.0.0.1:1', '--keylog-follow']);
      expect(alone.code).toBe(2);
      expect(alone.stderr).toMatch(/--keylog-follow needs --keylog FILE/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
