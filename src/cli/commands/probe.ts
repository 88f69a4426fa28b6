import { isIP } from 'node:net';
import { type ClientHelloOptions, clientHello } from '../../builder/client-hello.ts';
import { jsonText, jsonView } from '../../bytes/json-view.ts';
import { endpointText } from '../../capture/ip.ts';
import { systemRandom } from '../../crypto/random.ts';
import { groupName } from '../../iana/lookup.ts';
import type { CertificateSummary } from '../../node/certificates.ts';
import { type KeyLogFile, KeyLogFileError, openKeyLogFile } from '../../node/keylog-file.ts';
import { parseProbeTarget, probe } from '../../node/probe.ts';
import { helloKeyShareGroups, helloServerName, helloVersions } from '../../node/probe-hello.ts';
import { probeQuic, quicHelloOptions } from '../../node/probe-quic.ts';
import type { QuicProbeResult } from '../../node/probe-quic-types.ts';
import type { HelloWithKeyShares, ProbeResult } from '../../node/probe-types.ts';
import { summarize } from '../../probe/conclusion.ts';
import { durationFlag, type Flags, parseFlags, stringFlag } from '../args.ts';
import type { Command, CommandIO } from '../command.ts';
import { EXIT, UsageError } from '../errors.ts';
import { HELLO_FLAGS, helloOptionsFromFlags } from '../hello-flags.ts';
import { helloProblemsJson, warnAboutHello } from '../hello-problems.ts';
import { schemaField, targetJson, versionJson } from '../json-contract.ts';

const FLAGS = {
  ...HELLO_FLAGS,
  timeout: {
    type: 'string',
    value: 'TIME',
    help: 'give up after TIME in all: 500ms, 10s; a bare number is seconds (default 10s)',
  },
  'idle-timeout': {
    type: 'string',
    value: 'TIME',
    help: 'give up after TIME of silence: 500ms, 5s; a bare number is seconds (default 5s)',
  },
  keylog: {
    type: 'string',
    value: 'FILE',
    help: 'append NSS key log lines (SSLKEYLOGFILE) to FILE (a new one is made 0600; warns when others can read it)',
  },
  'keylog-follow': { type: 'boolean', help: 'let --keylog FILE be a symbolic link (refused otherwise)' },
  'no-retry': { type: 'boolean', help: 'stop at a HelloRetryRequest instead of answering it' },
  'no-decrypt': { type: 'boolean', help: 'stop after the TLS 1.3 ServerHello' },
  'no-abort': {
    type: 'boolean',
    help: 'on a server RFC violation, record it and read on instead of aborting with the alert the RFC names',
  },
  'answer-certificate-request': {
    type: 'boolean',
    help: 'when a TLS 1.3 server asks for a client certificate, send an empty one and the client Finished, and report whether the certificate is required or optional',
  },
  'certificate-wait': {
    type: 'string',
    value: 'TIME',
    help: 'with --answer-certificate-request: how long silence after the client Finished must last to count as acceptance (default 1s)',
  },
  transcript: { type: 'boolean', help: 'list every record (with --quic: datagram) sent and received' },
  quic: {
    type: 'boolean',
    help: 'send the hello in a QUIC v1 Initial over UDP (default ALPN h3, TLS 1.3 only)',
  },
  json: { type: 'boolean', help: 'print the result as JSON' },
} as const;

function versionsText(versions: readonly number[]): string {
  const names: Record<number, string> = { 772: '1.3', 771: '1.2', 770: '1.1', 769: '1.0' };
  return `TLS ${versions.map((v) => names[v] ?? `0x${v.toString(16)}`).join('+')}`;
}

/**
 * The SNI a probe sends, as openssl s_client and curl do: a host-name target means that
 * name, an IP literal means none; `--sni`/`--no-sni` (already in `options`) win. Returns the
 * options to build with and, when the target chose, the words the summary line adds.
 */
export function withTargetServerName(
  options: ClientHelloOptions,
  host: string,
): { options: ClientHelloOptions; sniSource?: string } {
  if (options.serverName !== undefined) return { options };
  if (isIP(host) !== 0)
    return { options: { ...options, serverName: null }, sniSource: 'the target is an IP address' };
  return { options: { ...options, serverName: host.replace(/\.$/, '') }, sniSource: 'from the target' };
}

function sniText(hello: HelloWithKeyShares, sniSource: string | undefined): string {
  const sni = helloServerName(hello);
  const text = sni === null ? 'no SNI' : `SNI ${sni}`;
  return sniSource === undefined ? text : `${text} (${sniSource})`;
}

