/**
 * The nflex runner's standard connector tests, ported as one contract suite and run for both providers
 * through serverless-offline's Lambda invoke endpoint — the real esbuild bundles, the real middlewares, real
 * HTTP to the simulators and to a simulated CMP API. Every result is validated against its nflex schema.
 *
 * One offline process serves the whole file (start-up bundles five handlers, which dominates the run time).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Invocation, type RunningOffline, startTestOffline } from '../helpers/offline';
import { assertValidResult, schemaErrors } from '../helpers/schemas';
import { startCloudTowerSimulator } from '../simulators/cloudtower';
import { type CmpSimulator, startCmpSimulator } from '../simulators/cmp';
import { startPrismSimulator } from '../simulators/prism';

type ProviderName = 'nutanix' | 'cloudtower';

// Distinctive secrets so the final test can prove none of them leaks into any output.
const SECRETS = {
  prismPassword: 'E2e-Prism-Pa55word!x7',
  towerPassword: 'E2e-Tower-Pa55word!q3',
  wrongPassword: 'E2e-Wrong-Pa55word!k9',
  towerApiKey: 'E2e-Tower-ApiKey!m4',
};
const USERNAME = 'e2e-collector';

/** Units per metric name (docs/architecture.md "Fixed interface contract"). */
const SERVER_METRICS: Record<string, string> = {
  'cpu-usage': '%',
  'cpu-ready': '%',
  'memory-usage': '%',
  'disk-read-iops': 'ops/s',
  'disk-write-iops': 'ops/s',
  'disk-latency': 'ms',
  'disk-read-latency': 'ms',
  'disk-write-latency': 'ms',
  'disk-throughput': 'B/s',
  'disk-read-throughput': 'B/s',
  'disk-write-throughput': 'B/s',
  'network-rx': 'B/s',
  'network-tx': 'B/s',
};
const POOL_METRICS: Record<string, string> = {
  'cpu-usage': '%',
  'memory-usage': '%',
  'disk-read-iops': 'ops/s',
  'disk-write-iops': 'ops/s',
  'disk-latency': 'ms',
  'disk-read-latency': 'ms',
  'disk-write-latency': 'ms',
  'disk-throughput': 'B/s',
  'disk-read-throughput': 'B/s',
  'disk-write-throughput': 'B/s',
  'storage-usage': '%',
  'storage-used': 'B',
  'storage-capacity': 'B',
};
const RESOURCE_TYPES = ['server', 'volume', 'network', 'compute_pool'];
const CMP_RESOURCE_ID = '3f1e2d4c-5b6a-4789-8abc-def012345678';
const LAST_UPDATE_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

interface ProviderUnderTest {
  provider: ProviderName;
  endpoint: string;
  password: string;
  /** Native ids of the VMs that must be Servers, from the simulator's ground truth. */
  serverIds: string[];
  /** Native ids of the hosts, Servers with is_virtual false. */
  hostIds: string[];
  stop(): Promise<void>;
}

let offline: RunningOffline;
let cmp: CmpSimulator;
const targets = new Map<ProviderName, ProviderUnderTest>();
/** Every invocation the suite made, for the secrets check. */
const invocations: Invocation[] = [];

