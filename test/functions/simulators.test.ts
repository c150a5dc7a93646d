/**
 * The handlers against the real loopback simulators (Prism, CloudTower) and the simulated CMP API: the
 * providers, mappings and middlewares end to end, called as Lambda handlers (test/e2e/contract.test.ts does
 * the same through serverless-offline's invoke endpoint).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { handler as getMetrics } from '../../functions/get-metrics';
import { handler as getResources } from '../../functions/get-resources';
import { handler as getSpend } from '../../functions/get-spend';
import { handler as syncAccount } from '../../functions/sync-account';
import { handler as validateCredentials } from '../../functions/validate-credentials';
import { fixedClock, setClock } from '../../lib/connector-utils/time/clock';
import { PreciseTime } from '../../lib/connector-utils/time/precise';
import type { ProviderName } from '../../lib/providers/provider';
import { assertValidResult } from '../helpers/schemas';
import { projectExpected, projectSerialized, type SerializedProjection } from '../helpers/serialized';
import { expectedInventory as expectedTower } from '../providers/cloudtower/expected';
import { expectedInventory as expectedPrism } from '../providers/prism/expected';
import { CLOUDTOWER_SIM_CREDENTIALS, startCloudTowerSimulator } from '../simulators/cloudtower';
import { type CmpSimulator, startCmpSimulator } from '../simulators/cmp';
import { PRISM_SIM_PASSWORD, PRISM_SIM_USERNAME, startPrismSimulator } from '../simulators/prism';
import { captureLogs, lambdaContext, RESOURCE_UUID, rejection } from './harness';

const SERVER_METRICS = [
  'cpu-usage',
  'cpu-ready',
  'memory-usage',
  'disk-read-iops',
  'disk-write-iops',
  'disk-latency',
  'disk-read-latency',
  'disk-write-latency',
  'disk-throughput',
  'disk-read-throughput',
  'disk-write-throughput',
  'network-rx',
  'network-tx',
];
const POOL_METRICS = [
  'cpu-usage',
  'memory-usage',
  'disk-read-iops',
  'disk-write-iops',
  'disk-latency',
  'disk-read-latency',
  'disk-write-latency',
  'disk-throughput',
  'disk-read-throughput',
  'disk-write-throughput',
  'storage-usage',
  'storage-used',
  'storage-capacity',
];

interface Target {
  baseUrl: string;
  username: string;
  password: string;
  stop(): Promise<void>;
  /** Native ids of the VMs the provider must list as servers. */
  serverIds(): string[];
  /** Native ids of the hosts (nflex servers with is_virtual false). */
  hostIds(): string[];
  /** The serialized inventory's ground truth. */
  expected(): SerializedProjection;
}

// The CloudTower simulator's metrics follow its own clock; both share this one, moved by the tests.
let simNow = Date.parse('2026-11-27T10:00:00Z');
const targets = {} as Record<ProviderName, Target>;
let cmp: CmpSimulator;

beforeAll(async () => {
  const prism = await startPrismSimulator({ seed: 11, vms: 24, clusters: 2 });
  targets.nutanix = {
    baseUrl: prism.baseUrl,
    username: PRISM_SIM_USERNAME,
    password: PRISM_SIM_PASSWORD,
    stop: prism.stop,
    serverIds: () => prism.truth().vms.map((v) => String((v as unknown as { extId: string }).extId)),
    hostIds: () => prism.truth().hosts.map((h) => h.extId),
    expected: () => projectExpected(expectedPrism(prism.truth(), 'v4')),
  };
  const tower = await startCloudTowerSimulator({ seed: 11, vms: 24, now: () => simNow });
  targets.cloudtower = {
    baseUrl: tower.baseUrl,
    username: CLOUDTOWER_SIM_CREDENTIALS.username,
    password: CLOUDTOWER_SIM_CREDENTIALS.password,
    stop: tower.stop,
    serverIds: () => tower.truth.vms.filter((v) => !v.in_recycle_bin).map((v) => String(v.id)),
    hostIds: () => tower.truth.hosts.map((h) => String(h.id)),
    expected: () => projectExpected(expectedTower(tower.truth)),
  };
  cmp = await startCmpSimulator();
  process.env.CMP_API_URL = cmp.baseUrl;
  process.env.CMP_API_KEY = cmp.apiKey ?? '';
  process.env.METRICS_SKEW_SECONDS = '0';
});

afterAll(async () => {
  await Promise.all([targets.nutanix?.stop(), targets.cloudtower?.stop(), cmp?.stop()]);
  for (const k of ['CMP_API_URL', 'CMP_API_KEY', 'METRICS_SKEW_SECONDS']) delete process.env[k];
});

