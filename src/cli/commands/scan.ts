import { jsonText } from '../../bytes/json-view.ts';
import { lookupVersion } from '../../iana/lookup.ts';
import { parseProbeTarget } from '../../node/probe.ts';
import { scanTarget } from '../../node/scan.ts';
import type { ScanResult } from '../../scan/scan.ts';
import { durationFlag, intFlag, parseFlags, stringFlag } from '../args.ts';
import type { Command, CommandIO } from '../command.ts';
import { EXIT, UsageError, worstExit } from '../errors.ts';
import { helloProblemsJson, warnAboutServerName } from '../hello-problems.ts';
import { readInputBytes } from '../input.ts';
import { schemaField, targetJson, versionJson } from '../json-contract.ts';
import { Progress } from '../terminal.ts';

const FLAGS = {
  sni: {
    type: 'string',
    value: 'NAME',
    help: 'the name to send as SNI (default: the host, when it is a name)',
  },
  'no-sni': { type: 'boolean', help: 'send no SNI' },
  targets: {
    type: 'string',
    value: 'FILE',
    help: 'scan every HOST[:PORT] in FILE (one a line; - reads standard input), one JSON line per target',
  },
  concurrency: { type: 'string', value: 'N', help: 'probes at once per target, 1..256 (default 16)' },
  parallel: { type: 'string', value: 'N', help: 'targets at once with --targets, 1..64 (default 4)' },
  retries: {
    type: 'string',
    value: 'N',
    help: 'retries of a probe that timed out or was reset, 0..5 (default 2)',
  },
  timeout: {
    type: 'string',
    value: 'TIME',
    help: 'each target ends within this, 1s..1h: 90s, 5m; a bare number is seconds (default 120s)',
  },
  json: { type: 'boolean', help: 'print the result as JSON' },
} as const;

function text(r: ScanResult): string {
  const lines = [
    `Scan of ${r.target} (${r.serverName === null ? 'no SNI' : `SNI ${r.serverName}`}): ${r.probes} probes in ${(r.elapsedMs / 1000).toFixed(1)} s`,
  ];
  if (r.error) return `${lines[0]}\n  failed: ${r.error}\n`;
  for (const v of r.versions) {
    if (!v.supported) {
      lines.push(`${v.version}: not offered`);
      continue;
    }
    const n = v.cipherSuites.length;
    lines.push(`${v.version}: ${n} suite${n === 1 ? '' : 's'} (${v.serverOrderDescription})`);
    for (const s of v.cipherSuites) lines.push(`  0x${s.code.toString(16).padStart(4, '0')} ${s.name}`);
    lines.push(`  groups: ${v.groups.join(', ') || '(none found)'}`);
    if (v.groupsNeedingCompany.length > 0) {
      const needs = v.groupsNeedingCompany.map((g) => (g.with ? `${g.group} (with ${g.with})` : g.group));
      lines.push(`  only in company of another curve (the certificate's): ${needs.join(', ')}`);
    }
    if (v.dhe) {
      const ffdhe = v.dhe.groups.length > 0 ? v.dhe.groups.join(', ') : 'none';
      lines.push(
        `  DHE: ${v.dhe.bits === null ? 'parameters unknown' : `${v.dhe.bits}-bit parameters`}; RFC 7919 groups taken: ${ffdhe}`,
      );
    }
  }
  if (r.certificates.length === 0) lines.push('certificates: none found');
  for (const c of r.certificates) {
    const head = c.certificates[0];
    lines.push(
      `certificate ${c.keyType}: ${head.subject}, until ${head.notAfter}, ${c.certificates.length} in chain, sha256 ${head.sha256.slice(0, 16)}…`,
    );
    for (const h of c.hellos) lines.push(`  got by ${h.label}: ${h.version}, ${h.cipherSuite}`);
  }
  if (r.clientCertificate) {
    const cas = r.clientCertificate.certificateAuthorities;
    lines.push(
      `client certificate requested (mutual TLS): ${cas.length > 0 ? `CAs ${cas.join('; ')}` : 'no CA names'}; hellokit diagnose tells whether it is required`,
    );
  }
  for (const v of r.violations)
    lines.push(
      `! server violation ${v.rule} (${v.rfc}), in ${v.answers} answer${v.answers === 1 ? '' : 's'}: ${v.message}`,
    );
  if (r.retries > 0 || r.transientFailures > 0)
    lines.push(`${r.retries} retries, ${r.transientFailures} probes failed transiently`);
  return `${lines.join('\n')}\n`;
}

/** Most bytes of a --targets list. */
const MAX_TARGETS_FILE_BYTES = 4 * 1024 * 1024;

