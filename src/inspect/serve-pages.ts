/**
 * What `hellokit serve` answers, by path and by client: the text page (curl, s_client), the
 * HTML page (browsers), the full JSON (`/json`, `/api/all`) and the stable fingerprints
 * alone (`/api/clean`). Every view is built from one {@link ServedClient}.
 */
import type { KnownClient } from '../builder/presets/index.ts';
import { isGrease } from '../fingerprint/grease.ts';
import type { ClientHelloSummary } from '../fingerprint/hello-summary.ts';
import type { Http2Preface, Http2Priority } from '../fingerprint/http2.ts';
import type { ClientHello } from '../handshake/types.ts';
import {
  cipherSuiteName,
  extensionTypeName,
  groupName,
  signatureSchemeName,
  versionName,
} from '../iana/lookup.ts';
import { annotateText } from './annotate.ts';

/** The HTTP side of a connection, when the client sent a request. */
export interface ServedHttp {
  /** `h2` or `http/1.1`. */
  readonly version: 'h2' | 'http/1.1';
  readonly method: string;
  readonly path: string;
  /** Request header names in the order sent (pseudo-headers first for HTTP/2). */
  readonly headerNames: readonly string[];
  readonly userAgent: string | null;
  /** HTTP/2 only: what the client sent before its first request. */
  readonly preface?: Http2Preface;
  /** HTTP/2 only: the Akamai fingerprint and its MD5. */
  readonly akamai?: { readonly text: string; readonly hash: string };
}

/** Everything serve knows about one client. */
export interface ServedClient {
  readonly remote: string;
  readonly hello: ClientHello;
  /** The hello's records as received. */
  readonly helloBytes: Uint8Array;
  readonly records: number;
  /** The `decode --json` view of the hello (wire-order lists, GREASE kept, JA3/JA4). */
  readonly view: ClientHelloSummary;
  readonly knownClients: readonly KnownClient[];
  readonly http: ServedHttp | null;
}

/** The `schema` field of the JSON answers. */
export const SERVE_SCHEMA = 'hellokit.serve/1';
export const SERVE_CLEAN_SCHEMA = 'hellokit.serve-clean/1';

function priorityText(p: Http2Priority): string {
  return `stream ${p.streamId} depends on ${p.dependsOn}${p.exclusive ? ' (exclusive)' : ''}, weight ${p.weight}`;
}

function httpJson(http: ServedHttp | null): Record<string, unknown> | null {
  if (!http) return null;
  return {
    version: http.version,
    method: http.method,
    path: http.path,
    userAgent: http.userAgent,
    headerOrder: http.headerNames,
    ...(http.preface
      ? {
          settings: http.preface.settings,
          windowUpdate: http.preface.windowUpdate,
          priorities: http.preface.priorities,
          headersPriority: http.preface.headersPriority,
        }
      : {}),
    ...(http.akamai ? { akamai: http.akamai.text, akamaiHash: http.akamai.hash } : {}),
  };
}

/** `/json` and `/api/all`: everything, in the `serve` schema. */
export function servedJson(c: ServedClient): Record<string, unknown> {
  return {
    schema: SERVE_SCHEMA,
    remote: c.remote,
    tls: { helloLength: c.helloBytes.length, records: c.records, hello: c.view },
    http: httpJson(c.http),
    knownClients: c.knownClients,
  };
}

/** `/api/clean`: the fingerprints that stay the same from one connection of a client to the next. */
export function servedCleanJson(c: ServedClient): Record<string, unknown> {
  return {
    schema: SERVE_CLEAN_SCHEMA,
    ja3: c.view.ja3,
    ja3Full: c.view.ja3Full,
    ja4: c.view.ja4,
    ja4_r: c.view.ja4_r,
    ja4_o: c.view.ja4_o,
    ja4_ro: c.view.ja4_ro,
    akamai: c.http?.akamai?.text ?? null,
    akamaiHash: c.http?.akamai?.hash ?? null,
    knownClients: c.knownClients,
  };
}

const hex4 = (n: number) => `0x${n.toString(16).padStart(4, '0')}`;
const nums = (
  view: ClientHelloSummary,
  key: 'supportedVersions' | 'supportedGroups' | 'keyShareGroups' | 'signatureAlgorithms',
): number[] => view[key];

