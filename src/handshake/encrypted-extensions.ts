/** EncryptedExtensions (RFC 8446 §4.3.1): an extensions block and nothing else. */
import type { Reader } from '../bytes/reader.ts';
import type { Writer } from '../bytes/writer.ts';
import { decodeExtensions, encodeExtensions } from '../extensions/block.ts';
import type { Extension } from '../extensions/types.ts';

/** An EncryptedExtensions message. */
export interface EncryptedExtensions {
  readonly type: 'encrypted_extensions';
  readonly extensions: readonly Extension[];
}

/** Reads an EncryptedExtensions body. */
export function readEncryptedExtensionsBody(r: Reader): EncryptedExtensions {
  const extensions = decodeExtensions(r, 'encrypted_extensions');
  r.done();
  return { type: 'encrypted_extensions', extensions };
}

/** Writes an EncryptedExtensions body. */
export function writeEncryptedExtensionsBody(w: Writer, m: EncryptedExtensions): void {
  encodeExtensions(w, m.extensions);
}
