/**
 * TLS 1.0–1.2 key exchange groups, as `hellokit scan` finds them.
 *
 * ECDHE curves: each alone, then by elimination as for suites (offer the rest, read the curve
 * the server picks from its ServerKeyExchange, take it out, offer the rest again). OpenSSL with
 * an ECDSA certificate also wants the certificate's curve in the client's list (RFC 8422 §5.1),
 * so a curve offered alone can fail where it works in company: the elimination keeps the NIST
 * curves that worked alone at the end of every list, and says which curve each one needs.
 *
 * Finite-field DHE: the prime size of the server's parameters, and which RFC 7919 groups
 * (offered in supported_groups) the server takes.
 */
import { bytesToNumberBE } from '@noble/curves/utils.js';
import { FFDHE_GROUPS } from '../crypto/ffdhe.ts';
import { parseHandshakeMessage } from '../handshake/messages.ts';
import { HandshakeReassembler } from '../handshake/reassembler.ts';
import { CIPHER_SUITES } from '../iana/cipher-suites.ts';
import { NAMED_GROUPS } from '../iana/groups.ts';
import { groupName } from '../iana/lookup.ts';
import type { ProbeResult } from '../probe/types.ts';
import { refused, type ScanProber } from './prober.ts';

/** A curve the server takes only when the hello also offers another one. */
export interface GroupNeedingCompany {
  readonly group: string;
  /** The curve that must be in the list too (the ECDSA certificate's), or null when none of the NIST curves helped. */
  readonly with: string | null;
}

/** The ECDHE curves of one TLS 1.0–1.2 version. */
export interface EcdheCurves {
  /** Every curve the server takes, in the order found. */
  readonly groups: readonly number[];
  readonly needCompany: readonly GroupNeedingCompany[];
}

/** Finite-field DHE in one TLS 1.0–1.2 version. */
export interface ScannedDhe {
  /** Size of the prime the server sends to a client offering no RFC 7919 group, in bits. */
  readonly bits: number | null;
  /** RFC 7919 groups the server uses when the client offers them in supported_groups. */
  readonly groups: readonly string[];
}

const NIST_CURVES = new Set<number>([0x0017, 0x0018, 0x0019]);

const kx = (kind: string) =>
  new Set<number>(CIPHER_SUITES.filter((s) => s.keyExchange === kind).map((s) => s.code));
const ECDHE_SUITES = kx('ECDHE');
const DHE_SUITES = kx('DHE');

/** Every registered ECDHE curve (no GREASE), in code order. */
const ECDHE_CURVES: readonly number[] = NAMED_GROUPS.filter((g) => g.kind === 'ecdhe')
  .map((g) => g.code)
  .filter((c) => (c & 0x0f0f) !== 0x0a0a);

/** The curve of the server's ServerKeyExchange, or null when it refused or sent none. */
function curveOf(r: ProbeResult, version: number): number | null {
  if (refused(r) || r.serverHello?.version !== version) return null;
  return r.serverKeyExchange?.kind === 'ecdhe' ? r.serverKeyExchange.group : null;
}

/**
 * The ECDHE curves the server takes in `version` with `suites` (every candidate). First each
 * curve alone, all at once; then, by elimination, the curves it takes only in company: every
 * other curve offered, with the NIST curves that worked alone put last (the ECDSA certificate's
 * curve is among them, or was never taken out); last, for each of those, which NIST curve it
 * needs. A server that picks by its own preference may take the companion itself: the curves it
 * ranks below the certificate's are then not found (a client offering both never gets them).
 */
export async function ecdheCurves(
  prober: ScanProber,
  version: number,
  suites: readonly number[],
): Promise<EcdheCurves> {
  const ecdhe = suites.filter((s) => ECDHE_SUITES.has(s));
  if (ecdhe.length === 0) return { groups: [], needCompany: [] };
  const offer = async (groups: readonly number[]) =>
    curveOf(await prober.flight(prober.hello(version, ecdhe, groups)), version);
  const aloneWorks = await Promise.all(ECDHE_CURVES.map(async (g) => (await offer([g])) === g));
  const alone = ECDHE_CURVES.filter((_, i) => aloneWorks[i]);
  const companions = alone.filter((g) => NIST_CURVES.has(g));
  const left = ECDHE_CURVES.filter((g) => !alone.includes(g));
  const inCompany: number[] = [];
  while (left.length > 0) {
    const g = await offer([...left, ...companions]);
    if (g === null || !left.includes(g)) break;
    inCompany.push(g);
    left.splice(left.indexOf(g), 1);
  }
  const needCompany = await Promise.all(
    inCompany.map(async (g): Promise<GroupNeedingCompany> => {
      const others = [...NIST_CURVES].filter((c) => c !== g);
      const works = await Promise.all(others.map(async (c) => (await offer([g, c])) === g));
      const partner = others.find((_, i) => works[i]);
      return { group: groupName(g), with: partner === undefined ? null : groupName(partner) };
    }),
  );
  return { groups: [...alone, ...inCompany], needCompany };
}

/** The DHE prime of a ServerKeyExchange read from the transcript, or null. */
function dhePrime(r: ProbeResult): bigint | null {
  const reassembler = new HandshakeReassembler();
  try {
    for (const record of r.transcript) {
      if (record.direction !== 'received' || record.contentType !== 22) continue;
      for (const m of reassembler.push(record.bytes.subarray(5))) {
        if (m.msgType !== 12) continue;
        const parsed = parseHandshakeMessage(m.raw, { version: r.serverHello?.version, keyExchange: 'dhe' });
        return parsed.type === 'server_key_exchange' && parsed.params.kind === 'dhe'
          ? bytesToNumberBE(parsed.params.p)
          : null;
      }
    }
  } catch {
    return null;
  }
  return null;
}

/**
 * Finite-field DHE in `version` with the accepted `suites`: the prime size with no RFC 7919
 * group offered, and each RFC 7919 group offered alone (the server took it when its prime is
 * that group's). Null when no DHE suite is accepted.
 */
export async function dheGroups(
  prober: ScanProber,
  version: number,
  suites: readonly number[],
): Promise<ScannedDhe | null> {
  const dhe = suites.filter((s) => DHE_SUITES.has(s));
  if (dhe.length === 0) return null;
  const ffdhe = [...FFDHE_GROUPS.keys()];
  const [plain, ...each] = await Promise.all(
    [[0x001d, 0x0017], ...ffdhe.map((g) => [g])].map((groups) =>
      prober.flight(prober.hello(version, dhe, groups)),
    ),
  );
  const bits = refused(plain) ? null : (plain.serverKeyExchange?.dhBits ?? null);
  const groups = ffdhe.filter(
    (g, i) => !refused(each[i]) && dhePrime(each[i]) === FFDHE_GROUPS.get(g)?.prime,
  );
  return { bits, groups: groups.map(groupName) };
}
