import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { delimiter, join } from 'node:path';

/** How long a server may take to accept its first connection. */
export const startTimeoutMs = 10_000;
/** How long a server may take to exit after SIGTERM before it gets SIGKILL. */
const stopGraceMs = 3_000;

/** The absolute path of `command` on PATH (plus the sbin dirs, where nginx and haproxy live), or undefined. */
export function which(command: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/local/sbin', '/usr/sbin', '/sbin'];
  for (const d of dirs) {
    if (!d) continue;
    const path = join(d, command);
    if (existsSync(path)) return path;
  }
  return undefined;
}

/** A free TCP port on 127.0.0.1, found by binding port 0 and closing again. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** The first line a `--version`-style command prints (stdout, else stderr: `nginx -v` uses stderr). */
export function versionLine(command: string, args: string[]): string {
  const result = spawnSync(which(command) ?? command, args, {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 5_000,
  });
  const text = (result.stdout ?? '').trim() || (result.stderr ?? '').trim();
  return text.split('\n')[0] ?? '';
}

/** A spawned server with its output kept for error messages. */
export interface ServerProcess {
  child: ChildProcess;
  pid: number;
  /** stdout and stderr so far (the last 16 KiB). */
  output(): string;
  /** Resolves when the process has exited. */
  exited: Promise<void>;
  /** SIGTERM, then SIGKILL after a grace period; resolves when the process is gone. */
  stop(): Promise<void>;
}

/**
 * Spawns a server. On Linux it is wrapped in `setpriv --pdeathsig KILL` (which execs, so the pid is
 * the server's), so a test process that crashes does not leave servers behind.
 */
export function spawnServer(
  command: string,
  args: string[],
  env?: NodeJS.ProcessEnv,
  cwd?: string,
): ServerProcess {
  command = which(command) ?? command;
  const setpriv = process.platform === 'linux' ? which('setpriv') : undefined;
  const [file, argv] = setpriv ? [setpriv, ['--pdeathsig', 'KILL', '--', command, ...args]] : [command, args];
  const child = spawn(file, argv, { env: env ?? process.env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  const keep = (chunk: Buffer) => {
    text = (text + chunk.toString('utf8')).slice(-16_384);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let spawnError: Error | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', (error) => {
      spawnError = error;
      resolve();
    });
  });
  const alive = () => child.exitCode === null && child.signalCode === null && !spawnError;
  return {
    child,
    pid: child.pid ?? -1,
    output: () => (spawnError ? `${spawnError.message}\n${text}` : text),
    exited,
    async stop() {
      if (!alive()) return;
      child.kill('SIGTERM');
      const timer = new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), stopGraceMs).unref());
      if ((await Promise.race([exited.then(() => 'gone' as const), timer])) === 'late' && alive()) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}

function tryConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * Waits until `host:port` accepts a TCP connection. Fails with the server's output if it exits
 * first or does not accept within {@link startTimeoutMs}.
 */
export async function waitForPort(
  server: ServerProcess,
  host: string,
  port: number,
  label: string,
): Promise<void> {
  const deadline = Date.now() + startTimeoutMs;
  let exited = false;
  server.exited.then(() => {
    exited = true;
  });
  while (Date.now() < deadline) {
    if (exited) throw new Error(`${label} exited before accepting on ${host}:${port}:\n${server.output()}`);
    if (await tryConnect(host, port)) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  await server.stop();
  throw new Error(
    `${label} did not accept on ${host}:${port} within ${startTimeoutMs} ms:\n${server.output()}`,
  );
}

/** What a server module hands to {@link launch}. */
export interface LaunchSpec {
  label: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  /** The temp dir holding the server's config and state; removed on stop. */
  dir: string;
  host: string;
  port: number;
  /** Runs after the process is gone (e.g. to delete a network namespace). */
  cleanup?: () => Promise<void>;
}

/** Spawns, waits for the port, and returns the pid and a stop that also removes `dir`. */
export async function launch(spec: LaunchSpec): Promise<{ pid: number; stop: () => Promise<void> }> {
  const { rm } = await import('node:fs/promises');
  const server = spawnServer(spec.command, spec.args, spec.env, spec.dir);
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      await server.stop();
      await spec.cleanup?.();
      await rm(spec.dir, { recursive: true, force: true });
    })();
    return stopping;
  };
  try {
    await waitForPort(server, spec.host, spec.port, spec.label);
  } catch (error) {
    await stop();
    throw error;
  }
  return { pid: server.pid, stop };
}
