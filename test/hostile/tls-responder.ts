/**
 * A scripted TLS server on loopback for the violation catalogue: it reads each ClientHello
 * and answers with exactly the messages a scenario writes, with real key shares and the
 * real TLS 1.3 key schedule (so the probe decrypts what it sends), and it records what the
 * client sends back (decrypting the client's TLS 1.3 alert with the client handshake key).
 *
 * A fake on purpose: no real server software breaks these RFC rules on demand.
 */
import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { concatBytes } from '../../src/bytes/hex.ts';
import { Writer } from '../../src/bytes/writer.ts';
import {
  cipherSuiteParams,
  finishedVerifyData,
  handshakeSecrets,
  Transcript,
} from '../../src/crypto/key-schedule.ts';
import { respondToKeyShare } from '../../src/crypto/key-share.ts';
import {
  createRecordProtection,
  decryptRecord,
  encryptRecord,
  type RecordProtectionState,
} from '../../src/crypto/record-protection.ts';
import { encodeExtensions } from '../../src/extensions/block.ts';
import type { KeyShareClientHello } from '../../src/extensions/key-share.ts';
import type { Extension } from '../../src/extensions/types.ts';
import { decodeExtensionBody } from '../../src/extensions/values.ts';
import { parseClientHello } from '../../src/handshake/client-hello.ts';
import { encodeHandshake, HANDSHAKE_TYPES } from '../../src/handshake/header.ts';
import { HandshakeReassembler } from '../../src/handshake/reassembler.ts';
import {
  DOWNGRADE_SENTINELS,
  encodeServerHello,
  HELLO_RETRY_REQUEST_RANDOM,
  type ServerHello,
} from '../../src/handshake/server-hello.ts';
import type { ClientHello } from '../../src/handshake/types.ts';
import { RecordDeframer } from '../../src/records/deframer.ts';
import { record as tlsRecord } from './servers.ts';

export { tlsRecord };

/** An extension from its type and body. */
export function ext(type: number, body: Uint8Array = new Uint8Array(0)): Extension {
  return { type, body };
}

/** supported_versions as a ServerHello carries it. */
export const selectedVersion = (version: number): Extension =>
  ext(43, Uint8Array.of(version >> 8, version & 0xff));

/** key_share as a HelloRetryRequest carries it: the group wanted. */
export const retryKeyShare = (group: number): Extension => ext(51, Uint8Array.of(group >> 8, group & 0xff));

/** key_share as a ServerHello carries it: one entry. */
export function serverKeyShare(group: number, keyExchange: Uint8Array): Extension {
  const w = new Writer(4 + keyExchange.length);
  w.u16(group, 'group');
  w.vector(2, 'key_exchange', keyExchange);
  return ext(51, w.finish());
}

/** An ALPN extension selecting `protocol`. */
export function alpnSelecting(protocol: string): Extension {
  const id = new TextEncoder().encode(protocol);
  return ext(16, Uint8Array.of(0, id.length + 1, id.length, ...id));
}

/** What a scenario knows when a ClientHello arrives, and the helpers to answer it. */
export class Exchange {
  /** The ClientHellos read, in order, and their exact handshake messages. */
  readonly hellos: ClientHello[] = [];
  readonly helloMessages: Uint8Array[] = [];
  /** Alerts the client sent (plaintext, or decrypted with the client handshake key): [level, description]. */
  readonly clientAlerts: { level: number; description: number; encrypted: boolean }[] = [];
  private retryMessage?: Uint8Array;
  private client?: RecordProtectionState;

  get hello(): ClientHello {
    return this.hellos[this.hellos.length - 1];
  }

  /** A ServerHello value answering the current hello; `edit` changes any field. */
  serverHello(edit: Partial<ServerHello> = {}): ServerHello {
    return {
      type: 'server_hello',
      legacyVersion: 0x0303,
      random: Uint8Array.from({ length: 32 }, (_, i) => 0x40 + i),
      legacySessionIdEcho: this.hello.legacySessionId,
      cipherSuite: 0x1301,
      legacyCompressionMethod: 0,
      extensions: [],
      helloRetryRequest: false,
      downgrade: null,
      version: 0x0303,
      ...edit,
    };
  }

