/**
 * RFC 8448 §3 "Simple 1-RTT Handshake": every value below is copied from the RFC's
 * trace (TLS_AES_128_GCM_SHA256, x25519).
 */
import { x25519 } from '@noble/curves/ed25519.js';
import { describe, expect, test } from 'vitest';
import { concatBytes, fromHex, toHex } from '../../src/bytes/hex.ts';
import {
  applicationSecrets,
  cipherSuiteParams,
  createRecordProtection,
  decryptRecord,
  deriveSharedSecret,
  earlySecret,
  encryptRecord,
  finishedKey,
  finishedVerifyData,
  handshakeSecrets,
  type KeyShare,
  parseKeyLog,
  respondToKeyShare,
  resumptionMasterSecret,
  Transcript,
  tls13KeyLogLines,
  trafficKeys,
} from '../../src/crypto/index.ts';

const CLIENT_PRIVATE = fromHex('49af42ba7f7994852d713ef2784bcbcaa7911de26adc5642cb634540e7ea5005');
const CLIENT_PUBLIC = fromHex('99381de560e4bd43d23d8e435a7dbafeb3c06e51c13cae4d5413691e529aaf2c');
const SERVER_PRIVATE = fromHex('b1580eeadf6dd589b8ef4f2d5652578cc810e9980191ec8d058308cea216a21e');
const SERVER_PUBLIC = fromHex('c9828876112095fe66762bdbf7c672e156d6cc253b833df1dd69b1b04e751f0f');
const SHARED_SECRET = '8bd4054fb55b9d63fdfbacf9f04b9f0d35e6d63f537563efd46272900f89492d';

const CLIENT_HELLO = fromHex(
  '010000c00303cb34ecb1e78163ba1c38c6dacb196a6dffa21a8d9912ec18a2ef6283024dece7000006130113031302010000910000000b' +
    '0009000006736572766572ff01000100000a00140012001d0017001800190100010101020103010400230000003300260024001d0020' +
    '99381de560e4bd43d23d8e435a7dbafeb3c06e51c13cae4d5413691e529aaf2c002b0003020304000d0020001e04030503060302030804' +
    '0805080604010501060102010402050206020202002d00020101001c00024001',
);
const SERVER_HELLO = fromHex(
  '020000560303a6af06a4121860dc5e6e60249cd34c95930c8ac5cb1434dac155772ed3e2692800130100002e00330024001d0020c982' +
    '8876112095fe66762bdbf7c672e156d6cc253b833df1dd69b1b04e751f0f002b00020304',
);
const ENCRYPTED_EXTENSIONS = fromHex(
  '080000240022000a00140012001d00170018001901000101010201030104001c0002400100000000',
);
const CERTIFICATE = fromHex(
  '0b0001b9000001b50001b0308201ac30820115a003020102020102300d06092a864886f70d01010b0500300e310c300a0603550403130372' +
    '7361301e170d3136303733303031323335395a170d3236303733303031323335395a300e310c300a0603550403130372736130819f300d' +
    '06092a864886f70d010101050003818d0030818902818100b4bb498f8279303d980836399b36c6988c0c68de55e1bdb826d3901a2461ea' +
    'fd2de49a91d015abbc9a95137ace6c1af19eaa6af98c7ced43120998e187a80ee0ccb0524b1b018c3e0b63264d449a6d38e22a5fda4308' +
    '46748030530ef0461c8ca9d9efbfae8ea6d1d03e2bd193eff0ab9a8002c47428a6d35a8d88d79f7f1e3f0203010001a31a301830090603' +
    '551d1304023000300b0603551d0f0404030205a0300d06092a864886f70d01010b05000381810085aad2a0e5b9276b908c65f73a726717' +
    '0618a54c5f8a7b337d2df7a594365417f2eae8f8a58c8f8172f9319cf36b7fd6c55b80f21a03015156726096fd335e5e67f2dbf102702e' +
    '608ccae6bec1fc63a42a99be5c3eb7107c3c54e9b9eb2bd5203b1c3b84e0a8b2f759409ba3eac9d91d402dcc0cc8f8961229ac9187b42b' +
    '4de10000',
);
const CERTIFICATE_VERIFY = fromHex(
  '0f000084080400805a747c5d88fa9bd2e55ab085a61015b7211f824cd484145ab3ff52f1fda8477b0b7abc90db78e2d33a5c141a078653' +
    'fa6bef780c5ea248eeaaa785c4f394cab6d30bbe8d4859ee511f602957b15411ac027671459e46445c9ea58c181e818e95b8c3fb0bf327' +
    '8409d3be152a3da5043e063dda65cdf5aea20d53dfacd42f74f3',
);
const SERVER_FINISHED_VERIFY_DATA = '9b9b141d906337fbd2cbdce71df4deda4ab42c309572cb7fffee5454b78f0718';
const CLIENT_FINISHED_VERIFY_DATA = 'a8ec436d677634ae525ac1fcebe11a039ec17694fac6e98527b642f2edd5ce61';

