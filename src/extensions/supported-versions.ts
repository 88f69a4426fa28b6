import type { Reader } from '../bytes/reader.ts';
import type { Writer } from '../bytes/writer.ts';
import { has } from './common.ts';
import type { ExtensionCodec, MessageContext } from './types.ts';

const VERSIONS_LIMITS = { min: 2, max: 254 } as const;

/** supported_versions in a ClientHello: `ProtocolVersion versions<2..254>`. */
export interface SupportedVersionsList {
  /** Versions in preference order (0x0304 TLS 1.3); GREASE values kept. */
  readonly versions: readonly number[];
}

/** supported_versions in a ServerHello or HelloRetryRequest. */
export interface SelectedVersion {
  readonly selectedVersion: number;
}

/** supported_versions in any form. */
export type SupportedVersionsValue = SupportedVersionsList | SelectedVersion;

/** supported_versions (43), RFC 8446 §4.2.1. An empty list is `decode_error`. */
export const supportedVersionsCodec: ExtensionCodec<SupportedVersionsValue> = {
  type: 43,
  name: 'supported_versions',
  allowedIn: ['client_hello', 'server_hello', 'hello_retry_request'],
  fromPlan: (plan) => (plan.versions ? { versions: plan.versions } : null),
  decode(r: Reader, context: MessageContext): SupportedVersionsValue {
    if (context === 'server_hello' || context === 'hello_retry_request') {
      return { selectedVersion: r.u16('selected_version') };
    }
    return { versions: r.u16List(1, 'versions', VERSIONS_LIMITS) };
  },
  encode(w: Writer, value: SupportedVersionsValue): void {
    if (has(value, 'selectedVersion')) {
      w.u16((value as SelectedVersion).selectedVersion, 'selected_version');
      return;
    }
    w.prefixed(1, 'versions', (w) => {
      for (const v of (value as SupportedVersionsList).versions) w.u16(v, 'version');
    });
  },
};
