/**
 * What the reference scanners report, for comparing `hellokit scan` against them in the
 * tests and in `npm run bench:scan`: sslscan's XML and testssl's JSON, parsed once here.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** sslscan's findings: enabled versions (`TLS 1.2`), accepted suite codes and groups per version (`TLSv1.2`). */
export interface SslscanResult {
  readonly versions: string[];
  readonly suites: Record<string, number[]>;
  readonly groups: Record<string, string[]>;
  /** The suite sslscan marks `preferred` per version: what the server picked from sslscan's full list. */
  readonly preferred: Record<string, number>;
  /** The one certificate sslscan shows (with its SNI), when it shows one. */
  readonly certificate?: SslscanCertificate;
}

/** sslscan's certificate: key type as in `<pk>` (`EC`/`RSA`, curve or bits), validity and self-signature. */
export interface SslscanCertificate {
  readonly keyType: string;
  readonly curve?: string;
  readonly bits?: number;
  readonly notAfter?: string;
  readonly expired: boolean;
  readonly selfSigned: boolean;
}

/** Runs `sslscan --xml=-` against `host:port` with SNI `sni`. */
export async function sslscan(host: string, port: number, sni: string): Promise<SslscanResult> {
  const { stdout } = await run(
    'sslscan',
    ['--no-colour', '--xml=-', `--sni-name=${sni}`, `${host}:${port}`],
    {
      timeout: 60_000,
      maxBuffer: 1 << 24,
    },
  );
  const versions = [...stdout.matchAll(/<protocol type="tls" version="([\d.]+)" enabled="1"/g)].map(
    (m) => `TLS ${m[1]}`,
  );
  const suites: Record<string, number[]> = {};
  const preferred: Record<string, number> = {};
  for (const m of stdout.matchAll(
    /<cipher status="(\w+)" sslversion="(TLSv[\d.]+)"[^>]* id="0x([0-9A-Fa-f]+)"/g,
  )) {
    const code = Number.parseInt(m[3], 16);
    suites[m[2]] = [...(suites[m[2]] ?? []), code];
    if (m[1] === 'preferred') preferred[m[2]] = code;
  }
  const groups: Record<string, string[]> = {};
  for (const m of stdout.matchAll(/<group sslversion="(TLSv[\d.]+)"[^>]* name="([^" ]+)/g))
    groups[m[1]] = [...(groups[m[1]] ?? []), m[2]];
  return { versions, suites, groups, preferred, ...certificateOf(stdout) };
}

function certificateOf(xml: string): { certificate?: SslscanCertificate } {
  const pk = /<pk [^>]*type="(\w+)"[^>]*>/.exec(xml);
  if (!pk) return {};
  const attribute = (name: string) => new RegExp(`${name}="([^"]+)"`).exec(pk[0])?.[1];
  const element = (name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];
  const bits = attribute('bits');
  return {
    certificate: {
      keyType: pk[1],
      ...(attribute('curve_name') ? { curve: attribute('curve_name') } : {}),
      ...(bits ? { bits: Number(bits) } : {}),
      ...(element('not-valid-after') ? { notAfter: element('not-valid-after') } : {}),
      expired: element('expired') === 'true',
      selfSigned: element('self-signed') === 'true',
    },
  };
}

/** One entry of testssl's `--jsonfile` output. */
export interface TestsslEntry {
  readonly id: string;
  readonly severity: string;
  readonly finding: string;
}

/**
 * Runs `testssl --ip IP --jsonfile … NAME:PORT` (SNI `name`, connecting to `ip`) with the
 * checks in `checks` (e.g. `-p -E -P -S -f`) and returns its JSON entries.
 */
export async function testsslJson(
  ip: string,
  port: number,
  name: string,
  checks: readonly string[],
): Promise<TestsslEntry[]> {
  const dir = mkdtempSync(join(tmpdir(), 'hk-testssl-'));
  try {
    const file = join(dir, 'testssl.json');
    // testssl exits non-zero when it finds weaknesses; the JSON file is what counts.
    await run(
      'testssl',
      [
        '--quiet',
        '--color',
        '0',
        '--warnings',
        'off',
        '--ip',
        ip,
        '--jsonfile',
        file,
        ...checks,
        `${name}:${port}`,
      ],
      { timeout: 300_000, maxBuffer: 1 << 24 },
    ).catch(() => {});
    return parseTestsslJson(readFileSync(file, 'utf8'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The suite codes `testssl -e` (every cipher) reports as offered, all versions together, sorted. */
export async function testsslSuites(host: string, port: number): Promise<number[]> {
  const dir = mkdtempSync(join(tmpdir(), 'hk-testssl-'));
  try {
    const file = join(dir, 'testssl.json');
    // testssl exits non-zero when it finds weaknesses; the JSON file is what counts.
    await run('testssl', ['--quiet', '--color', '0', '-e', '--jsonfile', file, `${host}:${port}`], {
      timeout: 100_000,
      maxBuffer: 1 << 24,
    }).catch(() => {});
    return (JSON.parse(readFileSync(file, 'utf8')) as { id: string }[])
      .map((e) => /^cipher_x([0-9a-f]+)$/.exec(e.id)?.[1])
      .filter((x): x is string => x !== undefined)
      .map((h) => Number.parseInt(h, 16))
      .sort((a, b) => a - b);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * testssl's JSON file. testssl writes it entry by entry, so a run that ends early (a
 * connection it could not make twice in a row) leaves the array open: the entries so far
 * are kept.
 */
export function parseTestsslJson(text: string): TestsslEntry[] {
  try {
    return JSON.parse(text) as TestsslEntry[];
  } catch {
    const closed = `${text.trim().replace(/,\s*$/, '')}\n]`;
    return JSON.parse(closed) as TestsslEntry[];
  }
}
