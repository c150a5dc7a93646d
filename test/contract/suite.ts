/**
 * The nflex runner's standard connector tests, written once for both providers against the loopback
 * simulators (Prism, CloudTower) and a simulated CMP API. Each invoker (handlers called in-process, or the
 * real bundles through serverless-offline) runs it from its own thin test file; every result is checked
 * against its nflex schema and the simulators' ground truth.
 */
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PreciseTime } from '../../lib/connector-utils/time/precise';
import type { ProviderName } from '../../lib/providers/provider';
import { TYPED_ERROR_KINDS } from '../helpers/error-kinds';
import { POOL_METRIC_UNITS, SERVER_METRIC_UNITS } from '../helpers/metric-units';
import { assertValidResult, schemaErrors } from '../helpers/schemas';
import { projectExpected, projectSerialized, type SerializedProjection } from '../helpers/serialized';
import { expectedInventory as expectedTower } from '../providers/cloudtower/expected';
import { expectedInventory as expectedPrism } from '../providers/prism/expected';
import { startCloudTowerSimulator } from '../simulators/cloudtower';
import { type CmpSimulator, startCmpSimulator } from '../simulators/cmp';
import { startPrismSimulator } from '../simulators/prism';

/** The functions the contract covers. */
export const CONTRACT_FUNCTIONS = [
  'validateCredentials',
  'getResources',
  'getMetrics',
  'getSpend',
  'syncAccount',
] as const;
export type ContractFunction = (typeof CONTRACT_FUNCTIONS)[number];

/** One invocation's outcome: the result, or the error's kind (its name) and message. */
export type Outcome =
  | { ok: true; result: unknown }
  | { ok: false; kind: string | null; message: string | null; document: unknown };

export interface Invoker {
  invoke(fn: ContractFunction, event: unknown): Promise<Outcome>;
  /** Every log line the handlers wrote so far. */
  output(): string;
  stop(): Promise<void>;
}

export interface ContractSetup {
  /** Starts what runs the handlers, with `env` for them (the CMP API's address among it). */
  start(env: Record<string, string>): Promise<Invoker>;
  /**
   * Fixes the handlers' clock at a time (null: the real clock again). Only an invoker that shares the
   * test's process can; without it the tests bound the handlers' "now" by the real clock around the call.
   */
  setClock?: (now: PreciseTime | null) => void;
  /**
   * Whether to run the size guard on a 3,000-VM estate (default true). In-process the guard is
   * test/functions/result-size.test.ts's, on the fake provider; the estate is the costliest test here.
   */
  largeEstate?: boolean;
}

// Distinctive secrets so the last test can prove none of them leaks into any output.
const SECRETS = {
  prismPassword: 'Contract-Prism-Pa55word!x7',
  towerPassword: 'Contract-Tower-Pa55word!q3',
  wrongPassword: 'Contract-Wrong-Pa55word!k9',
  towerApiKey: 'Contract-Tower-ApiKey!m4',
};
const USERNAME = 'contract-collector';

const RESOURCE_TYPES = ['server', 'volume', 'network', 'compute_pool'];
const CMP_RESOURCE_ID = '3f1e2d4c-5b6a-4789-8abc-def012345678';
/** A last_update two poll intervals back: a window longer than the first poll's, yet small. */
const TWO_POLLS_US = 600_000_000;
const LAST_UPDATE_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
/** Where the tests fix the clock when the invoker can (the simulators serve samples for any past time). */
const FIXED_NOW = '2026-11-27T10:00:00.000000';

type Resource = { type: string; id: string; details: { server?: { is_virtual: boolean } } };
type Metric = {
  metric: string;
  unit: string;
  time: string;
  value: number;
  resource_id?: string;
  provider_id?: string;
};
type Metrics = { metrics: Metric[]; last_update: string };
type Spend = { currency: string; items: { remote_id: string; resource_type: string; amount: number }[] };

interface Target {
  endpoint: string;
  password: string;
  /** Native ids of the VMs that must be Servers. */
  serverIds: string[];
  /** Native ids of the hosts, Servers with is_virtual false. */
  hostIds: string[];
  /** A VM the simulator serves samples for (running, in a reachable cluster). */
  runningVm: string;
  /** The serialized inventory's ground truth. */
  expected(): SerializedProjection;
  stop(): Promise<void>;
}

