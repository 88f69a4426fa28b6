import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { probe } from '../../src/node/index.ts';
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
});
