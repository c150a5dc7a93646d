/**
 * Handler-level tests: the exported middy handlers called directly with a fake Lambda context, against the
 * in-process fake provider. Every result is checked against the nflex result schemas.
 */
import { describe, expect, it } from 'vitest';
import { handler as getMetrics } from '../../functions/get-metrics';
import { handler as getResources } from '../../functions/get-resources';
import { handler as getSpend } from '../../functions/get-spend';
import { handler as syncAccount } from '../../functions/sync-account';
import { handler as validateCredentials } from '../../functions/validate-credentials';
import { offlineCmpApi } from '../../lib/cmp/context';
import { fixedClock, setClock } from '../../lib/connector-utils/time/clock';
import { PreciseTime } from '../../lib/connector-utils/time/precise';
import { assertValidResult } from '../helpers/schemas';
import { FAKE_PASSWORD, FAKE_TOKEN, fakeInventory, GIB } from './fake-provider';
import {
  event,
  installFake,
  lambdaContext,
  PROVIDERS,
  RESOURCE_UUID,
  rejection,
  useFakeHandlers,
} from './harness';

const logs = useFakeHandlers();

describe.each(PROVIDERS)('%s handlers against the fake provider', (provider) => {
  it('getResources returns every kind, valid against get_resources.json', async () => {
    installFake(6);
    const result = (await getResources(event(provider), lambdaContext())) as {
      type: string;
      id: string;
      details: { server?: { is_virtual: boolean } };
    }[];
    assertValidResult('get_resources', result);
    const types = result.map((r) => r.type);
    const servers = result.filter((r) => r.type === 'server');
    expect(servers.filter((r) => r.details.server?.is_virtual === true)).toHaveLength(6);
    expect(servers.filter((r) => r.details.server?.is_virtual === false)).toHaveLength(2);
    expect(types.filter((t) => t === 'volume')).toHaveLength(6);
    expect(types.filter((t) => t === 'network')).toHaveLength(2);
    expect(types.filter((t) => t === 'compute_pool')).toHaveLength(2);
    const done = logs.lines.map((l) => JSON.parse(l)).find((l) => l.message === 'invocation succeeded');
    expect(done).toMatchObject({
      handler: 'getResources',
      provider,
      servers: 6,
      hosts: 2,
      volumes: 6,
      request_id: expect.stringMatching(/^req-\d+$/),
    });
  });

  it('getResources serializes a server with its connections, state and addresses', async () => {
    installFake(2);
    const result = (await getResources(event(provider), lambdaContext())) as unknown as Record<
      string,
      unknown
    >[];
    const vm = result.find((r) => r.id === 'vm-0') as Record<string, Record<string, unknown>>;
    expect(vm.connections).toEqual({
      server: [{ id: 'host-0' }],
      volume: [{ id: 'disk-0' }],
      network: [{ id: 'net-0' }],
      compute_pool: [{ id: 'cluster-a' }],
    });
    // A stopped VM runs on no host.
    const stopped = result.find((r) => r.id === 'vm-1') as Record<string, Record<string, unknown>>;
    expect(stopped.connections?.server).toBeUndefined();
    const host = result.find((r) => r.id === 'host-0') as Record<string, Record<string, unknown>>;
    expect(host.connections).toEqual({ compute_pool: [{ id: 'cluster-a' }] });
    expect(host.details?.server).toMatchObject({
      is_virtual: false,
      cpu_cores: 64,
      volumes_b: null,
      state: 'running',
      ip_addresses: [{ ip_address: '10.9.0.1' }],
    });
    expect(vm.details?.server).toMatchObject({
      cpu_cores: 2,
      ram_b: 4 * GIB,
      state: 'running',
      provider_state: 'ON',
      ip_addresses: [{ ip_address: '10.0.0.1', network: { id: 'net-0', name: 'vlan-0' } }],
    });
    expect(vm.base).toMatchObject({ name: 'vm 0', provider_created_at: '2026-01-02T03:04:05.123456Z' });
  });

  it('getResources with a wrong password throws InvalidCredentials without the password', async () => {
    installFake();
    const bad = event(provider, {
      credentials: { host: 'h.example', username: 'admin', password: 'wrong-pw-123' },
    });
    const err = await rejection(getResources(bad, lambdaContext()));
    expect(err.name).toBe('InvalidCredentials');
    expect(err.message).toContain('h.example');
    expect(err.message).not.toContain('wrong-pw-123');
    expect(logs.lines.join('\n')).not.toContain('wrong-pw-123');
  });

  it('validateCredentials: good → ok, empty / rejected / unreachable → ok:false naming the host', async () => {
    installFake();
    expect(await validateCredentials(event(provider), lambdaContext())).toEqual({ ok: true });

    const empty = await validateCredentials(event(provider, { credentials: {} }), lambdaContext());
    expect(empty).toMatchObject({ ok: false });
    const emptyPw = await validateCredentials(
      event(provider, { credentials: { host: 'h.example', username: 'admin', password: '' } }),
      lambdaContext(),
    );
    expect(emptyPw).toEqual({ ok: false, message: expect.stringContaining('h.example') });

    const bad = await validateCredentials(
      event(provider, { credentials: { host: 'h.example', username: 'admin', password: 'not-the-pw' } }),
      lambdaContext(),
    );
    expect(bad).toEqual({ ok: false, message: expect.stringMatching(/h\.example.*rejected/) });
    expect(JSON.stringify(bad)).not.toContain('not-the-pw');

    const down = await validateCredentials(
      event(provider, {
        credentials: { host: 'unreachable.example', username: 'a', password: FAKE_PASSWORD },
      }),
      lambdaContext(),
    );
    expect(down).toEqual({ ok: false, message: expect.stringMatching(/unreachable\.example.*ECONNREFUSED/) });
  });

  it('validateCredentials rejects a malformed event with a ValidationError naming the field', async () => {
    installFake();
    const err = await rejection(
      validateCredentials(event(provider, { credentials: { host: 'h', port: 'abc' } }), lambdaContext()),
    );
    expect(err.name).toBe('ValidationError');
    // Credentials values are named by their type only: any of them may hold a secret.
    expect(err.message).toBe('credentials.port: expected an integer 1–65535, got a string');
  });

  it('getMetrics in bulk returns every metric of every server and pool inside the window', async () => {
    installFake(3);
    const result = (await getMetrics(event(provider), lambdaContext())) as {
      metrics: { metric: string; time: string; provider_id: string; value: number; unit: string }[];
      last_update: string;
    };
    assertValidResult('get_metrics', result);
    expect(result.last_update).toBe('2026-11-27T10:00:00.000000Z');
    const names = new Set(result.metrics.map((m) => m.metric));
    expect([...names].sort()).toEqual(['cpu-usage', 'memory-usage', 'network-rx', 'storage-usage']);
    // 300 s window [09:55, 10:00) on the minute: 5 samples per subject and metric.
    expect(result.metrics.filter((m) => m.provider_id === 'vm-1' && m.metric === 'cpu-usage')).toHaveLength(
      5,
    );
    expect(result.metrics.find((m) => m.metric === 'cpu-usage')).toMatchObject({ value: 25, unit: '%' });
    expect(result.metrics.find((m) => m.metric === 'network-rx')).toMatchObject({ value: 2048, unit: 'B/s' });
    for (const m of result.metrics) {
      expect(m.time >= '2026-11-27T09:55:00Z' && m.time < '2026-11-27T10:00:00Z').toBe(true);
      expect(m).not.toHaveProperty('resource_id');
    }
  });

  it('getMetrics for one resource sets resource_id and asks only for that subject', async () => {
    const calls = installFake();
    const vm = provider === 'nutanix' ? '5b2c3d4e-0000-4000-8000-000000000002' : 'clvm00000000000000000002';
    const ev = event(provider, {
      resource: { id: RESOURCE_UUID, native_id: vm, type: 'server', poll_interval: 300 },
      last_update: '2026-11-27T09:58:00.000000Z',
    });
    const result = (await getMetrics(ev, lambdaContext())) as unknown as {
      metrics: Record<string, unknown>[];
    };
    assertValidResult('get_metrics', result);
    expect(calls.metrics.at(-1)?.subjects).toEqual([{ nativeId: vm, kind: 'server' }]);
    expect(result.metrics).toHaveLength(2 * 3);
    for (const m of result.metrics) expect(m).toMatchObject({ resource_id: RESOURCE_UUID, provider_id: vm });
  });

  it('getMetrics over 10 successive polls neither loses nor repeats a sample', async () => {
    installFake(2);
    let lastUpdate: string | undefined;
    const seen: string[] = [];
    let clock = PreciseTime.parseIso('2026-11-27T10:00:00.000000');
    for (let poll = 0; poll < 10; poll++) {
      // Irregular poll times with sub-second parts, as a real scheduler would produce.
      clock = clock.plusSeconds(170 + poll * 37.123457);
      setClock(fixedClock(clock));
      const ev = event(provider, lastUpdate ? { last_update: lastUpdate } : {});
      const result = (await getMetrics(ev, lambdaContext())) as {
        metrics: { metric: string; time: string; provider_id: string }[];
        last_update: string;
      };
      assertValidResult('get_metrics', result);
      expect(result.last_update).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
      for (const m of result.metrics) seen.push(`${m.provider_id}|${m.metric}|${m.time}`);
      lastUpdate = result.last_update;
    }
    expect(new Set(seen).size).toBe(seen.length);
    const times = [
      ...new Set(seen.filter((k) => k.startsWith('vm-0|cpu-usage|')).map((k) => k.split('|')[2])),
    ];
    times.sort();
    // Every minute between the first and the last sample is there exactly once.
    const first = Date.parse(times[0] ?? '');
    const last = Date.parse(times.at(-1) ?? '');
    expect(times).toHaveLength((last - first) / 60_000 + 1);
    expect(times.length).toBeGreaterThan(30);
  });

  it('getMetrics with last_update in the future returns nothing and keeps last_update', async () => {
    installFake();
    const ev = event(provider, { last_update: '2026-11-27T11:00:00.5Z' });
    const result = await getMetrics(ev, lambdaContext());
    expect(result).toEqual({ metrics: [], last_update: '2026-11-27T11:00:00.500000Z' });
  });

  it('getSpend prices the window with the shipped rate card, valid against get_spend.json', async () => {
    installFake(2);
    const result = (await getSpend(event(provider), lambdaContext())) as {
      currency: string;
      spend_date: string;
      items: { remote_id: string; resource_type: string; amount: number }[];
    };
    assertValidResult('get_spend', result);
    expect(result.spend_date).toBe('2026-11-27');
    expect(result.items.map((i) => `${i.resource_type}:${i.remote_id}`).sort()).toEqual([
      'server:vm-0',
      'server:vm-1',
      'volume:disk-0',
      'volume:disk-1',
    ]);
    expect(result.items.find((i) => i.remote_id === 'vm-1')?.amount).toBe(0);
  });

  it('getSpend with an inline card applies per-cluster overrides', async () => {
    installFake(2);
    const rate_card = {
      currency: 'EUR',
      vcpu_hour: 1,
      ram_gib_hour: 0.5,
      storage_gib_month: 73,
      clusters: { 'cluster-b': { storage_gib_month: 146 } },
    };
    // poll_interval 3600 → exactly one hour.
    const result = await getSpend(event(provider, { rate_card, poll_interval: 3600 }), lambdaContext());
    assertValidResult('get_spend', result);
    const amount = (id: string) => result.items.find((i) => i.remote_id === id)?.amount;
    expect(result.currency).toBe('EUR');
    expect(amount('vm-0')).toBeCloseTo(2 * 1 + 4 * 0.5, 9); // running, 2 vCPU, 4 GiB
    expect(amount('vm-1')).toBe(0); // stopped
    expect(amount('disk-0')).toBeCloseTo((40 * 73) / 730, 9); // cluster-a, default price
    expect(amount('disk-1')).toBeCloseTo((40 * 146) / 730, 9); // cluster-b override
  });

  it('getSpend: an empty card is NoBillingReport, an invalid one SpendError naming the field', async () => {
    installFake();
    const empty = await rejection(getSpend(event(provider, { rate_card: {} }), lambdaContext()));
    expect(empty.name).toBe('NoBillingReport');
    const bad = await rejection(
      getSpend(
        event(provider, {
          rate_card: { currency: 'XXX', vcpu_hour: 1, ram_gib_hour: 1, storage_gib_month: 1 },
        }),
        lambdaContext(),
      ),
    );
    expect(bad.name).toBe('SpendError');
    expect(bad.message).toContain('currency: expected one of GBP, EUR, USD, JPY, SGD, INR, AUD, got "XXX"');
  });

  it('syncAccount reports 0 → 100 progress and returns the metadata it wrote', async () => {
    installFake(3);
    offlineCmpApi.calls.length = 0;
    const result = (await syncAccount(event(provider, { task_id: 'task-9' }), lambdaContext())) as {
      id: string;
      metadata: { provider_specific: Record<string, unknown> };
    };
    expect(result.id).toBe('acct-1');
    expect(result.metadata.provider_specific).toMatchObject({
      version: provider === 'nutanix' ? 'pc.2024.3' : '4.6.0',
      cluster_count: 2,
      counts: { servers: 3, hosts: 2, volumes: 3, networks: 2, compute_pools: 2 },
    });
    const progress = offlineCmpApi.calls
      .filter((c) => c.path === '/tasks/task-9/update')
      .map((c) => (c.body as { percentage: number }).percentage);
    expect(progress[0]).toBe(0);
    expect(progress.at(-1)).toBe(100);
    expect([...progress].sort((a, b) => a - b)).toEqual(progress);
  });

  it('syncAccount without account_id is a ValidationError', async () => {
    installFake();
    const err = await rejection(syncAccount(event(provider, { account_id: undefined }), lambdaContext()));
    expect(err.name).toBe('ValidationError');
    expect(err.message).toContain('account_id');
  });
});

