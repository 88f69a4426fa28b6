/** Arbitraries of TLS records and alerts. */
import fc from 'fast-check';
import type { Alert } from '../records/alert.ts';
import { CONTENT_TYPES, MAX_PLAINTEXT_LENGTH, type TLSPlaintext } from '../records/record.ts';

/** Options of {@link recordArb}. */
export interface RecordArbOptions {
  /** Content type (default: any of 20..24). */
  readonly contentType?: number;
  /** legacy_record_version (default: 0x0301 or 0x0303). */
  readonly version?: number;
  /** Longest fragment (default 64; at most 2^14 keeps it valid). */
  readonly maxLength?: number;
}

/**
 * Valid TLSPlaintext records: a known content type, a 0x03xx version and a fragment that
 * fits (non-empty for handshake and alert records, RFC 8446 §5.1).
 * @example fc.assert(fc.property(recordArb(), (r) => decodeRecord(encodeRecord(r)).fragment.length === r.fragment.length))
 */
export function recordArb(options: RecordArbOptions = {}): fc.Arbitrary<TLSPlaintext> {
  const maxLength = Math.min(options.maxLength ?? 64, MAX_PLAINTEXT_LENGTH);
  return fc
    .record({
      contentType:
        options.contentType === undefined
          ? fc.constantFrom(20, 21, 22, 23, 24) // the TLS types (RFC 8446 §5.1, RFC 6520)
          : fc.constant(options.contentType),
      version: options.version === undefined ? fc.constantFrom(0x0303, 0x0301) : fc.constant(options.version),
      fragment: fc.uint8Array({ minLength: 0, maxLength }),
      pad: fc.integer({ min: 0, max: 255 }),
    })
    .map(({ contentType, version, fragment, pad }) => {
      const needsBytes = contentType === CONTENT_TYPES.handshake || contentType === CONTENT_TYPES.alert;
      const body = needsBytes && fragment.length === 0 ? Uint8Array.of(pad) : fragment;
      if (contentType === CONTENT_TYPES.alert)
        return { contentType, version, fragment: Uint8Array.of(1 + (pad & 1), pad) };
      if (contentType === CONTENT_TYPES.change_cipher_spec)
        return { contentType, version, fragment: Uint8Array.of(1) };
      return { contentType, version, fragment: body };
    });
}

/** Alerts: level warning (1) or fatal (2) and any description byte (mostly registered ones). */
export function alertArb(options: { level?: 1 | 2; description?: number } = {}): fc.Arbitrary<Alert> {
  const known = [
    0, 10, 20, 21, 22, 40, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 70, 71, 80, 86, 90, 100, 109, 110, 112,
    116, 120,
  ];
  return fc.record({
    level: options.level === undefined ? fc.constantFrom(2, 1) : fc.constant(options.level),
    description:
      options.description === undefined
        ? fc.oneof(
            { weight: 4, arbitrary: fc.constantFrom(...known) },
            { weight: 1, arbitrary: fc.integer({ min: 0, max: 255 }) },
          )
        : fc.constant(options.description),
  });
}