/** One line about the hello that was sent. */
function sentLine(result: ProbeResult, hello: HelloWithKeyShares, sniSource?: string): string {
  const bytes = result.transcript
    .filter((t) => t.direction === 'sent')
    .slice(0, hello.record?.fragments?.length ?? 1)
    .reduce((n, t) => n + t.bytes.length, 0);
  const records = hello.record?.fragments?.length ?? 1;
  const shares = helloKeyShareGroups(hello).map(groupName);
  const to = endpointText(result.target.host, result.target.port);
  // Nothing goes out when the connection never opens: say what would have been sent.
  const head =
    bytes === 0
      ? `ClientHello not sent to ${to} (${records} record${records === 1 ? '' : 's'})`
      : `sent ClientHello to ${to}: ${bytes} bytes in ${records} record${records === 1 ? '' : 's'}`;
  return [
    head,
    versionsText(helloVersions(hello)),
    `${hello.cipherSuites.length} suites`,
    sniText(hello, sniSource),
    shares.length > 0 ? `key shares ${shares.join(', ')}` : 'no key shares',
  ].join(', ');
}

function certificateLine(c: CertificateSummary, i: number): string {
  const key = `${c.publicKey.type}${c.publicKey.curve ? ` ${c.publicKey.curve}` : c.publicKey.size ? ` ${c.publicKey.size}` : ''}`;
  const names = c.subjectAltNames.length > 0 ? c.subjectAltNames.join(', ') : '(no SAN)';
  const issuer = c.selfSigned ? 'self-signed' : `issued by ${c.issuer}`;
  return `  certificate ${i}: ${c.subject} — ${names} — ${key} — ${c.notBefore.slice(0, 10)} to ${c.notAfter.slice(0, 10)}, ${issuer}`;
}

/** The lines for what the server's hello said: HelloRetryRequest, ServerHello, the rest of the flight, certificates. */
function answerLines(
  result: Pick<
    ProbeResult,
    'helloRetryRequest' | 'retried' | 'serverHello' | 'serverMessages' | 'finishedVerified' | 'certificates'
  >,
  keyExchangeGroup?: string | null,
): string[] {
  const lines: string[] = [];
  const h = result.helloRetryRequest;
  if (h)
    lines.push(
      `← HelloRetryRequest: ${h.cipherSuiteName}, wants ${h.selectedGroupName ?? 'no new share'}${h.cookieLength ? `, cookie of ${h.cookieLength} bytes` : ''}${result.retried ? ' → answered with a second ClientHello' : ''}`,
    );
  const sh = result.serverHello;
  if (!sh) return lines;
  lines.push(
    `← ServerHello: ${sh.versionName}, ${sh.cipherSuiteName}${sh.groupName ? `, ${sh.groupName}` : ''}${sh.alpn ? `, ALPN ${sh.alpn}` : ''}${sh.downgrade ? `, downgrade sentinel ${sh.downgrade}` : ''}`,
  );
  const rest = result.serverMessages.filter((m) => m !== 'server_hello' && m !== 'hello_retry_request');
  if (rest.length > 0) {
    const how =
      sh.version >= 0x0304
        ? ` (decrypted; Finished ${result.finishedVerified ? 'verified' : 'NOT verified'})`
        : '';
    lines.push(`← ${rest.join(', ')}${how}`);
  }
  if (keyExchangeGroup) lines.push(`  key exchange group: ${keyExchangeGroup}`);
  result.certificates.forEach((c, i) => {
    lines.push(certificateLine(c, i));
  });
  return lines;
}

/** What the server's CertificateRequest asked and, when the probe answered it, whether a certificate is required. */
export function clientCertificateLines(
  result: Pick<ProbeResult, 'clientCertificate' | 'serverHello'>,
): string[] {
  const client = result.clientCertificate;
  if (!client) return [];
  const cas =
    client.certificateAuthorities.length > 0
      ? `CAs ${client.certificateAuthorities.join('; ')}`
      : 'no CA names (any CA the server trusts)';
  const schemes =
    client.signatureAlgorithmNames.length > 0
      ? `; signatures ${summarize(client.signatureAlgorithmNames)}`
      : '';
  const lines = [`  client certificate requested: ${cas}${schemes}`];
  switch (client.status) {
    case 'required':
      lines.push(
        `  client certificate REQUIRED: the empty Certificate got ${client.alert ? `alert ${client.alert.name} (${client.alert.description})` : `a ${client.answer}`}`,
      );
      break;
    case 'optional':
      lines.push(
        `  client certificate optional: after the empty Certificate the server went on (${client.answer?.replaceAll('_', ' ')})`,
      );
      break;
    default:
      lines.push(
        '  client certificate required or optional: not tested (--answer-certificate-request tells)',
      );
  }
  return lines;
}

