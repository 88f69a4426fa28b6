import { jsonText } from '../../bytes/json-view.ts';
import { formatDiagnosis } from '../../diagnose/format.ts';
import type { DiagnoseProgress } from '../../diagnose/run.ts';
import type { AnswerAlert, AnswerClientCertificate, Diagnosis, Severity } from '../../diagnose/types.ts';
import { startDemoServer } from '../../node/demo-server.ts';
import { diagnoseTarget } from '../../node/diagnose.ts';
import { parseProbeTarget } from '../../node/probe.ts';
import { durationFlag, intFlag, parseFlags, stringFlag } from '../args.ts';
import type { Command, CommandIO } from '../command.ts';
import { EXIT, UsageError } from '../errors.ts';
import { helloProblemsJson, warnAboutServerName } from '../hello-problems.ts';
import { schemaField, targetJson, versionJson } from '../json-contract.ts';
import { Progress, severityText } from '../terminal.ts';

const FLAGS = {
  sni: {
    type: 'string',
    value: 'NAME',
    help: 'the name to send as SNI (default: the host, when it is a name)',
  },
  'no-sni': { type: 'boolean', help: 'send no SNI in the probes that normally carry one' },
  concurrency: { type: 'string', value: 'N', help: 'probes at once, 1..64 (default 8)' },
  timeout: {
    type: 'string',
    value: 'TIME',
    help: 'the whole diagnosis ends within this, 1s..10m: 30s, 2m; a bare number is seconds (default 20s)',
  },
  'fail-on': {
    type: 'string',
    value: 'SEVERITY',
    help: 'exit 1 when a finding is this bad or worse: warning or error (default: exit 0 whatever is found)',
  },
  verbose: { type: 'boolean', short: 'v', help: 'show the evidence under each finding' },
  json: { type: 'boolean', help: 'print the diagnosis as JSON' },
} as const;

function progressLine(io: CommandIO): ((p: DiagnoseProgress) => void) | undefined {
  if (!io.isTTY) return undefined;
  const progress = new Progress(io, undefined, 'probes');
  return (p) => progress.update(p.done, p.running.slice(0, 3).join(', '), p.total);
}

const FAIL_ON: readonly Severity[] = ['warning', 'error'];

/**
 * The diagnosis's exit code: 3 when the server could not be reached, 1 when a finding is at
 * least as bad as `--fail-on`, else 0.
 */
function diagnoseExit(d: Diagnosis, failOn: Severity | undefined): number {
  if (d.findings.some((f) => f.id === 'unreachable')) return EXIT.unreachable;
  if (failOn === undefined) return EXIT.ok;
  const bad = failOn === 'warning' ? ['warning', 'error'] : ['error'];
  return d.findings.some((f) => bad.includes(f.severity)) ? EXIT.finding : EXIT.ok;
}

