// How the files in this folder were captured (run by hand with node, not part of the tests).
//
//   node capture.mjs client-hello <out> [openssl s_client flags...]
//     listens on 127.0.0.1, runs `openssl s_client -connect 127.0.0.1:PORT -servername x.test <flags>`
//     and writes the first bytes the client sent (its whole first flight, read for 1 s).
//   node capture.mjs server-flight <out> <clienthello.bin> [openssl s_server flags...]
//     runs `openssl s_server -accept 127.0.0.1:PORT -cert cert.pem -key key.pem <flags>`,
//     sends the stored ClientHello and writes what the server answered within 1 s.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';

const [mode, out, ...rest] = process.argv.slice(2);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

if (mode === 'client-hello') {
  const chunks = [];
  const server = net.createServer((sock) => {
    sock.on('data', (d) => chunks.push(d));
    setTimeout(() => {
      writeFileSync(out, Buffer.concat(chunks));
      sock.destroy();
      server.close();
      child.kill();
    }, 1000);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const port = server.address().port;
  const child = spawn(
    'openssl',
    ['s_client', '-connect', `127.0.0.1:${port}`, '-servername', 'x.test', ...rest],
    {
      stdio: ['pipe', 'ignore', 'ignore'],
    },
  );
} else if (mode === 'server-flight') {
  const [helloFile, ...flags] = rest;
  const port = 20000 + Math.floor(Math.random() * 20000);
  const child = spawn(
    'openssl',
    [
      's_server',
      '-accept',
      `127.0.0.1:${port}`,
      '-cert',
      '/tmp/hk/cert.pem',
      '-key',
      '/tmp/hk/key.pem',
      ...flags,
    ],
    { stdio: ['pipe', 'ignore', 'ignore'] },
  );
  await sleep(700);
  const chunks = [];
  const sock = net.connect(port, '127.0.0.1', () => sock.write(readFileSync(helloFile)));
  sock.on('data', (d) => chunks.push(d));
  await sleep(1000);
  writeFileSync(out, Buffer.concat(chunks));
  sock.destroy();
  child.kill();
}
