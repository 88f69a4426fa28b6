import type { Command } from '../command.ts';
import { buildCommand } from './build.ts';
import { decodeCommand } from './decode.ts';
import { diagnoseCommand } from './diagnose.ts';
import { diffCommand } from './diff.ts';
import { encodeCommand } from './encode.ts';
import { fuzzCommand } from './fuzz.ts';
import { pcapCommand } from './pcap.ts';
import { probeCommand } from './probe.ts';
import { scanCommand } from './scan.ts';
import { serveCommand } from './serve.ts';

/** Every `hellokit` command, in the order help lists them. */
export const COMMANDS: readonly Command[] = [
  decodeCommand,
  encodeCommand,
  diffCommand,
  buildCommand,
  probeCommand,
  pcapCommand,
  diagnoseCommand,
  fuzzCommand,
  serveCommand,
  scanCommand,
];
