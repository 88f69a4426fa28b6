import { toHex } from './hex.ts';

/**
 * A JSON-ready copy of a decoded value: bytes become lower-case hex strings, bigints decimal
 * strings, Maps objects; `exclude` names keys to leave out (e.g. `raw`).
 * @example JSON.stringify(jsonView({ random: new Uint8Array([1, 2]) })) // '{"random":"0102"}'
 */
export function jsonView(value: unknown, exclude: ReadonlySet<string> = new Set()): unknown {
  if (value instanceof Uint8Array) return toHex(value);
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map((v) => jsonView(v, exclude));
  if (value instanceof Map)
    return Object.fromEntries([...value].map(([k, v]) => [String(k), jsonView(v, exclude)]));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined || exclude.has(k)) continue;
      out[k] = jsonView(v, exclude);
    }
    return out;
  }
  return value;
}

/** Pretty JSON with a trailing newline. */
export function jsonText(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
