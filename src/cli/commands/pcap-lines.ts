/**
 * The output lines of `hellokit pcap` for one captured connection: its handshakes decoded,
 * fingerprinted and written as NDJSON or text. The same code runs in the command's own
 * thread and in its workers (src/cli/pcap-worker.ts), so both write the same bytes.
 */
import { type KnownClient, presetsWithJa4 } from '../../builder/presets/index.ts';
import { endpointText } from '../../capture/ip.ts';
import { type CapturedHandshake, streamHandshakes } from '../../capture/stream-handshakes.ts';
import type { CapturedStream } from '../../capture/streams.ts';
import type { Endpoint } from '../../capture/tcp.ts';
import type { AsciiText } from '../../fingerprint/ascii-list.ts';
import { clientFingerprintsTo, type FingerprintSink } from '../../fingerprint/client-fingerprints.ts';
import { type Ja4AlpnRule, type Ja4Options, ja3s } from '../../fingerprint/index.ts';
import { helloServerName } from '../../handshake/hello-fields.ts';
import { cipherSuiteName, versionName } from '../../iana/lookup.ts';
import { schemaField, versionJson } from '../json-contract.ts';
import type { OutputBytes } from './pcap-output.ts';

/** How the lines are written. */
export interface PcapLineOptions {
  readonly json: boolean;
  readonly alpnRule: Ja4AlpnRule;
}

const SCHEMA = schemaField('pcap').schema;

/** Presets by JA4 and their JSON, filled as JA4s are met (bounded: a capture can hold many distinct ones). */
const known = new Map<string, { clients: KnownClient[]; json: Uint8Array }>();
const KNOWN_CACHE = 4096;

function knownClients(ja4: string): { clients: KnownClient[]; json: Uint8Array } {
  let k = known.get(ja4);
  if (k === undefined) {
    if (known.size >= KNOWN_CACHE) known.clear();
    const clients = presetsWithJa4(ja4);
    k = { clients, json: new TextEncoder().encode(JSON.stringify(clients)) };
    known.set(ja4, k);
  }
  return k;
}

/**
 * Decodes one connection's handshakes and writes their lines into `out`; how many handshakes
 * it held. Warnings its bytes raised are added to `warnings`.
 */
export function streamLines(
  stream: CapturedStream,
  options: PcapLineOptions,
  out: OutputBytes,
  warnings: string[],
): number {
  const found = streamHandshakes(stream, warnings);
  for (const h of found) {
    if (options.json) handshakeJson(h, options, out);
    else textLines(h, options, out);
  }
  return found.length;
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
  return helloServerName(h.clientHello);
}

/** JA4's options per transport and ALPN rule, made once (a line is written per handshake). */
const JA4_OPTIONS = {
  spec: { tcp: { transport: 'tcp', alpnRule: 'spec' }, quic: { transport: 'quic', alpnRule: 'spec' } },
  reference: {
    tcp: { transport: 'tcp', alpnRule: 'reference' },
    quic: { transport: 'quic', alpnRule: 'reference' },
  },
} as const;

function ja4Options(h: CapturedHandshake, options: PcapLineOptions): Ja4Options {
  return JA4_OPTIONS[options.alpnRule][h.transport];
}

const str = JSON.stringify;

function endpointJson(e: Endpoint, out: OutputBytes): void {
  out.text('{"ip":');
  out.json(e.ip);
  out.text(',"port":');
  out.number(e.port);
  out.text('}');
}

/** The fixed start of every handshake line. */
const HANDSHAKE_LINE = new TextEncoder().encode(`{"schema":${str(SCHEMA)},"type":"handshake","transport":`);
/** ` → ` between the endpoints of a text line. */
const ARROW = new TextEncoder().encode(' → ');
const QUOTE = 0x22;
const UNDERSCORE = 0x5f;

/**
 * Writes a line's fingerprints as they are made: JA3 and JA4 with their strings, the
 * strings copied from the fingerprint's own bytes (they are most of a line's bytes).
 */
class JsonFingerprints implements FingerprintSink {
  out!: OutputBytes;
  /** The line's JA4 (for the known clients). */
  ja4 = '';
  /**
   * What was written for a hello the fingerprint memo kept, by its entry: a hello with the
   * same fingerprints gets those bytes in one copy. Held as long as the memo holds the entry.
   */
  private readonly written = new WeakMap<object, { readonly bytes: Uint8Array; readonly ja4: string }>();
  private start = 0;

  again(entry: object): boolean {
    const kept = this.written.get(entry);
    if (kept === undefined) {
      this.start = this.out.length;
      return false;
    }
    this.out.raw(kept.bytes);
    this.ja4 = kept.ja4;
    return true;
  }

