/** TLS Heartbeat (RFC 6520): the modes of the heartbeat extension and the message types. */
import type { RegistryEntry } from './registry-entry.ts';
import { type CodesByName, codesByName } from './registry-entry.ts';
import type { Satisfies } from './satisfies.ts';

/** HeartbeatMode, the body of the heartbeat extension. */
export const HEARTBEAT_MODES = [
  { code: 1, name: 'peer_allowed_to_send', iana: true },
  { code: 2, name: 'peer_not_allowed_to_send', iana: true },
] as const;
type _CheckHeartbeatModes = Satisfies<typeof HEARTBEAT_MODES, readonly RegistryEntry[]>;

/**
 * Heartbeat mode codes by name.
 * @example HEARTBEAT_MODE.peer_allowed_to_send // 1
 */
export const HEARTBEAT_MODE: CodesByName<typeof HEARTBEAT_MODES> = codesByName(HEARTBEAT_MODES);

/** HeartbeatMessageType, the first byte of a heartbeat record. */
export const HEARTBEAT_MESSAGE_TYPES = [
  { code: 1, name: 'heartbeat_request', iana: true },
  { code: 2, name: 'heartbeat_response', iana: true },
] as const;
type _CheckHeartbeatMessageTypes = Satisfies<typeof HEARTBEAT_MESSAGE_TYPES, readonly RegistryEntry[]>;

/**
 * Heartbeat message type codes by name.
 * @example HEARTBEAT_MESSAGE_TYPE.heartbeat_request // 1
 */
export const HEARTBEAT_MESSAGE_TYPE: CodesByName<typeof HEARTBEAT_MESSAGE_TYPES> =
  codesByName(HEARTBEAT_MESSAGE_TYPES);
