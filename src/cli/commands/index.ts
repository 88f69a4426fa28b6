import type { Command } from '../command.ts';

/** A command's name, and its module loaded on demand. */
export interface CommandEntry {
  readonly name: string;
  load(): Promise<Command>;
}

/**
 * Every `hellokit` command, in the order help lists them. Each module is imported only when
 * its command runs, so `hellokit decode` loads the decoder and not the socket, scan, fuzz and
 * post-quantum code (about a third of a short command's start-up).
 */
export const COMMANDS: readonly CommandEntry[] = [
  { name: 'decode', load: async () => (await import('./decode.ts')).decodeCommand },
  { name: 'encode', load: async () => (await import('./encode.ts')).encodeCommand },
  { name: 'lint', load: async () => (await import('./lint.ts')).lintCommand },
  { name: 'diff', load: async () => (await import('./diff.ts')).diffCommand },
  { name: 'build', load: async () => (await import('./build.ts')).buildCommand },
  { name: 'probe', load: async () => (await import('./probe.ts')).probeCommand },
  { name: 'pcap', load: async () => (await import('./pcap.ts')).pcapCommand },
  { name: 'diagnose', load: async () => (await import('./diagnose.ts')).diagnoseCommand },
  { name: 'fuzz', load: async () => (await import('./fuzz.ts')).fuzzCommand },
  { name: 'serve', load: async () => (await import('./serve.ts')).serveCommand },
  { name: 'scan', load: async () => (await import('./scan.ts')).scanCommand },
];