/** The story: what was sent, what came back, what it means (`sniSource`: why this SNI, see {@link withTargetServerName}). */
export function probeStory(
  result: ProbeResult,
  hello: HelloWithKeyShares,
  withTranscript = false,
  sniSource?: string,
): string {
  const lines = [`→ ${sentLine(result, hello, sniSource)}`];
  const t = result.timings;
  if (result.outcome === 'connect_failed') {
    lines.push(`✗ ${result.error ?? 'connect failed'}`);
  } else {
    for (const a of result.alerts.filter((a) => a.level === 1))
      lines.push(`← warning alert ${a.name} (${a.description})`);
    lines.push(...answerLines(result, result.serverKeyExchange?.groupName));
    const fatal = result.alert && result.alert.level !== 1 ? result.alert : undefined;
    if (fatal)
      lines.push(
        `← ${fatal.levelName} alert ${fatal.name} (${fatal.description})${fatal.encrypted ? ', encrypted' : ''}`,
      );
    lines.push(...clientCertificateLines(result));
    if (result.notTls)
      lines.push(`← not TLS: ${JSON.stringify(new TextDecoder('latin1').decode(result.notTls.firstBytes))}`);
    for (const v of result.violations) lines.push(`! ${v.rule} (${v.rfc}): ${v.message}`);
    if (result.abort)
      lines.push(`→ fatal alert ${result.abort.alert.name} (${result.abort.alert.description}): aborted`);
    const timing = `connect ${t.connectMs ?? '-'} ms, first byte ${t.firstByteMs ?? '-'} ms, total ${t.totalMs} ms`;
    lines.push(`  (${timing}; ${result.bytesReceived} bytes received; stopped: ${result.stopReason})`);
  }
  if (withTranscript) {
    for (const r of result.transcript) {
      const inner = r.decrypted
        ? ` → ${r.decrypted.contentTypeName} ${r.decrypted.messages.join(', ')}`
        : r.messages?.length
          ? ` ${r.messages.join(', ')}`
          : '';
      lines.push(
        `  ${r.atMs.toFixed(1).padStart(8)} ms ${r.direction === 'sent' ? '→' : '←'} ${r.contentTypeName} ${r.length}${inner}`,
      );
    }
  }
  lines.push(`= ${result.conclusion}`);
  return `${lines.join('\n')}\n`;
}

/** The `probe --json` object (DESIGN.md): outcome, alert, serverHello, certificates, timings and more. */
export function probeJson(result: ProbeResult): unknown {
  const { transcript, sent, serverHello, target, ...rest } = result;
  return jsonView({
    ...schemaField('probe'),
    target: targetJson(target),
    ...rest,
    ...(serverHello
      ? {
          serverHello: {
            ...serverHello,
            group: serverHello.group,
            negotiatedVersion: versionJson(serverHello.version),
          },
        }
      : {}),
    sentHellos: sent.length,
    transcript: transcript.map((r) => ({
      direction: r.direction,
      atMs: r.atMs,
      contentType: r.contentType,
      contentTypeName: r.contentTypeName,
      version: r.version,
      length: r.length,
      ...(r.messages ? { messages: r.messages } : {}),
      ...(r.decrypted ? { decrypted: r.decrypted } : {}),
      bytes: r.bytes,
    })),
  });
}

/** Builds the QUIC hello from the flags and runs the probe. */
async function runQuicProbe(
  target: { host: string; port: number },
  flags: Flags,
  timeoutMs: number,
  idleTimeoutMs: number,
  io: CommandIO,
): Promise<{ result: QuicProbeResult; hello: HelloWithKeyShares; sniSource?: string }> {
  const sourceConnectionId = systemRandom(8);
  const { options, sniSource } = withTargetServerName(helloOptionsFromFlags('probe', flags), target.host);
  let hello: HelloWithKeyShares;
  try {
    hello = clientHello(quicHelloOptions(options, sourceConnectionId));
  } catch (e) {
    if (e instanceof TypeError || e instanceof RangeError) throw new UsageError(`probe: ${e.message}`);
    throw e;
  }
  const keylog = openKeyLogFlag(flags, io);
  let result: QuicProbeResult;
  try {
    result = await probeQuic(target, {
      hello,
      sourceConnectionId,
      timeoutMs,
      idleTimeoutMs,
      retryOnHelloRetryRequest: flags['no-retry'] !== true,
      decrypt: flags['no-decrypt'] !== true,
      abortOnViolation: flags['no-abort'] !== true,
      ...(keylog ? { keylog: keylog.write } : {}),
    });
  } finally {
    keylog?.close();
  }
  return { result, hello, sniSource };
}