  /** A HelloRetryRequest record with these extensions (supported_versions TLS 1.3 first unless `extensions` says otherwise). */
  helloRetryRequest(extensions: readonly Extension[], edit: Partial<ServerHello> = {}): Uint8Array {
    const message = encodeServerHello(
      this.serverHello({ random: HELLO_RETRY_REQUEST_RANDOM, extensions, helloRetryRequest: true, ...edit }),
    );
    this.retryMessage = message;
    return tlsRecord(22, message);
  }

  /** A TLS 1.2 flight: the ServerHello, then ServerHelloDone. */
  tls12Flight(edit: Partial<ServerHello> = {}): Uint8Array {
    const sh = encodeServerHello(this.serverHello({ cipherSuite: 0xc02f, ...edit }));
    return concatBytes(
      tlsRecord(22, sh),
      tlsRecord(22, encodeHandshake(HANDSHAKE_TYPES.server_hello_done, new Uint8Array(0))),
    );
  }

  /**
   * A TLS 1.3 flight over a real x25519 (or `group`) exchange: ServerHello, then encrypted
   * EncryptedExtensions and a Finished that verifies (no Certificate: the probe reads on
   * without one). `share` replaces the server's key_share entry (for invalid shares);
   * `after` is what follows EncryptedExtensions: the Finished, or an encrypted alert.
   */
  tls13Flight(
    options: {
      readonly group?: number;
      readonly share?: Extension | null;
      readonly serverHelloExtensions?: readonly Extension[];
      readonly encryptedExtensions?: readonly Extension[];
      readonly edit?: Partial<ServerHello>;
      readonly after?: 'finished' | { readonly alert: number } | 'nothing';
      /** Handshake messages sent (encrypted, in the transcript) between EncryptedExtensions and Finished. */
      readonly beforeFinished?: readonly Uint8Array[];
    } = {},
  ): Uint8Array {
    const group = options.group ?? 0x001d;
    const hello = this.hello;
    const offered = hello.extensions?.find((e) => e.type === 51);
    const shares = offered
      ? (
          decodeExtensionBody('key_share', offered.body, 'client_hello', {
            strict: false,
          }) as KeyShareClientHello
        ).clientShares
      : [];
    let secret: Uint8Array | undefined;
    let share = options.share;
    if (share === undefined) {
      const mine = shares.find((s) => s.group === group);
      if (!mine) throw new Error(`the hello has no share for group ${group} to answer`);
      const response = respondToKeyShare(group, mine.keyExchange);
      secret = response.sharedSecret;
      share = serverKeyShare(group, response.keyExchange);
    }
    const extensions = [
      selectedVersion(0x0304),
      ...(share ? [share] : []),
      ...(options.serverHelloExtensions ?? []),
    ];
    const sh = encodeServerHello(this.serverHello({ extensions, version: 0x0304, ...options.edit }));
    const out = [tlsRecord(22, sh)];
    if (!secret || options.after === 'nothing') return concatBytes(...out);
    const suite = options.edit?.cipherSuite ?? 0x1301;
    const params = cipherSuiteParams(suite);
    const transcript = this.retryMessage
      ? Transcript.afterHelloRetryRequest(params.hash, this.helloMessages[0], this.retryMessage).update(
          this.helloMessages[1],
        )
      : new Transcript(params.hash).update(this.helloMessages[0]);
    transcript.update(sh);
    const secrets = handshakeSecrets(params.hash, secret, transcript.digest());
    const server = createRecordProtection(params, secrets.serverHandshakeTrafficSecret);
    this.client = createRecordProtection(params, secrets.clientHandshakeTrafficSecret);
    const w = new Writer(64);
    encodeExtensions(w, options.encryptedExtensions ?? []);
    const ee = encodeHandshake(HANDSHAKE_TYPES.encrypted_extensions, w.finish());
    transcript.update(ee);
    out.push(encryptRecord(server, 22, ee).record);
    for (const m of options.beforeFinished ?? []) {
      transcript.update(m);
      out.push(encryptRecord(server, 22, m).record);
    }
    const after = options.after ?? 'finished';
    if (after === 'finished') {
      const verify = finishedVerifyData(
        params.hash,
        secrets.serverHandshakeTrafficSecret,
        transcript.digest(),
      );
      out.push(encryptRecord(server, 22, encodeHandshake(HANDSHAKE_TYPES.finished, verify)).record);
    } else {
      out.push(encryptRecord(server, 21, Uint8Array.of(2, after.alert)).record);
    }
    return concatBytes(...out);
  }

