import { readFile, stat } from 'node:fs/promises';
import { fromHex, isHexText, latin1 } from '../bytes/hex.ts';
import type { CommandIO } from './command.ts';
import { UsageError } from './errors.ts';

/** Largest input file a command reads (captures may be large; hellos are small). */
export const MAX_INPUT_BYTES: number = 256 * 1024 * 1024;

/** Reads FILE or `-` (stdin) as bytes, up to `maxBytes`. */
export async function readInputBytes(
  command: string,
  path: string | undefined,
  io: CommandIO,
  maxBytes: number = MAX_INPUT_BYTES,
): Promise<Uint8Array> {
  if (path === undefined || path === '-') return io.readStdin(maxBytes);
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch (e) {
    throw new UsageError(
      `${command}: cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`,
    );
  }
  if (size > maxBytes)
    throw new UsageError(`${command}: ${path} is ${size} bytes, more than the ${maxBytes}-byte limit`);
  const data = await readFile(path);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/**
 * Reads TLS bytes given as binary or as hex text (whitespace, colons and 0x prefixes
 * allowed), so `xxd -p`, Wireshark "copy as hex" and raw captures all work.
 */
export async function readTlsInput(
  command: string,
  path: string | undefined,
  io: CommandIO,
): Promise<Uint8Array> {
  const raw = await readInputBytes(command, path, io, 16 * 1024 * 1024);
  if (raw.length === 0)
    throw new UsageError(`${command}: ${path && path !== '-' ? path : 'standard input'} is empty`);
  if (!isHexText(raw)) return raw;
  try {
    return fromHex(latin1(raw));
  } catch (e) {
    throw new UsageError(
      `${command}: ${path && path !== '-' ? path : 'standard input'} looks like hex text but ${(e as Error).message}`,
    );
  }
}
