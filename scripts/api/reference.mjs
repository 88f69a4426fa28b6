// Writes the "Every export, by layer" part of docs/api.md from the three entry points, so the
// list is the code's own: each value with the first line of its doc comment, then the types.
// Run: node scripts/api/reference.mjs   (test/public-api.test.ts checks the page lists every value)
import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

const root = join(import.meta.dirname, '..', '..');
const page = join(root, 'docs', 'api.md');
const START = '<!-- reference:start (written by scripts/api/reference.mjs) -->';
const END = '<!-- reference:end -->';
const ENTRY_POINTS = [
  ['hellokit', 'src/index.ts'],
  ['hellokit/node', 'src/node/index.ts'],
  ['hellokit/arbitraries', 'src/arbitraries/index.ts'],
];

const config = ts.getParsedCommandLineOfConfigFile(
  join(root, 'tsconfig.json'),
  {},
  { ...ts.sys, onUnRecoverableConfigFileDiagnostic() {} },
);
const program = ts.createProgram(
  ENTRY_POINTS.map(([, file]) => join(root, file)),
  { ...config.options, noEmit: true },
);
const checker = program.getTypeChecker();

function kindOf(flags) {
  if (flags & ts.SymbolFlags.Class) return 'value';
  if (flags & (ts.SymbolFlags.Function | ts.SymbolFlags.Variable)) return 'value';
  return 'type';
}

/** The layer a declaration belongs to: its folder under src/ (src/node for hellokit/node). */
function layerOf(file) {
  const parts = relative(join(root, 'src'), file).split('/');
  return parts.length > 1 ? parts[0] : 'index';
}

/** The first sentence-line of a layer's index.ts header comment. */
function layerSummary(layer) {
  try {
    const text = readFileSync(join(root, 'src', layer, 'index.ts'), 'utf8');
    const m = /^\/\*\*\s*([\s\S]*?)\*\//.exec(text);
    return m ? m[1].replace(/\n\s*\*\s?/g, ' ').trim() : '';
  } catch {
    return '';
  }
}

const cell = (s) => s.replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim();
const lines = [];
for (const [entry, file] of ENTRY_POINTS) {
  const source = program.getSourceFile(join(root, file));
  const layers = new Map();
  for (const exported of checker.getExportsOfModule(checker.getSymbolAtLocation(source))) {
    const target = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    const declaration = target.declarations?.[0];
    if (!declaration) continue;
    const layer =
      entry === 'hellokit' ? layerOf(declaration.getSourceFile().fileName) : entry.replace('hellokit/', '');
    if (!layers.has(layer)) layers.set(layer, { values: [], types: [] });
    const doc = ts.displayPartsToString(target.getDocumentationComment(checker)).split(/\n\s*\n/)[0];
    const deprecated = target.getJsDocTags(checker).some((t) => t.name === 'deprecated');
    const row = { name: exported.name, doc: `${deprecated ? '**Deprecated.** ' : ''}${cell(doc)}` };
    layers.get(layer)[kindOf(target.flags) === 'value' ? 'values' : 'types'].push(row);
  }
  lines.push(`### \`${entry}\``, '');
  for (const layer of [...layers.keys()].sort()) {
    const { values, types } = layers.get(layer);
    if (entry === 'hellokit') {
      lines.push(`#### ${layer} (src/${layer})`, '');
      const summary = layerSummary(layer);
      if (summary) lines.push(summary, '');
    }
    if (values.length > 0) {
      lines.push('| name | what it is |', '| --- | --- |');
      for (const v of values.sort((a, b) => a.name.localeCompare(b.name)))
        lines.push(`| \`${v.name}\` | ${v.doc} |`);
      lines.push('');
    }
    if (types.length > 0) {
      lines.push(
        `Types: ${types
          .map((t) => `\`${t.name}\``)
          .sort((a, b) => a.localeCompare(b))
          .join(', ')}.`,
        '',
      );
    }
  }
}

const text = readFileSync(page, 'utf8');
const start = text.indexOf(START);
const end = text.indexOf(END);
if (start < 0 || end < start) throw new Error(`${relative(root, page)}: no ${START} … ${END} markers`);
writeFileSync(page, `${text.slice(0, start + START.length)}\n\n${lines.join('\n')}\n${text.slice(end)}`);
console.log(`${relative(root, page)}: reference of ${ENTRY_POINTS.length} entry points written`);