  /** Reads a record the client sent after its hello (an alert, plain or encrypted). */
  clientRecord(contentType: number, header: Uint8Array, fragment: Uint8Array): void {
    if (contentType === 21 && fragment.length >= 2)
      this.clientAlerts.push({ level: fragment[0], description: fragment[1], encrypted: false });
    if (contentType === 23 && this.client) {
      try {
        const inner = decryptRecord(this.client, header, fragment);
        if (inner.contentType === 21)
          this.clientAlerts.push({ level: inner.content[0], description: inner.content[1], encrypted: true });
      } catch {
        // not for the handshake key: nothing the tests read
      }
    }
  }
}

/** A TLS 1.2 ServerHello random that ends in the TLS 1.2 downgrade sentinel. */
export const DOWNGRADED_RANDOM: Uint8Array = concatBytes(
  Uint8Array.from({ length: 24 }, (_, i) => 0x40 + i),
  DOWNGRADE_SENTINELS.tls12,
);

/** What a scenario writes for the n-th ClientHello (0-based); null writes nothing. */
export type Scenario = (exchange: Exchange, n: number) => Uint8Array | null;

/** A running scripted server. */
export interface Responder {
  readonly target: string;
  /** The exchange of the most recent connection. */
  exchange(): Exchange;
  close(): Promise<void>;
}

/** Starts a scripted server for `scenario` on 127.0.0.1 (a free port). */
export async function startResponder(scenario: Scenario): Promise<Responder> {
  const sockets = new Set<Socket>();
  let last = new Exchange();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    const exchange = new Exchange();
    last = exchange;
    const deframer = new RecordDeframer({ strict: false, detectNotTls: false });
    const reassembler = new HandshakeReassembler();
    socket.on('data', (chunk: Buffer) => {
      let records: ReturnType<RecordDeframer['push']>;
      try {
        records = deframer.push(new Uint8Array(chunk));
      } catch {
        socket.destroy();
        return;
      }
      for (const r of records) {
        if (r.contentType !== 22) {
          exchange.clientRecord(
            r.contentType,
            Uint8Array.of(
              r.contentType,
              r.version >> 8,
              r.version & 0xff,
              r.fragment.length >> 8,
              r.fragment.length & 0xff,
            ),
            r.fragment,
          );
          continue;
        }
        // A hello the responder cannot read (a fuzzer's mangled lengths) ends the connection,
        // as a real server's would.
        try {
          for (const m of reassembler.push(r.fragment)) {
            if (m.msgType !== HANDSHAKE_TYPES.client_hello) continue;
            exchange.hellos.push(parseClientHello(m.raw, { strict: false }));
            exchange.helloMessages.push(m.raw);
            const answer = scenario(exchange, exchange.hellos.length - 1);
            if (answer && !socket.destroyed) socket.write(answer);
          }
        } catch {
          socket.destroy();
          return;
        }
      }
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('responder has no port');
  return {
    target: `127.0.0.1:${address.port}`,
    exchange: () => last,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}
