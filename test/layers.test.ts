/**
 * The layer table of DESIGN.md ("Layers (src/)"), checked on every import of every file under
 * src/: a folder imports only the folders below it, the core imports no Node-only folder, and
 * the core's packages are the noble libraries (fast-check in arbitraries/). An import against
 * the table fails with the file, the import and the rule it breaks.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = process.cwd();
const SRC = join(ROOT, 'src');

// The layers, lowest first. Each row lists every folder the folder may import directly (its own
// files are always allowed); DESIGN.md writes the nearest layers, this table writes them all.
const BASE = ['bytes', 'iana'];
const MESSAGES = [...BASE, 'records', 'extensions', 'handshake'];
const WITH_CRYPTO = [...MESSAGES, 'crypto'];
/** The platform-neutral folders: everything but node/ and cli/. */
const CORE = [
  ...WITH_CRYPTO,
  'builder',
  'lint',
  'fingerprint',
  'capture',
  'quic',
  'catalogue',
  'arbitraries',
  'probe',
  'diagnose',
  'fuzz',
  'scan',
  'inspect',
  'peek',
];

/** Which folder may import which. `(entry)` is the files directly in src/ (index.ts, browser.ts). */
const LAYERS: Readonly<Record<string, readonly string[]>> = {
  bytes: [],
  iana: ['bytes'],
  records: BASE,
  extensions: BASE,
  handshake: [...BASE, 'records', 'extensions'],
  // iana/: CryptoError's alert codes come from the one alert table (ALERT in iana/alerts.ts).
  crypto: BASE,
  builder: WITH_CRYPTO,
  lint: MESSAGES,
  fingerprint: MESSAGES,
  // QUIC's CRYPTO frames carry handshake messages; capture/ reads QUIC Initials through quic/.
  capture: [...MESSAGES, 'quic'],
  quic: WITH_CRYPTO,
  // Not in DESIGN.md's table: the hostile-hello catalogue and the fast-check arbitraries build
  // hellos with the builder and forge the bytes around them.
  catalogue: [...WITH_CRYPTO, 'builder'],
  arbitraries: [...WITH_CRYPTO, 'builder'],
  probe: [...WITH_CRYPTO, 'builder', 'lint', 'fingerprint', 'capture', 'quic'],
  diagnose: [...WITH_CRYPTO, 'builder', 'lint', 'fingerprint', 'capture', 'quic', 'probe'],
  // Not in DESIGN.md's table: the fuzz cases mutate hellos with arbitraries/' mutators, seed from
  // captures and classify probe results; the scan asks its questions as diagnose plan entries;
  // inspect is what decode, lint and pcap tell about some bytes, platform-neutral.
  fuzz: [...WITH_CRYPTO, 'builder', 'arbitraries', 'capture', 'probe'],
  scan: [...WITH_CRYPTO, 'builder', 'probe', 'diagnose'],
  inspect: [...MESSAGES, 'builder', 'fingerprint', 'lint', 'capture'],
  // Not in DESIGN.md's table: the server-side ClientHello peek names an SSLv2 hello by its
  // fingerprint line.
  peek: [...MESSAGES, 'fingerprint'],
  node: CORE,
  cli: [...CORE, 'node'],
  '(entry)': CORE,
};

/** Packages a folder may import: the core only the noble libraries (and fast-check for arbitraries/). */
function packageAllowed(folder: string, specifier: string): boolean {
  if (folder === 'node' || folder === 'cli') return true;
  if (specifier.startsWith('@noble/')) return true;
  return folder === 'arbitraries' && (specifier === 'fast-check' || specifier.startsWith('fast-check/'));
}

/**
 * Imports the table does not allow yet, by file and the folder it imports, each with when it goes.
 * Nothing else may be added here.
 */
const EXCEPTIONS: readonly {
  readonly file: string;
  readonly imports: string;
  readonly until: string;
}[] = [];

/** One import that breaks the table. */
interface LayerViolation {
  readonly file: string;
  readonly specifier: string;
  readonly rule: string;
}

/** The layer of a file under src/: its first folder, or `(entry)` for files directly in src/. */
function layerOf(path: string): string {
  const parts = relative(SRC, path).split(sep);
  return parts.length === 1 ? '(entry)' : parts[0];
}

/** Every import (static, type-only, re-export, dynamic) of `code`, as written. */
function importsOf(code: string): string[] {
  return ts.preProcessFile(code, true, true).importedFiles.map((f) => f.fileName);
}

