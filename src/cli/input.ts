import { readFile, stat } from 'node:fs/promises';
import { fromHexText, isHexText } from '../bytes/hex.ts';
import type { CommandIO } from './command.ts';
import { UsageError } from './errors.ts';

/** Largest input file a command reads (captures may be large; hellos are small). */
export const MAX_INPUT_BYTES: number = 256 * 1024 * 1024;

/**
 * Says on stderr that the command waits on standard input when that is a terminal, so a
 * command typed without its FILE does not sit there silently.
 */
export function noteStdinWait(command: string, io: CommandIO): void {
  if (io.stdinIsTTY === true)
    io.err(`hellokit ${command}: reading standard input (Ctrl-D ends it; give a FILE to read one)…\n`);
}

/** Reads FILE or `-` (stdin) as bytes, up to `maxBytes`. */
export async function readInputBytes(
  command: string,
  path: string | undefined,
  io: CommandIO,
  maxBytes: number = MAX_INPUT_BYTES,
): Promise<Uint8Array> {
  if (path === undefined || path === '-') {
    noteStdinWait(command, io);
    return io.readStdin(maxBytes);
  }
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

/** Most bytes `decode` and `diff` take: 16 MiB, given as binary or as the bytes of hex text. */
export const MAX_TLS_INPUT_BYTES: number = 16 * 1024 * 1024;
/** Most hex text they read: three characters a byte (`16 03 01`, `xxd -p`) for the 16 MiB. */
export const MAX_TLS_HEX_TEXT_BYTES: number = 3 * MAX_TLS_INPUT_BYTES;

/**
 * Reads TLS bytes given as binary or as hex text (whitespace, colons and 0x prefixes
 * allowed), so `xxd -p`, Wireshark "copy as hex" and raw captures all work. Binary input
 * is at most {@link MAX_TLS_INPUT_BYTES}; hex text at most {@link MAX_TLS_HEX_TEXT_BYTES}
 * and decoding to at most MAX_TLS_INPUT_BYTES.
 */
export async function readTlsInput(
  command: string,
  path: string | undefined,
  io: CommandIO,
): Promise<Uint8Array> {
  const what = path && path !== '-' ? path : 'standard input';
  const raw = await readInputBytes(command, path, io, MAX_TLS_HEX_TEXT_BYTES);
  if (raw.length === 0) throw new UsageError(`${command}: ${what} is empty`);
  if (!isHexText(raw)) {
    if (raw.length > MAX_TLS_INPUT_BYTES)
      throw new UsageError(
        `${command}: ${what} is ${raw.length} bytes, more than the ${MAX_TLS_INPUT_BYTES}-byte (16 MiB) limit`,
      );
    return raw;
  }
  let bytes: Uint8Array;
  try {
    bytes = fromHexText(raw);
  } catch (e) {
    throw new UsageError(`${command}: ${what} looks like hex text but ${(e as Error).message}`);
  }
  if (bytes.length === 0)
    throw new UsageError(`${command}: ${what} has no bytes: only whitespace, separators and 0x prefixes`);
  if (bytes.length > MAX_TLS_INPUT_BYTES)
    throw new UsageError(
      `${command}: ${what} is hex text of ${bytes.length} bytes, more than the ${MAX_TLS_INPUT_BYTES}-byte (16 MiB) limit`,
    );
  return bytes;
}
