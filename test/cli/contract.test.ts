import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandIO } from '../../src/cli/command.ts';
import { EXIT } from '../../src/cli/errors.ts';
import { runCli } from '../../src/cli/main.ts';
import { colourWanted } from '../../src/cli/terminal.ts';
import { cli } from './run.ts';

/** A loopback port nothing listens on: bound, then closed, so connecting is refused. */
async function closedPort(): Promise<number> {
  const s = createServer().listen(0, '127.0.0.1');
  await once(s, 'listening');
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

// A plain-text server (what a TLS port mistaken for an HTTP one answers): reached, but not TLS.
let plain: Server;
const accepted = new Set<Socket>();
let plainTarget: string;
let closed: string;
beforeAll(async () => {
  plain = createServer((socket) => {
    accepted.add(socket.on('close', () => accepted.delete(socket)));
    socket.end('HTTP/1.1 400 Bad Request\r\n\r\n');
  }).listen(0, '127.0.0.1');
  await once(plain, 'listening');
  plainTarget = `127.0.0.1:${(plain.address() as { port: number }).port}`;
  closed = `127.0.0.1:${await closedPort()}`;
});
afterAll(async () => {
  // probe and scan leave their side of a not-TLS connection open (the server's FIN is not
  // answered), so close() alone would wait for ever.
  for (const socket of accepted) socket.destroy();
  await new Promise((r) => plain.close(r));
});

describe('exit codes (docs/cli.md)', () => {
  it('are the one table in errors.ts', () => {
    expect(EXIT).toEqual({ ok: 0, finding: 1, usage: 2, unreachable: 3, failed: 4 });
  });

  it('probe: 3 for a refused connection, 0 for a server that answered, even with something not TLS', async () => {
    const refused = await cli(['probe', closed, '--timeout', '5s']);
    expect(refused.code, refused.stderr).toBe(3);
    const answered = await cli(['probe', plainTarget, '--timeout', '5s', '--json']);
    expect(answered.code, answered.stderr).toBe(0);
    expect(JSON.parse(answered.stdout).outcome).toBe('not_tls');
  });

  it('probe --quic: 3 when no datagram comes back, refused or silent', async () => {
    // A closed UDP port on loopback: the kernel's port-unreachable makes the send fail at once.
    const refused = await cli(['probe', '--quic', closed, '--timeout', '5s', '--json']);
    expect(refused.code, refused.stderr).toBe(3);
    expect(JSON.parse(refused.stdout).outcome).toBe('connect_failed');
    // A bound socket that never answers: silence until the limit.
    const silent = createSocket('udp4');
    silent.bind(0, '127.0.0.1');
    await once(silent, 'listening');
    try {
      const r = await cli([
        'probe',
        '--quic',
        `127.0.0.1:${silent.address().port}`,
        '--timeout',
        '300ms',
        '--json',
      ]);
      expect(r.code, r.stderr).toBe(3);
      expect(JSON.parse(r.stdout)).toMatchObject({ outcome: 'timeout', datagramsReceived: 0 });
    } finally {
      silent.close();
    }
  });

  it('scan: 3 when nothing is reached, 0 when the server answered', async () => {
    const refused = await cli(['scan', closed, '--json']);
    expect(refused.code, refused.stderr).toBe(3);
    expect(JSON.parse(refused.stdout).error).toMatch(/ECONNREFUSED|refused/i);
    const answered = await cli(['scan', plainTarget, '--json']);
    expect(answered.code, answered.stderr).toBe(0);
    expect(JSON.parse(answered.stdout).error).toMatch(/^not TLS/);
  });

  it('scan --targets - reads standard input and exits with the worst of its targets', async () => {
    const list = (targets: string[]) => new TextEncoder().encode(`${targets.join('\n')}\n# end\n`);
    const mixed = await cli(['scan', '--targets', '-'], list([plainTarget, closed]));
    expect(mixed.code, mixed.stderr).toBe(3);
    const lines = mixed.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    const targets = lines.map((l) => {
      const t = JSON.parse(l).target as { host: string; port: number };
      return `${t.host}:${t.port}`;
    });
    expect(targets.sort()).toEqual([plainTarget, closed].sort());
    const good = await cli(['scan', '--targets', '-'], list([plainTarget]));
    expect(good.code, good.stderr).toBe(0);
    const bad = await cli(['scan', '--targets', '-'], list(['host:99999']));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^hellokit scan: bad target "host:99999" on line 1 of standard input/);
  });

  it('diagnose: 3 for an unreachable server', async () => {
    const r = await cli(['diagnose', closed, '--timeout', '10s']);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stdout).toMatch(/^ERROR unreachable /m);
  });

  it('diagnose --fail-on: 1 when a finding is that bad (the demo server needs SNI: an error)', async () => {
    const failOnError = await cli(['diagnose', '--fail-on', 'error', '--json']);
    expect(failOnError.code, failOnError.stderr).toBe(1);
    const findings = JSON.parse(failOnError.stdout).findings as { id: string; severity: string }[];
    expect(findings).toContainEqual(expect.objectContaining({ id: 'sni_required', severity: 'error' }));
    const bad = await cli(['diagnose', '--fail-on', 'info']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('hellokit diagnose: --fail-on expects warning or error, got "info"\n');
  });

  it('fuzz: 3 when the baseline cannot connect', async () => {
    const r = await cli(['fuzz', closed, '--runs', '5']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/no case sent/);
  });

  it('4 when the tool itself fails (here, writing its output throws)', async () => {
    let stderr = '';
    const io: CommandIO = {
      out: () => {
        throw new Error('write EIO');
      },
      err: (t) => {
        stderr += t;
      },
      outBytes: () => {},
      readStdin: async () => new Uint8Array(0),
      isTTY: false,
    };
    expect(await runCli(['build'], io)).toBe(4);
    expect(stderr).toBe('hellokit build: failed: write EIO\n');
  });
});