/** Microseconds since the epoch of an ISO time with up to six fraction digits. */
function micros(iso: string): bigint {
  const m = /^(.*T\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?Z?$/.exec(iso);
  if (!m?.[1]) throw new Error(`not an ISO time: ${iso}`);
  const ms = Date.parse(`${m[1]}Z`);
  if (Number.isNaN(ms)) throw new Error(`not an ISO time: ${iso}`);
  return BigInt(ms) * 1000n + BigInt((m[2] ?? '').padEnd(6, '0'));
}

/** `YYYY-MM-DDTHH:MM:SS.ffffffZ` of a Date. */
function lastUpdateOf(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

type Resource = { type: string; id: string; details: { server?: { is_virtual: boolean } } };

/** Sorted ids of the VM Servers (`virtual`) or the host Servers. */
function serverIds(resources: Resource[], virtual: boolean): string[] {
  return resources
    .filter((r) => r.type === 'server' && r.details.server?.is_virtual === virtual)
    .map((r) => r.id)
    .sort();
}

function target(provider: ProviderName): ProviderUnderTest {
  const t = targets.get(provider);
  if (!t) throw new Error(`${provider} simulator not started`);
  return t;
}

function baseEvent(provider: ProviderName, credentials: Record<string, unknown>): Record<string, unknown> {
  return {
    account_id: `e2e-${provider}-account`,
    customer_id: 'e2e-customer',
    user_id: 'e2e-user',
    provider,
    poll_interval: 300,
    credentials,
  };
}

function goodEvent(provider: ProviderName): Record<string, unknown> {
  const t = target(provider);
  return baseEvent(provider, { endpoint: t.endpoint, username: USERNAME, password: t.password });
}

function badEvent(provider: ProviderName): Record<string, unknown> {
  const t = target(provider);
  return baseEvent(provider, { endpoint: t.endpoint, username: USERNAME, password: SECRETS.wrongPassword });
}

async function invoke<T>(
  fn: Parameters<RunningOffline['invoke']>[0],
  event: unknown,
): Promise<Invocation<T>> {
  const inv = await offline.invoke<T>(fn, event);
  invocations.push(inv);
  return inv;
}

/** The result of a successful invocation (fails the test with the error document otherwise). */
async function result<T>(fn: Parameters<RunningOffline['invoke']>[0], event: unknown): Promise<T> {
  const inv = await invoke<T>(fn, event);
  if (inv.functionError !== null || inv.status !== 200) {
    throw new Error(`${fn} failed: ${inv.errorKind}: ${inv.errorMessage}`);
  }
  return inv.payload;
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
    provider: 'nutanix',
    endpoint: prism.baseUrl,
    password: SECRETS.prismPassword,
    serverIds: prism.truth().vms.map((v) => v.extId),
    hostIds: prism.truth().hosts.map((h) => h.extId),
    stop: prism.stop,
  });
  const tower = await startCloudTowerSimulator({
    seed: 21,
    vms: 24,
    vmClusters: 3,
    username: USERNAME,
    password: SECRETS.towerPassword,
    apiKeys: [SECRETS.towerApiKey],
  });
  targets.set('cloudtower', {
    provider: 'cloudtower',
    endpoint: tower.baseUrl,
    password: SECRETS.towerPassword,
    serverIds: tower.truth.vms.filter((v) => !v.in_recycle_bin).map((v) => String(v.id)),
    hostIds: tower.truth.hosts.map((h) => String(h.id)),
    stop: tower.stop,
  });
  offline = await startTestOffline({
    CMP_API_URL: cmp.baseUrl,
    CMP_API_KEY: cmp.apiKey ?? '',
    NFLEX_MODULE_ID: 'e2e-module',
    // The shipped rate card, never an SSM parameter: this run has no AWS.
    RATE_CARD_SSM_PARAMETER: '',
  });
});

afterAll(async () => {
  await offline?.stop();
  for (const t of targets.values()) await t.stop();
  await cmp?.stop();
});

