import { describe, expect, test } from 'vitest';
import { candidateHellos } from '../../src/diagnose/plan.ts';
import { diagnose } from '../../src/diagnose/run.ts';
import type { ProbeAnswer, ProbeFn, ProbeSpec } from '../../src/diagnose/types.ts';

const TLS13_OK: ProbeAnswer = {
  outcome: 'server_hello',
  serverHello: {
    version: 0x0304,
    cipherSuite: 0x1301,
    cipherSuiteName: 'TLS_AES_128_GCM_SHA256',
    group: 0x1d,
    groupName: 'x25519',
    alpn: null,
  },
};
const TLS12_ECDSA_OK: ProbeAnswer = {
  outcome: 'server_hello',
  serverHello: {
    version: 0x0303,
    cipherSuite: 0xc02b,
    cipherSuiteName: 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
    group: 0x1d,
    groupName: 'x25519',
    alpn: null,
  },
};
const alert = (description: number, name: string): ProbeAnswer => ({
  outcome: 'alert',
  alert: { level: 2, description, name },
});

/**
 * A recorded server: what the demo server (needs SNI, ECDSA-only certificate, TLS 1.2+1.3,
 * OpenSSL) answered to each probe of the plan.
 */
function demoLike(spec: ProbeSpec): ProbeAnswer {
  if (spec.serverName !== 'demo.test') return alert(80, 'internal_error');
  if (Math.max(...spec.versions) < 0x0303) return alert(70, 'protocol_version');
  if (spec.id === 'group.X25519MLKEM768') return alert(40, 'handshake_failure');
  if (spec.alpn?.[0] === 'hellokit-x') return alert(120, 'no_application_protocol');
  if (!spec.versions.includes(0x0304)) {
    const ecdsa = spec.cipherSuites.some((s) =>
      [0xc02b, 0xc02c, 0xcca9, 0xc009, 0xc00a, 0xc023, 0xc024].includes(s),
    );
    return ecdsa ? TLS12_ECDSA_OK : alert(40, 'handshake_failure');
  }
  return TLS13_OK;
}

function fake(answer: (spec: ProbeSpec) => ProbeAnswer): ProbeFn {
  return async (spec) => answer(spec);
}

async function run(answer: (spec: ProbeSpec) => ProbeAnswer, serverName: string | null = 'demo.test') {
  return diagnose(fake(answer), { target: 'demo.test:443', serverName });
}

