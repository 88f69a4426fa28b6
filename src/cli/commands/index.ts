import type { Command } from '../command.ts';
import { buildCommand } from './build.ts';

/** Every `hellokit` command, in the order help lists them. */
export const COMMANDS: readonly Command[] = [buildCommand];
