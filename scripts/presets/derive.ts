/**
 * Derives hellokit's presets from the captured ClientHellos in fixtures/clients/ and writes
 * src/builder/presets/captured.generated.ts. Run: `npx vite-node scripts/presets/derive.ts`.
 *
 * Per client it reads every `CLIENT-sni*.bin` (and checks `CLIENT-nosni.bin` differs only by
 * server_name): suites, extension order and bodies, groups, key share groups, signature
 * schemes, versions, ALPN, GREASE slots, padding and ECH GREASE. Extension order that differs
 * between two SNI captures of one client means the client permutes (Chrome).
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { toHex } from '../../src/bytes/hex.ts';
import type { Extension } from '../../src/extensions/types.ts';
import { ja4 } from '../../src/fingerprint/ja4.ts';
import { encodeClientHelloMessage, parseClientHello } from '../../src/handshake/client-hello.ts';
import type { ClientHello } from '../../src/handshake/types.ts';
import { isGrease, isGreaseByte } from '../../src/iana/grease.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const fixtures = join(root, 'fixtures', 'clients');
const out = join(root, 'src', 'build', 'presets', 'captured.generated.ts');

/** Preset name → capture name prefix in fixtures/clients. */
const CLIENTS: Record<string, string> = {
  chrome: 'chromium',
  firefox: 'firefox',
  curl: 'curl',
  openssl: 'openssl',
  'openssl-tls12': 'openssl-tls12',
  gnutls: 'gnutls-cli',
  go: 'go',
  node: 'node',
  python: 'python',
  wget: 'wget',
};

/** Extensions the builder fills in from options; every other body is kept raw. */
const GENERATED = new Set([0, 10, 11, 13, 16, 21, 43, 45, 51, 0xfe0d]);

const u16s = (b: Uint8Array, from: number, to: number): number[] => {
  const v: number[] = [];
  for (let i = from; i + 1 < to; i += 2) v.push((b[i] << 8) | b[i + 1]);
  return v;
};
const hex16 = (n: number) => `0x${n.toString(16).padStart(4, '0')}`;

function load(file: string): { hello: ClientHello; meta: { version: string } } {
  const bytes = new Uint8Array(readFileSync(join(fixtures, file)));
  const meta = JSON.parse(readFileSync(join(fixtures, file.replace(/\.bin$/, '.json')), 'utf8'));
  return { hello: parseClientHello(bytes), meta };
}

function keyShareGroups(body: Uint8Array): { groups: number[]; grease: boolean } {
  const groups: number[] = [];
  let grease = false;
  for (let i = 2; i + 4 <= body.length; ) {
    const group = (body[i] << 8) | body[i + 1];
    const len = (body[i + 2] << 8) | body[i + 3];
    if (isGrease(group)) grease = true;
    else groups.push(group);
    i += 4 + len;
  }
  return { groups, grease };
}

function alpn(body: Uint8Array): string[] {
  const ids: string[] = [];
  for (let i = 2; i < body.length; ) {
    const n = body[i];
    ids.push(new TextDecoder().decode(body.subarray(i + 1, i + 1 + n)));
    i += 1 + n;
  }
  return ids;
}

function withoutGrease(list: number[]): { list: number[]; grease: boolean } {
  return { list: list.filter((v) => !isGrease(v)), grease: list.length > 0 && isGrease(list[0]) };
}

