/**
 * `npm run bench:pcap`: `hellokit pcap` against tshark on the same synthetic captures, in one
 * run, as whole processes: wall time, MB/s, handshakes/s and peak RSS (from /usr/bin/time).
 *
 * The captures are made here, in a temp dir removed at the end: N TCP connections (default
 * 60 000), each a SYN and one segment carrying a real ClientHello from fixtures/clients, 20
 * connections a second of capture time; the same with each hello's extensions in an order of
 * its own (as Chrome shuffles them: no JA3 or JA4_o text repeats, so none is memoised); and a
 * third one of 2.5 GB made as the first (smaller when the temp dir has not room for it; the
 * line says which size was used).
 *
 * On the large capture only `hellokit pcap --json` and its threaded line run, and tshark (and
 * the text output) only with `--tshark-large`:
 * tshark keeps state for every packet, several times the file's size in memory (see the
 * first capture's line), and the text output costs what --json costs (see the first line).
 *
 * The small capture is also read with `--threads N`, one worker per core beside the reading
 * thread (N = cores - 1, at least 1). Each command runs `--runs` times (default 3) and its
 * fastest run is printed, tshark's as hellokit's. The load average is printed with the
 * ratios: on a shared machine it says how much the wall times mean.
 *
 * The hellokit measured is the package's bin (`bin.hellokit` in package.json), as users run it.
 *
 * Usage: npm run bench:pcap [-- --connections N] [--runs R] [--large-mb M (0: no large capture)] [--tshark-large]
 * Needs `npm run build` (the script runs it) and tshark on PATH.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  statfsSync,
  statSync,
  writeSync,
} from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  fixtureHellos,
  shuffledHellos,
  syntheticCapture,
} from '../test/capture/helpers/synthetic-capture.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
/** What `hellokit` runs: the package's bin (the bundled CLI). */
const cli = join(root, JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).bin.hellokit);
const MB = 1024 * 1024;
const SPACING_MICROS = 50_000;
/** Worker threads of the threaded line: one per core beside the reading thread's. */
const WORKERS = Math.max(1, availableParallelism() - 1);

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

interface Measured {
  readonly seconds: number;
  /** CPU time (user and system) of the pipeline: the tool, and the small counter it is piped into. */
  readonly cpuSeconds: number;
  readonly peakRss: number;
  readonly handshakes: number;
}

/**
 * Runs `command args | counter` under /usr/bin/time: wall time and the peak RSS of the
 * largest process (the tool; the counter is a small C program). Each tool's output goes to
 * a fast reader, so neither waits on the bench to read it.
 */
function measureOnce(command: string, args: string[], counter: string): Measured {
  const quoted = [command, ...args].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M %U %S', 'sh', '-c', `${quoted} | ${counter}`], {
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`${command} exited ${r.status}: ${r.stderr.slice(-500)}`);
  const [seconds, kib, user, system] = r.stderr.trim().split('\n').at(-1)!.split(' ').map(Number);
  return { seconds, cpuSeconds: user + system, peakRss: kib * 1024, handshakes: Number(r.stdout.trim()) };
}

/** How many times each command runs; its fastest run is the one printed (the same for every tool). */
const RUNS = option('runs', 3);

/** The fastest of {@link RUNS} runs (a shared machine slows single runs down, never speeds them up). */
function measure(command: string, args: string[], counter: string): Measured {
  let best: Measured | undefined;
  for (let i = 0; i < RUNS; i++) {
    const m = measureOnce(command, args, counter);
    if (!best || m.seconds < best.seconds) best = m;
  }
  return best!;
}

function writeCapture(path: string, connections: number, shuffled = false): number {
  const fd = openSync(path, 'w');
  const hellos = fixtureHellos(root);
  const helloFor = shuffled ? shuffledHellos(hellos) : undefined;
  for (const chunk of syntheticCapture({ connections, hellos, spacingMicros: SPACING_MICROS, helloFor }))
    writeSync(fd, chunk);
  closeSync(fd);
  return statSync(path).size;
}

function line(tool: string, size: number, m: Measured): string {
  const mbs = size / MB / m.seconds;
  return `  ${tool.padEnd(22)} ${m.seconds.toFixed(2).padStart(7)} s (CPU ${m.cpuSeconds.toFixed(2)} s)  ${mbs.toFixed(1).padStart(6)} MB/s  ${Math.round(
    m.handshakes / m.seconds,
  )
    .toLocaleString('en')
    .padStart(
      8,
    )} handshakes/s  peak RSS ${(m.peakRss / MB).toFixed(0).padStart(5)} MB  (${m.handshakes.toLocaleString('en')} handshakes)`;
}

