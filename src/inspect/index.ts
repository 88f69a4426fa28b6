/**
 * Everything `hellokit decode`, `lint` and `pcap` tell about some bytes, as text and values,
 * in one platform-neutral call: what the `/inspect` page of `hellokit serve` shows, computed
 * in the browser. The tree and the annotated hex (tree.ts, annotate.ts here) are the ones the
 * CLI prints too, so the page and the CLI print the same thing.
 */
import { type KnownClient, presetsWithJa4 } from '../builder/presets/index.ts';
import { DecodeError, EncodeError } from '../bytes/errors.ts';
import { fromHexText, isHexText } from '../bytes/hex.ts';
import { captureHandshakes } from '../capture/handshakes.ts';
import { endpointText } from '../capture/ip.ts';
import { pcapMagic } from '../capture/pcap.ts';
import { isPcapng } from '../capture/pcapng.ts';
import { ja3, ja3Full } from '../fingerprint/ja3.ts';
import { type Ja4Fingerprints, ja4All } from '../fingerprint/ja4.ts';
import { encodeClientHelloMessage } from '../handshake/client-hello.ts';
import { isSslv2ClientHello, parseSslv2ClientHello } from '../handshake/sslv2-client-hello.ts';
import { decodeStreamEvents } from '../handshake/stream.ts';
import type { ClientHello } from '../handshake/types.ts';
import type { LintProblem } from '../lint/types.ts';
import { validateClientHello } from '../lint/validate.ts';
import { annotateText } from './annotate.ts';
import { messageTree, recordLine, sslv2Tree } from './tree.ts';

/** Records (or bare messages) listed and annotated before inspecting stops and says so. */
const MAX_RECORDS = 10_000;
/** Handshakes of a capture shown (a capture may hold thousands). */
const MAX_HANDSHAKES = 100;

/** One ClientHello found in the input, with its fingerprints and lint problems. */
export interface InspectedHello extends Ja4Fingerprints {
  /** `input` for TLS bytes, or the capture's connection (`tcp stream 0 (client → server)`). */
  readonly where: string;
  readonly ja3: string;
  readonly ja3Full: string;
  /** The captured presets with this JA4 (which known client this looks like). */
  readonly knownClients: readonly KnownClient[];
  /** What `validateClientHello` finds; `lintError` when the hello could not be linted at all. */
  readonly problems: readonly LintProblem[];
  readonly lintError?: string;
}

/** What {@link inspect} finds in some bytes. */
export interface Inspection {
  /** `tls` (records or bare handshake messages), `sslv2`, `pcap` or `pcapng`. */
  readonly format: 'tls' | 'sslv2' | 'pcap' | 'pcapng';
  readonly bytes: number;
  /** The decode tree, as `hellokit decode` prints it (per handshake for a capture). */
  readonly tree: string;
  /** The annotated hex dump, as `hellokit decode --annotate` prints it. */
  readonly annotated: string;
  readonly hellos: readonly InspectedHello[];
  /** Decoding errors, capture damage, limits reached. */
  readonly warnings: readonly string[];
}

/**
 * Reads pasted text as bytes: hex (whitespace, `:`, `,`, `-` and `0x` allowed, as `decode`
 * takes it) or base64 (standard or URL-safe, padding optional, line breaks allowed). Text with
 * spaces, tabs, colons or commas between its characters is meant as hex.
 * @throws {TypeError} naming what is wrong and where when the text is neither
 * @example inspectInput('16 03 01 00 2f …') // Uint8Array
 */