function derive(name: string, prefix: string): string {
  const files = readdirSync(fixtures).filter((f) => f.endsWith('.bin'));
  const sni = files.filter((f) => new RegExp(`^${prefix}-sni(-\\d+)?\\.bin$`).test(f)).sort();
  if (sni.length === 0) throw new Error(`no ${prefix}-sni*.bin capture`);
  const captures = sni.map(load);
  const { hello, meta } = captures[0];
  const exts = hello.extensions ?? [];
  const nonGreaseOrder = (h: ClientHello) =>
    (h.extensions ?? []).map((e) => e.type).filter((t) => !isGrease(t));
  const permute = captures.some((c) => nonGreaseOrder(c.hello).join() !== nonGreaseOrder(hello).join());
  const byType = new Map<number, Extension>(exts.map((e) => [e.type, e]));
  const grease: Record<string, boolean> = {};
  const opt: string[] = [];
  const bodies: string[] = [];
  const order: number[] = [];

  const suites = withoutGrease([...hello.cipherSuites]);
  if (suites.grease) grease.cipherSuites = true;
  if (exts.length > 0 && isGrease(exts[0].type)) grease.extensions = true;
  for (const e of exts) {
    if (isGrease(e.type)) continue;
    order.push(e.type);
    if (!GENERATED.has(e.type)) bodies.push(`      ${e.type}: '${toHex(e.body)}',`);
  }

  opt.push(`legacyVersion: ${hex16(hello.legacyVersion)}`);
  opt.push(`record: { version: ${hex16(hello.record?.version ?? 0x0301)} }`);
  opt.push(`sessionId: ${hello.legacySessionId.length}`);
  opt.push(`cipherSuites: [${suites.list.map(hex16).join(', ')}]`);
  opt.push(`compressionMethods: [${hello.legacyCompressionMethods.join(', ')}]`);

  const list = (type: number, from: number, width: 1 | 2): number[] | null => {
    const e = byType.get(type);
    if (!e) return null;
    if (width === 2) return u16s(e.body, from, e.body.length);
    return [...e.body.subarray(from)];
  };
  const groups = list(10, 2, 2);
  if (groups) {
    const g = withoutGrease(groups);
    if (g.grease) grease.groups = true;
    opt.push(`groups: [${g.list.map(hex16).join(', ')}]`);
  } else opt.push('groups: null');
  const ks = byType.get(51);
  if (ks) {
    const k = keyShareGroups(ks.body);
    if (k.grease) grease.keyShare = true;
    opt.push(`keyShares: [${k.groups.map(hex16).join(', ')}]`);
  } else opt.push('keyShares: null');
  const sigalgs = list(13, 2, 2);
  if (sigalgs) {
    const s = withoutGrease(sigalgs);
    if (s.grease) grease.signatureAlgorithms = true;
    opt.push(`signatureAlgorithms: [${s.list.map(hex16).join(', ')}]`);
  } else opt.push('signatureAlgorithms: null');
  const versions = list(43, 1, 2);
  if (versions) {
    const v = withoutGrease(versions);
    if (v.grease) grease.versions = true;
    opt.push(`versions: [${v.list.map(hex16).join(', ')}]`);
  } else opt.push('versions: null');
  const psk = list(45, 1, 1);
  if (psk) {
    if (psk.length > 0 && isGreaseByte(psk[0])) grease.pskModes = true;
    opt.push(`pskModes: [${psk.filter((m) => !isGreaseByte(m)).join(', ')}]`);
  } else opt.push('pskModes: null');
  const pf = list(11, 1, 1);
  opt.push(pf ? `ecPointFormats: [${pf.join(', ')}]` : 'ecPointFormats: null');
  const a = byType.get(16);
  opt.push(
    a
      ? `alpn: [${alpn(a.body)
          .map((s) => JSON.stringify(s))
          .join(', ')}]`
      : 'alpn: null',
  );

  const pad = byType.get(21);
  if (pad) {
    const messageLength = encodeClientHelloMessage(hello).length;
    opt.push(messageLength === 512 ? `padding: 'boringssl'` : `padding: ${messageLength}`);
  } else opt.push('padding: false');
  const ech = byType.get(0xfe0d);
  if (ech) {
    const b = ech.body;
    const kdfId = (b[1] << 8) | b[2];
    const aeadId = (b[3] << 8) | b[4];
    const encLength = (b[6] << 8) | b[7];
    const payloadLength = (b[8 + encLength] << 8) | b[9 + encLength];
    // A permuting (BoringSSL) client also draws its ECH GREASE payload size per connection.
    const size = permute ? `'boringssl'` : String(payloadLength);
    opt.push(`echGrease: { kdfId: ${hex16(kdfId)}, aeadId: ${hex16(aeadId)}, payloadLength: ${size} }`);
  } else opt.push('echGrease: false');
  const slots = Object.keys(grease);
  opt.push(slots.length > 0 ? `grease: { ${slots.map((s) => `${s}: true`).join(', ')} }` : 'grease: false');
  opt.push(`permuteExtensions: ${permute}`);
  opt.push(`extensionOrder: [${order.map(hex16).join(', ')}]`);

  const captured = [...sni, `${prefix}-nosni.bin`];
  const ja4s = [...new Set(captured.map((f) => ja4(load(f).hello)))];
  return `  ${JSON.stringify(name)}: {
    client: ${JSON.stringify(meta.version)},
    captures: [${captured.map((f) => JSON.stringify(f)).join(', ')}],
    ja4: [${ja4s.map((j) => JSON.stringify(j)).join(', ')}],
    options: {
      ${opt.join(',\n      ')},
    },
    extensionBodies: {
${bodies.join('\n')}
    },
  },`;
}

const entries = Object.entries(CLIENTS).map(([name, prefix]) => derive(name, prefix));
const text = `// Generated by scripts/presets/derive.ts from fixtures/clients/*.bin. Do not edit by hand:
// refresh the captures, then run \`npx vite-node scripts/presets/derive.ts\`.
import type { Satisfies } from '../../iana/satisfies.ts';
import type { CapturedPreset } from './types.ts';

/** Presets derived from real captured ClientHellos (extension bodies as hex). */
export const CAPTURED_PRESETS = {
${entries.join('\n')}
} as const;
type _CheckCapturedPresets = Satisfies<typeof CAPTURED_PRESETS, Readonly<Record<string, CapturedPreset>>>;
`;
writeFileSync(out, text);
console.log(`wrote ${out} (${entries.length} presets)`);