function quicSentLine(result: QuicProbeResult, hello: HelloWithKeyShares, sniSource?: string): string {
  const first = result.transcript.filter(
    (t) => t.direction === 'sent' && t.atMs === result.transcript[0]?.atMs,
  );
  const bytes = first.reduce((n, t) => n + t.size, 0);
  const shares = helloKeyShareGroups(hello).map(groupName);
  const to = endpointText(result.target.host, result.target.port);
  const head =
    bytes === 0
      ? `ClientHello not sent to ${to} over QUIC`
      : `sent ClientHello to ${to} over QUIC (UDP): ${bytes} bytes in ${first.length} Initial datagram${first.length === 1 ? '' : 's'}`;
  return [
    head,
    `version 0x${result.quicVersion.toString(16).padStart(8, '0')}`,
    `${hello.cipherSuites.length} suites`,
    sniText(hello, sniSource),
    shares.length > 0 ? `key shares ${shares.join(', ')}` : 'no key shares',
  ].join(', ');
}

/** The story of a QUIC probe: what was sent, what came back, what it means. */
export function quicStory(
  result: QuicProbeResult,
  hello: HelloWithKeyShares,
  withTranscript = false,
  sniSource?: string,
): string {
  const lines = [`→ ${quicSentLine(result, hello, sniSource)}`];
  if (result.outcome === 'connect_failed') {
    lines.push(`✗ ${result.error ?? 'could not send'}`);
  } else {
    if (result.retry)
      lines.push(
        `← Retry with a token of ${result.retry.token.length} bytes → sent the Initial again with it`,
      );
    if (result.versionNegotiation)
      lines.push(`← Version Negotiation: ${result.versionNegotiation.versionNames.join(', ')}`);
    lines.push(...answerLines(result));
    const close = result.connectionClose;
    if (close) {
      const what = result.alert
        ? `TLS alert ${result.alert.name} (${result.alert.description})`
        : `${close.errorName} (0x${close.errorCode.toString(16)})`;
      lines.push(
        `← CONNECTION_CLOSE: ${what}${close.reason ? `, reason ${JSON.stringify(close.reason)}` : ''}`,
      );
    }
    const t = result.timings;
    lines.push(
      `  (first datagram ${t.firstByteMs ?? '-'} ms, total ${t.totalMs} ms; ${result.datagramsSent} datagram${result.datagramsSent === 1 ? '' : 's'} sent, ${result.datagramsReceived} received, ${result.bytesReceived} bytes; stopped: ${result.stopReason})`,
    );
  }
  if (withTranscript) {
    for (const d of result.transcript) {
      const packets = d.packets
        .map(
          (p) =>
            `${p.type}${p.packetNumber !== undefined ? ` #${p.packetNumber}` : ''}${p.frames ? ` [${p.frames.join(', ')}]` : ''}${p.note ? ` (${p.note})` : ''}`,
        )
        .join(' + ');
      lines.push(
        `  ${d.atMs.toFixed(1).padStart(8)} ms ${d.direction === 'sent' ? '→' : '←'} ${d.size} bytes: ${packets}`,
      );
    }
  }
  lines.push(`= ${result.conclusion}`);
  return `${lines.join('\n')}\n`;
}

/** The `probe --quic --json` object: the TCP probe's field names where they mean the same. */
export function quicJson(result: QuicProbeResult): unknown {
  const { sent, target, serverHello, ...rest } = result;
  return jsonView({
    ...schemaField('probe'),
    target: targetJson(target),
    ...rest,
    ...(serverHello
      ? { serverHello: { ...serverHello, negotiatedVersion: versionJson(serverHello.version) } }
      : {}),
    sentHellos: sent.length,
  });
}

function helloFrom(flags: Flags, host: string): { hello: HelloWithKeyShares; sniSource?: string } {
  const { options, sniSource } = withTargetServerName(helloOptionsFromFlags('probe', flags), host);
  try {
    return { hello: clientHello(options), sniSource };
  } catch (e) {
    if (e instanceof TypeError || e instanceof RangeError) throw new UsageError(`probe: ${e.message}`);
    throw e;
  }
}