/** Microseconds since the epoch of a UTC ISO time with up to six fraction digits (fast: called per point). */
function micros(iso: string): number {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?Z?$/.exec(iso);
  const ms = m?.[1] ? Date.parse(`${m[1]}Z`) : Number.NaN;
  if (Number.isNaN(ms)) throw new Error(`not an ISO time: ${iso}`);
  return ms * 1000 + Number((m?.[2] ?? '').padEnd(6, '0'));
}

/** `YYYY-MM-DDTHH:MM:SS.ffffffZ` of a time in microseconds. */
function lastUpdateOf(us: number): string {
  return PreciseTime.fromEpochMicros(us).toRfc3339Micros();
}

/** Sorted ids of the VM Servers (`virtual`) or the host Servers. */
function serverIds(resources: Resource[], virtual: boolean): string[] {
  return resources
    .filter((r) => r.type === 'server' && r.details.server?.is_virtual === virtual)
    .map((r) => r.id)
    .sort();
}

/** Checks a successful result against what its handler promises. Returns the problem, or null. */
function resultProblem(fn: ContractFunction, payload: unknown): string | null {
  switch (fn) {
    case 'validateCredentials': {
      const r = payload as { ok?: unknown; message?: unknown };
      if (r?.ok === true) return null;
      return r?.ok === false && typeof r.message === 'string'
        ? null
        : `bad validate result ${JSON.stringify(r)}`;
    }
    case 'getResources':
      return schemaErrors('get_resources', payload);
    case 'getMetrics':
      return schemaErrors('get_metrics', payload);
    case 'getSpend':
      return schemaErrors('get_spend', payload);
    case 'syncAccount':
      return typeof payload === 'object' && payload !== null ? null : 'sync result is not an object';
  }
}

