import { alpnCodec } from './alpn.ts';
import { applicationSettingsCodec, applicationSettingsNewCodec } from './application-settings.ts';
import { certificateAuthoritiesCodec } from './certificate-authorities.ts';
import { clientCertificateTypeCodec, serverCertificateTypeCodec } from './certificate-type.ts';
import { compressCertificateCodec } from './compress-certificate.ts';
import { cookieCodec } from './cookie.ts';
import { delegatedCredentialCodec } from './delegated-credential.ts';
import { earlyDataCodec } from './early-data.ts';
import { ecPointFormatsCodec } from './ec-point-formats.ts';
import { echOuterExtensionsCodec, encryptedClientHelloCodec } from './ech.ts';
import {
  channelIdCodec,
  encryptThenMacCodec,
  extendedMasterSecretCodec,
  postHandshakeAuthCodec,
} from './flags.ts';
import { heartbeatCodec } from './heartbeat.ts';
import { keyShareCodec } from './key-share.ts';
import { maxFragmentLengthCodec } from './max-fragment-length.ts';
import { nextProtocolNegotiationCodec } from './next-protocol-negotiation.ts';
import { oidFiltersCodec } from './oid-filters.ts';
import { paddingCodec } from './padding.ts';
import { preSharedKeyCodec, pskKeyExchangeModesCodec } from './psk.ts';
import { quicTransportParametersCodec } from './quic-transport-parameters.ts';
import { recordSizeLimitCodec } from './record-size-limit.ts';
import { renegotiationInfoCodec } from './renegotiation-info.ts';
import { serverNameCodec } from './server-name.ts';
import { sessionTicketCodec } from './session-ticket.ts';
import { signatureAlgorithmsCertCodec, signatureAlgorithmsCodec } from './signature-algorithms.ts';
import { signedCertificateTimestampCodec } from './signed-certificate-timestamp.ts';
import { statusRequestCodec } from './status-request.ts';
import { supportedGroupsCodec } from './supported-groups.ts';
import { supportedVersionsCodec } from './supported-versions.ts';
import type { ExtensionCodec } from './types.ts';
import { useSrtpCodec } from './use-srtp.ts';

/**
 * The extension registry: one row per extension type that hellokit decodes into a typed
 * value. Adding an extension is adding one row here (BoringSSL's kExtensions, as data).
 * Types without a row stay `{ type, body }`.
 */
// biome-ignore lint/suspicious/noExplicitAny: rows carry different value types
export const EXTENSION_CODECS: readonly ExtensionCodec<any>[] = [
  serverNameCodec,
  maxFragmentLengthCodec,
  statusRequestCodec,
  supportedGroupsCodec,
  ecPointFormatsCodec,
  signatureAlgorithmsCodec,
  useSrtpCodec,
  heartbeatCodec,
  alpnCodec,
  signedCertificateTimestampCodec,
  clientCertificateTypeCodec,
  serverCertificateTypeCodec,
  paddingCodec,
  encryptThenMacCodec,
  extendedMasterSecretCodec,
  compressCertificateCodec,
  recordSizeLimitCodec,
  delegatedCredentialCodec,
  sessionTicketCodec,
  preSharedKeyCodec,
  earlyDataCodec,
  supportedVersionsCodec,
  cookieCodec,
  pskKeyExchangeModesCodec,
  certificateAuthoritiesCodec,
  oidFiltersCodec,
  postHandshakeAuthCodec,
  signatureAlgorithmsCertCodec,
  keyShareCodec,
  quicTransportParametersCodec,
  nextProtocolNegotiationCodec,
  applicationSettingsCodec,
  applicationSettingsNewCodec,
  channelIdCodec,
  echOuterExtensionsCodec,
  encryptedClientHelloCodec,
  renegotiationInfoCodec,
];

// biome-ignore lint/suspicious/noExplicitAny: see above
const BY_TYPE: ReadonlyMap<number, ExtensionCodec<any>> = new Map(EXTENSION_CODECS.map((c) => [c.type, c]));
// biome-ignore lint/suspicious/noExplicitAny: see above
const BY_NAME: ReadonlyMap<string, ExtensionCodec<any>> = new Map(EXTENSION_CODECS.map((c) => [c.name, c]));

/** The codec for an extension type, if hellokit decodes it. */
// biome-ignore lint/suspicious/noExplicitAny: see above
export function codecForType(type: number): ExtensionCodec<any> | undefined {
  return BY_TYPE.get(type);
}

/** The codec for an extension name (IANA spelling), if hellokit decodes it. */
// biome-ignore lint/suspicious/noExplicitAny: see above
export function codecForName(name: string): ExtensionCodec<any> | undefined {
  return BY_NAME.get(name);
}
