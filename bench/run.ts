/** `npm run bench`: every benchmark, one line per measurement, ratios measured in the same run. */
import { benchBuild, formatBuildResult } from './build.ts';
import { benchDecode } from './decode.ts';
import { benchFingerprint } from './fingerprint.ts';

for (const line of benchDecode().lines) console.log(line);
for (const line of benchFingerprint().lines) console.log(line);
for (const r of benchBuild()) console.log(formatBuildResult(r));
