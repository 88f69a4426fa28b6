/**
 * The JSON contract (docs/json.md): every `--json` output of a real run — real fixtures, real
 * captures, a real TLS server on loopback — names its shape in `schema` and validates against
 * the JSON Schema the package ships for it (ajv, draft 2020-12).
 */
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JSON_SCHEMAS } from '../../src/cli/json-contract.ts';
import { describePeer, type Peer, startPeer } from '../peers/index.ts';
import { cli, serveInProcess } from './run.ts';

const ROOT = new URL('../../', import.meta.url);
const FIXTURE = (p: string) => new URL(`fixtures/${p}`, ROOT).pathname;
const PCAP = join(process.cwd(), '..', 'shared', 'conformance', 'ja4', 'pcap');
const manifest = JSON.parse(readFileSync(new URL('package.json', ROOT), 'utf8'));

const ajv = new Ajv2020({ allErrors: true });
const validators = new Map<string, ValidateFunction>(
  JSON_SCHEMAS.map((c) => [
    c,
    ajv.compile(JSON.parse(readFileSync(new URL(`schemas/${c}.json`, ROOT), 'utf8'))),
  ]),
);

/** Asserts that `doc` names `command`'s schema and validates against it; returns it. */
function valid(command: string, doc: Record<string, unknown>): Record<string, unknown> {
  expect(doc.schema).toBe(`hellokit.${command}/1`);
  const validate = validators.get(command);
  if (!validate) throw new Error(`no schema for ${command}`);
  const ok = validate(doc);
  expect(ok ? [] : validate.errors?.map((e) => `${e.instancePath} ${e.message}`), command).toEqual([]);
  return doc;
}

/** One JSON document: the whole of stdout. */
async function single(command: string, argv: string[]): Promise<Record<string, unknown>> {
  const { stdout, stderr } = await cli([command, ...argv, '--json']);
  expect(stderr, `${command} ${argv.join(' ')}`).not.toMatch(/Error:|at .*\.ts:/);
  return valid(command, JSON.parse(stdout));
}

/** NDJSON: every line is one object with the schema field. */
async function lines(command: string, argv: string[]): Promise<Record<string, unknown>[]> {
  const { stdout } = await cli([command, ...argv, '--json']);
  const docs = stdout
    .trim()
    .split('\n')
    .map((l) => valid(command, JSON.parse(l)));
  expect(docs.length).toBeGreaterThan(0);
  return docs;
}

describe('the schema files', () => {
  it("ship in the package and are exported as hellokit/schemas/<name>.json (serve's three too)", () => {
    expect(JSON_SCHEMAS).toEqual(expect.arrayContaining(['probe', 'serve', 'serve-clean', 'serve-log']));
    expect(manifest.files).toContain('schemas');
    expect(manifest.exports['./schemas/*.json']).toBe('./schemas/*.json');
    // Resolved as a user's program resolves it: through the package's exports map.
    const require = createRequire(import.meta.url);
    for (const c of JSON_SCHEMAS) {
      expect(require.resolve(`hellokit/schemas/${c}.json`)).toBe(new URL(`schemas/${c}.json`, ROOT).pathname);
      const schema = require(`hellokit/schemas/${c}.json`);
      expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
      // The project has no public address: the ids are names, not URLs to fetch.
      expect(schema.$id).toBe(`urn:hellokit:schemas:${c}`);
      expect(schema.properties.schema).toEqual({ const: `hellokit.${c}/1` });
    }
  });

  it('say the same thing once: target, version and alert have one definition in every file', () => {
    const seen = new Map<string, string>();
    for (const c of JSON_SCHEMAS) {
      const defs = JSON.parse(readFileSync(new URL(`schemas/${c}.json`, ROOT), 'utf8')).$defs ?? {};
      for (const [name, def] of Object.entries(defs)) {
        const text = JSON.stringify(def);
        expect(seen.get(name) ?? text, `$defs.${name} in ${c}.json`).toBe(text);
        seen.set(name, text);
      }
    }
    expect([...seen.keys()]).toEqual(expect.arrayContaining(['target', 'version', 'alert', 'fingerprints']));
  });

  it('reject what breaks the contract (a string target, a bare version number)', () => {
    const probe = validators.get('probe');
    const scan = validators.get('scan');
    expect(
      probe?.({ schema: 'hellokit.probe/1', target: '127.0.0.1:1', outcome: 'timeout', sentHellos: 1 }),
    ).toBe(false);
    expect(
      scan?.({
        schema: 'hellokit.scan/1',
        target: { host: 'a', port: 1, ip: null },
        versions: [{ version: 'TLS 1.3', supported: true, cipherSuites: [], groups: [] }],
        certificates: [],
        probes: 1,
        elapsedMs: 1,
      }),
    ).toBe(false);
  });
});