/** {server} send handshake record: EncryptedExtensions..Finished under the server handshake key. */
const SERVER_FLIGHT_RECORD = fromHex(
  '17030302a2d1ff334a56f5bff6594a07cc87b580233f500f45e489e7f33af35edf7869fcf40aa40aa2b8ea73f848a7ca07612ef9f945cb96' +
    '0b4068905123ea78b111b429ba9191cd05d2a389280f526134aadc7fc78c4b729df828b5ecf7b13bd9aefb0e57f271585b8ea9bb355c7c' +
    '79020716cfb9b1183ef3ab20e37d57a6b9d7477609aee6e122a4cf51427325250c7d0e509289444c9b3a648f1d71035d2ed65b0e3cdd0c' +
    'bae8bf2d0b227812cbb360987255cc744110c453baa4fcd610928d809810e4b7ed1a8fd991f06aa6248204797e36a6a73b70a2559c09ea' +
    'd686945ba246ab66e5edd8044b4c6de3fcf2a89441ac66272fd8fb330ef8190579b3684596c960bd596eea520a56a8d650f563aad27409' +
    '960dca63d3e688611ea5e22f4415cf9538d51a200c27034272968a264ed6540c84838d89f72c24461aad6d26f59ecaba9acbbb317b66d9' +
    '02f4f292a36ac1b639c637ce343117b659622245317b49eeda0c6258f100d7d961ffb138647e92ea330faeea6dfa31c7a84dc3bd7e1b7a' +
    '6c7178af36879018e3f252107f243d243dc7339d5684c8b0378bf30244da8c87c843f5e56eb4c5e8280a2b48052cf93b16499a66db7cca' +
    '71e4599426f7d461e66f99882bd89fc50800becca62d6c74116dbd2972fda1fa80f85df881edbe5a37668936b335583b599186dc5c6918' +
    'a396fa48a181d6b6fa4f9d62d513afbb992f2b992f67f8afe67f76913fa388cb5630c8ca01e0c65d11c66a1e2ac4c85977b7c7a6999bbf' +
    '10dc35ae69f5515614636c0b9b68c19ed2e31c0b3b66763038ebba42f3b38edc0399f3a9f23faa63978c317fc9fa66a73f60f0504de93b' +
    '5b845e275592c12335ee340bbc4fddd502784016e4b3be7ef04dda49f4b440a30cb5d2af939828fd4ae3794e44f94df5a631ede42c1719' +
    'bfdabf0253fe5175be898e750edc53370d2b',
);

const finishedMessage = (verifyData: string) => concatBytes(fromHex('14000020'), fromHex(verifyData));
const params = cipherSuiteParams(0x1301);
const clientShare: KeyShare = { group: 0x001d, keyExchange: CLIENT_PUBLIC, privateKeys: [CLIENT_PRIVATE] };

function helloTranscript(): Transcript {
  return new Transcript('sha256').update(CLIENT_HELLO, SERVER_HELLO);
}

function serverSecrets() {
  return handshakeSecrets(
    'sha256',
    deriveSharedSecret(clientShare, SERVER_PUBLIC),
    helloTranscript().digest(),
  );
}

