/**
 * `npm run fuzz`: runs the decoder fuzzer (src/fuzz/engine.ts) over the real fixtures.
 *
 *   node --expose-gc dist/node/decoder-fuzz.js [--cases N] [--seed S] [--time-limit SEC] [--case I]
 *
 * The engine runs in a worker thread; the main thread is a watchdog that names the case
 * when one hangs (no progress for --hang-limit seconds, default 30). Memory: heapUsed after
 * gc at start and end; growing past --max-heap-growth MB (default 64) is a finding. Exits 1
 * on a finding, printing the decoder, the input hex and how to replay the case.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { type FuzzSummary, formatSummary, runFuzz } from '../fuzz/engine.ts';

interface Args {
  cases: number;
  seed: number;
  timeLimitSec?: number;
  caseIndex?: number;
  hangLimitSec: number;
  maxHeapGrowthMb: number;
  fixtures: string;
}

const here = dirname(fileURLToPath(import.meta.url));

function parseArgs(argv: readonly string[]): Args {
  const args: Args = {
    cases: 1_000_000,
    seed: 1,
    hangLimitSec: 30,
    maxHeapGrowthMb: 64,
    fixtures: join(here, '..', '..', 'fixtures'),
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    const num = (): number => {
      const n = Number(value);
      if (value === undefined || !Number.isFinite(n) || n < 0) usage(`${flag} expects a non-negative number`);
      i++;
      return n;
    };
    if (flag === '--cases') args.cases = Math.floor(num());
    else if (flag === '--seed') args.seed = Math.floor(num());
    else if (flag === '--time-limit') args.timeLimitSec = num();
    else if (flag === '--case') args.caseIndex = Math.floor(num());
    else if (flag === '--hang-limit') args.hangLimitSec = num();
    else if (flag === '--max-heap-growth') args.maxHeapGrowthMb = num();
    else if (flag === '--fixtures') {
      if (!value) usage('--fixtures expects a directory');
      args.fixtures = value;
      i++;
    } else if (flag === '--help' || flag === '-h') usage();
    else usage(`unknown option ${flag}`);
  }
  return args;
}

function usage(error?: string): never {
  if (error) console.error(`fuzz: ${error}`);
  console.error(
    'usage: node --expose-gc dist/node/decoder-fuzz.js [--cases N] [--seed S] [--time-limit SEC] [--case I] [--hang-limit SEC] [--max-heap-growth MB] [--fixtures DIR]',
  );
  process.exit(2);
}

function readDir(dir: string): Uint8Array[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.bin'))
    .sort()
    .map((f) => new Uint8Array(readFileSync(join(dir, f))));
}

function heapMb(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

type WorkerMessage =
  | { kind: 'progress'; line: string }
  | { kind: 'done'; summary: FuzzSummary; heapStart: number; heapEnd: number; gc: boolean };

function worker(args: Args, progress: Int32Array): void {
  const clientHellos = readDir(join(args.fixtures, 'clients'));
  const serverFlights = readDir(join(args.fixtures, 'servers'));
  const sslv2Dir = join(args.fixtures, 'clients', 'sslv2');
  const sslv2Hellos = existsSync(sslv2Dir) ? readDir(sslv2Dir) : [];
  const heapStart = heapMb();
  const summary = runFuzz(
    { clientHellos, serverFlights, sslv2Hellos },
    {
      cases: args.caseIndex === undefined ? args.cases : 1,
      firstCase: args.caseIndex ?? 0,
      seed: args.seed,
      ...(args.timeLimitSec === undefined ? {} : { timeLimitMs: args.timeLimitSec * 1000 }),
      onCase: (i) => {
        Atomics.store(progress, 0, i);
        Atomics.add(progress, 1, 1);
      },
      onProgress: (s) =>
        parentPort!.postMessage({ kind: 'progress', line: formatSummary(s) } satisfies WorkerMessage),
    },
  );
  const heapEnd = heapMb();
  const gc = typeof (globalThis as { gc?: unknown }).gc === 'function';
  parentPort!.postMessage({ kind: 'done', summary, heapStart, heapEnd, gc } satisfies WorkerMessage);
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  const shared = new SharedArrayBuffer(8);
  const progress = new Int32Array(shared);
  const w = new Worker(fileURLToPath(import.meta.url), { workerData: { args, shared } });
  let lastTick = -1;
  let lastChange = Date.now();
  const watchdog = setInterval(() => {
    const tick = Atomics.load(progress, 1);
    if (tick !== lastTick) {
      lastTick = tick;
      lastChange = Date.now();
      return;
    }
    if (Date.now() - lastChange > args.hangLimitSec * 1000) {
      const index = Atomics.load(progress, 0);
      console.error(
        `fuzz: FINDING hang: case ${index} made no progress for ${args.hangLimitSec} s; replay with --seed ${args.seed} --case ${index}`,
      );
      clearInterval(watchdog);
      void w.terminate().then(() => process.exit(1));
    }
  }, 1000);
  w.on('message', (m: WorkerMessage) => {
    if (m.kind === 'progress') {
      console.log(m.line);
      return;
    }
    clearInterval(watchdog);
    const { summary } = m;
    const growth = m.heapEnd - m.heapStart;
    console.log(
      `fuzz: heapUsed ${m.heapStart.toFixed(1)} MB at start, ${m.heapEnd.toFixed(1)} MB at end (${growth >= 0 ? '+' : ''}${growth.toFixed(1)} MB${m.gc ? ', after gc' : ', no gc: run node with --expose-gc'})`,
    );
    for (const f of summary.findings) {
      console.error(`fuzz: FINDING ${f.kind} in ${f.decoder}: ${f.message}`);
      console.error(`  input (${f.origin}): ${f.inputHex}`);
      console.error(
        `  replay: node --expose-gc dist/node/decoder-fuzz.js --seed ${f.seed} --case ${f.caseIndex}`,
      );
    }
    let failed = summary.findings.length > 0;
    if (m.gc && growth > args.maxHeapGrowthMb) {
      console.error(
        `fuzz: FINDING memory: heapUsed grew by ${growth.toFixed(1)} MB (bound ${args.maxHeapGrowthMb} MB)`,
      );
      failed = true;
    }
    console.log(formatSummary(summary));
    process.exitCode = failed ? 1 : 0;
  });
  w.on('error', (e) => {
    clearInterval(watchdog);
    console.error(`fuzz: the fuzzer itself failed: ${e.stack ?? e}`);
    process.exitCode = 1;
  });
}

if (isMainThread) main();
else {
  const data = workerData as { args: Args; shared: SharedArrayBuffer };
  worker(data.args, new Int32Array(data.shared));
}