/** The imports of `file` (a path under src/, its source `code`) that break the table. */
function checkImports(
  file: string,
  code: string,
  layers: Readonly<Record<string, readonly string[]>> = LAYERS,
  exceptions: typeof EXCEPTIONS = EXCEPTIONS,
): LayerViolation[] {
  const from = layerOf(file);
  const shown = relative(ROOT, file).split(sep).join('/');
  const allowed = layers[from];
  if (!allowed)
    return [
      {
        file: shown,
        specifier: '',
        rule: `src/${from}/ has no row in the layer table (test/layers.test.ts)`,
      },
    ];
  const out: LayerViolation[] = [];
  for (const specifier of importsOf(code)) {
    if (specifier.startsWith('node:')) {
      if (CORE.includes(from) || from === '(entry)')
        out.push({ file: shown, specifier, rule: `${from} is platform-neutral: no node:* import` });
      continue;
    }
    if (!specifier.startsWith('.')) {
      if (!packageAllowed(from, specifier))
        out.push({ file: shown, specifier, rule: `${from} may import no package but @noble/*` });
      continue;
    }
    const target = resolve(dirname(file), specifier);
    if (!target.startsWith(SRC + sep)) {
      out.push({ file: shown, specifier, rule: 'src/ imports nothing outside src/' });
      continue;
    }
    const to = layerOf(target);
    if (to === from || allowed.includes(to)) continue;
    if (exceptions.some((e) => e.file === shown && e.imports === to)) continue;
    out.push({
      file: shown,
      specifier,
      rule: `${from} may import ${allowed.length > 0 ? allowed.join(', ') : 'nothing'}; not ${to}`,
    });
  }
  return out;
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

const files = sources(SRC);
const format = (v: LayerViolation) => `${v.file}: import '${v.specifier}': ${v.rule}`;

describe('layers (DESIGN.md "Layers (src/)")', () => {
  it('reads every source file under src/', () => {
    expect(files.length).toBeGreaterThan(200);
  });

  it('every folder under src/ has a row in the layer table', () => {
    const folders = readdirSync(SRC).filter((name) => statSync(join(SRC, name)).isDirectory());
    expect(folders.filter((f) => !(f in LAYERS))).toEqual([]);
  });

  it('every import of every file keeps to the table', () => {
    const violations = files.flatMap((file) => checkImports(file, readFileSync(file, 'utf8')));
    expect(violations.map(format)).toEqual([]);
  });

  it('no folder imports one that imports it back, exceptions aside', () => {
    const cycles = Object.entries(LAYERS).flatMap(([a, targets]) =>
      targets.filter((b) => b !== a && (LAYERS[b] ?? []).includes(a)).map((b) => `${a} ⇄ ${b}`),
    );
    expect(cycles).toEqual([]);
  });

  it('every exception is still needed: its file exists and still makes that import', () => {
    const stale = EXCEPTIONS.filter((e) => {
      const path = join(ROOT, e.file);
      try {
        const code = readFileSync(path, 'utf8');
        return checkImports(path, code, LAYERS, []).every((v) => !v.rule.endsWith(`not ${e.imports}`));
      } catch {
        return true;
      }
    });
    expect(stale.map((e) => `${e.file} → ${e.imports} (until ${e.until})`)).toEqual([]);
  });
});

describe('the layer check itself', () => {
  const at = (path: string) => join(SRC, path);

  it('names the file, the import and the rule of an upward import', () => {
    expect(
      checkImports(at('bytes/reader.ts'), "import { ALERT } from '../iana/alerts.ts';").map(format),
    ).toEqual(["src/bytes/reader.ts: import '../iana/alerts.ts': bytes may import nothing; not iana"]);
  });

  it('sees type-only imports, re-exports and dynamic imports', () => {
    const code = [
      "import type { ProbeResult } from '../node/probe.ts';",
      "export * from '../cli/main.ts';",
      "const m = await import('../node/serve.ts');",
    ].join('\n');
    expect(checkImports(at('scan/x.ts'), code).map((v) => v.specifier)).toEqual([
      '../node/probe.ts',
      '../cli/main.ts',
      '../node/serve.ts',
    ]);
  });

  it('keeps node:* and packages other than noble out of the core, not out of node/', () => {
    const code = "import { connect } from 'node:net';\nimport x509 from '@peculiar/x509';";
    expect(checkImports(at('probe/x.ts'), code).map((v) => v.rule)).toEqual([
      'probe is platform-neutral: no node:* import',
      'probe may import no package but @noble/*',
    ]);
    expect(checkImports(at('node/x.ts'), code)).toEqual([]);
  });

  it('lets a file import its own folder and the folders its row names', () => {
    const code = "import { Reader } from '../bytes/reader.ts';\nimport { x } from './y.ts';";
    expect(checkImports(at('records/x.ts'), code)).toEqual([]);
  });

  it('an exception allows exactly its file and folder', () => {
    const code = "import type { ProbeOutcome } from '../diagnose/types.ts';";
    const one = [{ file: 'src/probe/types.ts', imports: 'diagnose', until: 'a test' }];
    expect(checkImports(at('probe/types.ts'), code, LAYERS, one)).toEqual([]);
    expect(checkImports(at('probe/types.ts'), code)).toHaveLength(1);
    expect(checkImports(at('probe/engine.ts'), code, LAYERS, one)).toHaveLength(1);
  });
});
