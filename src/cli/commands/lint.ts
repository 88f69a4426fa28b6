import { DecodeError } from '../../bytes/errors.ts';
import { jsonText } from '../../bytes/json-view.ts';
import { isSslv2ClientHello } from '../../handshake/sslv2-client-hello.ts';
import type { LintProblem } from '../../lint/types.ts';
import { validateClientHello } from '../../lint/validate.ts';
import { parseFlags } from '../args.ts';
import type { Command } from '../command.ts';
import { EXIT, UsageError } from '../errors.ts';
import { problemLine } from '../hello-problems.ts';
import { readTlsInput } from '../input.ts';

const flags = {
  json: { type: 'boolean', help: 'print {schema, problems: [{rule, severity, path, message, rfc}]}' },
  'after-hrr': {
    type: 'boolean',
    help: 'the hello answers a HelloRetryRequest (its records must say 0x0303)',
  },
} as const;

/**
 * `hellokit lint [FILE|-]`: a ClientHello's RFC problems by rule id. Exit 0 without an error
 * (warnings allowed), 1 with one, 2 when the input is not a ClientHello.
 */
export const lintCommand: Command = {
  name: 'lint',
  summary: "check a ClientHello against the RFCs' rules (exit 1 when one is broken)",
  usage: 'lint [FILE|-] [--json] [--after-hrr]',
  flags,
  async run(argv, io) {
    const { flags: f, positionals } = parseFlags('lint', argv, flags);
    if (positionals.length > 1)
      throw new UsageError(`lint: expects one hello (FILE or -), got ${positionals.length}`);
    const bytes = await readTlsInput('lint', positionals[0], io);
    if (isSslv2ClientHello(bytes))
      throw new UsageError(
        'lint: this is an SSLv2-compatible CLIENT-HELLO, not a TLS ClientHello (decode reads it)',
      );
    let problems: LintProblem[];
    try {
      problems = validateClientHello(bytes, { afterHelloRetryRequest: f['after-hrr'] === true });
    } catch (e) {
      if (!(e instanceof DecodeError)) throw e;
      throw new UsageError(`lint: not a ClientHello: ${e.message}`);
    }
    if (f.json) io.out(jsonText({ schema: 'hellokit.lint/1', problems }));
    else if (problems.length === 0) io.out('no problems\n');
    else for (const p of problems) io.out(`${problemLine(p, io.colour === true)}\n`);
    return problems.some((p) => p.severity === 'error') ? EXIT.finding : EXIT.ok;
  },
};