/**
 * The --keylog file, opened once the hello and target are known good (so a usage error leaves
 * no file behind); a readable existing one is a warning on stderr, a refused link exit 2.
 */
function openKeyLogFlag(flags: Flags, io: CommandIO): KeyLogFile | undefined {
  const file = stringFlag(flags, 'keylog');
  if (file === undefined) {
    if (flags['keylog-follow'] === true) throw new UsageError('probe: --keylog-follow needs --keylog FILE');
    return undefined;
  }
  let keylog: KeyLogFile;
  try {
    keylog = openKeyLogFile(file, { follow: flags['keylog-follow'] === true });
  } catch (e) {
    if (e instanceof KeyLogFileError) throw new UsageError(`probe: ${e.message}`);
    throw e;
  }
  if (keylog.warning) io.err(`hellokit probe: warning: ${keylog.warning}\n`);
  return keylog;
}

const USAGE =
  'probe HOST[:PORT] [hello flags] [--quic] [--timeout TIME] [--json] [--keylog FILE [--keylog-follow]] [--no-retry]';

/** `hellokit probe HOST[:PORT]`: send one hello, report what came back. Exit 0 whatever the server did, 3 when it could not be reached. */
export const probeCommand: Command = {
  name: 'probe',
  summary: 'send one ClientHello to HOST[:PORT] (default port 443) and report what came back',
  usage: USAGE,
  flags: FLAGS,
  async run(argv: readonly string[], io: CommandIO): Promise<number> {
    const { flags, positionals } = parseFlags('probe', argv, FLAGS);
    if (positionals.length !== 1)
      throw new UsageError(
        positionals.length === 0
          ? 'probe: which server? give HOST[:PORT] (hellokit probe --help lists the flags)'
          : `probe: one target only, got ${positionals.map((p) => JSON.stringify(p)).join(' ')}`,
      );
    let target: { host: string; port: number };
    try {
      target = parseProbeTarget(positionals[0]);
    } catch (e) {
      throw new UsageError(`probe: ${(e as Error).message}`);
    }
    const timeoutMs = durationFlag('probe', flags, 'timeout', 10_000, 1, 600_000);
    const idleTimeoutMs = durationFlag('probe', flags, 'idle-timeout', Math.min(5000, timeoutMs), 1, 600_000);
    if (flags.quic === true) {
      const { result, hello, sniSource } = await runQuicProbe(target, flags, timeoutMs, idleTimeoutMs, io);
      const helloProblems = warnAboutHello(hello, flags.json === true, io);
      if (flags.json === true)
        io.out(jsonText({ ...(quicJson(result) as object), ...helloProblemsJson(helloProblems) }));
      else io.out(quicStory(result, hello, flags.transcript === true, sniSource));
      // Over UDP, nothing coming back at all is as unreachable as a refused TCP connection.
      const unreached =
        result.outcome === 'connect_failed' ||
        (result.outcome === 'timeout' && result.datagramsReceived === 0);
      return unreached ? EXIT.unreachable : EXIT.ok;
    }
    const answer = flags['answer-certificate-request'] === true;
    if (!answer && flags['certificate-wait'] !== undefined)
      throw new UsageError('probe: --certificate-wait needs --answer-certificate-request');
    const certificateWaitMs = answer
      ? durationFlag('probe', flags, 'certificate-wait', 1000, 1, 600_000)
      : undefined;
    const { hello, sniSource } = helloFrom(flags, target.host);
    const helloProblems = warnAboutHello(hello, flags.json === true, io);
    const keylog = openKeyLogFlag(flags, io);
    let result: ProbeResult;
    try {
      result = await probe(target, {
        hello,
        timeoutMs,
        idleTimeoutMs,
        retryOnHelloRetryRequest: flags['no-retry'] !== true,
        decrypt: flags['no-decrypt'] !== true,
        abortOnViolation: flags['no-abort'] !== true,
        ...(certificateWaitMs !== undefined ? { answerCertificateRequest: true, certificateWaitMs } : {}),
        ...(keylog ? { keylog: keylog.write } : {}),
      });
    } finally {
      keylog?.close();
    }
    if (flags.json === true)
      io.out(jsonText({ ...(probeJson(result) as object), ...helloProblemsJson(helloProblems) }));
    else io.out(probeStory(result, hello, flags.transcript === true, sniSource));
    return result.outcome === 'connect_failed' ? EXIT.unreachable : EXIT.ok;
  },
};
