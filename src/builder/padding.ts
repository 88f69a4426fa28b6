/**
 * The padding extension (RFC 7685). Some F5 terminators hang on ClientHellos whose handshake
 * message is 256–511 bytes long; BoringSSL (and OpenSSL with SSL_OP_TLSEXT_PADDING, GnuTLS
 * with %DUMBFW) pad those to 512.
 */

/** How to pad: BoringSSL's rule, an exact handshake message length, or not at all. */
export type PaddingRule = 'boringssl' | number | false;

/**
 * The padding extension body length BoringSSL adds to a ClientHello whose handshake message
 * (header included) would be `messageLength` bytes without padding, or `null` for none.
 * A message of 256–511 bytes is padded to 512 (the extension's own 4-byte header counted;
 * at least one byte of body, since WebSphere 7 rejects an empty last extension). With
 * `lastExtensionEmpty` and no GREASE extension after it, a one-byte padding is added
 * regardless, which may itself push the hello into the padded range.
 * @example boringSslPaddingLength(300) // 208: 300 + 4 + 208 = 512
 */
export function boringSslPaddingLength(messageLength: number, lastExtensionEmpty = false): number | null {
  let length = messageLength;
  let padding = 0;
  if (lastExtensionEmpty) {
    padding = 1;
    length += 4 + padding;
  }
  if (length > 0xff && length < 0x200) {
    if (padding !== 0) length -= 4 + padding;
    padding = 0x200 - length;
    padding = padding >= 4 + 1 ? padding - 4 : 1;
  }
  return padding === 0 ? null : padding;
}

/**
 * The padding body length that makes the handshake message exactly `target` bytes long.
 * @throws {RangeError} when the hello is already longer than `target - 4`
 */
export function paddingLengthForTarget(messageLength: number, target: number): number {
  const body = target - messageLength - 4;
  if (!Number.isInteger(target) || body < 0) {
    throw new RangeError(
      `"padding" expected a handshake length of at least ${messageLength + 4} (the hello is ${messageLength} bytes before padding), got ${target}`,
    );
  }
  return body;
}