/** Counters: handshake lines of the NDJSON, of the text output, and tshark's lines. */
const NDJSON_HANDSHAKES = `grep -c '^{"schema":"hellokit.pcap/1","type":"handshake"'`;
const TEXT_HANDSHAKES = "grep -c '^  ja4 '";
const LINES = 'wc -l';

function bench(name: string, path: string, size: number, withTshark: boolean): void {
  console.log(`${name}: ${(size / MB).toFixed(1)} MB`);
  const json = measure(process.execPath, [cli, 'pcap', '--json', path], NDJSON_HANDSHAKES);
  console.log(line('hellokit pcap --json', size, json));
  const threaded = () => {
    const m = measure(
      process.execPath,
      [cli, 'pcap', '--json', '--threads', String(WORKERS), path],
      NDJSON_HANDSHAKES,
    );
    console.log(line(`… --json --threads ${WORKERS}`, size, m));
    return m;
  };
  if (!withTshark) {
    threaded();
    console.log('  tshark                 not run on this capture (pass --tshark-large)');
    return;
  }
  const tshark = measure(
    'tshark',
    ['-r', path, '-Y', 'tls.handshake.type==1', '-T', 'fields', '-e', 'tls.handshake.ja3'],
    LINES,
  );
  console.log(line('tshark -T fields ja3', size, tshark));
  const text = measure(process.execPath, [cli, 'pcap', path], TEXT_HANDSHAKES);
  console.log(line('hellokit pcap (text)', size, text));
  const threads = threaded();
  const ratio = (m: Measured) => (tshark.seconds / m.seconds).toFixed(2);
  const cpuRatio = (m: Measured) => (tshark.cpuSeconds / m.cpuSeconds).toFixed(2);
  console.log(
    `  tshark / hellokit wall time: --json ${ratio(json)}×, text ${ratio(text)}×, --json --threads ${WORKERS} ${ratio(threads)}× (aim: 3×); load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  console.log(
    `  tshark / hellokit CPU time: --json ${cpuRatio(json)}×, text ${cpuRatio(text)}×, --json --threads ${WORKERS} ${cpuRatio(threads)}×`,
  );
}

function main(): void {
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run \`npm run build\` first`);
  execFileSync('tshark', ['--version'], { stdio: 'ignore' });
  const connections = option('connections', 60_000);
  const dir = mkdtempSync(join(tmpdir(), 'hellokit-bench-pcap-'));
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  process.on('SIGINT', () => {
    cleanup();
    process.exit(130);
  });
  try {
    const small = join(dir, 'small.pcap');
    const smallSize = writeCapture(small, connections);
    bench(`capture of ${connections.toLocaleString('en')} connections`, small, smallSize, true);
    rmSync(small);
    // The same hellos with their extensions in a new order every connection, as Chrome sends
    // them: JA3 and JA4_o texts never repeat, so their memo misses and every one is hashed.
    const shuffled = join(dir, 'shuffled.pcap');
    const shuffledSize = writeCapture(shuffled, connections, true);
    bench(
      `capture of ${connections.toLocaleString('en')} connections, extensions shuffled per connection`,
      shuffled,
      shuffledSize,
      true,
    );
    rmSync(shuffled);

    const wanted = option('large-mb', 2560) * MB;
    if (!(wanted > 0)) {
      console.log('large capture: skipped (--large-mb 0)');
      return;
    }
    const { bavail, bsize } = statfsSync(dir);
    const free = bavail * bsize;
    // Leave room for everything else on the disk: use at most half of what is free.
    const target = Math.min(wanted, Math.floor(free / 2));
    const perConnection = smallSize / connections;
    const large = join(dir, 'large.pcap');
    const largeSize = writeCapture(large, Math.floor(target / perConnection));
    const note =
      target < wanted ? ` (${(wanted / MB).toFixed(0)} MB wanted; the temp dir has room for less)` : '';
    bench(`large capture${note}`, large, largeSize, process.argv.includes('--tshark-large'));
  } finally {
    cleanup();
  }
}

main();