/**
 * A scan's exit code: 3 when nothing could be connected to; 0 when the server answered,
 * even with something that is not TLS (the result says so).
 */
function scanExit(r: ScanResult): number {
  return r.error !== undefined && !r.error.startsWith('not TLS') ? EXIT.unreachable : EXIT.ok;
}

function checkTarget(target: string, where: string): void {
  try {
    parseProbeTarget(target);
  } catch (e) {
    throw new UsageError(
      `scan: bad target ${JSON.stringify(target)}${where}: ${(e as Error).message.replace(/^"target" /, '')}`,
    );
  }
}

/** `hellokit scan HOST[:PORT]` or `--targets FILE`: versions, suites, groups, certificates. */
export const scanCommand: Command = {
  name: 'scan',
  summary: 'list the versions, cipher suites (in server order), groups and certificates a server offers',
  usage: 'scan HOST[:PORT] [--sni NAME] [--concurrency N] [--json] | scan --targets FILE',
  flags: FLAGS,
  async run(argv: readonly string[], io: CommandIO): Promise<number> {
    const { flags, positionals } = parseFlags('scan', argv, FLAGS);
    const concurrency = intFlag('scan', flags, 'concurrency', 16, 1, 256);
    const parallel = intFlag('scan', flags, 'parallel', 4, 1, 64);
    const retries = intFlag('scan', flags, 'retries', 2, 0, 5);
    const timeoutMs = durationFlag('scan', flags, 'timeout', 120_000, 1000, 3_600_000);
    const sni = stringFlag(flags, 'sni');
    if (sni !== undefined && flags['no-sni'] === true)
      throw new UsageError('scan: --sni and --no-sni exclude each other');
    const serverName =
      sni !== undefined ? { serverName: sni } : flags['no-sni'] === true ? { serverName: null } : {};
    const helloProblems = warnAboutServerName(sni, flags.json === true, io);
    const targetsFile = stringFlag(flags, 'targets');
    const options = { ...serverName, concurrency, retries, timeoutMs };
    if (targetsFile !== undefined) {
      if (positionals.length > 0) throw new UsageError('scan: give a target or --targets FILE, not both');
      const bytes = await readInputBytes('scan', targetsFile, io, MAX_TARGETS_FILE_BYTES);
      const targets = new TextDecoder()
        .decode(bytes)
        .split('\n')
        .map((l) => l.replace(/#.*/, '').trim())
        .filter((l) => l !== '');
      for (const [i, t] of targets.entries())
        checkTarget(t, ` on line ${i + 1} of ${targetsFile === '-' ? 'standard input' : targetsFile}`);
      const progress = io.isTTY ? new Progress(io, targets.length, 'targets') : undefined;
      const codes: number[] = [];
      let next = 0;
      let done = 0;
      const worker = async () => {
        while (next < targets.length) {
          const t = targets[next++];
          try {
            const result = await scanTarget(t, options);
            codes.push(scanExit(result));
            io.out(`${JSON.stringify(scanJson(result))}\n`);
          } catch (e) {
            codes.push(EXIT.failed);
            const error = e instanceof Error ? e.message : String(e);
            io.out(`${JSON.stringify({ ...schemaField('scan'), target: targetJson(t), error })}\n`);
          }
          progress?.update(++done);
        }
      };
      await Promise.all(Array.from({ length: Math.min(parallel, targets.length) }, worker));
      progress?.clear();
      return worstExit(codes);
    }
    if (positionals.length !== 1)
      throw new UsageError('scan: needs one target HOST[:PORT] (or --targets FILE)');
    checkTarget(positionals[0], '');
    // The plan grows with what the server answers, so the count has no total.
    const progress = io.isTTY ? new Progress(io, undefined, 'probes') : undefined;
    const result = await scanTarget(positionals[0], {
      ...options,
      ...(progress ? { onProgress: (n: number) => progress.update(n) } : {}),
    });
    progress?.clear();
    io.out(
      flags.json === true
        ? jsonText({ ...scanJson(result), ...helloProblemsJson(helloProblems) })
        : text(result),
    );
    return scanExit(result);
  },
};

/**
 * The `scan --json` object (one NDJSON line each with --targets): the result with the
 * contract's shapes, a target `{host, port, ip}` and every version `{code, name}`.
 */
function scanJson(result: ScanResult) {
  const { target, ip, versions, certificates, ...rest } = result;
  return {
    ...schemaField('scan'),
    target: targetJson(target, ip),
    ...rest,
    versions: versions.map(({ version: _name, code, ...v }) => ({ version: versionJson(code), ...v })),
    certificates: certificates.map((c) => ({
      ...c,
      hellos: c.hellos.map((h) => ({ ...h, version: versionJson(lookupVersion(h.version)) })),
    })),
  };
}
