/**
 * Cluster scoping end to end in-process: the handlers with the real providers against both simulators. For
 * every function, the union of the per-cluster results equals the unscoped result; names resolve like ids;
 * an unknown entry is a validation error naming it (validateCredentials: ok:false); the resolution is kept
 * with the warm session.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { handler as getMetrics } from '../../functions/get-metrics';
import { handler as getResources } from '../../functions/get-resources';
import { handler as getSpend } from '../../functions/get-spend';
import { handler as getStatus } from '../../functions/get-status';
import { handler as syncAccount } from '../../functions/sync-account';
import { handler as validateCredentials } from '../../functions/validate-credentials';
import { fixedClock, setClock } from '../../lib/connector-utils/time/clock';
import { setProviderFactory } from '../../lib/providers/index';
import { sessionCache } from '../../lib/providers/sessions';
import { simCredentials } from '../helpers/sim-events';
import { CLOUDTOWER_SMALL, startCloudTowerSimulator } from '../simulators/cloudtower';
import { startPrismSimulator } from '../simulators/prism';
import { fakeProviderFactory } from './fake-provider';
import { captureLogs, event as fakeEvent, lambdaContext, rejection } from './harness';

type Provider = 'nutanix' | 'cloudtower';
type Json = Record<string, unknown>;

const endpoints = new Map<Provider, string>();
const stops: (() => Promise<void>)[] = [];
let logs: ReturnType<typeof captureLogs>;

beforeAll(async () => {
  logs = captureLogs();
  // One instant for every call: the same poll window and last_seen_at, so results compare exactly.
  const now = new Date(Date.now() - 60_000).toISOString().replace('Z', '000');
  setClock(fixedClock(now));
  const prism = await startPrismSimulator({ seed: 7, vms: 60, clusters: 3 });
  const tower = await startCloudTowerSimulator({ ...CLOUDTOWER_SMALL });
  endpoints.set('nutanix', prism.baseUrl);
  endpoints.set('cloudtower', tower.baseUrl);
  stops.push(prism.stop, tower.stop);
});
afterAll(async () => {
  logs.stop();
  setClock(null);
  for (const stop of stops) await stop();
});
afterEach(() => setProviderFactory('nutanix', null));

function event(provider: Provider, clusters?: string[], extra: Json = {}): Json {
  return {
    account_id: `scope-${provider}`,
    customer_id: 'scope-customer',
    provider,
    poll_interval: 300,
    task_id: 'scope-task',
    credentials: {
      ...simCredentials(provider, endpoints.get(provider) ?? ''),
      ...(clusters ? { clusters } : {}),
    },
    ...extra,
  };
}

const byId = (list: Json[], key = 'id') =>
  Object.fromEntries(list.map((r) => [String(r[key]), r])) as Record<string, Json>;

describe.each(['nutanix', 'cloudtower'] as const)('%s: credentials.clusters', (provider) => {
  it('the per-cluster getResources results partition the unscoped one (no-cluster records in each)', async () => {
    const all = (await getResources(event(provider), lambdaContext())) as unknown as Json[];
    const pools = all.filter((r) => r.type === 'compute_pool');
    expect(pools.length).toBeGreaterThan(1);
    const union: Json[] = [];
    for (const pool of pools) {
      const scoped = (await getResources(
        event(provider, [String(pool.id)]),
        lambdaContext(),
      )) as unknown as Json[];
      const clusterOf = (r: Json) =>
        r.type === 'compute_pool'
          ? r.id
          : ((r.connections as Json).compute_pool as Json[] | undefined)?.[0]?.id;
      for (const r of scoped) expect([pool.id, undefined]).toContain(clusterOf(r));
      expect(scoped.filter((r) => r.type === 'compute_pool')).toEqual([pool]);
      union.push(...scoped);
    }
    expect(byId(union)).toEqual(byId(all));
  });

  it('a name scopes like its id; getMetrics, getSpend and syncAccount split by cluster the same way', async () => {
    const since = { last_update: new Date(Date.now() - 20 * 60_000).toISOString().replace('Z', '000Z') };
    const all = (await getResources(event(provider), lambdaContext())) as unknown as Json[];
    const pools = all.filter((r) => r.type === 'compute_pool');
    const first = pools[0] as Json;
    const name = String((first.base as Json).name);
    expect(await getResources(event(provider, [name]), lambdaContext())).toEqual(
      await getResources(event(provider, [String(first.id)]), lambdaContext()),
    );

    const metrics = (await getMetrics(event(provider, undefined, since), lambdaContext())) as unknown as {
      metrics: Json[];
    };
    const spend = (await getSpend(event(provider, undefined, since), lambdaContext())) as unknown as {
      items: Json[];
    };
    const sync = (await syncAccount(event(provider), lambdaContext())) as unknown as { metadata: Json };
    const scopedMetrics: Json[] = [];
    const scopedSpend: Json[] = [];
    let servers = 0;
    for (const pool of pools) {
      const scope = [String(pool.id)];
      scopedMetrics.push(
        ...(
          (await getMetrics(event(provider, scope, since), lambdaContext())) as unknown as { metrics: Json[] }
        ).metrics,
      );
      scopedSpend.push(
        ...((await getSpend(event(provider, scope, since), lambdaContext())) as unknown as { items: Json[] })
          .items,
      );
      const meta = (
        (await syncAccount(event(provider, scope), lambdaContext())) as unknown as { metadata: Json }
      ).metadata;
      const fields = Object.assign({}, ...Object.values(meta)) as {
        cluster_count: number;
        counts: { servers: number; hosts: number };
      };
      expect(fields.cluster_count).toBe(1);
      servers += fields.counts.servers + fields.counts.hosts;
    }
    expect(metrics.metrics.length).toBeGreaterThan(0);
    // The simulators' samples follow the real clock at the window's edges, so series are compared, not points.
    const series = (list: Json[]) => [...new Set(list.map((m) => `${m.provider_id}|${m.metric}`))].sort();
    expect(series(scopedMetrics)).toEqual(series(metrics.metrics));
    expect(byId(scopedSpend, 'remote_id')).toEqual(byId(spend.items, 'remote_id'));
    // VMs and hosts are both nflex servers; syncAccount counts them apart.
    expect(sync.metadata).toBeDefined();
    expect(servers).toBe(all.filter((r) => r.type === 'server').length);
  });

  it('getStatus: the per-cluster results partition the unscoped one, levels and reasons included', async () => {
    type Status = { status: Json[]; last_update: string };
    const all = (await getStatus(event(provider), lambdaContext())) as unknown as Status;
    const pools = (await getResources(event(provider), lambdaContext())) as unknown as Json[];
    const clusters = pools.filter((r) => r.type === 'compute_pool').map((r) => String(r.id));
    expect(all.status.some((s) => Number(s.level) > 0)).toBe(true);
    const union: Json[] = [];
    for (const cluster of clusters) {
      const scoped = (await getStatus(event(provider, [cluster]), lambdaContext())) as unknown as Status;
      expect(scoped.status.filter((s) => String(s.source).startsWith('cluster/'))).toEqual(
        all.status.filter((s) => s.source === `cluster/${cluster}`),
      );
      union.push(...scoped.status);
    }
    expect(byId(union, 'source')).toEqual(byId(all.status, 'source'));
    expect(union).toHaveLength(all.status.length);
  });

  it('an entry that names no cluster fails every function naming it; validateCredentials answers ok:false', async () => {
    const bad = event(provider, ['no-such-cluster']);
    const err = await rejection(getResources(bad, lambdaContext()));
    expect(err.name).toBe('ValidationError');
    expect(err.message).toMatch(
      /^credentials\.clusters\[0\]: expected the id or exact name of a cluster \(known: .+\), got "no-such-cluster", which matches none$/,
    );
    expect((await rejection(getSpend(bad, lambdaContext()))).name).toBe('ValidationError');
    const answer = (await validateCredentials(bad, lambdaContext())) as { ok: boolean; message: string };
    expect(answer.ok).toBe(false);
    expect(answer.message).toContain('"no-such-cluster", which matches none');
    const malformed = await rejection(getResources(event(provider, []), lambdaContext()));
    expect(malformed.message).toBe(
      'credentials.clusters: expected a non-empty array of strings, got an empty array',
    );
  });
});

describe('scope resolution and the warm session', () => {
  it('resolves once per session: later invocations of the same account ask for no cluster list', async () => {
    sessionCache.clear();
    let validations = 0;
    const fake = fakeProviderFactory({ servers: 6 });
    setProviderFactory('nutanix', (c, o) => {
      const p = fake(c, o);
      return {
        ...p,
        validate: (signal) => {
          validations++;
          return p.validate(signal);
        },
      };
    });
    const scoped = fakeEvent('nutanix', {
      credentials: {
        host: 'prism.example',
        username: 'admin',
        password: 'Fake-Pa55word!x',
        clusters: ['Cluster 1'],
      },
    });
    const first = (await getResources(scoped, lambdaContext())) as unknown as Json[];
    expect(validations).toBe(1);
    for (let i = 0; i < 3; i++) expect(await getResources(scoped, lambdaContext())).toEqual(first);
    expect(validations).toBe(1);
    // The cluster's VMs, then its host.
    expect(first.filter((r) => r.type === 'server').map((r) => r.id)).toEqual([
      'vm-1',
      'vm-3',
      'vm-5',
      'host-1',
    ]);
  });
});
