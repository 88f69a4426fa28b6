/**
 * Lint before send: probe and fuzz lint the hello they are about to send and print what is
 * wrong with it before the answer (stderr), or list it as `helloProblems` in --json. The
 * server is a real `openssl s_server` on loopback; the hello's flaw is one a user can type:
 * an IP address as --sni (RFC 6066 §3 forbids it; OpenSSL answers all the same).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cli } from '../cli/run.ts';
import { describePeer, type Peer, startPeer, stopAll } from '../peers/index.ts';

const NAME = 'hellokit.test';
const WARNING =
  'warning: hello: error sni_ip_literal client_hello.extensions.server_name.server_name_list[0].host_name: host_name "127.0.0.1" is an IP literal (RFC 6066 §3)\n';

describePeer('openssl', () => {
  let peer: Peer;
  beforeAll(async () => {
    peer = await startPeer('openssl', { names: [NAME] });
  });
  afterAll(stopAll);

  it('probe prints the hello problem as a warning line on stderr, then the answer', async () => {
    const { code, stdout, stderr } = await cli(['probe', `${peer.host}:${peer.port}`, '--sni', '127.0.0.1']);
    expect(code).toBe(0);
    expect(stderr).toBe(WARNING);
    expect(stdout).toMatch(/^= /m);
  });

  it('probe --json lists it as helloProblems', async () => {
    const { code, stdout, stderr } = await cli([
      'probe',
      `${peer.host}:${peer.port}`,
      '--sni',
      '127.0.0.1',
      '--json',
    ]);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    const json = JSON.parse(stdout);
    expect(json.outcome).toBe('server_hello');
    expect(json.helloProblems).toEqual([
      {
        rule: 'sni_ip_literal',
        severity: 'error',
        path: 'client_hello.extensions.server_name.server_name_list[0].host_name',
        message: 'host_name "127.0.0.1" is an IP literal',
        rfc: 'RFC 6066 §3',
      },
    ]);
  });

  it('a clean hello has no warning line and no helloProblems', async () => {
    const human = await cli(['probe', `${peer.host}:${peer.port}`, '--sni', NAME]);
    expect([human.code, human.stderr]).toEqual([0, '']);
    const json = JSON.parse(
      (await cli(['probe', `${peer.host}:${peer.port}`, '--sni', NAME, '--json'])).stdout,
    );
    expect(json.outcome).toBe('server_hello');
    expect(json).not.toHaveProperty('helloProblems');
  });

  it('fuzz lints its seed hello (not the cases, which are broken on purpose)', async () => {
    const target = `${peer.host}:${peer.port}`;
    const json = JSON.parse(
      (await cli(['fuzz', target, '--runs', '3', '--seed', 'lint', '--sni', '127.0.0.1', '--json'])).stdout,
    );
    expect(json.helloProblems.map((p: { rule: string }) => p.rule)).toEqual(['sni_ip_literal']);
    const clean = JSON.parse(
      (await cli(['fuzz', target, '--runs', '3', '--seed', 'lint', '--sni', NAME, '--json'])).stdout,
    );
    expect(clean.cases).toHaveLength(3);
    expect(clean).not.toHaveProperty('helloProblems');
  });

  it('diagnose lints the hello its --sni shapes', async () => {
    const target = `${peer.host}:${peer.port}`;
    const { code, stdout } = await cli(['diagnose', target, '--sni', '127.0.0.1', '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).helloProblems.map((p: { rule: string }) => p.rule)).toEqual(['sni_ip_literal']);
  });
});
