#!/usr/bin/env node
// Pulls the raw ClientHello handshake messages out of the JA4 conformance captures with
// tshark and writes them, with the fingerprints the reference JA4 tool and tshark report
// for them, to test/fingerprint/data/ja4-conformance.json.
//
// Usage: node scripts/fingerprint/extract-ja4-fixtures.mjs [CONFORMANCE_DIR]
// (default /work/shared/conformance/ja4). Needs tshark (4.0 or later) on PATH.
//
// Only TCP streams are kept (the reference output for the QUIC captures describes their
// TCP streams), and of those one ClientHello per distinct JA4 value, so
// the fixture stays small while still covering every shape of hello in the captures.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = process.argv[2] ?? '/work/shared/conformance/ja4';
const out = join(here, '..', '..', 'test', 'fingerprint', 'data', 'ja4-conformance.json');
const filter = 'tls.handshake.type == 1 && tcp';

function tshark(args) {
  return execFileSync('tshark', args, {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
}

/** Every ClientHello handshake message (type 1) carried in a run of TLS records. */
function clientHellos(recordsHex) {
  const bytes = Buffer.from(recordsHex, 'hex');
  let handshake = Buffer.alloc(0);
  for (let at = 0; at + 5 <= bytes.length; ) {
    const length = bytes.readUInt16BE(at + 3);
    if (bytes[at] === 22) handshake = Buffer.concat([handshake, bytes.subarray(at + 5, at + 5 + length)]);
    at += 5 + length;
  }
  const found = [];
  for (let at = 0; at + 4 <= handshake.length; ) {
    const length = handshake.readUIntBE(at + 1, 3);
    if (handshake[at] === 1 && at + 4 + length <= handshake.length) {
      found.push(handshake.subarray(at, at + 4 + length).toString('hex'));
    }
    at += 4 + length;
  }
  return found;
}

function rawOf(value) {
  // tshark -x gives [hex, offset, length, bitmask, type], or a list of those.
  if (!Array.isArray(value)) return [];
  return Array.isArray(value[0]) ? value.map((v) => v[0]) : [value[0]];
}

const fixtures = [];
const seen = new Set();
for (const name of readdirSync(join(root, 'pcap')).sort()) {
  const expected = JSON.parse(readFileSync(join(root, 'expected', `${name}.json`), 'utf8'));
  const pcap = join(root, 'pcap', name);
  const fields = tshark([
    '-r',
    pcap,
    '-Y',
    filter,
    '-T',
    'fields',
    '-E',
    'separator=\t',
    '-e',
    'tcp.stream',
    '-e',
    'tls.handshake.ja3',
    '-e',
    'tls.handshake.ja3_full',
  ])
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => line.split('\t'));
  const packets = JSON.parse(tshark(['-r', pcap, '-Y', filter, '-T', 'json', '-x', '-j', 'tls']));
  if (packets.length !== fields.length) throw new Error(`${name}: tshark runs disagree on the packet count`);
  const perStream = new Map();
  packets.forEach((packet, i) => {
    const [stream, ja3s, ja3Fulls] = fields[i];
    const hellos = rawOf(packet._source.layers.tls_raw).flatMap(clientHellos);
    const ja3List = ja3s.split(',');
    // ja3_full contains commas itself; tshark separates occurrences with ',' too, so
    // only single-hello packets carry a usable ja3_full.
    hellos.forEach((helloHex, k) => {
      const index = (perStream.get(stream) ?? 0) + 1;
      perStream.set(stream, index);
      const entry = expected.find((e) => String(e.stream) === stream);
      if (!entry || entry[`JA4.${index}`] === undefined) return;
      const fixture = {
        capture: name,
        stream: Number(stream),
        index,
        domain: entry.domain ?? null,
        ja4: entry[`JA4.${index}`],
        ja4_r: entry[`JA4_r.${index}`],
        ja4_o: entry[`JA4_o.${index}`],
        ja4_ro: entry[`JA4_ro.${index}`],
        ja3: ja3List[k] ?? null,
        ja3Full: hellos.length === 1 ? ja3Fulls : null,
        hello: helloHex,
      };
      const key = fixture.ja4;
      if (seen.has(key)) return;
      seen.add(key);
      fixtures.push(fixture);
    });
  });
}
writeFileSync(out, `${JSON.stringify(fixtures, null, 1)}\n`);
console.log(`wrote ${fixtures.length} fixtures to ${out} from ${basename(root)}`);
