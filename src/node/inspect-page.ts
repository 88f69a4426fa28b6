/**
 * `/inspect` on `hellokit serve`: a page that decodes pasted hex or base64, or a dropped
 * `.bin`, `.pcap` or `.pcapng` file, in the browser with the browser bundle of hellokit
 * (`hellokit/browser`, dist/browser/hellokit.js). Serve hosts the three files itself
 * (`/inspect`, `/inspect/inspect.js`, `/inspect/hellokit.js`); the page's content security
 * policy forbids it any connection, so nothing the user gives it leaves the browser.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { STYLE } from '../inspect/serve-pages.ts';

/** An answer to one request (serve's shape). */
interface InspectAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** Most bytes the page reads from a dropped file. */
const MAX_FILE_BYTES = 64 * 1024 * 1024;

/** Scripts from serve itself, styles inline, no connection of any kind. */
const CSP =
  "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; connect-src 'none'; img-src 'none'; form-action 'none'; base-uri 'none'";

/**
 * The browser bundle `npm run build` writes (dist/browser/hellokit.js in the package, found
 * from this module's place whether it runs from src/, dist/ or the CLI bundle), or null
 * when it is not built.
 */
export function readBrowserBundle(path?: string): string | null {
  let file = path;
  if (file === undefined) {
    for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
      if (existsSync(join(dir, 'package.json'))) {
        file = join(dir, 'dist', 'browser', 'hellokit.js');
        break;
      }
      if (dirname(dir) === dir) return null;
    }
  }
  return existsSync(file) ? readFileSync(file, 'utf8') : null;
}

