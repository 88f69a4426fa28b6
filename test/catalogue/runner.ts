/**
 * Runs the ClientHello catalogue (src/catalogue/cases.ts) against real servers and turns the
 * answers into table cells. Used by catalogue.test.ts both to check the results against
 * expected.json and, with HELLOKIT_CATALOGUE_UPDATE=1, to rewrite expected.json and
 * docs/catalogue.md.
 */
import type { CatalogueCase, CatalogueHello } from '../../src/catalogue/cases.ts';
import { seededRandom } from '../../src/crypto/random.ts';
import { type ProbeResult, probe } from '../../src/node/index.ts';
import type { Peer, PeerKind } from '../peers/index.ts';

/** The servers of the catalogue, in column order. */
export const CATALOGUE_PEERS: readonly PeerKind[] = [
  'caddy',
  'nginx',
  'haproxy',
  'openssl',
  'gnutls',
  'node',
];

/** Bounds of one probe: a server that says nothing for this long is recorded as `timeout`. */
export const PROBE_TIMEOUT_MS = 6000;
export const PROBE_IDLE_TIMEOUT_MS = 3000;

/** What one server answered one case, as a table cell: `alert 50 decode_error`, `server_hello TLS 1.3`, `closed`. */
export type Cell = string;

/** What came back, the parts of it the table shows. */
export interface Answer {
  readonly outcome: ProbeResult['outcome'];
  readonly alert?: { readonly description: number; readonly name: string };
  readonly version?: string;
  readonly group?: string | null;
  /** For `not_tls`: what the bytes were, when they were recognisable (`HTTP/1.1 400`). */
  readonly notTls?: string;
}

/** The table cell of an answer. The version of a ServerHello and the group of an HRR are part of it. */
export function cellOf(answer: Answer): Cell {
  switch (answer.outcome) {
    case 'alert':
      return answer.alert ? `alert ${answer.alert.description} ${answer.alert.name}` : 'alert';
    case 'server_hello':
      return answer.version ? `server_hello ${answer.version}` : 'server_hello';
    case 'hello_retry_request':
      return answer.group ? `hello_retry_request ${answer.group}` : 'hello_retry_request';
    case 'not_tls':
      return answer.notTls ? `not_tls (${answer.notTls})` : 'not_tls';
    default:
      return answer.outcome;
  }
}

function answerOf(r: ProbeResult): Answer {
  return {
    outcome: r.outcome,
    ...(r.outcome === 'alert' && r.alert
      ? { alert: { description: r.alert.description, name: r.alert.name } }
      : {}),
    ...(r.serverHello ? { version: r.serverHello.versionName } : {}),
    ...(r.helloRetryRequest ? { group: r.helloRetryRequest.selectedGroupName } : {}),
    ...(r.notTls ? notTlsKind(r.notTls.reason) : {}),
  };
}

/** An HTTP status line in probe's not-TLS reason, e.g. nginx's answer to a non-handshake record. */
function notTlsKind(reason: string): { notTls?: string } {
  const http = /"(HTTP\/[\d.]+ \d{3})/.exec(reason);
  return http ? { notTls: http[1] } : {};
}

/**
 * Sends a case with probe(): its hello as a value, or the bytes no ClientHello value can
 * express (an SSLv2 hello, a record before the hello) as `bytes`, which probe() reads up to
 * the ServerHello. No HelloRetryRequest is answered (the HRR is the answer we record).
 */
async function probeCase(peer: Peer, sent: CatalogueHello): Promise<Answer> {
  const r = await probe(
    { host: peer.host, port: peer.port },
    {
      ...(sent.hello ? { hello: sent.hello } : { bytes: sent.bytes }),
      retryOnHelloRetryRequest: false,
      timeoutMs: PROBE_TIMEOUT_MS,
      idleTimeoutMs: PROBE_IDLE_TIMEOUT_MS,
    },
  );
  return answerOf(r);
}

/** Sends one case to one server and returns the cell. Each call builds the case afresh (new keys). */
export async function runCase(peer: Peer, c: CatalogueCase, seed: string): Promise<Cell> {
  const sent = c.build(seededRandom(seed));
  return cellOf(await probeCase(peer, sent));
}

/** Observed cells: case id → server kind → the distinct cells seen, sorted. */
export type Observations = Record<string, Partial<Record<PeerKind, Cell[]>>>;

/** Runs `tasks` with at most `limit` at a time. */
async function pool<T>(tasks: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

/**
 * Runs every case against every peer `repeats` times, at most `concurrency` probes at once,
 * and collects the distinct cells per case and server.
 */
export async function runCatalogue(
  peers: readonly Peer[],
  cases: readonly CatalogueCase[],
  options: { repeats?: number; concurrency?: number } = {},
): Promise<Observations> {
  const repeats = options.repeats ?? 1;
  const tasks: (() => Promise<{ id: string; kind: PeerKind; cell: Cell }>)[] = [];
  for (let round = 0; round < repeats; round++) {
    for (const c of cases) {
      for (const peer of peers) {
        tasks.push(async () => ({
          id: c.id,
          kind: peer.kind,
          cell: await runCase(peer, c, `${c.id}/${peer.kind}/${round}`),
        }));
      }
    }
  }
  const results = await pool(tasks, options.concurrency ?? 8);
  const out: Observations = {};
  for (const c of cases) out[c.id] = {};
  for (const { id, kind, cell } of results) {
    const cells = out[id][kind] ?? [];
    if (!cells.includes(cell)) cells.push(cell);
    out[id][kind] = cells;
  }
  for (const row of Object.values(out)) for (const cells of Object.values(row)) cells?.sort();
  return out;
}
