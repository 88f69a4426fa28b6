import { describe, expect, it } from 'vitest';
import {
  generateKeyShare,
  keyShareSizes,
  respondToKeyShare,
  SUPPORTED_KEY_SHARE_GROUPS,
} from '../../src/crypto/index.ts';
import { KEY_EXCHANGE_SIZES } from '../../src/extensions/key-share.ts';

describe('the key_share codec and the key share maker agree on sizes', () => {
  for (const group of SUPPORTED_KEY_SHARE_GROUPS) {
    it(`group 0x${group.toString(16).padStart(4, '0')}: the codec's sizes are the real shares' sizes`, () => {
      const expected = KEY_EXCHANGE_SIZES.get(group);
      expect(expected, 'the codec knows the size of every group hellokit makes shares for').toBeDefined();
      const sizes = keyShareSizes(group);
      expect([sizes.clientShareLength, sizes.serverShareLength]).toEqual(expected);
      const client = generateKeyShare(group);
      expect(client.keyExchange.length).toBe(expected![0]);
      expect(respondToKeyShare(group, client.keyExchange).keyExchange.length).toBe(expected![1]);
    });
  }
});