/** What `/inspect` and its two scripts answer; null for any other path. */
export function inspectAnswer(path: string, bundle: string | null): InspectAnswer | null {
  if (path !== '/inspect' && path !== '/inspect/' && !path.startsWith('/inspect/')) return null;
  if (bundle === null)
    return {
      status: 503,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
      body: 'the inspector needs the browser bundle, which is not built: `npm run build` writes dist/browser/hellokit.js\n',
    };
  const script = (body: string) => ({
    status: 200,
    headers: { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache' },
    body,
  });
  if (path === '/inspect/hellokit.js') return script(bundle);
  if (path === '/inspect/inspect.js') return script(PAGE_SCRIPT);
  if (path === '/inspect' || path === '/inspect/')
    return {
      status: 200,
      headers: {
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': CSP,
        'referrer-policy': 'no-referrer',
      },
      body: INSPECT_HTML,
    };
  return {
    status: 404,
    headers: { 'content-type': 'text/plain; charset=utf-8' },
    body: `not found: ${path} (try /inspect)\n`,
  };
}

const INSPECT_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Inspect a ClientHello — hellokit serve</title><style>${STYLE}
textarea{width:100%;min-height:8rem;font-family:ui-monospace,monospace;font-size:.85rem;color:var(--fg);background:var(--bg);border:1px solid var(--line);border-radius:.4rem;padding:.5rem}
#drop{border:2px dashed var(--line);border-radius:.4rem;padding:1rem;margin:.6rem 0;text-align:center;color:var(--muted)}#drop.over{border-color:var(--accent)}
.warn{color:var(--grease)}</style></head>
<body><h1>Inspect a ClientHello <small>decoded in this browser: nothing is uploaded</small></h1>
<p>Paste hex (<code>xxd -p</code>, Wireshark's copy as hex) or base64 of TLS records, a handshake message, or an SSLv2-compatible hello; or drop a <code>.bin</code>, <code>.pcap</code> or <code>.pcapng</code> file. A link of the form <code>/inspect#hex=…</code> or <code>#b64=…</code> opens with those bytes (the part after <code>#</code> is not sent to the server).</p>
<textarea id="input" spellcheck="false" placeholder="16 03 01 02 00 01 00 01 fc 03 03 …"></textarea>
<p><button type="button" id="go">Inspect</button> <label>or a file: <input type="file" id="file" accept=".bin,.pcap,.pcapng,.cap,.hex,.txt"></label></p>
<div id="drop">drop a .bin, .pcap or .pcapng file here (read locally, up to ${MAX_FILE_BYTES / 1024 / 1024} MiB)</div>
<p id="status" role="status"></p>
<div id="results" hidden>
<h2>Fingerprints</h2><div id="fingerprints"></div>
<h2>Lint problems</h2><div id="problems"></div>
<div id="warnings-section" hidden><h2>Warnings</h2><ul id="warnings" class="warn"></ul></div>
<h2>Decode tree</h2><pre id="tree"></pre>
<h2>Every byte</h2><pre id="annotated"></pre>
</div>
<p><small>Runs <a href="/inspect/hellokit.js">hellokit/browser</a> in this page · your own hello: <a href="/">/</a> · made by hellokit serve</small></p>
<script type="module" src="/inspect/inspect.js"></script></body></html>
`;

/** The page's own script: reads the input, calls `inspect`, fills the page (text only, no HTML from data). */
const PAGE_SCRIPT = `import { fromHexText, inspect, inspectInput, isHexText } from '/inspect/hellokit.js';
const $ = (id) => document.getElementById(id);
const MAX_FILE_BYTES = ${MAX_FILE_BYTES};
const el = (tag, text, attrs = {}) => { const e = document.createElement(tag); if (text !== undefined) e.textContent = text; for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v); return e; };
function fail(message) { $('status').textContent = message; $('results').hidden = true; }
function show(bytes, source) {
  const r = inspect(bytes);
  const n = r.hellos.length;
  $('status').textContent = source + ': ' + r.bytes + ' bytes, ' + r.format + ', ' + n + ' ClientHello' + (n === 1 ? '' : 's');
  const fps = $('fingerprints'); fps.replaceChildren();
  if (n === 0) fps.append(el('p', 'no ClientHello with fingerprints in this input'));
  r.hellos.forEach((h, i) => {
    if (n > 1 || h.where !== 'input') fps.append(el('h3', h.where));
    const table = el('table'); const body = el('tbody'); table.append(body);
    const rows = [['ja4', 'JA4', h.ja4], ['ja4_r', 'JA4_r', h.ja4_r], ['ja4_o', 'JA4_o', h.ja4_o], ['ja4_ro', 'JA4_ro', h.ja4_ro], ['ja3', 'JA3', h.ja3], ['ja3full', 'JA3 (full)', h.ja3Full],
      ['known', 'Known client', h.knownClients.length ? h.knownClients.map((k) => k.preset + ' (' + k.client + ')').join('; ') + ': the same JA4 as its captured hello' : 'none of the captured clients has this JA4']];
    for (const [id, label, value] of rows) { const tr = el('tr'); tr.append(el('th', label), el('td', value, { class: 'fp', id: id + '-' + i })); body.append(tr); }
    const wrap = el('div', undefined, { class: 'scroll' }); wrap.append(table); fps.append(wrap);
  });
  const problems = $('problems'); problems.replaceChildren();
  for (const h of r.hellos) {
    const list = el('ul');
    if (h.lintError) list.append(el('li', 'could not lint: ' + h.lintError));
    for (const p of h.problems) list.append(el('li', p.severity + ' ' + p.rule + ' ' + p.path + ': ' + p.message + ' (' + p.rfc + ')'));
    if (!list.children.length) list.append(el('li', 'none: the hello follows every rule validateClientHello checks'));
    if (n > 1) problems.append(el('h3', h.where));
    problems.append(list);
  }
  const warnings = $('warnings'); warnings.replaceChildren(...r.warnings.map((w) => el('li', w)));
  $('warnings-section').hidden = r.warnings.length === 0;
  $('tree').textContent = r.tree;
  $('annotated').textContent = r.annotated;
  $('results').hidden = false;
}
function runText(text, source) {
  let bytes;
  try { bytes = inspectInput(text); } catch (e) { return fail(source + ': ' + e.message); }
  try { show(bytes, source); } catch (e) { fail(source + ': ' + e.message); }
}
async function runFile(file) {
  if (file.size > MAX_FILE_BYTES) return fail(file.name + ' is ' + file.size + ' bytes, more than the ' + MAX_FILE_BYTES + '-byte limit');
  let bytes = new Uint8Array(await file.arrayBuffer());
  if (isHexText(bytes)) { try { bytes = fromHexText(bytes); } catch (e) { return fail(file.name + ' looks like hex text but ' + e.message); } }
  try { show(bytes, file.name); } catch (e) { fail(file.name + ': ' + e.message); }
}
function fromFragment() {
  const m = /^#(hex|b64)=([\\s\\S]*)$/.exec(location.hash);
  if (!m) return;
  let text;
  try { text = decodeURIComponent(m[2]); } catch { return fail('the link: its #' + m[1] + '= part is not valid percent-encoding'); }
  $('input').value = text;
  runText(text, 'the link');
}
$('go').addEventListener('click', () => runText($('input').value, 'the pasted text'));
$('file').addEventListener('change', (e) => { const f = e.target.files[0]; if (f) runFile(f); });
const drop = $('drop');
document.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
document.addEventListener('dragleave', () => drop.classList.remove('over'));
document.addEventListener('drop', (e) => { e.preventDefault(); drop.classList.remove('over'); const f = e.dataTransfer.files[0]; if (f) runFile(f); });
window.addEventListener('hashchange', fromFragment);
fromFragment();
`;
