/**
 * The output lines of `hellokit pcap` for one captured connection: its handshakes decoded,
 * fingerprinted and written as NDJSON or text. The same code runs in the command's own
 * thread and in its workers (src/cli/pcap-worker.ts), so both write the same bytes.
 */
import { type KnownClient, presetsWithJa4 } from '../../builder/presets/index.ts';
import { type CapturedHandshake, streamHandshakes } from '../../capture/stream-handshakes.ts';
import type { CapturedStream } from '../../capture/streams.ts';
import type { Endpoint } from '../../capture/tcp.ts';
import { type Ja4AlpnRule, ja3, ja3All, ja3s, ja4, ja4All } from '../../fingerprint/index.ts';
import { firstExtensionBody, serverName } from '../../handshake/hello-fields.ts';
import { cipherSuiteName, versionName } from '../../iana/lookup.ts';
import { schemaField, versionJson } from '../json-contract.ts';

/** How the lines are written. */
export interface PcapLineOptions {
  readonly json: boolean;
  readonly alpnRule: Ja4AlpnRule;
}

/** What one connection gave: its lines, how many handshakes, and the warnings its bytes raised. */
export interface StreamLines {
  text: string;
  handshakes: number;
  warnings: string[];
}

const SCHEMA = schemaField('pcap').schema;

/** Presets by JA4 and their JSON, filled as JA4s are met (bounded: a capture can hold many distinct ones). */
const known = new Map<string, { clients: KnownClient[]; json: string }>();
const KNOWN_CACHE = 4096;

function knownClients(ja4: string): { clients: KnownClient[]; json: string } {
  let k = known.get(ja4);
  if (k === undefined) {
    if (known.size >= KNOWN_CACHE) known.clear();
    const clients = presetsWithJa4(ja4);
    k = { clients, json: JSON.stringify(clients) };
    known.set(ja4, k);
  }
  return k;
}

/** Decodes one connection's handshakes and writes their lines. */
export function streamLines(stream: CapturedStream, options: PcapLineOptions): StreamLines {
  const warnings: string[] = [];
  const found = streamHandshakes(stream, warnings);
  let text = '';
  for (const h of found) text += options.json ? handshakeJson(h, options) : textLines(h, options);
  return { text, handshakes: found.length, warnings };
}

function serverHelloFields(h: CapturedHandshake) {
  const sh = h.serverHello;
  if (!sh) return null;
  return {
    version: sh.version,
    cipherSuite: sh.cipherSuite,
    cipherSuiteName: cipherSuiteName(sh.cipherSuite),
    helloRetryRequest: sh.helloRetryRequest,
    ja3s: ja3s({ legacyVersion: sh.legacyVersion, cipherSuite: sh.cipherSuite, extensions: sh.extensions }),
  };
}

function sni(h: CapturedHandshake): string | null {
  const body = firstExtensionBody(h.clientHello, 0);
  return body === undefined ? null : serverName(body);
}

function ja4Options(h: CapturedHandshake, options: PcapLineOptions) {
  return { transport: h.transport === 'quic' ? 'quic' : 'tcp', alpnRule: options.alpnRule } as const;
}

const str = JSON.stringify;

function num(n: number): string {
  return Number.isFinite(n) ? String(n) : 'null';
}

function endpointJson(e: Endpoint): string {
  return `{"ip":${str(e.ip)},"port":${num(e.port)}}`;
}

/**
 * One handshake line of `pcap --json` (docs/pcap.md lists the fields, in this order; the
 * JSON Schema hellokit/schemas/pcap.json checks it). Written field by field, with each
 * value's text from JSON.stringify: a line is much cheaper so than an object built and
 * serialised, and a capture can have millions.
 */
function handshakeJson(h: CapturedHandshake, options: PcapLineOptions): string {
  const { ja3, ja3Full } = ja3All(h.clientHello);
  const fp = ja4All(h.clientHello, ja4Options(h, options));
  const sh = serverHelloFields(h);
  const serverHello = sh
    ? `{"version":${str(versionJson(sh.version))},"cipherSuite":${num(sh.cipherSuite)},"cipherSuiteName":${str(sh.cipherSuiteName)},"helloRetryRequest":${sh.helloRetryRequest},"ja3s":${str(sh.ja3s)}}`
    : 'null';
  const problems =
    h.problems.length > 0 ? `,"problems":${str(h.problems.map((p) => `${p.path}: ${p.detail}`))}` : '';
  return `{"schema":${str(SCHEMA)},"type":"handshake","transport":${str(h.transport)},"stream":${num(h.stream)},"hello":${num(h.helloIndex)},"time":${num(h.firstSeen)},"client":${endpointJson(h.client)},"server":${endpointJson(h.server)},"serverName":${str(sni(h))},"ja3":${str(ja3)},"ja3Full":${str(ja3Full)},"ja4":${str(fp.ja4)},"ja4_r":${str(fp.ja4_r)},"ja4_o":${str(fp.ja4_o)},"ja4_ro":${str(fp.ja4_ro)},"knownClients":${knownClients(fp.ja4).json}${problems},"serverHello":${serverHello}}\n`;
}

function textLines(h: CapturedHandshake, options: PcapLineOptions): string {
  const fingerprint = ja4(h.clientHello, ja4Options(h, options));
  const { clients } = knownClients(fingerprint);
  const where = `${h.transport} ${h.stream}${h.helloIndex > 1 ? ` (hello ${h.helloIndex})` : ''}  ${endpoint(h.client)} → ${endpoint(h.server)}`;
  const named = clients.length > 0 ? `  (${clients.map((k) => k.preset).join(', ')})` : '';
  let out = `${where}  ${sni(h) ?? '(no SNI)'}\n  ja4 ${fingerprint}  ja3 ${ja3(h.clientHello)}${named}\n`;
  const sh = serverHelloFields(h);
  if (sh)
    out += `  server: ${versionName(sh.version)} ${sh.cipherSuiteName}${sh.helloRetryRequest ? ' (HelloRetryRequest)' : ''}  ja3s ${sh.ja3s}\n`;
  return out;
}

function endpoint(e: { ip: string; port: number }): string {
  return e.ip.includes(':') ? `[${e.ip}]:${e.port}` : `${e.ip}:${e.port}`;
}
