import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { which } from './process.ts';

const run = promisify(execFile);

/** A private network namespace joined to the host by a veth pair on a /30 of 10.200.0.0/16. */
export interface Namespace {
  name: string;
  /** The address inside the namespace: connect here. */
  inside: string;
  /** The host's end of the veth pair. */
  outside: string;
  remove(): Promise<void>;
}

const prefix = 'hk-';

const ipCommand = () => which('ip') ?? 'ip';

async function ip(...args: string[]): Promise<string> {
  return (await run(ipCommand(), args)).stdout;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Deletes namespaces this harness left behind in test processes that no longer run (`hk-PID-…`). */
async function removeStale(): Promise<void> {
  const list = await ip('netns', 'list');
  for (const line of list.split('\n')) {
    const match = /^hk-(\d+)-[0-9a-f]+\b/.exec(line);
    if (match && !pidAlive(Number(match[1]))) await ip('netns', 'delete', match[0]).catch(() => undefined);
  }
}

/**
 * Creates a namespace with `lo` up and a veth pair: `10.200.X.Y+1` on the host, `10.200.X.Y+2`
 * inside. Only the namespace's own interfaces exist inside, so a server that binds every
 * address there cannot reach the host's real interfaces. Needs CAP_NET_ADMIN (root).
 */
export async function createNamespace(): Promise<Namespace> {
  await removeStale();
  const used = await ip('-4', '-o', 'addr', 'show');
  let subnet = '';
  for (let attempt = 0; attempt < 50 && !subnet; attempt++) {
    const [a, b] = randomBytes(2);
    const candidate = `10.200.${a}.${b & 0xfc}`;
    const base = candidate.slice(0, candidate.lastIndexOf('.') + 1);
    const last = b & 0xfc;
    if (![1, 2].some((k) => used.includes(` ${base}${last + k}/`))) subnet = candidate;
  }
  if (!subnet) throw new Error('netns: no free 10.200.0.0/16 subnet');
  const base = subnet.slice(0, subnet.lastIndexOf('.') + 1);
  const last = Number(subnet.slice(subnet.lastIndexOf('.') + 1));
  const outside = `${base}${last + 1}`;
  const inside = `${base}${last + 2}`;
  const tag = randomBytes(3).toString('hex');
  const name = `${prefix}${process.pid}-${tag}`;
  const hostIf = `hk${tag}o`;
  const nsIf = `hk${tag}i`;
  await ip('netns', 'add', name);
  const remove = async () => {
    // Deleting the namespace destroys its veth end, and with it the host's end.
    await ip('netns', 'delete', name).catch(() => undefined);
    await ip('link', 'delete', hostIf).catch(() => undefined);
  };
  try {
    await ip('link', 'add', hostIf, 'type', 'veth', 'peer', 'name', nsIf);
    await ip('link', 'set', nsIf, 'netns', name);
    await ip('addr', 'add', `${outside}/30`, 'dev', hostIf);
    await ip('link', 'set', hostIf, 'up');
    await ip('-n', name, 'addr', 'add', `${inside}/30`, 'dev', nsIf);
    await ip('-n', name, 'link', 'set', nsIf, 'up');
    await ip('-n', name, 'link', 'set', 'lo', 'up');
  } catch (error) {
    await remove();
    throw error;
  }
  return { name, inside, outside, remove };
}

let usable: boolean | undefined;

/** Whether this process may create network namespaces (checked once by making and deleting one). */
export function namespacesUsable(): boolean {
  if (usable === undefined) {
    const name = `${prefix}${process.pid}-check`;
    try {
      execFileSync(ipCommand(), ['netns', 'add', name], { stdio: 'ignore' });
      execFileSync(ipCommand(), ['netns', 'delete', name], { stdio: 'ignore' });
      usable = true;
    } catch {
      usable = false;
    }
  }
  return usable;
}
