/**
 * The floor any validating ClientHello parser pays: walk the record header, the handshake
 * header, the fixed fields and every extension header, checking each length against what
 * remains, and decode nothing. Returns the number of extensions so the work is not elided.
 */
export function lengthWalk(b: Uint8Array): number {
  let p = 0;
  const end = b.length;
  let extensions = 0;
  while (p < end) {
    if (end - p < 5) throw new Error('record header');
    const recordLength = (b[p + 3] << 8) | b[p + 4];
    p += 5;
    if (recordLength > end - p) throw new Error('record');
    // Single-record hellos only: the handshake message follows directly.
    let q = p;
    const recordEnd = p + recordLength;
    if (b[q] !== 1) throw new Error('not a client_hello');
    const bodyLength = (b[q + 1] << 16) | (b[q + 2] << 8) | b[q + 3];
    q += 4;
    if (bodyLength > recordEnd - q) throw new Error('handshake');
    q += 2 + 32;
    q += 1 + b[q];
    q += 2 + ((b[q] << 8) | b[q + 1]);
    q += 1 + b[q];
    const extEnd = q + 2 + ((b[q] << 8) | b[q + 1]);
    q += 2;
    if (extEnd > recordEnd) throw new Error('extensions');
    while (q < extEnd) {
      const len = (b[q + 2] << 8) | b[q + 3];
      q += 4 + len;
      extensions++;
    }
    if (q !== extEnd) throw new Error('extension overrun');
    p = recordEnd;
  }
  return extensions;
}
