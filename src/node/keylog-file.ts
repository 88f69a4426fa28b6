/**
 * Opening a key log file (SSLKEYLOGFILE): the secrets in it decrypt every captured connection
 * they belong to, so a new file is made 0600, an existing one readable by others is reported,
 * and a symbolic link is not followed unless asked (another user's link in a shared directory
 * would otherwise receive the secrets).
 */
import { closeSync, constants, fstatSync, openSync, writeSync } from 'node:fs';

/** An open key log: lines are appended as they come. */
export interface KeyLogFile {
  /** Appends one line (a newline is added). */
  write(line: string): void;
  close(): void;
  /** Set when the file already existed and group or others may read it. */
  readonly warning: string | null;
}

/** Options for {@link openKeyLogFile}. */
export interface KeyLogFileOptions {
  /** Write through a symbolic link at `path` (default false: refused with `ELOOP`). */
  readonly follow?: boolean;
}

/** Why a key log could not be opened; `code` is the system's (`ELOOP` for a refused symbolic link). */
export class KeyLogFileError extends Error {
  readonly code: string;
  constructor(message: string, code: string) {
    super(message);
    this.name = 'KeyLogFileError';
    this.code = code;
  }
}

/**
 * Opens `path` for appending key log lines: created with mode 0600 when missing, appended to
 * (mode unchanged) when it exists.
 * @example
 * const keylog = openKeyLogFile('keys.log');
 * if (keylog.warning) console.warn(keylog.warning);
 * @throws {KeyLogFileError} when it cannot be opened, or is a symbolic link and `follow` is not set
 */
export function openKeyLogFile(path: string, options: KeyLogFileOptions = {}): KeyLogFile {
  const noFollow = options.follow ? 0 : constants.O_NOFOLLOW;
  const append = constants.O_WRONLY | constants.O_APPEND;
  let fd: number;
  let created = true;
  try {
    // O_EXCL: a file made here is ours and 0600; any existing path (a link too) is EEXIST.
    fd = openSync(path, append | constants.O_CREAT | constants.O_EXCL | noFollow, 0o600);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw openError(path, e);
    created = false;
    try {
      fd = openSync(path, append | (options.follow ? constants.O_CREAT : noFollow), 0o600);
    } catch (e2) {
      throw openError(path, e2);
    }
  }
  let warning: string | null = null;
  const stat = fstatSync(fd);
  const readableBy = [stat.mode & 0o040 ? 'group' : '', stat.mode & 0o004 ? 'others' : ''].filter(Boolean);
  if (!created && stat.isFile() && readableBy.length > 0) {
    const mode = (stat.mode & 0o777).toString(8).padStart(4, '0');
    warning = `the key log ${path} is readable by ${readableBy.join(' and ')} (mode ${mode}): anyone who reads it can decrypt the captured traffic (chmod 600 ${path})`;
  }
  return {
    write: (line) => {
      writeSync(fd, `${line}\n`);
    },
    close: () => closeSync(fd),
    warning,
  };
}

function openError(path: string, e: unknown): KeyLogFileError {
  const code = (e as NodeJS.ErrnoException).code ?? 'EIO';
  if (code === 'ELOOP')
    return new KeyLogFileError(
      `the key log ${path} is a symbolic link: not followed (--keylog-follow writes where it points)`,
      code,
    );
  return new KeyLogFileError(`cannot write the key log ${path}: ${code}`, code);
}