describe('outputs from fixtures and captures', () => {
  it('decode, encode, build, lint and diff of real hellos', async () => {
    const decoded = await single('decode', [FIXTURE('clients/firefox-sni.bin')]);
    const hello = (decoded.messages as Record<string, unknown>[])[0];
    expect(hello.ja4_r).toMatch(/^t13d/);
    await single('decode', [FIXTURE('servers/caddy-tls13.bin')]);
    const sslv2 = await single('decode', [FIXTURE('clients/sslv2/testssl-sslv2.bin')]);
    expect((sslv2.messages as { type: string }[])[0].type).toBe('sslv2_client_hello');
    // A damaged input still prints a document: what was decoded, and the error with its offset.
    const whole = readFileSync(FIXTURE('clients/curl-sni.bin'));
    const cut = await cli(['decode', '-', '--json'], new Uint8Array(whole.subarray(0, 100)));
    expect(cut.code).toBe(2);
    expect(valid('decode', JSON.parse(cut.stdout)).error).toMatchObject({ offset: expect.any(Number) });
    const dir = mkdtempSync(join(tmpdir(), 'hk-schema-'));
    try {
      const file = join(dir, 'decoded.json');
      const { stdout } = await cli(['decode', FIXTURE('clients/curl-sni.bin'), '--json']);
      writeFileSync(file, stdout);
      await single('encode', [file]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    await single('build', ['--preset', 'chrome']);
    await single('lint', [FIXTURE('clients/go-sni.bin')]);
    await single('diff', [FIXTURE('clients/curl-sni.bin'), FIXTURE('clients/firefox-sni.bin')]);
  });

  it('pcap: NDJSON, each handshake line and the summary line with the schema field', async () => {
    const docs = await lines('pcap', [join(PCAP, 'tls-alpn-h2.pcap')]);
    expect(docs.at(-1)?.type).toBe('summary');
    const withServer = docs.find((d) => d.type === 'handshake' && d.serverHello !== null);
    expect((withServer?.serverHello as { version: unknown } | undefined)?.version).toEqual({
      code: expect.any(Number),
      name: expect.stringMatching(/^TLS 1\.[0-3]$/),
    });
    await lines('pcap', [FIXTURE('captures/ip-fragments.pcapng')]);
  });
});

describePeer('node', () => {
  let peer: Peer;
  beforeAll(async () => {
    peer = await startPeer('node', { names: ['hellokit.test'] });
  });
  afterAll(async () => {
    await peer?.stop();
  });
  const at = () => `${peer.host}:${peer.port}`;

  it('probe: a handshake, an alert and a refused connection', async () => {
    const ok = await single('probe', [at(), '--sni', 'hellokit.test']);
    expect(ok.target).toEqual({ host: peer.host, port: peer.port, ip: peer.host });
    expect((ok.serverHello as { negotiatedVersion: unknown }).negotiatedVersion).toEqual({
      code: 0x0304,
      name: 'TLS 1.3',
    });
    // The node peer has only an ECDSA certificate: an RSA-only TLS 1.2 hello gets an alert.
    const alert = await single('probe', [
      at(),
      '--tls',
      '1.2',
      '--ciphers',
      'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
    ]);
    expect(alert.outcome).toBe('alert');
    expect(alert.alert).toMatchObject({ level: 2, description: 40, name: 'handshake_failure' });
    const refused = await single('probe', ['127.0.0.1:1', '--timeout', '5s']);
    expect(refused.outcome).toBe('connect_failed');
  });

  it('diagnose and scan of a port nothing listens on still print a valid document', async () => {
    const d = await single('diagnose', ['127.0.0.1:1']);
    expect((d.findings as { id: string }[])[0].id).toBe('unreachable');
    const s = await single('scan', ['127.0.0.1:1', '--retries', '0']);
    expect(s.error).toMatch(/ECONNREFUSED/);
  });

  it('diagnose', async () => {
    const d = await single('diagnose', [at(), '--sni', 'hellokit.test']);
    expect(d.target).toEqual({ host: peer.host, port: peer.port, ip: peer.host });
  });

  it('scan, and scan --targets streams one line per target', async () => {
    const s = await single('scan', [at(), '--sni', 'hellokit.test']);
    const versions = s.versions as { version: { name: string }; supported: boolean }[];
    expect(versions.filter((v) => v.supported).map((v) => v.version.name)).toContain('TLS 1.3');
    const dir = mkdtempSync(join(tmpdir(), 'hk-schema-'));
    try {
      const file = join(dir, 'targets.txt');
      writeFileSync(file, `${at()}\n127.0.0.1:1\n`);
      const docs = await lines('scan', ['--targets', file, '--retries', '0']);
      expect(docs.map((d) => (d.target as { port: number }).port).sort()).toEqual([1, peer.port].sort());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('probe, scan and diagnose of a host name give the address they connected to as target.ip', async () => {
    // /etc/hosts maps localhost to loopback; the peer listens on 127.0.0.1 only, so that is
    // the one address a connection can reach whatever else the name resolves to.
    expect(peer.host).toBe('127.0.0.1');
    const named = `localhost:${peer.port}`;
    const expected = { host: 'localhost', port: peer.port, ip: '127.0.0.1' };
    const p = await single('probe', [named, '--sni', 'hellokit.test']);
    expect(p.outcome).toBe('server_hello');
    expect(p.target).toEqual(expected);
    const s = await single('scan', [named, '--sni', 'hellokit.test', '--timeout', '60s']);
    expect(s.target).toEqual(expected);
    expect(s).not.toHaveProperty('ip');
    const d = await single('diagnose', [named, '--sni', 'hellokit.test']);
    expect(d.target).toEqual(expected);
    // Refused: the address tried is still the one DNS gave.
    const refused = await single('probe', [`localhost:1`, '--timeout', '5s']);
    expect(refused.outcome).toBe('connect_failed');
    expect(refused.target).toEqual({ host: 'localhost', port: 1, ip: '127.0.0.1' });
  });

  it('fuzz: a run and a replayed case', async () => {
    const run = await single('fuzz', [at(), '--runs', '3', '--seed', 'schema']);
    const cases = run.cases as { id: string }[];
    expect(cases).toHaveLength(3);
    const replay = await single('fuzz', [at(), '--seed', 'schema', '--replay', cases[0].id]);
    expect((replay.result as { target: unknown }).target).toEqual({
      host: peer.host,
      port: peer.port,
      ip: peer.host,
    });
  });
});

describe('serve: its answers and its --json log, from real clients on loopback', () => {
  const execFileAsync = promisify(execFile);
  const curl = async (port: number, path: string, args: string[]) =>
    (await execFileAsync('curl', ['-sk', '--max-time', '10', ...args, `https://127.0.0.1:${port}${path}`]))
      .stdout;

  it('/json, /api/all, /api/clean and / validate, and so does every log line', async () => {
    const { io, port, stop } = await serveInProcess(['--json']);
    try {
      const h2 = valid('serve', JSON.parse(await curl(port, '/json', ['--http2'])));
      expect(h2.http).toMatchObject({
        version: 'h2',
        path: '/json',
        akamai: expect.stringMatching(/\|m,p,s,a$/),
      });
      expect((h2.tls as { hello: { ja4: string } }).hello.ja4).toMatch(/^t13/);
      const h1 = valid('serve', JSON.parse(await curl(port, '/api/all', ['--http1.1'])));
      expect(h1.http).toMatchObject({ version: 'http/1.1', path: '/api/all' });
      // With --json, / answers curl with the same document.
      valid('serve', JSON.parse(await curl(port, '/', ['--http1.1'])));
      const cleanH2 = valid('serve-clean', JSON.parse(await curl(port, '/api/clean', ['--http2'])));
      expect(cleanH2.akamaiHash).toMatch(/^[0-9a-f]{32}$/);
      const cleanH1 = valid('serve-clean', JSON.parse(await curl(port, '/api/clean', ['--http1.1'])));
      expect(cleanH1.akamai).toBeNull();
      expect(cleanH1.ja4).toBe(String(cleanH2.ja4).replace(/h2_/, 'h1_'));
      // A client that sends no hello at all: a connection line with the error.
      const notTls = connect(port, '127.0.0.1');
      notTls.on('error', () => {});
      notTls.end('GARBAGE, NOT TLS\r\n');
      await once(notTls, 'close');
    } finally {
      expect(await stop()).toBe(0);
    }
    const logged = io.stdout
      .trim()
      .split('\n')
      .map((l) => valid('serve-log', JSON.parse(l)));
    expect(logged.filter((l) => l.event === 'request').map((l) => l.path)).toEqual([
      '/json',
      '/api/all',
      '/',
      '/api/clean',
      '/api/clean',
    ]);
    const connections = logged.filter((l) => l.event === 'connection');
    expect(connections).toHaveLength(6);
    expect(connections.at(-1)).toMatchObject({ error: expect.any(String), errorCode: 'not-tls' });
  });

  it('the log schema refuses a connection line with neither a hello nor an error', () => {
    const log = validators.get('serve-log');
    expect(
      log?.({ schema: 'hellokit.serve-log/1', event: 'connection', remote: '127.0.0.1:1', serverName: null }),
    ).toBe(false);
    expect(log?.({ schema: 'hellokit.serve-log/1', event: 'request', remote: '127.0.0.1:1' })).toBe(false);
  });
});
