/**
 * Whether a server picks cipher suites by its own order, and what that order is, said the way
 * the answers show it: server order, client order, or server order with an exception (Go's
 * crypto/tls, and so Caddy, prefers AES-GCM unless the client lists ChaCha20-Poly1305 first).
 */
import { cipherSuiteInfo } from '../iana/lookup.ts';
import { picked, type ScanProber } from './prober.ts';

/** What {@link serverOrder} found. */
export interface ServerOrder {
  /** True when the server has an order of its own (with or without an exception); null when the answers do not tell. */
  readonly serverOrder: boolean | null;
  /** In words: `server order`, `client order: …`, `server order, but honours a client that prefers ChaCha20`. */
  readonly description: string;
  /** The accepted suites in the server's order when it has one, else in code order. */
  readonly suites: readonly number[];
}

const isChaCha = (code: number): boolean => cipherSuiteInfo(code)?.cipher === 'CHACHA20_POLY1305';

/**
 * The order the server picks from `accepted` (every suite it takes in `version`, in code
 * order): elimination over the list, offered with ChaCha20 suites last so that a server with
 * the ChaCha20 exception keeps to its own order.
 */
async function eliminationOrder(
  prober: ScanProber,
  version: number,
  accepted: readonly number[],
): Promise<number[] | null> {
  const left = [...accepted.filter((s) => !isChaCha(s)), ...accepted.filter(isChaCha)];
  const order: number[] = [];
  while (left.length > 1) {
    const s = picked(await prober.serverHello(prober.hello(version, left)), version);
    if (s === null || !left.includes(s)) return null;
    order.push(s);
    left.splice(left.indexOf(s), 1);
  }
  return [...order, ...left];
}

/**
 * Offers `accepted` forward and reversed. The same pick both times: server order, then found by
 * elimination. Each time the client's first: client order. Otherwise, when the reversed list
 * starts with a ChaCha20 suite and the server took it, the two lists are offered again without
 * ChaCha20: the same pick then is a server order that honours a client preferring ChaCha20.
 */
export async function serverOrder(
  prober: ScanProber,
  version: number,
  accepted: readonly number[],
): Promise<ServerOrder> {
  if (accepted.length < 2)
    return { serverOrder: null, description: 'one suite: no order to tell', suites: accepted };
  const forward = [...accepted];
  const reversed = [...accepted].reverse();
  const [a, b] = await Promise.all(
    [forward, reversed].map(async (list) =>
      picked(await prober.serverHello(prober.hello(version, list)), version),
    ),
  );
  const inCodeOrder = { suites: accepted };
  if (a === null || b === null)
    return { serverOrder: null, description: 'unknown: an accepted suite list was refused', ...inCodeOrder };
  if (a === b) {
    const order = await eliminationOrder(prober, version, accepted);
    return order
      ? { serverOrder: true, description: 'server order', suites: order }
      : { serverOrder: true, description: 'server order (its full order could not be read)', ...inCodeOrder };
  }
  const rest = accepted.filter((s) => !isChaCha(s));
  if (isChaCha(reversed[0]) && b === reversed[0] && rest.length >= 2) {
    const [c, d] = await Promise.all(
      [rest, [...rest].reverse()].map(async (list) =>
        picked(await prober.serverHello(prober.hello(version, list)), version),
      ),
    );
    if (c !== null && c === d) {
      const order = await eliminationOrder(prober, version, accepted);
      return {
        serverOrder: true,
        description: 'server order, but honours a client that prefers ChaCha20',
        suites: order ?? accepted,
      };
    }
  }
  if (a === forward[0] && b === reversed[0])
    return { serverOrder: false, description: 'client order: the server follows the client', ...inCodeOrder };
  return {
    serverOrder: null,
    description: `mixed: the server took the client's first suite in one order and not in the other`,
    ...inCodeOrder,
  };
}