describe('RFC 8448 simple 1-RTT handshake', () => {
  test('the x25519 private keys give the published public keys', () => {
    expect(toHex(x25519.getPublicKey(CLIENT_PRIVATE))).toBe(toHex(CLIENT_PUBLIC));
    expect(toHex(x25519.getPublicKey(SERVER_PRIVATE))).toBe(toHex(SERVER_PUBLIC));
  });

  test('the client derives the published shared secret from the server share', () => {
    expect(toHex(deriveSharedSecret(clientShare, SERVER_PUBLIC))).toBe(SHARED_SECRET);
  });

  test('the server side, given the RFC server key, derives the same shared secret and share', () => {
    const scripted = (n: number) => {
      expect(n).toBe(32);
      return SERVER_PRIVATE;
    };
    const response = respondToKeyShare(0x001d, CLIENT_PUBLIC, scripted);
    expect(toHex(response.keyExchange)).toBe(toHex(SERVER_PUBLIC));
    expect(toHex(response.sharedSecret)).toBe(SHARED_SECRET);
  });

  test('the transcript hash of ClientHello..ServerHello matches', () => {
    expect(toHex(helloTranscript().digest())).toBe(
      '860c06edc07858ee8e78f0e7428c58edd6b43f2ca3e6e95f02ed063cf0e1cad8',
    );
  });

  test('early, handshake and master secrets and handshake traffic secrets match', () => {
    expect(toHex(earlySecret('sha256'))).toBe(
      '33ad0a1c607ec03b09e6cd9893680ce210adf300aa1f2660e1b22e10f170f92a',
    );
    const s = serverSecrets();
    expect(toHex(s.earlySecret)).toBe('33ad0a1c607ec03b09e6cd9893680ce210adf300aa1f2660e1b22e10f170f92a');
    expect(toHex(s.handshakeSecret)).toBe('1dc826e93606aa6fdc0aadc12f741b01046aa6b99f691ed221a9f0ca043fbeac');
    expect(toHex(s.masterSecret)).toBe('18df06843d13a08bf2a449844c5f8a478001bc4d4c627984d5a41da8d0402919');
    expect(toHex(s.clientHandshakeTrafficSecret)).toBe(
      'b3eddb126e067f35a780b3abf45e2d8f3b1a950738f52e9600746a0e27a55a21',
    );
    expect(toHex(s.serverHandshakeTrafficSecret)).toBe(
      'b67b7d690cc16c4e75e54213cb2d37b4e9c912bcded9105d42befd59d391ad38',
    );
  });

  test('handshake traffic keys and ivs match', () => {
    const s = serverSecrets();
    const server = trafficKeys(params, s.serverHandshakeTrafficSecret);
    const client = trafficKeys(params, s.clientHandshakeTrafficSecret);
    expect(toHex(server.key)).toBe('3fce516009c21727d0f2e4e86ee403bc');
    expect(toHex(server.iv)).toBe('5d313eb2671276ee13000b30');
    expect(toHex(client.key)).toBe('dbfaa693d1762c5b666af5d950258d01');
    expect(toHex(client.iv)).toBe('5bd3c71b836e0b76bb73265f');
  });

  test('finished keys match', () => {
    const s = serverSecrets();
    expect(toHex(finishedKey('sha256', s.serverHandshakeTrafficSecret))).toBe(
      '008d3b66f816ea559f96b537e885c31fc068bf492c652f01f288a1d8cdc19fc8',
    );
    expect(toHex(finishedKey('sha256', s.clientHandshakeTrafficSecret))).toBe(
      'b80ad01015fb2f0bd65ff7d4da5d6bf83f84821d1f87fdc7d3c75b5a7b42d9c4',
    );
  });

  test('decrypts the server flight record to EncryptedExtensions, Certificate, CertificateVerify, Finished', () => {
    const state = createRecordProtection(0x1301, serverSecrets().serverHandshakeTrafficSecret);
    expect(SERVER_FLIGHT_RECORD.length).toBe(5 + 0x02a2);
    const { contentType, content, paddingLength } = decryptRecord(
      state,
      SERVER_FLIGHT_RECORD.subarray(0, 5),
      SERVER_FLIGHT_RECORD.subarray(5),
    );
    expect(contentType).toBe(22);
    expect(paddingLength).toBe(0);
    expect(state.sequence).toBe(1);
    expect(toHex(content)).toBe(
      toHex(
        concatBytes(
          ENCRYPTED_EXTENSIONS,
          CERTIFICATE,
          CERTIFICATE_VERIFY,
          finishedMessage(SERVER_FINISHED_VERIFY_DATA),
        ),
      ),
    );
  });

  test('re-encrypting the server flight gives the published record byte for byte', () => {
    const state = createRecordProtection(0x1301, serverSecrets().serverHandshakeTrafficSecret);
    const flight = concatBytes(
      ENCRYPTED_EXTENSIONS,
      CERTIFICATE,
      CERTIFICATE_VERIFY,
      finishedMessage(SERVER_FINISHED_VERIFY_DATA),
    );
    expect(toHex(encryptRecord(state, 22, flight).record)).toBe(toHex(SERVER_FLIGHT_RECORD));
  });

  test('the server Finished verify_data matches', () => {
    const s = serverSecrets();
    const t = helloTranscript().update(ENCRYPTED_EXTENSIONS, CERTIFICATE, CERTIFICATE_VERIFY);
    expect(toHex(finishedVerifyData('sha256', s.serverHandshakeTrafficSecret, t.digest()))).toBe(
      SERVER_FINISHED_VERIFY_DATA,
    );
  });

  test('application traffic secrets, exporter secret and keys match', () => {
    const s = serverSecrets();
    const t = helloTranscript().update(
      ENCRYPTED_EXTENSIONS,
      CERTIFICATE,
      CERTIFICATE_VERIFY,
      finishedMessage(SERVER_FINISHED_VERIFY_DATA),
    );
    expect(toHex(t.digest())).toBe('9608102a0f1ccc6db6250b7b7e417b1a000eaada3daae4777a7686c9ff83df13');
    const app = applicationSecrets('sha256', s.masterSecret, t.digest());
    expect(toHex(app.clientApplicationTrafficSecret)).toBe(
      '9e40646ce79a7f9dc05af8889bce6552875afa0b06df0087f792ebb7c17504a5',
    );
    expect(toHex(app.serverApplicationTrafficSecret)).toBe(
      'a11af9f05531f856ad47116b45a950328204b4f44bfb6b3a4b4f1f3fcb631643',
    );
    expect(toHex(app.exporterMasterSecret)).toBe(
      'fe22f881176eda18eb8f44529e6792c50c9a3f89452f68d8ae311b4309d3cf50',
    );
    const server = trafficKeys(params, app.serverApplicationTrafficSecret);
    const client = trafficKeys(params, app.clientApplicationTrafficSecret);
    expect(toHex(server.key)).toBe('9f02283b6c9c07efc26bb9f2ac92e356');
    expect(toHex(server.iv)).toBe('cf782b88dd83549aadf1e984');
    expect(toHex(client.key)).toBe('17422dda596ed5d9acd890e3c63f5051');
    expect(toHex(client.iv)).toBe('5b78923dee08579033e523d9');
  });

  test('the client Finished verify_data and resumption master secret match', () => {
    const s = serverSecrets();
    const t = helloTranscript().update(
      ENCRYPTED_EXTENSIONS,
      CERTIFICATE,
      CERTIFICATE_VERIFY,
      finishedMessage(SERVER_FINISHED_VERIFY_DATA),
    );
    expect(toHex(finishedVerifyData('sha256', s.clientHandshakeTrafficSecret, t.digest()))).toBe(
      CLIENT_FINISHED_VERIFY_DATA,
    );
    t.update(finishedMessage(CLIENT_FINISHED_VERIFY_DATA));
    expect(toHex(t.digest())).toBe('209145a96ee8e2a122ff810047cc952684658d6049e86429426db87c54ad143d');
    expect(toHex(resumptionMasterSecret('sha256', s.masterSecret, t.digest()))).toBe(
      '7df235f2031d2a051287d02b0241b0bfdaf86cc856231f2d5aba46c434ec196c',
    );
  });

  test('key log lines carry the client random and the RFC secrets', () => {
    const s = serverSecrets();
    const clientRandom = CLIENT_HELLO.subarray(6, 38);
    const lines = tls13KeyLogLines(clientRandom, s);
    const random = 'cb34ecb1e78163ba1c38c6dacb196a6dffa21a8d9912ec18a2ef6283024dece7';
    expect(lines).toEqual([
      `CLIENT_HANDSHAKE_TRAFFIC_SECRET ${random} b3eddb126e067f35a780b3abf45e2d8f3b1a950738f52e9600746a0e27a55a21`,
      `SERVER_HANDSHAKE_TRAFFIC_SECRET ${random} b67b7d690cc16c4e75e54213cb2d37b4e9c912bcded9105d42befd59d391ad38`,
    ]);
    expect(parseKeyLog(lines.join('\n')).map((e) => e.label)).toEqual([
      'CLIENT_HANDSHAKE_TRAFFIC_SECRET',
      'SERVER_HANDSHAKE_TRAFFIC_SECRET',
    ]);
  });
});