/** Registers the contract tests for both providers, run by the invoker `setup` starts. */
export function connectorContract(setup: ContractSetup): void {
  let invoker: Invoker;
  let cmp: CmpSimulator;
  const targets = new Map<ProviderName, Target>();
  /** Every outcome the suite saw, for the secrets check. */
  const outcomes: Outcome[] = [];
  /** The fixed time while a test holds the clock, else null (the real clock). */
  let fixed: PreciseTime | null = null;

  /** Now, in microseconds: the fixed time, or the real clock rounded down (`up`: rounded up). */
  const now = (up = false) => fixed?.epochMicros ?? (Date.now() + (up ? 1 : 0)) * 1000;

  /** Fixes the clock of the handlers and the simulators, where the invoker can; true when it did. */
  function holdClock(at: string | PreciseTime): boolean {
    if (!setup.setClock) return false;
    fixed = typeof at === 'string' ? PreciseTime.parseIso(at) : at;
    setup.setClock(fixed);
    return true;
  }

  function target(provider: ProviderName): Target {
    const t = targets.get(provider);
    if (!t) throw new Error(`${provider} simulator not started`);
    return t;
  }

  function baseEvent(provider: ProviderName, credentials: Record<string, unknown>): Record<string, unknown> {
    return {
      account_id: `contract-${provider}-account`,
      customer_id: 'contract-customer',
      user_id: 'contract-user',
      provider,
      poll_interval: 300,
      credentials,
    };
  }

  function goodEvent(provider: ProviderName, extra: Record<string, unknown> = {}): Record<string, unknown> {
    const t = target(provider);
    return {
      ...baseEvent(provider, { endpoint: t.endpoint, username: USERNAME, password: t.password }),
      ...extra,
    };
  }

  function badEvent(provider: ProviderName): Record<string, unknown> {
    return baseEvent(provider, {
      endpoint: target(provider).endpoint,
      username: USERNAME,
      password: SECRETS.wrongPassword,
    });
  }

  async function invoke(fn: ContractFunction, event: unknown): Promise<Outcome> {
    const out = await invoker.invoke(fn, event);
    outcomes.push(out);
    return out;
  }

  /** The result of a successful invocation (fails the test with the error otherwise). */
  async function result<T>(fn: ContractFunction, event: unknown): Promise<T> {
    const out = await invoke(fn, event);
    if (!out.ok) throw new Error(`${fn} failed: ${out.kind}: ${out.message}`);
    return out.result as T;
  }

  /** The error of a failed invocation (fails the test if it succeeded). */
  async function failure(fn: ContractFunction, event: unknown): Promise<Extract<Outcome, { ok: false }>> {
    const out = await invoke(fn, event);
    if (out.ok)
      throw new Error(`${fn} succeeded where it must fail: ${JSON.stringify(out.result).slice(0, 200)}`);
    return out;
  }

  beforeAll(async () => {
    cmp = await startCmpSimulator();
    const prism = await startPrismSimulator({
      seed: 21,
      vms: 24,
      clusters: 2,
      username: USERNAME,
      password: SECRETS.prismPassword,
    });
    targets.set('nutanix', {
      endpoint: prism.baseUrl,
      password: SECRETS.prismPassword,
      serverIds: prism.truth().vms.map((v) => v.extId),
      hostIds: prism.truth().hosts.map((h) => h.extId),
      runningVm: prism.truth().vms.find((v) => v.powerState === 'ON')?.extId ?? '',
      expected: () => projectExpected(expectedPrism(prism.truth(), 'v4')),
      stop: prism.stop,
    });
    const tower = await startCloudTowerSimulator({
      seed: 21,
      vms: 24,
      vmClusters: 3,
      username: USERNAME,
      password: SECRETS.towerPassword,
      apiKeys: [SECRETS.towerApiKey],
      // Its samples follow the handlers' clock.
      now: () => Math.floor(now() / 1000),
    });
    targets.set('cloudtower', {
      endpoint: tower.baseUrl,
      password: SECRETS.towerPassword,
      serverIds: tower.truth.vms.filter((v) => !v.in_recycle_bin).map((v) => String(v.id)),
      hostIds: tower.truth.hosts.map((h) => String(h.id)),
      runningVm: String(
        tower.truth.vms.find((v) => {
          const cluster = tower.truth.clusters.find((c) => c.id === (v.cluster as { id: string } | null)?.id);
          return (
            v.status === 'RUNNING' && cluster?.connect_state === 'CONNECTED' && cluster.hypervisor === 'ELF'
          );
        })?.id,
      ),
      expected: () => projectExpected(expectedTower(tower.truth)),
      stop: tower.stop,
    });
    invoker = await setup.start({
      CMP_API_URL: cmp.baseUrl,
      CMP_API_KEY: cmp.apiKey ?? '',
      NFLEX_MODULE_ID: 'contract-module',
      // The shipped rate card, never an SSM parameter: this run has no AWS.
      RATE_CARD_SSM_PARAMETER: '',
      // A window ends at "now", so a fixed clock fixes it.
      METRICS_SKEW_SECONDS: '0',
    });
  });

  afterAll(async () => {
    await invoker?.stop();
    for (const t of targets.values()) await t.stop();
    await cmp?.stop();
  });

  afterEach(() => {
    if (fixed) setup.setClock?.(null);
    fixed = null;
  });

  describe.each(['nutanix', 'cloudtower'] as const)('connector contract: %s', (provider) => {
    describe('validate credentials', () => {
      it('accepts good credentials', async () => {
        expect(await result('validateCredentials', goodEvent(provider))).toEqual({ ok: true });
      });

      it('answers ok:false with a message for empty and for blank credentials', async () => {
        const empty = await result<{ ok: boolean; message?: string }>(
          'validateCredentials',
          baseEvent(provider, {}),
        );
        expect(empty.ok).toBe(false);
        expect(empty.message).toEqual(expect.any(String));

        const blank = await result<{ ok: boolean; message?: string }>(
          'validateCredentials',
          baseEvent(provider, { endpoint: target(provider).endpoint, username: '', password: '' }),
        );
        expect(blank.ok).toBe(false);
      });

      it('answers ok:false for rejected credentials, naming the host and port but not the password', async () => {
        const out = await result<{ ok: boolean; message?: string }>(
          'validateCredentials',
          badEvent(provider),
        );
        expect(out.ok).toBe(false);
        expect(out.message).toContain(new URL(target(provider).endpoint).host);
        expect(JSON.stringify(out)).not.toContain(SECRETS.wrongPassword);
      });

      it('answers ok:false for an unreachable host, naming it', async () => {
        const event = baseEvent(provider, {
          endpoint: 'http://127.0.0.1:1',
          username: USERNAME,
          password: 'x-123',
        });
        const out = await result<{ ok: boolean; message?: string }>('validateCredentials', event);
        expect(out.ok).toBe(false);
        expect(out.message).toContain('127.0.0.1:1');
      });

      it('rejects a malformed event with a validation error naming the field', async () => {
        const err = await failure('validateCredentials', {
          ...goodEvent(provider),
          credentials: 'not-an-object',
        });
        expect(err.kind).toBe('ValidationError');
        expect(err.message).toContain('credentials');
      });
    });

    describe('get resources', () => {
      it('lists every VM and host as a server, plus volumes, networks and compute pools, valid against get_resources.json', async () => {
        const resources = await result<Resource[]>('getResources', goodEvent(provider));

        assertValidResult('get_resources', resources);
        const types = new Set(resources.map((r) => r.type));
        for (const type of RESOURCE_TYPES) expect(types, `missing ${type}`).toContain(type);
        expect(serverIds(resources, true)).toEqual([...target(provider).serverIds].sort());
        expect(serverIds(resources, false)).toEqual([...target(provider).hostIds].sort());
        expect(new Set(resources.map((r) => r.id)).size).toBe(resources.length);
      });

      it('equals the ground truth: hosts, their compute pools and every VM → host placement', async () => {
        const resources = await result<Record<string, unknown>[]>('getResources', goodEvent(provider));
        const got = projectSerialized(resources);
        expect(Object.keys(got.hosts).length).toBeGreaterThan(0);
        expect(Object.values(got.servers).some((s) => s.runsOn !== null)).toBe(true);
        expect(Object.values(got.servers).some((s) => s.runsOn === null)).toBe(true);
        expect(got).toEqual(target(provider).expected());
      });

      it('fails with InvalidCredentials for bad credentials, without the password', async () => {
        const err = await failure('getResources', badEvent(provider));
        expect(err.kind).toBe('InvalidCredentials');
        expect(err.message).not.toContain(SECRETS.wrongPassword);
      });

      it('rejects an unknown provider naming `provider`', async () => {
        const err = await failure('getResources', { ...goodEvent(provider), provider: 'vsphere' });
        expect(err.kind).toBe('ValidationError');
        expect(err.message).toContain('provider');
      });
    });

    describe('get metrics', () => {
      /** Checks a bulk result: names, units, no resource tag, every sample in [from, last_update). */
      function expectBulk(out: Metrics, from: number): void {
        assertValidResult('get_metrics', out);
        const names = new Set(out.metrics.map((m) => m.metric));
        for (const name of [...Object.keys(SERVER_METRIC_UNITS), ...Object.keys(POOL_METRIC_UNITS)])
          expect(names, `missing ${name}`).toContain(name);
        const end = micros(out.last_update);
        // One assertion over thousands of points: the first few that break a rule, or none.
        const wrong = out.metrics.filter((m) => {
          const t = micros(m.time);
          return (
            m.unit !== (SERVER_METRIC_UNITS[m.metric] ?? POOL_METRIC_UNITS[m.metric]) ||
            m.resource_id !== undefined ||
            t < from ||
            t >= end ||
            (m.unit === '%' && m.value < 0)
          );
        });
        expect(wrong.slice(0, 5)).toEqual([]);
      }

      it('first poll (no last_update): every server and pool metric in bulk over one poll interval, ending now', async () => {
        holdClock(FIXED_NOW);
        const before = now();
        const out = await result<Metrics>('getMetrics', goodEvent(provider));
        const after = now(true);

        expect(out.last_update).toMatch(LAST_UPDATE_RE);
        // Exactly the fixed time where the clock is held.
        expect(micros(out.last_update) >= before && micros(out.last_update) <= after, out.last_update).toBe(
          true,
        );
        expectBulk(out, micros(out.last_update) - 300_000_000);
      });

      it('from last_update: every server and pool metric in bulk, inside [last_update, now)', async () => {
        holdClock(FIXED_NOW);
        const since = lastUpdateOf(now() - TWO_POLLS_US);
        const out = await result<Metrics>('getMetrics', goodEvent(provider, { last_update: since }));

        expect(out.last_update).toMatch(LAST_UPDATE_RE);
        expectBulk(out, micros(since));
      });

      it('tags one server’s metrics, every server metric, with the event resource id', async () => {
        holdClock(FIXED_NOW);
        const vm = target(provider).runningVm;
        const out = await result<Metrics>(
          'getMetrics',
          goodEvent(provider, {
            last_update: lastUpdateOf(now() - TWO_POLLS_US),
            resource: { id: CMP_RESOURCE_ID, native_id: vm, type: 'server', poll_interval: 300 },
          }),
        );

        assertValidResult('get_metrics', out);
        expect(new Set(out.metrics.map((m) => m.metric))).toEqual(new Set(Object.keys(SERVER_METRIC_UNITS)));
        for (const m of out.metrics)
          expect(m).toMatchObject({ resource_id: CMP_RESOURCE_ID, provider_id: vm });
      });

      it('returns every compute pool metric, in its unit, for a cluster', async () => {
        holdClock(FIXED_NOW);
        const resources = await result<Resource[]>('getResources', goodEvent(provider));
        const pool = resources.find((r) => r.type === 'compute_pool');
        expect(pool).toBeDefined();
        const out = await result<Metrics>(
          'getMetrics',
          goodEvent(provider, {
            last_update: lastUpdateOf(now() - TWO_POLLS_US),
            resource: { id: CMP_RESOURCE_ID, native_id: pool?.id, type: 'compute_pool', poll_interval: 300 },
          }),
        );

        assertValidResult('get_metrics', out);
        const names = new Set(out.metrics.map((m) => m.metric));
        for (const [name, unit] of Object.entries(POOL_METRIC_UNITS)) {
          expect(names, `missing ${name}`).toContain(name);
          for (const m of out.metrics.filter((x) => x.metric === name)) expect(m.unit).toBe(unit);
        }
      });

      // Ten polls spread over forty simulated minutes need a clock the test moves.
      it.runIf(setup.setClock)(
        '10 successive polls return exactly the samples of one long poll over the same span',
        async () => {
          const start = '2026-11-27T12:00:00.000000Z';
          let at = PreciseTime.parseIso('2026-11-27T12:00:00.000000');
          holdClock(at);
          const vm = target(provider).runningVm;
          const resource = { id: CMP_RESOURCE_ID, native_id: vm, type: 'server', poll_interval: 300 };
          let lastUpdate = start;
          const polled: string[] = [];
          for (let poll = 0; poll < 10; poll++) {
            // Irregular scheduler times with sub-second parts.
            at = at.plusSeconds(240 + poll * 13.000271);
            holdClock(at);
            const out = await result<Metrics>(
              'getMetrics',
              goodEvent(provider, { resource, last_update: lastUpdate }),
            );
            assertValidResult('get_metrics', out);
            for (const m of out.metrics) polled.push(`${m.metric}|${m.time}|${m.value}`);
            expect(out.last_update).toBe(at.toRfc3339Micros());
            lastUpdate = out.last_update;
          }
          // The same span in one poll: what the 10 polls returned must be exactly this, no more, no less.
          const whole = await result<Metrics>(
            'getMetrics',
            goodEvent(provider, { resource, last_update: start }),
          );
          const reference = whole.metrics.map((m) => `${m.metric}|${m.time}|${m.value}`);
          expect(new Set(polled).size).toBe(polled.length);
          expect([...polled].sort()).toEqual([...reference].sort());
          expect(polled.filter((k) => k.startsWith('cpu-usage|')).length).toBeGreaterThan(10);
        },
      );
    });

    describe('get spend', () => {
      it('prices every server and volume and no host with the shipped rate card, valid against get_spend.json', async () => {
        holdClock(FIXED_NOW);
        const out = await result<Spend>(
          'getSpend',
          goodEvent(provider, { poll_interval: 3600, last_update: lastUpdateOf(now() - 3_600_000_000) }),
        );

        assertValidResult('get_spend', out);
        expect(out.currency).toBe('USD');
        const servers = out.items.filter((i) => i.resource_type === 'server').map((i) => i.remote_id);
        expect(servers.sort()).toEqual([...target(provider).serverIds].sort());
        expect(out.items.some((i) => i.resource_type === 'volume' && i.amount > 0)).toBe(true);
        expect(out.items.reduce((sum, i) => sum + i.amount, 0)).toBeGreaterThan(0);
        // Hosts are servers in getResources but carry no spend: their VMs are what is priced.
        const hosts = new Set(target(provider).hostIds);
        expect(hosts.size).toBeGreaterThan(0);
        expect(out.items.filter((i) => hosts.has(i.remote_id))).toEqual([]);
      });

      it('fails with SpendError naming the field of an invalid inline rate card', async () => {
        const err = await failure(
          'getSpend',
          goodEvent(provider, {
            rate_card: { currency: 'USD', vcpu_hour: 'cheap', ram_gib_hour: 0.1, storage_gib_month: 0.1 },
          }),
        );
        expect(err.kind).toBe('SpendError');
        expect(err.message).toContain('vcpu_hour');
      });
    });

    describe('sync account', () => {
      it('writes account metadata with the counts and reports progress 0 → 100 to the CMP', async () => {
        const taskId = `contract-sync-${provider}`;
        const out = await result<{ id?: string; metadata?: Record<string, Record<string, unknown>> }>(
          'syncAccount',
          goodEvent(provider, { task_id: taskId }),
        );

        const progress = cmp.progressOf(taskId);
        expect(progress[0]).toBe(0);
        expect(progress.at(-1)).toBe(100);
        expect([...progress].sort((a, b) => a - b)).toEqual(progress);
        // This account is synced once in the suite: exactly one write, the result.
        expect(cmp.accountBodiesOf(`contract-${provider}-account`)).toEqual([out]);
        expect(out).toMatchObject({
          id: `contract-${provider}-account`,
          metadata: {
            provider_specific: {
              cluster_count: expect.any(Number),
              counts: { servers: target(provider).serverIds.length, hosts: target(provider).hostIds.length },
            },
          },
        });
        expect(JSON.stringify(out.metadata)).toContain(provider === 'nutanix' ? 'prism' : 'cloudtower');
      });
    });
  });

  describe('connector contract: cloudtower API key', () => {
    it('accepts `token` in place of username/password', async () => {
      const event = baseEvent('cloudtower', {
        endpoint: target('cloudtower').endpoint,
        token: SECRETS.towerApiKey,
      });

      expect(await result('validateCredentials', event)).toEqual({ ok: true });
      const resources = await result<Resource[]>('getResources', event);
      assertValidResult('get_resources', resources);
      expect(serverIds(resources, true)).toEqual([...target('cloudtower').serverIds].sort());
    });
  });

  describe('result size', () => {
    it.runIf(setup.largeEstate ?? true)(
      'getResources over MAX_RESPONSE_BYTES (default 6,000,000) fails with ResultTooLarge part-way, without the password',
      async () => {
        // ~2.7 KB of JSON per VM with its volumes: 3,000 VMs are well over the default limit.
        const big = await startPrismSimulator({
          seed: 22,
          vms: 3_000,
          clusters: 2,
          username: USERNAME,
          password: SECRETS.prismPassword,
        });
        try {
          const err = await failure(
            'getResources',
            baseEvent('nutanix', {
              endpoint: big.baseUrl,
              username: USERNAME,
              password: SECRETS.prismPassword,
            }),
          );

          expect(err.kind).toBe('ResultTooLarge');
          const m =
            /^getResources result is over 6,000,000 bytes after ([\d,]+) of ([\d,]+) records; call getResourcesStream .* credentials\.clusters$/.exec(
              err.message ?? '',
            );
          expect(m, err.message ?? '').not.toBeNull();
          const [k, n] = [Number(m?.[1]?.replace(/,/g, '')), Number(m?.[2]?.replace(/,/g, ''))];
          // Stopped at the record that passed the limit: the rest were never serialized.
          expect(n).toBeGreaterThanOrEqual(3_000);
          expect(k).toBeLessThan(n * 0.8);
          expect(JSON.stringify(err.document)).not.toContain(SECRETS.prismPassword);
        } finally {
          await big.stop();
        }
      },
      120_000,
    );
  });

  describe('fuzzed events', () => {
    it('end in a typed error or a valid result, never a crash', async () => {
      // Mostly-wrong events (cheap: they fail before or at the first request), with enough valid parts that
      // every layer (event validation, credentials, provider, serialization) gets exercised.
      const anyJson = fc.oneof(
        fc.constant(undefined),
        fc.constant(null),
        fc.boolean(),
        fc.integer(),
        fc.double(),
        fc.string({ maxLength: 12 }),
        fc.array(fc.integer(), { maxLength: 2 }),
        fc.dictionary(fc.string({ maxLength: 4 }), fc.integer(), { maxKeys: 2 }),
      );
      // Each field is usually valid and sometimes anything, so a good share of events gets all the way through.
      const mostly = <T>(valid: fc.Arbitrary<T>, invalid: fc.Arbitrary<unknown> = anyJson) =>
        fc.oneof({ weight: 7, arbitrary: valid as fc.Arbitrary<unknown> }, { weight: 1, arbitrary: invalid });
      const provider = mostly(
        fc.constantFrom('nutanix', 'cloudtower'),
        fc.oneof(fc.constantFrom('NUTANIX', 'vsphere', ''), anyJson),
      );
      const credentials = (p: unknown) =>
        mostly(
          fc.record(
            {
              endpoint: mostly(
                fc.constant(p === 'cloudtower' ? target('cloudtower').endpoint : target('nutanix').endpoint),
                fc.oneof(fc.constantFrom('http://127.0.0.1:9', 'not a url', 'ftp://x', ''), anyJson),
              ),
              username: mostly(fc.constant(USERNAME), fc.oneof(fc.constant(''), anyJson)),
              password: mostly(
                fc.constant(p === 'cloudtower' ? SECRETS.towerPassword : SECRETS.prismPassword),
                fc.oneof(fc.constant(SECRETS.wrongPassword), anyJson),
              ),
              port: fc.oneof(fc.integer({ min: -5, max: 70000 }), anyJson),
              verify_ssl: fc.oneof(fc.boolean(), anyJson),
              api: fc.oneof(fc.constantFrom('auto', 'v4', 'v3', 'v9'), anyJson),
            },
            { requiredKeys: ['endpoint', 'username', 'password'] },
          ),
          fc.oneof(fc.constant({}), anyJson),
        );
      const event = provider.chain((p) =>
        fc.record(
          {
            provider: fc.constant(p),
            account_id: mostly(fc.constant('fuzz-account')),
            credentials: credentials(p),
            poll_interval: mostly(
              fc.constant(300),
              fc.oneof(fc.integer({ min: -10, max: 10_000_000 }), anyJson),
            ),
            last_update: mostly(
              fc.constant(lastUpdateOf(now() - 5 * 60_000_000)),
              fc.oneof(
                fc.constantFrom('2026-13-40T99:00:00.000000Z', 'yesterday', '2026-11-27T10:00:00Z'),
                anyJson,
              ),
            ),
            resource: fc.oneof(
              anyJson,
              fc.record(
                { id: mostly(fc.uuid()), native_id: mostly(fc.string({ maxLength: 8 })) },
                { requiredKeys: [] },
              ),
            ),
            rate_card: anyJson,
            task_id: mostly(fc.constant('fuzz-task')),
          },
          {
            requiredKeys: [
              'provider',
              'account_id',
              'credentials',
              'poll_interval',
              'last_update',
              'task_id',
            ],
          },
        ),
      );
      const raw = fc.oneof({ weight: 1, arbitrary: anyJson }, { weight: 6, arbitrary: event });

      const kinds = new Map<string, number>();
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...CONTRACT_FUNCTIONS), raw, async (fn, ev) => {
          const out = await invoke(fn, ev);
          const kind = out.ok ? 'ok' : String(out.kind);
          kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
          if (out.ok) {
            expect(resultProblem(fn, out.result)).toBeNull();
          } else {
            expect(TYPED_ERROR_KINDS, `${out.kind}: ${out.message}`).toContain(out.kind);
            expect(out.message ?? '').not.toMatch(/TypeError|undefined is not|Cannot read/);
          }
        }),
        { numRuns: 200, seed: 20261127 },
      );
      // The generator must reach past event validation: some results, and more than one kind of error.
      expect(kinds.get('ok') ?? 0, JSON.stringify([...kinds])).toBeGreaterThan(5);
      expect([...kinds.keys()].filter((k) => k !== 'ok').length).toBeGreaterThan(1);
    });
  });

  describe('secrets', () => {
    it('never appear in a result, an error, a CMP call or the function logs', () => {
      // The other tests ran first (vitest runs a file's tests in order); this one audits what they produced.
      expect(outcomes.length).toBeGreaterThan(20);
      const haystacks = [
        ...outcomes.map((o) => JSON.stringify(o)),
        ...cmp.rawCalls.map((c) => c.rawBody),
        invoker.output(),
      ];
      for (const secret of Object.values(SECRETS)) {
        for (const text of haystacks)
          expect(text.includes(secret), `leaked ${secret.slice(0, 8)}…`).toBe(false);
      }
    });
  });
}