describe('terminal manners', () => {
  it('encode writes hex when stdout is a terminal and bytes when it is not, whatever stderr is', async () => {
    const decoded = await cli(['decode', '--json', '-'], (await cli(['build', '-o', '-'])).bytes);
    const doc = new TextEncoder().encode(decoded.stdout);
    const piped = await cli(['encode', '-'], doc, { isTTY: true, stdoutIsTTY: false });
    expect(piped.bytes[0]).toBe(0x16);
    expect(piped.stdout).toBe('');
    const terminal = await cli(['encode', '-'], doc, { isTTY: false, stdoutIsTTY: true });
    expect(terminal.bytes).toHaveLength(0);
    expect(terminal.stdout).toMatch(/^16030[13][0-9a-f]+\n$/);
  });

  it('build -o - writes record bytes to stdout, hex on a terminal', async () => {
    const piped = await cli(['build', '-o', '-', '--seed', '1']);
    expect(piped.bytes[0]).toBe(0x16);
    const terminal = await cli(['build', '-o', '-', '--seed', '1'], undefined, { stdoutIsTTY: true });
    expect(terminal.stdout.trim()).toBe(Buffer.from(piped.bytes).toString('hex'));
  });

  it('says so on stderr when it waits on a terminal stdin, and not when stdin is a pipe', async () => {
    const bytes = (await cli(['build', '-o', '-'])).bytes;
    const fromTerminal = await cli(['decode'], bytes, { stdinIsTTY: true });
    expect(fromTerminal.code).toBe(0);
    expect(fromTerminal.stderr).toBe(
      'hellokit decode: reading standard input (Ctrl-D ends it; give a FILE to read one)…\n',
    );
    const fromPipe = await cli(['decode'], bytes);
    expect(fromPipe.stderr).toBe('');
  });

  it('colours severities only when asked (a terminal, FORCE_COLOR), never NO_COLOR', async () => {
    expect(colourWanted(true, {})).toBe(true);
    expect(colourWanted(false, {})).toBe(false);
    expect(colourWanted(true, { NO_COLOR: '1' })).toBe(false);
    expect(colourWanted(false, { FORCE_COLOR: '1' })).toBe(true);
    expect(colourWanted(true, { FORCE_COLOR: '0' })).toBe(false);
    const go = 'fixtures/clients/go-sni.bin';
    const plainLint = await cli(['lint', go]);
    expect(plainLint.stdout).toMatch(/^warning extended_master_secret_missing /);
    const coloured = await cli(['lint', go], undefined, { colour: true });
    expect(coloured.stdout).toMatch(/^\x1b\[33mwarning\x1b\[39m extended_master_secret_missing /);
  });

  it('shows progress with a total on a terminal stderr: scan --targets counts targets', async () => {
    const list = new TextEncoder().encode(`${closed}\n${closed}\n`);
    const r = await cli(['scan', '--targets', '-'], list, { isTTY: true });
    expect(r.stderr).toMatch(/1\/2 targets/);
    expect(r.stderr).toMatch(/2\/2 targets/);
    expect(r.stderr.endsWith('\r\x1b[K')).toBe(true);
    const piped = await cli(['scan', '--targets', '-'], list);
    expect(piped.stderr).toBe('');
  });
});
