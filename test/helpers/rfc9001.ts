/** RFC 9001 Appendix A's test vectors that several QUIC tests read. */
import { fromHex } from '../../src/bytes/hex.ts';

/** The client's Destination Connection ID of Appendix A (the Initial keys derive from it). */
export const RFC9001_DCID = fromHex('8394c8f03e515708');

/** Appendix A.3: the protected server Initial (ACK + CRYPTO with a ServerHello), packet number 1. */
export const RFC9001_SERVER_INITIAL = fromHex(
  'cf000000010008f067a5502a4262b5004075c0d95a482cd0991cd25b0aac406a' +
    '5816b6394100f37a1c69797554780bb38cc5a99f5ede4cf73c3ec2493a1839b3' +
    'dbcba3f6ea46c5b7684df3548e7ddeb9c3bf9c73cc3f3bded74b562bfb19fb84' +
    '022f8ef4cdd93795d77d06edbb7aaf2f58891850abbdca3d20398c276456cbc4' +
    '2158407dd074ee',
);