afterEach(() => setClock(null));

/** Moves the connector-utils clock and the simulators' clock together. */
function setNow(iso: string | PreciseTime): void {
  const t = typeof iso === 'string' ? PreciseTime.parseIso(iso) : iso;
  simNow = Math.floor(t.epochMicros / 1000);
  setClock(fixedClock(t));
}

/** A scheduler event pointing at the simulator of `provider`. */
function simEvent(provider: ProviderName, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const t = targets[provider];
  return {
    account_id: `acct-${provider}`,
    customer_id: 'cust-1',
    provider,
    poll_interval: 300,
    credentials: { endpoint: t.baseUrl, username: t.username, password: t.password },
    ...overrides,
  };
}

describe.each(['nutanix', 'cloudtower'] as ProviderName[])(
  '%s simulator through the handlers',
  (provider) => {
    it('validateCredentials: good, empty, rejected, unreachable', async () => {
      const t = targets[provider];
      expect(await validateCredentials(simEvent(provider), lambdaContext())).toEqual({ ok: true });
      const empty = await validateCredentials(simEvent(provider, { credentials: {} }), lambdaContext());
      expect(empty).toMatchObject({ ok: false });
      const badPw = 'Definitely-Wrong-Pw-42';
      const bad = await validateCredentials(
        simEvent(provider, { credentials: { endpoint: t.baseUrl, username: t.username, password: badPw } }),
        lambdaContext(),
      );
      expect(bad).toMatchObject({ ok: false, message: expect.stringContaining(new URL(t.baseUrl).host) });
      expect(JSON.stringify(bad)).not.toContain(badPw);
      const down = await validateCredentials(
        simEvent(provider, {
          credentials: { endpoint: 'http://127.0.0.1:1', username: 'u', password: 'p-123' },
        }),
        lambdaContext(),
      );
      expect(down).toMatchObject({ ok: false, message: expect.stringContaining('127.0.0.1:1') });
    });

    it('getResources lists every VM and host as a server, plus volumes, networks and compute pools', async () => {
      const result = (await getResources(simEvent(provider), lambdaContext())) as unknown as {
        id: string;
        type: string;
        details: { server?: { is_virtual: boolean } };
      }[];
      assertValidResult('get_resources', result);
      for (const type of ['server', 'volume', 'network', 'compute_pool']) {
        expect(
          result.some((r) => r.type === type),
          type,
        ).toBe(true);
      }
      const servers = result.filter((r) => r.type === 'server');
      const ids = (virtual: boolean) =>
        servers
          .filter((r) => r.details.server?.is_virtual === virtual)
          .map((r) => r.id)
          .sort();
      expect(ids(true)).toEqual(targets[provider].serverIds().sort());
      expect(ids(false)).toEqual(targets[provider].hostIds().sort());
    });

    it('getResources equals the ground truth: hosts, their compute pools and every VM → host placement', async () => {
      const result = (await getResources(simEvent(provider), lambdaContext())) as unknown as Record<
        string,
        unknown
      >[];
      const got = projectSerialized(result);
      const want = targets[provider].expected();
      expect(Object.keys(got.hosts).length).toBeGreaterThan(0);
      expect(Object.values(got.servers).some((s) => s.runsOn !== null)).toBe(true);
      expect(Object.values(got.servers).some((s) => s.runsOn === null)).toBe(true);
      expect(got).toEqual(want);
    });

    it('getResources with bad credentials throws InvalidCredentials', async () => {
      const t = targets[provider];
      const ev = simEvent(provider, {
        credentials: { endpoint: t.baseUrl, username: t.username, password: 'nope-123' },
      });
      const err = await rejection(getResources(ev, lambdaContext()));
      expect(err.name).toBe('InvalidCredentials');
      expect(err.message).not.toContain('nope-123');
    });

    it('getMetrics in bulk returns every expected metric for servers and compute pools', async () => {
      setNow('2026-11-27T10:00:00.000000');
      const result = await getMetrics(simEvent(provider), lambdaContext());
      assertValidResult('get_metrics', result);
      expect(result.last_update).toBe('2026-11-27T10:00:00.000000Z');
      const names = new Set(result.metrics.map((m) => m.metric));
      for (const m of [...SERVER_METRICS, ...POOL_METRICS]) expect(names.has(m), m).toBe(true);
      for (const m of result.metrics) {
        expect(m.time >= '2026-11-27T09:55:00' && m.time < '2026-11-27T10:00:00', m.time).toBe(true);
        if (m.unit === '%') expect(m.value).toBeGreaterThanOrEqual(0);
      }
    });

    /** A server that has CPU samples at the current clock (stopped VMs have none). */
    async function measuredServer(): Promise<string> {
      const bulk = await getMetrics(simEvent(provider), lambdaContext());
      const servers = new Set(targets[provider].serverIds());
      const vm = bulk.metrics.find(
        (m) => m.metric === 'cpu-usage' && servers.has(m.provider_id),
      )?.provider_id;
      if (!vm) throw new Error('no server with CPU samples in the simulator');
      return vm;
    }

    it('getMetrics for one server tags every point with the resource id', async () => {
      setNow('2026-11-27T10:00:00.000000');
      const vm = await measuredServer();
      const ev = simEvent(provider, { resource: { id: RESOURCE_UUID, native_id: vm, type: 'server' } });
      const result = await getMetrics(ev, lambdaContext());
      assertValidResult('get_metrics', result);
      expect(new Set(result.metrics.map((m) => m.metric))).toEqual(new Set(SERVER_METRICS));
      for (const m of result.metrics)
        expect(m).toMatchObject({ resource_id: RESOURCE_UUID, provider_id: vm });
    });

    it('getMetrics: 10 successive polls on the simulator clock return exactly the samples of one long poll', async () => {
      const start = '2026-11-27T12:00:00.000000Z';
      let now = PreciseTime.parseIso('2026-11-27T12:00:00.000000');
      setNow(now);
      const vm = await measuredServer();
      const resource = { id: RESOURCE_UUID, native_id: vm, type: 'server', poll_interval: 300 };
      let lastUpdate = start;
      const polled: string[] = [];
      for (let poll = 0; poll < 10; poll++) {
        // Irregular scheduler times with sub-second parts.
        now = now.plusSeconds(240 + poll * 13.000271);
        setNow(now);
        const result = await getMetrics(
          simEvent(provider, { resource, last_update: lastUpdate }),
          lambdaContext(),
        );
        assertValidResult('get_metrics', result);
        for (const m of result.metrics) polled.push(`${m.metric}|${m.time}|${m.value}`);
        expect(result.last_update).toBe(now.toRfc3339Micros());
        lastUpdate = result.last_update;
      }
      // The same span in one poll: what the 10 polls returned must be exactly this, no more, no less.
      const whole = await getMetrics(simEvent(provider, { resource, last_update: start }), lambdaContext());
      const reference = whole.metrics.map((m) => `${m.metric}|${m.time}|${m.value}`);
      expect(new Set(polled).size).toBe(polled.length);
      expect([...polled].sort()).toEqual([...reference].sort());
      expect(polled.filter((k) => k.startsWith('cpu-usage|')).length).toBeGreaterThan(10);
    });

    it('getSpend prices every server and volume and no host, valid against get_spend.json', async () => {
      setNow('2026-11-27T10:00:00.000000');
      const result = await getSpend(simEvent(provider, { poll_interval: 3600 }), lambdaContext());
      assertValidResult('get_spend', result);
      expect(result.currency).toBe('USD');
      expect(result.items.filter((i) => i.resource_type === 'server')).toHaveLength(
        targets[provider].serverIds().length,
      );
      expect(result.items.some((i) => i.resource_type === 'volume' && i.amount > 0)).toBe(true);
      // Hosts are servers in getResources but carry no spend: their VMs are what is priced.
      const hosts = new Set(targets[provider].hostIds());
      expect(hosts.size).toBeGreaterThan(0);
      expect(result.items.filter((i) => hosts.has(i.remote_id))).toEqual([]);
    });

    it('syncAccount writes account metadata to the CMP and reports progress 0 → 100', async () => {
      cmp.reset();
      const logs = captureLogs();
      let result: Awaited<ReturnType<typeof syncAccount>>;
      try {
        result = await syncAccount(simEvent(provider, { task_id: `task-${provider}` }), lambdaContext());
      } finally {
        logs.stop();
      }
      const progress = cmp.progressOf(`task-${provider}`);
      expect(progress[0]).toBe(0);
      expect(progress.at(-1)).toBe(100);
      expect([...progress].sort((a, b) => a - b)).toEqual(progress);
      expect(cmp.accountBodiesOf(`acct-${provider}`)).toEqual([result]);
      expect(result).toMatchObject({
        id: `acct-${provider}`,
        metadata: {
          provider_specific: {
            cluster_count: expect.any(Number),
            counts: {
              servers: targets[provider].serverIds().length,
              hosts: targets[provider].hostIds().length,
            },
          },
        },
      });
    });
  },
);
