/**
 * What a plan entry ({@link ProbeSpec}) stands for on the wire: the ClientHello hellokit's
 * builder makes for it and how it is written, and a {@link ProbeFn} over any function that
 * sends probe options (hellokit/node's `probe()` to a target, a `probeStream()` over a pipe).
 */
import { type BuiltClientHello, clientHello } from '../builder/client-hello.ts';
import { encodeClientHello, encodeClientHelloMessage } from '../handshake/client-hello.ts';
import type { ProbeOptions, ProbeResult, WriteStrategy } from '../probe/types.ts';
import type { ProbeAnswer, ProbeFn, ProbeSpec } from './types.ts';

/**
 * The ClientHello (built with hellokit's builder, with its key shares) and write strategy a
 * plan entry stands for: padded to `padToLength`, split over `records`, written in
 * `segmentBytes` pieces 20 ms apart. TLS 1.0/1.1 hellos are TLS 1.2-shaped hellos with that
 * legacy_version and no supported_versions.
 */
export function helloForSpec(spec: ProbeSpec): { hello: BuiltClientHello; write: WriteStrategy } {
  const maxVersion = Math.max(...spec.versions);
  const tls13 = spec.versions.includes(0x0304);
  const hello = clientHello({
    serverName: spec.serverName,
    ...(tls13 ? { versions: spec.versions } : { tls: '1.2' as const, legacyVersion: maxVersion }),
    cipherSuites: spec.cipherSuites,
    groups: spec.groups,
    keyShares: tls13 ? (spec.keyShareGroups ?? spec.groups.slice(0, 1)) : null,
    alpn: spec.alpn ?? null,
    ...(spec.signatureAlgorithms ? { signatureAlgorithms: spec.signatureAlgorithms } : {}),
    grease: spec.grease ?? false,
    padding: spec.padToLength ?? false,
    ...(spec.records !== undefined && spec.records > 1 ? { fragment: spec.records } : {}),
  });
  let write: WriteStrategy = 'single';
  if (spec.segmentBytes !== undefined) {
    const total = encodeClientHello(hello).length;
    const splitAt: number[] = [];
    for (let at = spec.segmentBytes; at < total; at += spec.segmentBytes) splitAt.push(at);
    write = { splitAt, delayMs: 20 };
  }
  return { hello, write };
}

/**
 * A {@link ProbeFn} that sends each plan entry's hello with `send`, within the time limit
 * `timeoutMs()` gives at the moment it is sent, and reads every answer to its end.
 * @example const fn = specProbe((o) => probe('127.0.0.1:8443', o), () => 5_000);
 */
export function specProbe(
  send: (options: ProbeOptions) => Promise<ProbeResult>,
  timeoutMs: () => number,
): ProbeFn {
  return async (spec: ProbeSpec): Promise<ProbeAnswer> => {
    const { hello, write } = helloForSpec(spec);
    const limit = timeoutMs();
    const result = await send({
      hello,
      keyShares: hello.keyShares,
      write,
      timeoutMs: limit,
      idleTimeoutMs: limit,
      // Every answer is read to its end: a ServerHello followed by an alert (Caddy's encrypted
      // no_application_protocol) is a refusal, and only the decrypted flight shows it.
      decrypt: true,
      ...(spec.answerCertificateRequest ? { answerCertificateRequest: true } : {}),
    });
    return { ...result, ip: result.target.ip ?? null, helloLength: encodeClientHelloMessage(hello).length };
  };
}