describe.each(['nutanix', 'cloudtower'] as const)('connector contract: %s', (provider) => {
  describe('validate credentials', () => {
    it('accepts good credentials', async () => {
      const out = await result<{ ok: boolean }>('validateCredentials', goodEvent(provider));
      expect(out).toEqual({ ok: true });
    });

    it('answers ok:false for empty credentials', async () => {
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

    it('answers ok:false for rejected credentials, naming the host but not the password', async () => {
      const out = await result<{ ok: boolean; message?: string }>('validateCredentials', badEvent(provider));
      expect(out.ok).toBe(false);
      expect(out.message).toContain(new URL(target(provider).endpoint).hostname);
      expect(out.message).not.toContain(SECRETS.wrongPassword);
    });

    it('answers ok:false for an unreachable host', async () => {
      const event = baseEvent(provider, {
        endpoint: 'http://127.0.0.1:9',
        username: USERNAME,
        password: 'x',
      });
      const out = await result<{ ok: boolean; message?: string }>('validateCredentials', event);
      expect(out.ok).toBe(false);
      expect(out.message).toContain('127.0.0.1');
    });

    it('rejects a malformed event with a validation error naming the field', async () => {
      const inv = await invoke('validateCredentials', {
        ...goodEvent(provider),
        credentials: 'not-an-object',
      });
      expect(inv.functionError).not.toBeNull();
      expect(inv.errorKind).toBe('ValidationError');
      expect(inv.errorMessage).toContain('credentials');
    });
  });

  describe('get resources', () => {
    it('returns every expected type, valid against get_resources.json', async () => {
      const resources = await result<Resource[]>('getResources', goodEvent(provider));

      assertValidResult('get_resources', resources);
      const types = new Set(resources.map((r) => r.type));
      for (const type of RESOURCE_TYPES) expect(types, `missing ${type}`).toContain(type);
      expect(serverIds(resources, true)).toEqual([...target(provider).serverIds].sort());
      expect(serverIds(resources, false)).toEqual([...target(provider).hostIds].sort());
      expect(new Set(resources.map((r) => r.id)).size).toBe(resources.length);
    });

    it('errors with InvalidCredentials for bad credentials', async () => {
      const inv = await invoke('getResources', badEvent(provider));
      expect(inv.functionError).not.toBeNull();
      expect(inv.errorKind).toBe('InvalidCredentials');
      expect(inv.errorMessage).not.toContain(SECRETS.wrongPassword);
    });

    it('rejects an unknown provider naming `provider`', async () => {
      const inv = await invoke('getResources', { ...goodEvent(provider), provider: 'vsphere' });
      expect(inv.errorKind).toBe('ValidationError');
      expect(inv.errorMessage).toContain('provider');
    });
  });

  describe('get metrics', () => {
    it('returns every expected server metric for the account in bulk, inside the window', async () => {
      const since = lastUpdateOf(new Date(Date.now() - 15 * 60_000));
      const out = await result<{
        metrics: { metric: string; unit: string; time: string; value: number; resource_id?: string }[];
        last_update: string;
      }>('getMetrics', { ...goodEvent(provider), last_update: since });

      assertValidResult('get_metrics', out);
      expect(out.last_update).toMatch(LAST_UPDATE_RE);
      const names = new Set(out.metrics.map((m) => m.metric));
      for (const name of Object.keys(SERVER_METRICS)) expect(names, `missing ${name}`).toContain(name);
      for (const m of out.metrics) {
        expect(m.unit, m.metric).toBe(SERVER_METRICS[m.metric] ?? POOL_METRICS[m.metric]);
        expect(m.resource_id).toBeUndefined();
        expect(micros(m.time) >= micros(since) && micros(m.time) <= micros(out.last_update)).toBe(true);
      }
    });

    it('tags one server’s metrics with the event resource id', async () => {
      const nativeId = target(provider).serverIds[0]!;
      const out = await result<{ metrics: { metric: string; resource_id?: string; provider_id?: string }[] }>(
        'getMetrics',
        {
          ...goodEvent(provider),
          last_update: lastUpdateOf(new Date(Date.now() - 15 * 60_000)),
          resource: { id: CMP_RESOURCE_ID, native_id: nativeId, type: 'server', poll_interval: 300 },
        },
      );

      assertValidResult('get_metrics', out);
      expect(out.metrics.length).toBeGreaterThan(0);
      for (const m of out.metrics) {
        expect(m.resource_id).toBe(CMP_RESOURCE_ID);
        expect(m.provider_id).toBe(nativeId);
      }
    });

    it('returns every expected compute pool metric for a cluster', async () => {
      const resources = await result<{ type: string; id: string }[]>('getResources', goodEvent(provider));
      const pool = resources.find((r) => r.type === 'compute_pool');
      expect(pool).toBeDefined();
      const out = await result<{ metrics: { metric: string; unit: string }[] }>('getMetrics', {
        ...goodEvent(provider),
        last_update: lastUpdateOf(new Date(Date.now() - 15 * 60_000)),
        resource: { id: CMP_RESOURCE_ID, native_id: pool!.id, type: 'compute_pool', poll_interval: 300 },
      });

      assertValidResult('get_metrics', out);
      const names = new Set(out.metrics.map((m) => m.metric));
      for (const [name, unit] of Object.entries(POOL_METRICS)) {
        expect(names, `missing ${name}`).toContain(name);
        for (const m of out.metrics.filter((x) => x.metric === name)) expect(m.unit).toBe(unit);
      }
    });
  });

  describe('get spend', () => {
    it('prices servers and volumes with the shipped rate card, valid against get_spend.json', async () => {
      const out = await result<{
        currency: string;
        spend_date: string;
        items: { remote_id: string; resource_type: string; amount: number }[];
      }>('getSpend', { ...goodEvent(provider), last_update: lastUpdateOf(new Date(Date.now() - 3600_000)) });

      assertValidResult('get_spend', out);
      const servers = out.items.filter((i) => i.resource_type === 'server').map((i) => i.remote_id);
      expect(servers.sort()).toEqual([...target(provider).serverIds].sort());
      expect(out.items.some((i) => i.resource_type === 'volume')).toBe(true);
      expect(out.items.reduce((sum, i) => sum + i.amount, 0)).toBeGreaterThan(0);
    });

    it('fails with SpendError naming the field of an invalid inline rate card', async () => {
      const inv = await invoke('getSpend', {
        ...goodEvent(provider),
        rate_card: { currency: 'USD', vcpu_hour: 'cheap', ram_gib_hour: 0.1, storage_gib_month: 0.1 },
      });
      expect(inv.errorKind).toBe('SpendError');
      expect(inv.errorMessage).toContain('vcpu_hour');
    });
  });

  describe('sync account', () => {
    it('writes account metadata and reports progress 0 → 100 to the CMP', async () => {
      const taskId = `e2e-sync-${provider}`;
      const event = { ...goodEvent(provider), task_id: taskId };

      const out = await result<{ id?: string; metadata?: Record<string, Record<string, unknown>> }>(
        'syncAccount',
        event,
      );

      const progress = cmp.progressOf(taskId);
      expect(progress[0]).toBe(0);
      expect(progress[progress.length - 1]).toBe(100);
      expect([...progress].sort((a, b) => a - b)).toEqual(progress);
      const patched = cmp.accountBodiesOf(`e2e-${provider}-account`);
      expect(patched.length).toBeGreaterThan(0);
      expect(patched[patched.length - 1]).toEqual(out);
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
    expect(serverIds(resources, true)).toHaveLength(target('cloudtower').serverIds.length);
  });
});

describe('result size through the invoke endpoint', () => {
  it('getResources over MAX_RESPONSE_BYTES (default 6,000,000) fails with ResultTooLarge part-way, without the password', async () => {
    // ~2.7 KB of JSON per VM with its volumes: 3,000 VMs are well over the default limit.
    const big = await startPrismSimulator({
      seed: 22,
      vms: 3_000,
      clusters: 2,
      username: USERNAME,
      password: SECRETS.prismPassword,
    });
    try {
      const event = baseEvent('nutanix', {
        endpoint: big.baseUrl,
        username: USERNAME,
        password: SECRETS.prismPassword,
      });
      const inv = await invoke('getResources', event);

      expect(inv.functionError).toBe('Unhandled');
      expect(inv.errorKind).toBe('ResultTooLarge');
      const first = (inv.payload as { trace?: string[] }).trace?.[0] ?? '';
      const m =
        /^ResultTooLarge: getResources result is over 6,000,000 bytes after ([\d,]+) of ([\d,]+) records; call getResourcesStream .* credentials\.clusters$/.exec(
          first,
        );
      expect(m, first).not.toBeNull();
      const [k, n] = [Number(m?.[1]?.replace(/,/g, '')), Number(m?.[2]?.replace(/,/g, ''))];
      // Stopped at the record that passed the limit: the rest were never serialized.
      expect(n).toBeGreaterThanOrEqual(3_000);
      expect(k).toBeLessThan(n * 0.8);
      expect(JSON.stringify(inv.payload)).not.toContain(SECRETS.prismPassword);
    } finally {
      await big.stop();
    }
  }, 120_000);
});

/** Error kinds a handler may end with: the nflex kinds and our typed ones — never InternalError. */
const TYPED_ERRORS = new Set([
  'ValidationError',
  'InvalidCredentials',
  'InsufficientPermission',
  'NoBillingReport',
  'SpendError',
  'TransientError',
  'UpstreamError',
  'DeadlineExceededError',
  'ResultTooLarge',
]);
const FUNCTIONS = ['validateCredentials', 'getResources', 'getMetrics', 'getSpend', 'syncAccount'] as const;

/** Checks a successful result against what its handler promises. Returns the problem, or null. */
function resultProblem(fn: (typeof FUNCTIONS)[number], payload: unknown): string | null {
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

describe('fuzzed events through the bundled handlers', () => {
  it('end in a typed error or a valid result, never a crash', async () => {
    // Mostly-wrong events (cheap: they fail before or at the first request), with enough valid parts that
    // every layer — event validation, credentials, provider, serialization — gets exercised.
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
            fc.constant(lastUpdateOf(new Date(Date.now() - 5 * 60_000))),
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
          requiredKeys: ['provider', 'account_id', 'credentials', 'poll_interval', 'last_update', 'task_id'],
        },
      ),
    );
    const raw = fc.oneof({ weight: 1, arbitrary: anyJson }, { weight: 6, arbitrary: event });

    const outcomes = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...FUNCTIONS), raw, async (fn, ev) => {
        const inv = await invoke(fn, ev);
        const outcome = inv.functionError === null ? 'ok' : String(inv.errorKind);
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
        expect(inv.status).toBe(200);
        if (inv.functionError === null) {
          expect(resultProblem(fn, inv.payload)).toBeNull();
        } else {
          expect(TYPED_ERRORS, `${inv.errorKind}: ${inv.errorMessage}`).toContain(inv.errorKind);
          expect(inv.errorMessage ?? '').not.toMatch(/TypeError|undefined is not|Cannot read/);
        }
      }),
      { numRuns: 200, seed: 20261127 },
    );
    // The generator must reach past event validation: some results, and more than one kind of error.
    expect(outcomes.get('ok') ?? 0, JSON.stringify([...outcomes])).toBeGreaterThan(5);
    expect([...outcomes.keys()].filter((k) => k !== 'ok').length).toBeGreaterThan(1);
  });
});

describe('secrets', () => {
  it('never appear in a result, an error, a CMP log line or the function logs', () => {
    // The other tests ran first (vitest runs a file's tests in order); this one audits what they produced.
    expect(invocations.length).toBeGreaterThan(20);
    const haystacks = [
      ...invocations.map((i) => JSON.stringify(i.payload)),
      ...cmp.rawCalls.map((c) => c.rawBody),
      offline.output(),
    ];
    for (const secret of Object.values(SECRETS)) {
      for (const text of haystacks)
        expect(text.includes(secret), `leaked ${secret.slice(0, 8)}…`).toBe(false);
    }
  });
});