/** `hellokit diagnose [HOST[:PORT]]`: run the probe plan and explain the findings. */
export const diagnoseCommand: Command = {
  name: 'diagnose',
  summary: 'probe a server from many angles and explain, in words, what breaks which clients',
  usage:
    'diagnose [HOST[:PORT]] [--sni NAME] [--concurrency N] [--timeout TIME] [--fail-on warning|error] [--json]',
  flags: FLAGS,
  async run(argv: readonly string[], io: CommandIO): Promise<number> {
    const { flags, positionals } = parseFlags('diagnose', argv, FLAGS);
    if (positionals.length > 1)
      throw new UsageError(`diagnose: one target at most, got ${positionals.length}`);
    const concurrency = intFlag('diagnose', flags, 'concurrency', 8, 1, 64);
    const failOn = stringFlag(flags, 'fail-on');
    if (failOn !== undefined && !FAIL_ON.includes(failOn as Severity))
      throw new UsageError(
        `diagnose: --fail-on expects ${FAIL_ON.join(' or ')}, got ${JSON.stringify(failOn)}`,
      );
    const timeoutMs = durationFlag('diagnose', flags, 'timeout', 20_000, 1000, 600_000);
    const sni = stringFlag(flags, 'sni');
    if (sni !== undefined && flags['no-sni'] === true)
      throw new UsageError('diagnose: --sni and --no-sni exclude each other');
    if (sni !== undefined && !/^[A-Za-z0-9._:-]{1,253}$/.test(sni)) {
      throw new UsageError(`diagnose: --sni expects a host name, got ${JSON.stringify(sni)}`);
    }
    const helloProblems = warnAboutServerName(sni, flags.json === true, io);
    const target = positionals[0];
    if (target !== undefined) {
      try {
        parseProbeTarget(target);
      } catch (e) {
        throw new UsageError(
          `diagnose: bad target ${JSON.stringify(target)}: ${(e as Error).message.replace(/^"target" /, '')}`,
        );
      }
    }
    const onProgress = progressLine(io);
    const clearProgress = () => {
      if (onProgress) io.err('\r\x1b[K');
    };

    let diagnosis: Diagnosis;
    let intro: string | undefined;
    if (target === undefined) {
      const demo = await startDemoServer();
      try {
        intro = `No target given, so this diagnoses hellokit's built-in demo server on ${demo.host}:${demo.port}: like many CDNs, it needs SNI (${demo.name}) and has only an ECDSA certificate. Run \`hellokit diagnose HOST[:PORT]\` for a server of your own.`;
        diagnosis = await diagnoseTarget(`${demo.host}:${demo.port}`, {
          serverName: sni ?? (flags['no-sni'] === true ? null : demo.name),
          concurrency,
          timeoutMs,
          ...(onProgress ? { onProgress } : {}),
        });
      } finally {
        clearProgress();
        await demo.close();
      }
    } else {
      try {
        diagnosis = await diagnoseTarget(target, {
          ...(sni !== undefined ? { serverName: sni } : flags['no-sni'] === true ? { serverName: null } : {}),
          concurrency,
          timeoutMs,
          ...(onProgress ? { onProgress } : {}),
        });
      } finally {
        clearProgress();
      }
    }
    if (flags.json === true) {
      io.out(
        jsonText({
          ...schemaField('diagnose'),
          target: targetJson(diagnosis.target, diagnosis.probes.find((p) => p.answer.ip)?.answer.ip),
          serverName: diagnosis.serverName,
          elapsedMs: Math.round(diagnosis.elapsedMs),
          working: diagnosis.working,
          accepted: diagnosis.accepted.map((spec) => spec.id),
          findings: diagnosis.findings,
          skipped: diagnosis.skipped,
          ...helloProblemsJson(helloProblems),
          probes: diagnosis.probes.map(({ spec, answer }) => ({
            id: spec.id,
            label: spec.label,
            serverName: spec.serverName,
            outcome: answer.outcome,
            ...(answer.alert ? { alert: alertJson(answer.alert) } : {}),
            ...(answer.serverHello
              ? {
                  serverHello: {
                    version: versionJson(answer.serverHello.version),
                    cipherSuite: answer.serverHello.cipherSuite,
                    cipherSuiteName: answer.serverHello.cipherSuiteName,
                    group: answer.serverHello.group,
                    groupName: answer.serverHello.groupName,
                    alpn: answer.serverHello.alpn,
                  },
                }
              : {}),
            ...(answer.clientCertificate
              ? { clientCertificate: clientCertificateJson(answer.clientCertificate) }
              : {}),
            ...(answer.helloLength ? { helloLength: answer.helloLength } : {}),
            ...(answer.timings ? { totalMs: answer.timings.totalMs } : {}),
          })),
        }),
      );
    } else {
      const colour = io.colour === true;
      io.out(
        formatDiagnosis(diagnosis, {
          verbose: flags.verbose === true,
          ...(intro ? { intro } : {}),
          mark: (severity, mark) => severityText(severity, mark, colour),
        }),
      );
    }
    return diagnoseExit(diagnosis, failOn as Severity | undefined);
  },
};

/** A probe's `clientCertificate` as `diagnose --json` writes it (the fields schemas/diagnose.json lists). */
function clientCertificateJson(c: AnswerClientCertificate) {
  return {
    status: c.status,
    ...(c.answer === undefined ? {} : { answer: c.answer }),
    ...(c.alert ? { alert: alertJson(c.alert) } : {}),
    certificateAuthorities: c.certificateAuthorities,
    ...(c.signatureAlgorithmNames ? { signatureAlgorithmNames: c.signatureAlgorithmNames } : {}),
  };
}

/** An alert as `diagnose --json` writes it. */
function alertJson(a: AnswerAlert) {
  return { level: a.level, description: a.description, name: a.name };
}
