/** `npm run bench`: every benchmark, one line per measurement. */
import { benchBuild, formatBuildResult } from './build.ts';

for (const r of benchBuild()) console.log(formatBuildResult(r));