export function inspectInput(text: string): Uint8Array {
  const trimmed = text.trim();
  if (trimmed === '') throw new TypeError('the input is empty');
  const ascii = new TextEncoder().encode(trimmed);
  if (isHexText(ascii)) return fromHexText(ascii);
  if (/[ \t:,]/.test(trimmed)) {
    const bad = /(?:0[xX])?[^0-9a-fA-F\s:,-]/.exec(trimmed.replace(/0[xX]/g, '  '));
    throw new TypeError(`not hex: ${JSON.stringify(bad?.[0] ?? '')} at character ${bad?.index ?? 0}`);
  }
  const b64 = trimmed
    .replace(/[\r\n]+/g, '')
    .replace(/-/g, '+')
    .replace(/_/g, '/')
    .replace(/=+$/, '');
  const bad = /[^A-Za-z0-9+/]/.exec(b64);
  if (bad) throw new TypeError(`neither hex nor base64: ${JSON.stringify(bad[0])} at character ${bad.index}`);
  if (b64.length % 4 === 1) throw new TypeError(`base64 of ${b64.length} characters cannot be whole bytes`);
  const binary = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/**
 * Decodes TLS bytes (records or bare handshake messages), an SSLv2-compatible hello, or a
 * pcap/pcapng capture, and returns the decode tree, the annotated hex, and each ClientHello's
 * fingerprints, known-client match and lint problems. Never throws on bad input: what could
 * not be decoded is in `warnings`.
 * @example inspect(bytes).hellos[0].ja4 // 't13d1516h2_8daaf6152771_d8a2da3f94cd'
 */
export function inspect(bytes: Uint8Array): Inspection {
  if (isPcapng(bytes) || pcapMagic(bytes)) return inspectCapture(bytes, isPcapng(bytes) ? 'pcapng' : 'pcap');
  if (isSslv2ClientHello(bytes)) {
    try {
      const hello = parseSslv2ClientHello(bytes, { strict: false });
      return {
        format: 'sslv2',
        bytes: bytes.length,
        tree: sslv2Tree(hello),
        annotated: annotateText(bytes),
        hellos: [],
        warnings: [],
      };
    } catch (e) {
      if (!(e instanceof DecodeError)) throw e;
      return {
        format: 'sslv2',
        bytes: bytes.length,
        tree: '',
        annotated: '',
        hellos: [],
        warnings: [e.message],
      };
    }
  }
  const warnings: string[] = [];
  const { tree, hellos } = inspectTls(bytes, 'input', warnings);
  return {
    format: 'tls',
    bytes: bytes.length,
    tree,
    annotated: annotateText(bytes, { maxRecords: MAX_RECORDS }),
    hellos,
    warnings,
  };
}

function inspectCapture(bytes: Uint8Array, format: 'pcap' | 'pcapng'): Inspection {
  const { handshakes, warnings } = captureHandshakes(bytes);
  const all = [...warnings];
  if (handshakes.length > MAX_HANDSHAKES)
    all.push(`showing the first ${MAX_HANDSHAKES} of ${handshakes.length} handshakes`);
  const trees: string[] = [];
  const annotated: string[] = [];
  const hellos: InspectedHello[] = [];
  for (const h of handshakes.slice(0, MAX_HANDSHAKES)) {
    const where = `${h.transport} stream ${h.stream} (${endpointText(h.client.ip, h.client.port)} → ${endpointText(h.server.ip, h.server.port)})${h.helloIndex > 1 ? `, hello ${h.helloIndex}` : ''}`;
    // The parsed hello encodes back to the bytes it was read from (test/handshake checks the
    // round trip), so the message is decoded and annotated as `decode` would show it.
    const message = encodeClientHelloMessage(h.clientHello);
    const one = inspectTls(message, where, all, h.transport === 'quic');
    trees.push(`# ${where}\n${one.tree}`);
    annotated.push(`# ${where}\n${annotateText(message)}`);
    hellos.push(...one.hellos);
  }
  if (handshakes.length === 0) all.push(`no ClientHello in this ${format} capture`);
  return {
    format,
    bytes: bytes.length,
    tree: trees.join('\n'),
    annotated: annotated.join('\n'),
    hellos,
    warnings: all,
  };
}

function inspectTls(
  bytes: Uint8Array,
  where: string,
  warnings: string[],
  quic = false,
): { tree: string; hellos: InspectedHello[] } {
  const lines: string[] = [];
  const hellos: InspectedHello[] = [];
  const ja4Options = quic ? { transport: 'quic' as const } : {};
  let count = 0;
  const events = decodeStreamEvents(bytes, { strict: false });
  for (let next = events.next(); ; next = events.next()) {
    if (next.done) {
      if (next.value) warnings.push(`${where}: ${next.value.message}`);
      break;
    }
    const event = next.value;
    if (event.kind === 'problem') {
      const p = event.problem;
      warnings.push(`${where}: problem: ${p.path} at offset ${p.offset}: ${p.detail} (${p.code})`);
      continue;
    }
    if (++count > MAX_RECORDS) {
      warnings.push(`${where}: listing stopped after ${MAX_RECORDS} records and messages`);
      break;
    }
    if (event.kind === 'record') {
      lines.push(recordLine(event.record));
      continue;
    }
    lines.push(messageTree(event.message, ja4Options));
    if (event.message.type === 'client_hello')
      hellos.push(inspectHello(event.message as unknown as ClientHello, where, ja4Options));
  }
  return { tree: lines.join('\n'), hellos };
}

function inspectHello(hello: ClientHello, where: string, ja4Options: { transport?: 'quic' }): InspectedHello {
  const forms = ja4All(hello, ja4Options);
  let problems: LintProblem[] = [];
  let lintError: string | undefined;
  try {
    problems = validateClientHello(hello);
  } catch (e) {
    if (!(e instanceof DecodeError || e instanceof EncodeError || e instanceof RangeError)) throw e;
    lintError = e.message;
  }
  return {
    where,
    ja3: ja3(hello),
    ja3Full: ja3Full(hello),
    ...forms,
    knownClients: presetsWithJa4(forms.ja4),
    problems,
    ...(lintError === undefined ? {} : { lintError }),
  };
}