describe('error mapping and the deadline', () => {
  it('a permission problem is InsufficientPermission', async () => {
    installFake();
    const ev = event('nutanix', {
      credentials: { host: 'denied.example', username: 'a', password: FAKE_PASSWORD },
    });
    const err = await rejection(getResources(ev, lambdaContext()));
    expect(err.name).toBe('InsufficientPermission');
  });

  it('an unexpected crash is an InternalError with a redacted message and no deep stack', async () => {
    installFake();
    const ev = event('nutanix', {
      credentials: { host: 'crash.example', username: 'a', password: FAKE_PASSWORD },
    });
    const err = await rejection(getResources(ev, lambdaContext()));
    expect(err.name).toBe('InternalError');
    expect(err.message).not.toContain(FAKE_PASSWORD);
    expect(err.stack?.split('\n')).toHaveLength(2);
  });

  it('a hanging upstream stops before the Lambda timeout with DeadlineExceededError', async () => {
    installFake();
    process.env.DEADLINE_SAFETY_MS = '200';
    try {
      const ev = event('cloudtower', { credentials: { host: 'hang.example', token: FAKE_TOKEN } });
      const err = await rejection(getResources(ev, lambdaContext(600)));
      expect(err.name).toBe('DeadlineExceededError');
      expect(err.message).toContain('listing the inventory');
    } finally {
      delete process.env.DEADLINE_SAFETY_MS;
    }
  });

  it('the fake inventory is what getResources counted (guards the fixture itself)', () => {
    const inv = fakeInventory(5);
    expect(inv.servers).toHaveLength(5);
  });
});
