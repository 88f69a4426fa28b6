import type { Reader } from '../bytes/reader.ts';
import type { Writer } from '../bytes/writer.ts';
import type { ExtensionCodec } from './types.ts';

const NAMED_GROUP_LIST_LIMITS = { min: 2 } as const;

/** supported_groups: `NamedGroup named_group_list<2..2^16-1>` (RFC 8446 §4.2.7). */
export interface NamedGroupList {
  /** NamedGroup codes in wire order; unknown and GREASE values are kept. */
  readonly namedGroupList: readonly number[];
}

/**
 * supported_groups (10): the same list in a ClientHello and in EncryptedExtensions (the
 * server's preference, RFC 8446 §4.2.7). An empty list is `decode_error`.
 */
export const supportedGroupsCodec: ExtensionCodec<NamedGroupList> = {
  type: 10,
  name: 'supported_groups',
  allowedIn: ['client_hello', 'encrypted_extensions'],
  fromPlan: (plan) => (plan.namedGroups ? { namedGroupList: plan.namedGroups } : null),
  decode(r: Reader): NamedGroupList {
    return { namedGroupList: r.u16List(2, 'named_group_list', NAMED_GROUP_LIST_LIMITS) };
  },
  encode(w: Writer, value: NamedGroupList): void {
    w.prefixed(2, 'named_group_list', (w) => {
      for (const g of value.namedGroupList) w.u16(g, 'named_group');
    });
  },
};
