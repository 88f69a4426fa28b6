/**
 * `hellokit/browser`: the core (everything `hellokit` exports) plus {@link inspect}, and
 * {@link webSocketDuplex} for probing from a page through a WebSocket-to-TCP bridge, bundled as
 * one minified ES module (dist/browser/hellokit.js) for pages that load no npm tooling.
 * The `/inspect` page of `hellokit serve` runs on it.
 */

export * from './index.ts';
export * from './inspect/index.ts';
export { type WebSocketEventLike, type WebSocketLike, webSocketDuplex } from './web-socket-duplex.ts';
