import type { Reader } from '../bytes/reader.ts';
import type { Writer } from '../bytes/writer.ts';
import { EMPTY, type EmptyValue, has } from './common.ts';
import type { ExtensionCodec, MessageContext } from './types.ts';

/** CertificateStatusType ocsp (RFC 6066 §8). */
export const STATUS_TYPE_OCSP = 1;

/** status_request in a ClientHello with status_type ocsp: an OCSPStatusRequest. */
export interface OcspStatusRequest {
  readonly statusType: 1;
  /** `ResponderID responder_id_list<0..2^16-1>`, each `opaque ResponderID<1..2^16-1>` (DER). */
  readonly responderIdList: readonly Uint8Array[];
  /** `opaque Extensions<0..2^16-1>`: DER OCSP request extensions, kept as bytes. */
  readonly requestExtensions: Uint8Array;
}

/** status_request in a ClientHello with a status_type other than ocsp: the rest of the body. */
export interface OtherStatusRequest {
  readonly statusType: number;
  readonly request: Uint8Array;
}

/**
 * status_request in a Certificate entry (RFC 8446 §4.4.2.1): a CertificateStatus.
 * For ocsp `response` is the DER OCSPResponse (`<1..2^24-1>`); for other types, the rest
 * of the body.
 */
export interface CertificateStatus {
  readonly statusType: number;
  readonly response: Uint8Array;
}

/** status_request in any form; empty in a TLS 1.2 ServerHello and a CertificateRequest. */
export type StatusRequestValue = OcspStatusRequest | OtherStatusRequest | CertificateStatus | EmptyValue;

const RESPONDER_ID_LIMITS = { min: 1 } as const;

function readResponderId(r: Reader): Uint8Array {
  return r.vectorBytes(2, 'responder_id', RESPONDER_ID_LIMITS);
}

function decodeRequest(r: Reader): OcspStatusRequest | OtherStatusRequest {
  const statusType = r.u8('status_type');
  if (statusType !== STATUS_TYPE_OCSP) return { statusType, request: r.rest() };
  const responderIdList = r.list(2, 'responder_id_list', readResponderId);
  const requestExtensions = r.vectorBytes(2, 'request_extensions');
  return { statusType, responderIdList, requestExtensions };
}

function decodeStatus(r: Reader): CertificateStatus {
  const statusType = r.u8('status_type');
  if (statusType !== STATUS_TYPE_OCSP) return { statusType, response: r.rest() };
  return { statusType, response: r.vectorBytes(3, 'ocsp_response', { min: 1 }) };
}

/**
 * status_request (5), RFC 6066 §8 and RFC 8446 §4.4.2.1: a request in ClientHello, empty
 * in a TLS 1.2 ServerHello and in CertificateRequest, the OCSP response in Certificate.
 */
export const statusRequestCodec: ExtensionCodec<StatusRequestValue> = {
  type: 5,
  name: 'status_request',
  allowedIn: ['client_hello', 'server_hello', 'certificate_request', 'certificate'],
  // An OCSP request naming no responders and no extensions: what every browser sends.
  clientHelloDefault: {
    statusType: STATUS_TYPE_OCSP,
    responderIdList: [],
    requestExtensions: new Uint8Array(0),
  },
  decode(r: Reader, context: MessageContext): StatusRequestValue {
    if (context === 'certificate') return decodeStatus(r);
    if (context === 'client_hello') return decodeRequest(r);
    return EMPTY;
  },
  encode(w: Writer, value: StatusRequestValue): void {
    if (has(value, 'response')) {
      const v = value as CertificateStatus;
      w.u8(v.statusType, 'status_type');
      if (v.statusType === STATUS_TYPE_OCSP) w.vector(3, 'ocsp_response', v.response);
      else w.bytes(v.response);
    } else if (has(value, 'request')) {
      const v = value as OtherStatusRequest;
      w.u8(v.statusType, 'status_type');
      w.bytes(v.request);
    } else if (has(value, 'responderIdList')) {
      const v = value as OcspStatusRequest;
      w.u8(v.statusType, 'status_type');
      w.prefixed(2, 'responder_id_list', (w) => {
        for (const id of v.responderIdList) w.vector(2, 'responder_id', id);
      });
      w.vector(2, 'request_extensions', v.requestExtensions);
    }
  },
};