  replayed(entry: object): void {
    this.written.set(entry, { bytes: this.out.copyFrom(this.start), ja4: this.ja4 });
  }

  ja3(value: string, full: AsciiText): void {
    const out = this.out;
    out.text(',"ja3":');
    out.json(value);
    out.text(',"ja3Full":"');
    out.ascii(full.bytes, 0, full.length);
    out.char(QUOTE);
  }

  hashed(form: 'ja4' | 'ja4_o', value: string): void {
    if (form === 'ja4') this.ja4 = value;
    this.out.text(form === 'ja4' ? ',"ja4":' : ',"ja4_o":');
    this.out.json(value);
  }

  raw(form: 'ja4_r' | 'ja4_ro', a: string, text: AsciiText): void {
    const out = this.out;
    out.text(form === 'ja4_r' ? ',"ja4_r":"' : ',"ja4_ro":"');
    // Part a can hold any printable character (the reference ALPN rule): escaped as JSON does.
    out.jsonChars(a);
    out.char(UNDERSCORE);
    out.ascii(text.bytes, 0, text.length);
    out.char(QUOTE);
  }
}

const fingerprints = new JsonFingerprints();

/**
 * One handshake line of `pcap --json` (docs/pcap.md lists the fields, in this order; the
 * JSON Schema hellokit/schemas/pcap.json checks it). Written field by field as JSON.stringify
 * would write each value, straight into the output bytes: a line is much cheaper so than an
 * object built and serialised (or a string built and encoded), and a capture can have millions.
 */
function handshakeJson(h: CapturedHandshake, options: PcapLineOptions, out: OutputBytes): void {
  out.raw(HANDSHAKE_LINE);
  out.json(h.transport);
  out.text(',"stream":');
  out.number(h.stream);
  out.text(',"hello":');
  out.number(h.helloIndex);
  out.text(',"time":');
  out.number(h.firstSeen);
  out.text(',"client":');
  endpointJson(h.client, out);
  out.text(',"server":');
  endpointJson(h.server, out);
  out.text(',"serverName":');
  out.json(sni(h));
  fingerprints.out = out;
  clientFingerprintsTo(h.clientHello, ja4Options(h, options), fingerprints);
  out.text(',"knownClients":');
  out.raw(knownClients(fingerprints.ja4).json);
  if (h.problems.length > 0) {
    out.text(',"problems":');
    out.text(str(h.problems.map((p) => `${p.path}: ${p.detail}`)));
  }
  out.text(',"serverHello":');
  const sh = serverHelloFields(h);
  if (sh) {
    out.text(`{"version":${str(versionJson(sh.version))},"cipherSuite":`);
    out.number(sh.cipherSuite);
    out.text(',"cipherSuiteName":');
    out.json(sh.cipherSuiteName);
    out.text(`,"helloRetryRequest":${sh.helloRetryRequest},"ja3s":`);
    out.json(sh.ja3s);
    out.text('}');
  } else {
    out.text('null');
  }
  out.text('}\n');
}

/** Keeps the two fingerprints a text line shows. */
class TextFingerprints implements FingerprintSink {
  ja4 = '';
  ja3Value = '';

  ja3(value: string): void {
    this.ja3Value = value;
  }

  hashed(form: 'ja4' | 'ja4_o', value: string): void {
    if (form === 'ja4') this.ja4 = value;
  }

  raw(): void {}
}

const shown = new TextFingerprints();

function textLines(h: CapturedHandshake, options: PcapLineOptions, out: OutputBytes): void {
  clientFingerprintsTo(h.clientHello, ja4Options(h, options), shown, true);
  const { clients } = knownClients(shown.ja4);
  out.text(`${h.transport} ${h.stream}${h.helloIndex > 1 ? ` (hello ${h.helloIndex})` : ''}  `);
  out.text(endpoint(h.client));
  out.raw(ARROW);
  out.text(endpoint(h.server));
  out.text('  ');
  out.text(sni(h) ?? '(no SNI)');
  out.text('\n  ja4 ');
  out.text(shown.ja4);
  out.text('  ja3 ');
  out.text(shown.ja3Value);
  if (clients.length > 0) out.text(`  (${clients.map((k) => k.preset).join(', ')})`);
  out.text('\n');
  const sh = serverHelloFields(h);
  if (sh)
    out.text(
      `  server: ${versionName(sh.version)} ${sh.cipherSuiteName}${sh.helloRetryRequest ? ' (HelloRetryRequest)' : ''}  ja3s ${sh.ja3s}\n`,
    );
}

function endpoint(e: { ip: string; port: number }): string {
  return endpointText(e.ip, e.port);
}
