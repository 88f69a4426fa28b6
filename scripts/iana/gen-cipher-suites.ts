/**
 * Writes src/iana/cipher-suites.generated.ts (see cipher-suite-table.ts for the sources).
 * Run: npx vite-node scripts/iana/gen-cipher-suites.ts            (write)
 *      npx vite-node scripts/iana/gen-cipher-suites.ts -- --check (only compare)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fromRoot, generate, OUTPUT, readSources } from './cipher-suite-table.ts';

const text = generate(readSources());
if (process.argv.includes('--check')) {
  if (readFileSync(fromRoot(OUTPUT), 'utf8') !== text) {
    console.error(`${OUTPUT} is out of date: run npx vite-node scripts/iana/gen-cipher-suites.ts`);
    process.exit(1);
  }
  console.log(`${OUTPUT} is up to date`);
} else {
  writeFileSync(fromRoot(OUTPUT), text);
  console.log(`wrote ${OUTPUT}`);
}