/** The plain-text page (curl, openssl s_client). */
export function servedText(c: ServedClient): string {
  const { hello, view } = c;
  const row = (label: string, value: string) => `  ${label.padEnd(20)} ${value}`;
  const lines = [
    `Your ClientHello: ${c.helloBytes.length} bytes in ${c.records} record${c.records === 1 ? '' : 's'}`,
    '',
    row('server name', String(view.serverName ?? '(none)')),
    row('legacy_version', versionName(hello.legacyVersion)),
    row('supported versions', nums(view, 'supportedVersions').map(versionName).join(', ') || '(none)'),
    row('ALPN', ((view.alpn as string[]) ?? []).join(', ') || '(none)'),
    row('groups', nums(view, 'supportedGroups').map(groupName).join(', ') || '(none)'),
    row('key shares', nums(view, 'keyShareGroups').map(groupName).join(', ') || '(none)'),
    row(
      'signature algorithms',
      nums(view, 'signatureAlgorithms').map(signatureSchemeName).join(', ') || '(none)',
    ),
    `  cipher suites (${hello.cipherSuites.length}):`,
    ...hello.cipherSuites.map((s) => `    ${hex4(s)} ${cipherSuiteName(s)}`),
    `  extensions (${(hello.extensions ?? []).length}):`,
    ...(hello.extensions ?? []).map(
      (e) => `    ${String(e.type).padStart(5)} ${extensionTypeName(e.type)} (${e.body.length} bytes)`,
    ),
    '',
    row('JA3', String(view.ja3)),
    row('JA3 (full)', String(view.ja3Full)),
    row('JA4', String(view.ja4)),
    row('JA4_r', String(view.ja4_r)),
    row('JA4_o', String(view.ja4_o)),
    row('JA4_ro', String(view.ja4_ro)),
    ...(c.http?.akamai
      ? [row('HTTP/2 (Akamai)', c.http.akamai.text), row('HTTP/2 hash', c.http.akamai.hash)]
      : []),
    ...(c.http ? [row('HTTP', `${c.http.version} ${c.http.method} ${c.http.path}`)] : []),
    ...c.knownClients.map((k) =>
      row('looks like', `${k.client} (hellokit's ${k.preset} preset has the same JA4)`),
    ),
    '',
  ];
  return lines.join('\n');
}

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
function esc(text: unknown): string {
  return String(text).replace(/[&<>"']/g, (ch) => ESCAPES[ch]);
}

function codeRows(codes: readonly number[], name: (code: number) => string): string {
  return codes
    .map((code) => {
      const grease = isGrease(code);
      return `<tr${grease ? ' class="grease"' : ''}><td><code>${hex4(code)}</code></td><td>${esc(grease ? 'GREASE' : name(code))}</td></tr>`;
    })
    .join('');
}

function section(title: string, count: number | null, body: string): string {
  return `<section><h2>${esc(title)}${count === null ? '' : ` <small>(${count})</small>`}</h2>${body}</section>`;
}

function table(head: readonly string[], rows: string): string {
  return `<div class="scroll"><table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows}</tbody></table></div>`;
}

/** The style of serve's pages (the HTML page and /inspect). */
export const STYLE = `
:root{color-scheme:light dark;--fg:#1b1f23;--bg:#fff;--muted:#667;--line:#d0d7de;--accent:#0b6bcb;--grease:#8a5a00}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--bg:#0d1117;--muted:#8b949e;--line:#30363d;--accent:#58a6ff;--grease:#d29922}}
*{box-sizing:border-box}body{margin:0 auto;max-width:72rem;padding:1rem;font:15px/1.45 system-ui,sans-serif;color:var(--fg);background:var(--bg)}
h1{font-size:1.4rem;margin:.2rem 0 1rem}h2{font-size:1.1rem;margin:1.6rem 0 .5rem}small{color:var(--muted);font-weight:normal}
code,pre,.fp{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.85rem}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.25rem .5rem;border-bottom:1px solid var(--line);vertical-align:top}
th{color:var(--muted);font-weight:600}.scroll{overflow-x:auto}tr.grease td{color:var(--grease)}
.fp{word-break:break-all}button{font:inherit;font-size:.8rem;padding:.1rem .5rem;border:1px solid var(--line);border-radius:.3rem;background:transparent;color:var(--accent);cursor:pointer}
.match{padding:.6rem .8rem;border:1px solid var(--line);border-radius:.4rem;margin:.5rem 0}
pre{overflow-x:auto;padding:.6rem;border:1px solid var(--line);border-radius:.4rem;max-height:32rem}
@media (max-width:40rem){body{padding:.6rem;font-size:14px}th,td{padding:.2rem .3rem}}`;

const SCRIPT = `document.addEventListener('click',function(e){var b=e.target.closest('button[data-copy]');if(!b)return;var t=document.getElementById(b.dataset.copy).textContent;navigator.clipboard.writeText(t).then(function(){b.textContent='copied';setTimeout(function(){b.textContent='copy'},1200)})});`;

/** The HTML page for a browser: one self-contained document, no external assets. */
export function servedHtml(c: ServedClient): string {
  const { hello, view } = c;
  const fingerprints: [string, string, unknown][] = [
    ['ja4', 'JA4', view.ja4],
    ['ja4_r', 'JA4_r', view.ja4_r],
    ['ja4_o', 'JA4_o', view.ja4_o],
    ['ja4_ro', 'JA4_ro', view.ja4_ro],
    ['ja3', 'JA3', view.ja3],
    ['ja3full', 'JA3 (full)', view.ja3Full],
    ...(c.http?.akamai
      ? ([
          ['akamai', 'HTTP/2 (Akamai)', c.http.akamai.text],
          ['akamaihash', 'HTTP/2 hash', c.http.akamai.hash],
        ] as [string, string, unknown][])
      : []),
  ];
  const fpRows = fingerprints
    .map(
      ([id, label, value]) =>
        `<tr><th>${esc(label)}</th><td class="fp" id="fp-${id}">${esc(value)}</td><td><button type="button" data-copy="fp-${id}">copy</button></td></tr>`,
    )
    .join('');
  const match =
    c.knownClients.length > 0
      ? c.knownClients
          .map(
            (k) =>
              `<div class="match">Looks like <b>${esc(k.client)}</b> (hellokit's <code>${esc(k.preset)}</code> preset has the same JA4)</div>`,
          )
          .join('')
      : '<div class="match">No known client among hellokit\'s presets has this JA4.</div>';
  const summary: [string, string][] = [
    ['server name', String(view.serverName ?? '(none)')],
    ['legacy_version', versionName(hello.legacyVersion)],
    [
      'supported versions',
      nums(view, 'supportedVersions')
        .map((v) => (isGrease(v) ? 'GREASE' : versionName(v)))
        .join(', ') || '(none)',
    ],
    ['ALPN', ((view.alpn as string[]) ?? []).join(', ') || '(none)'],
    [
      'key shares',
      nums(view, 'keyShareGroups')
        .map((g) => (isGrease(g) ? 'GREASE' : groupName(g)))
        .join(', ') || '(none)',
    ],
    ...(c.http
      ? ([['HTTP', `${c.http.version} ${c.http.method} ${c.http.path}`]] as [string, string][])
      : []),
    ...(c.http?.userAgent ? ([['User-Agent', c.http.userAgent]] as [string, string][]) : []),
  ];
  const extensions = (hello.extensions ?? [])
    .map((e) => {
      const grease = isGrease(e.type);
      return `<tr${grease ? ' class="grease"' : ''}><td><code>${e.type}</code></td><td>${esc(grease ? 'GREASE' : extensionTypeName(e.type))}</td><td>${e.body.length}</td></tr>`;
    })
    .join('');
  const h2 = c.http?.preface
    ? section(
        'HTTP/2 frames before the request',
        null,
        table(
          ['frame', 'value'],
          [
            ...c.http.preface.settings.map(
              (s) => `<tr><td>SETTINGS ${s.id}</td><td><code>${s.value}</code></td></tr>`,
            ),
            `<tr><td>WINDOW_UPDATE</td><td><code>${esc(c.http.preface.windowUpdate ?? '(none)')}</code></td></tr>`,
            ...c.http.preface.priorities.map(
              (p) => `<tr><td>PRIORITY</td><td>${esc(priorityText(p))}</td></tr>`,
            ),
            `<tr><td>pseudo-header order</td><td><code>${esc(c.http.headerNames.filter((n) => n.startsWith(':')).join(' '))}</code></td></tr>`,
          ].join(''),
        ),
      )
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Your TLS ClientHello — hellokit serve</title><style>${STYLE}</style></head>
<body><h1>Your TLS ClientHello <small>${c.helloBytes.length} bytes in ${c.records} record${c.records === 1 ? '' : 's'}, from ${esc(c.remote)}</small></h1>
${match}
${section('Fingerprints', null, `<div class="scroll"><table><tbody>${fpRows}</tbody></table></div>`)}
${section('Hello', null, table(['field', 'value'], summary.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join('')))}
${section('Cipher suites', hello.cipherSuites.length, table(['code', 'name'], codeRows(hello.cipherSuites, cipherSuiteName)))}
${section('Extensions', (hello.extensions ?? []).length, table(['type', 'name', 'bytes'], extensions))}
${section('Supported groups', nums(view, 'supportedGroups').length, table(['code', 'name'], codeRows(nums(view, 'supportedGroups'), groupName)))}
${section('Signature algorithms', nums(view, 'signatureAlgorithms').length, table(['code', 'name'], codeRows(nums(view, 'signatureAlgorithms'), signatureSchemeName)))}
${h2}
${section('Every byte', null, `<pre>${esc(annotateText(c.helloBytes))}</pre>`)}
<p><small>JSON: <a href="/json">/json</a> · stable fingerprints: <a href="/api/clean">/api/clean</a> · made by hellokit serve</small></p>
<script>${SCRIPT}</script></body></html>
`;
}
