/**
 * Where a probe goes: `host:port` text or `{host, port}` read into one shape. A module of its
 * own so code that only reads targets (the CLI's JSON contract) does not load the probe engine.
 */
import { isIP } from 'node:net';
import type { ProbeTarget } from '../probe/types.ts';

/** A target as a socket reached it: the host and port asked for, and the address connected to. */
export interface ConnectedTarget {
  readonly host: string;
  readonly port: number;
  /**
   * The IP address the TCP connection went to: the host itself when it is an address, else the
   * one DNS gave (the last one tried when none connected); null when the name did not resolve.
   */
  readonly ip: string | null;
}

/**
 * `host:port`, `[v6]:port`, `host` (port 443), a bare IPv6 address, or `{host, port}`.
 * @example parseProbeTarget('example.test:8443') // { host: 'example.test', port: 8443 }
 * @throws {TypeError} when the target has no host or a port outside 1..65535
 */
export function parseProbeTarget(target: ProbeTarget, defaultPort = 443): { host: string; port: number } {
  let host: string;
  let port: number | string | undefined;
  if (typeof target === 'string') {
    const text = target.trim();
    const bracket = /^\[([^\]]+)\](?::(\d*))?$/.exec(text);
    if (bracket) {
      host = bracket[1];
      port = bracket[2];
    } else if (isIP(text) === 6) {
      host = text;
    } else {
      const at = text.lastIndexOf(':');
      host = at >= 0 ? text.slice(0, at) : text;
      port = at >= 0 ? text.slice(at + 1) : undefined;
    }
  } else if (target && typeof target === 'object') {
    host = target.host;
    port = target.port;
  } else {
    throw new TypeError(`"target" expected "host:port" or {host, port}, got ${typeof target}`);
  }
  if (typeof host !== 'string' || host === '')
    throw new TypeError(`"target" has no host: ${JSON.stringify(target)}`);
  // A name has no brackets, slashes, spaces or control characters, and a colon only in an IPv6 address.
  if (/[[\]/\s\x00-\x1f\x7f]/.test(host) || (host.includes(':') && isIP(host) !== 6))
    throw new TypeError(
      `"target" host ${JSON.stringify(host)} is neither a name nor an IP address (an IPv6 address with a port goes in brackets: [::1]:443)`,
    );
  const n = port === undefined || port === '' ? defaultPort : Number(port);
  if (!Number.isInteger(n) || n < 1 || n > 65535)
    throw new TypeError(`"target" port must be 1..65535, got ${JSON.stringify(port)}`);
  return { host, port: n };
}