describe('diagnose interpretation', () => {
  test('a server that needs SNI gives sni_required with the alert seen without SNI and the outcome with it', async () => {
    const d = await run(demoLike);
    const f = d.findings.find((x) => x.id === 'sni_required');
    expect(f).toBeDefined();
    expect(f?.severity).toBe('error');
    expect(f?.alert).toEqual({ level: 2, description: 80, name: 'internal_error' });
    expect(f?.withSni).toBe('server_hello');
    expect(f?.withoutSni).toBe('alert');
    expect(f?.fix).toMatch(/SNI/);
    expect(f?.evidence.map((e) => e.probe)).toEqual(['baseline', 'sni.none', 'sni.unknown', 'sni.ip']);
    expect(d.findings[0].id).toBe('sni_required');
  });

  test('an ECDSA-only server gives tls12_auth with ECDSA accepted, RSA rejected and alert 40', async () => {
    const d = await run(demoLike);
    const f = d.findings.find((x) => x.id === 'tls12_auth');
    expect(f?.accepted).toEqual(['ECDSA']);
    expect(f?.rejected).toEqual(['RSA']);
    expect(f?.alert).toEqual({ level: 2, description: 40, name: 'handshake_failure' });
    expect(f?.severity).toBe('warning');
    expect(f?.explanation).toMatch(/only ECDSA/);
    expect(f?.fix).toMatch(/TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256/);
  });

  test('an unknown name or an IP literal answered like no SNI adds no finding of its own', async () => {
    const d = await run(demoLike);
    expect(d.findings.map((f) => f.id)).not.toContain('sni_unknown_name');
    expect(d.findings.map((f) => f.id)).not.toContain('sni_ip_literal');
  });

  test('versions lists what was accepted and rejected, and warns about TLS 1.0', async () => {
    const modern = await run(demoLike);
    const v = modern.findings.find((x) => x.id === 'versions');
    expect(v?.accepted).toEqual(['TLS 1.3', 'TLS 1.2']);
    expect(v?.rejected).toEqual(['TLS 1.1', 'TLS 1.0']);
    expect(v?.severity).toBe('info');
    const legacy = await run((spec) =>
      spec.versions[0] === 0x0301
        ? { ...TLS12_ECDSA_OK, serverHello: { ...TLS12_ECDSA_OK.serverHello!, version: 0x0301 } }
        : demoLike(spec),
    );
    const w = legacy.findings.find((x) => x.id === 'versions');
    expect(w?.accepted).toEqual(['TLS 1.3', 'TLS 1.2', 'TLS 1.0']);
    expect(w?.severity).toBe('warning');
    expect(w?.explanation).toMatch(/deprecated/);
  });

  test('a server that answers without SNI too gives sni_optional, not sni_required', async () => {
    const d = await run((spec) => demoLike({ ...spec, serverName: 'demo.test' }));
    const ids = d.findings.map((f) => f.id);
    expect(ids).toContain('sni_optional');
    expect(ids).not.toContain('sni_required');
  });

  test('a GREASE-intolerant server gives grease_intolerance with the failing probe as evidence', async () => {
    const d = await run((spec) => (spec.grease ? { outcome: 'reset' } : demoLike(spec)));
    const f = d.findings.find((x) => x.id === 'grease_intolerance');
    expect(f?.severity).toBe('error');
    expect(f?.evidence.map((e) => e.probe)).toEqual(['baseline', 'grease']);
    expect(f?.explanation).toMatch(/reset/);
    expect(d.findings.map((x) => x.id)).not.toContain('tolerance');
  });

  test('padding, large-hello and fragmentation intolerance each have their own id', async () => {
    const d = await run((spec) => {
      if (spec.padToLength === 300) return { outcome: 'timeout' };
      if ((spec.padToLength ?? 0) > 1000) return { outcome: 'closed' };
      if (spec.records) return alert(50, 'decode_error');
      return demoLike(spec);
    });
    const ids = d.findings.map((f) => f.id);
    expect(ids).toEqual(
      expect.arrayContaining(['padding_intolerance', 'large_hello_intolerance', 'fragmentation_intolerance']),
    );
    expect(d.findings.find((f) => f.id === 'fragmentation_intolerance')?.alert).toMatchObject({
      description: 50,
    });
  });

  test('a tolerant server gets one tolerance finding', async () => {
    const d = await run(demoLike);
    expect(d.findings.find((f) => f.id === 'tolerance')?.passed).toHaveLength(4);
  });

  test('pq_hybrid says whether X25519MLKEM768 is supported and what a hybrid-offering client gets', async () => {
    const without = await run(demoLike);
    expect(without.findings.find((f) => f.id === 'pq_hybrid')).toMatchObject({
      supported: false,
      chosenGroup: 'x25519',
    });
    const withPq = await run((spec) =>
      spec.id.includes('MLKEM') || spec.id === 'pq.hybrid'
        ? {
            ...TLS13_OK,
            serverHello: { ...TLS13_OK.serverHello!, group: 0x11ec, groupName: 'X25519MLKEM768' },
          }
        : demoLike(spec),
    );
    expect(withPq.findings.find((f) => f.id === 'pq_hybrid')).toMatchObject({
      supported: true,
      chosenGroup: 'X25519MLKEM768',
    });
  });

  test('alpn reports the chosen protocol and the alert for an unknown one', async () => {
    const d = await run((spec) =>
      spec.alpn?.[0] === 'h2'
        ? { ...TLS13_OK, serverHello: { ...TLS13_OK.serverHello!, alpn: 'h2' } }
        : demoLike(spec),
    );
    const f = d.findings.find((x) => x.id === 'alpn');
    expect(f).toMatchObject({ chosen: 'h2', unknownProtocol: 'alert', alert: { description: 120 } });
  });

  test('an unreachable server gives one finding and sends nothing after the baseline', async () => {
    const sent: string[] = [];
    const d = await diagnose(
      async (spec) => {
        sent.push(spec.id);
        return { outcome: 'connect_failed', error: 'ECONNREFUSED' };
      },
      { target: 'x:1', serverName: 'x' },
    );
    expect(sent).toEqual(['baseline']);
    expect(d.findings.map((f) => f.id)).toEqual(['unreachable']);
    expect(d.skipped).toEqual(
      candidateHellos({ serverName: 'x' })
        .slice(1)
        .map((c) => c.id),
    );
  });

  test('a probe closed before the server said anything is asked again; one that always is keeps its answer', async () => {
    const calls = new Map<string, number>();
    const d = await diagnose(
      async (spec) => {
        const n = (calls.get(spec.id) ?? 0) + 1;
        calls.set(spec.id, n);
        // The first try of every probe meets a full server; the grease probe is always dropped.
        if (n === 1 || spec.id === 'grease') return { outcome: 'closed', bytesReceived: 0 };
        return demoLike(spec);
      },
      { target: 'demo.test:443', serverName: 'demo.test' },
    );
    expect(calls.get('baseline')).toBe(2);
    expect(calls.get('grease')).toBe(3);
    const ids = d.findings.map((f) => f.id);
    expect(ids).toContain('sni_required');
    expect(ids).toContain('grease_intolerance');
    expect(d.findings.find((f) => f.id === 'grease_intolerance')?.evidence.at(-1)?.got).toBe(
      'the connection closed without an alert',
    );
    // A close after the server sent bytes is an answer, not retried; retries: 0 turns it off.
    const once = new Map<string, number>();
    await diagnose(
      async (spec) => {
        once.set(spec.id, (once.get(spec.id) ?? 0) + 1);
        return spec.id === 'grease' ? { outcome: 'closed', bytesReceived: 7 } : demoLike(spec);
      },
      { target: 'demo.test:443', serverName: 'demo.test' },
    );
    expect(once.get('grease')).toBe(1);
    const none = new Map<string, number>();
    await diagnose(
      async (spec) => {
        none.set(spec.id, (none.get(spec.id) ?? 0) + 1);
        return { outcome: 'reset' };
      },
      { target: 'demo.test:443', serverName: 'demo.test', retries: 0 },
    );
    expect(none.get('baseline')).toBe(1);
  });

  test('at most `concurrency` probes run at once', async () => {
    let inFlight = 0;
    let most = 0;
    await diagnose(
      async (spec) => {
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise((r) => setTimeout(r, 2));
        inFlight--;
        return demoLike(spec);
      },
      { target: 'demo.test:443', serverName: 'demo.test', concurrency: 3 },
    );
    expect(most).toBe(3);
  });

  test('once shouldStop says so, no new probe starts and the rest are listed as skipped', async () => {
    let started = 0;
    const d = await diagnose(
      async (spec) => {
        started++;
        return demoLike(spec);
      },
      { target: 'demo.test:443', serverName: 'demo.test', concurrency: 2, shouldStop: () => started >= 5 },
    );
    expect(started).toBe(5);
    expect(d.probes).toHaveLength(5);
    expect(d.skipped.length).toBeGreaterThan(10);
    const ran = d.probes.map((p) => p.spec.id);
    expect(d.skipped.filter((id) => ran.includes(id))).toEqual([]);
  });

  test('without a name to send, a server that refuses every hello gets one finding that asks for --sni', async () => {
    const d = await run(demoLike, null);
    expect(d.findings.map((f) => f.id)).toEqual(['handshake_refused']);
    expect(d.findings[0].explanation).toMatch(/No SNI was sent/);
    expect(d.findings[0].fix).toMatch(/--sni NAME/);
  });
});
