import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (path: string) => fileURLToPath(new URL(`./src/${path}`, import.meta.url));

export default defineConfig({
  resolve: {
    // Tests and README examples import the package by its public names.
    alias: [
      { find: /^hellokit\/node$/, replacement: src('node/index.ts') },
      { find: /^hellokit\/arbitraries$/, replacement: src('arbitraries/index.ts') },
      { find: /^hellokit$/, replacement: src('index.ts') },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
