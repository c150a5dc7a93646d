/** Cluster scoping rules (lib/providers/scope.ts): resolution of ids and names, and which records a scope keeps. */
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../lib/errors';
import type { AlertRecord } from '../../lib/providers/monitoring';
import type { Provider } from '../../lib/providers/provider';
import { ClusterScopeError, resolveClusters, scopeInventory, scopeProvider } from '../../lib/providers/scope';
import { SessionCache } from '../../lib/providers/sessions';
import { draining, KIND_KEYS } from '../../lib/providers/to-nflex';
import { fakeInventory } from '../functions/fake-provider';

const DIRECTORY = [
  { id: 'c-1', name: 'Prod' },
  { id: 'c-2', name: 'Dev' },
  { id: 'c-3', name: 'Dev' },
  { id: 'c-4', name: 'c-1' },
];

describe('resolveClusters', () => {
  it('takes exact ids first, then exact case-sensitive names', () => {
    expect([...resolveClusters(['c-2', 'Prod'], DIRECTORY)].sort()).toEqual(['c-1', 'c-2']);
    // An id wins over a cluster whose name is that id.
    expect([...resolveClusters(['c-1'], DIRECTORY)]).toEqual(['c-1']);
  });

  it('rejects an unknown entry or a wrongly cased name, naming it and listing the clusters', () => {
    let err: unknown;
    try {
      resolveClusters(['Prod', 'prod'], DIRECTORY);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ClusterScopeError);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).field).toBe('credentials.clusters[1]');
    expect((err as Error).message).toBe(
      'credentials.clusters[1]: expected the id or exact name of a cluster (known: Prod (c-1), Dev (c-2), Dev (c-3), c-1 (c-4)), got "prod", which matches none',
    );
  });

  it('rejects a name two clusters share, naming both ids', () => {
    expect(() => resolveClusters(['Dev'], DIRECTORY)).toThrow(
      'credentials.clusters[0]: expected a cluster id, or a name only one cluster has, got "Dev", the name of 2 clusters (ids c-2, c-3)',
    );
  });
});

describe('scopeInventory', () => {
  it('keeps the scope’s records and those of no cluster; the per-cluster scopes partition the rest', () => {
    const inv = fakeInventory(6);
    inv.networks.push({ ...inv.networks[0]!, id: 'overlay', clusterId: null });
    const a = scopeInventory(inv, new Set(['cluster-a']));
    const b = scopeInventory(inv, new Set(['cluster-b']));
    expect(a.servers.map((s) => s.id)).toEqual(['vm-0', 'vm-2', 'vm-4']);
    expect(a.computePools.map((p) => p.id)).toEqual(['cluster-a']);
    expect(a.networks.map((n) => n.id)).toEqual(['net-0', 'overlay']);
    expect(b.networks.map((n) => n.id)).toEqual(['net-1', 'overlay']);
    for (const kind of ['servers', 'volumes', 'networks', 'computePools'] as const) {
      const union = new Set([...a[kind], ...b[kind]].map((r) => r.id));
      expect([...union].sort()).toEqual(inv[kind].map((r) => r.id).sort());
    }
  });
});

describe('scopeProvider', () => {
  it('keeps the alerts of the scoped clusters and of no known cluster, resolving once per session', async () => {
    let validations = 0;
    const alert = (id: string, clusterName: string | null) => ({ id, clusterName }) as unknown as AlertRecord;
    const inner = {
      kind: 'prism',
      validate: async () => {
        validations++;
        return {
          provider: 'prism',
          endpoint: 'https://x:9440',
          api: 'v4.0',
          version: null,
          clusters: DIRECTORY,
        };
      },
      alerts: async () => [alert('a1', 'Prod'), alert('a2', 'Dev'), alert('a3', null)],
    } as unknown as Provider;
    const session = new SessionCache().open('nutanix', { endpoint: 'https://x:9440' });
    const query = { after: null, until: 0, names: true };
    const signal = new AbortController().signal;

    const scoped = scopeProvider(inner, ['c-1'], session);
    expect((await scoped.alerts(query, signal)).map((a) => a.id)).toEqual(['a1', 'a3']);
    // A later invocation on the same warm session resolves from it, without listing clusters again.
    const again = scopeProvider(inner, ['Prod'], session);
    expect((await again.alerts(query, signal)).map((a) => a.id)).toEqual(['a1', 'a3']);
    expect(validations).toBe(1);
  });

  it('scopes the lazy inventory record by record as it scopes the inventory', async () => {
    const inner = {
      kind: 'prism',
      validate: async () => ({
        provider: 'prism',
        endpoint: 'https://x:9440',
        api: 'v4.0',
        version: null,
        clusters: [
          { id: 'cluster-a', name: 'A' },
          { id: 'cluster-b', name: 'B' },
        ],
      }),
      inventory: async () => fakeInventory(6),
      lazyInventory: async () => draining(fakeInventory(6)),
    } as unknown as Provider;
    const scoped = scopeProvider(inner, ['B']);
    const signal = new AbortController().signal;
    const want = scopeInventory(fakeInventory(6), new Set(['cluster-b']));
    const lazy = await scoped.lazyInventory(signal);
    for (const kind of KIND_KEYS) expect([...lazy[kind]()], kind).toEqual(want[kind]);
    expect(want.servers.map((s) => s.id)).toEqual(['vm-1', 'vm-3', 'vm-5']);
  });
});
