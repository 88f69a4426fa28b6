/**
 * `scanTarget()`: the platform-neutral scan (src/scan/) over real sockets to one target.
 */

import { endpointText } from '../capture/ip.ts';
import { type ScanOptions, type ScanResult, scan } from '../scan/scan.ts';
import { parseProbeTarget, probe, probeServerHello } from './probe.ts';

/**
 * Scans `target`: versions, suites per version with the server's order, groups per version
 * (TLS 1.2 curves with the ones that need company, DHE parameters) and every certificate chain
 * with the hellos that got it.
 * @example const r = await scanTarget('127.0.0.1:8443', { serverName: 'hellokit.test' });
 * @throws {TypeError} for a malformed target
 */
export function scanTarget(target: string, options: ScanOptions = {}): Promise<ScanResult> {
  const { host, port } = parseProbeTarget(target);
  const serverName =
    options.serverName !== undefined ? options.serverName : /^[\d.]+$|:/.test(host) ? null : host;
  return scan(
    {
      probe: (probeOptions) => probe(target, probeOptions),
      probeServerHello: (probeOptions) => probeServerHello(target, probeOptions),
    },
    { target: endpointText(host, port), serverName },
    options,
  );
}
