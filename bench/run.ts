/**
 * `npm run bench`: every benchmark, one line per measurement, ratios measured in the same run.
 * `npm run bench -- fingerprint peer` runs only the areas named (decode, fingerprint, peer, build).
 */
import { benchBuild, formatBuildResult } from './build.ts';
import { benchDecode } from './decode.ts';
import { benchFingerprint } from './fingerprint.ts';
import { benchFingerprintPeer } from './fingerprint-peer.ts';

const only = process.argv.slice(2);
const runs = (area: string) => only.length === 0 || only.includes(area);

if (runs('decode')) for (const line of benchDecode().lines) console.log(line);
if (runs('fingerprint')) for (const line of benchFingerprint().lines) console.log(line);
if (runs('peer')) for (const line of await benchFingerprintPeer()) console.log(line);
if (runs('build')) for (const r of benchBuild()) console.log(formatBuildResult(r));
