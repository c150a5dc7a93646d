/**
 * An in-process fake Provider for handler tests: a deterministic inventory, samples every 60 s on the
 * minute for every subject, usage records, and behaviour keyed off the credentials — a wrong password is
 * rejected with an error that (deliberately) quotes it, a host named `unreachable*` cannot be reached, a
 * host named `hang*` never answers until aborted, `denied*` lacks a permission, `crash*` throws a TypeError.
 */
import { AuthenticationError, PermissionError, UpstreamError } from '../../lib/errors';
import { usageFromInventory } from '../../lib/providers/contract';
import type { ProviderFactory } from '../../lib/providers/index';
import type {
  Inventory,
  MetricSubject,
  Provider,
  ResolvedCredentials,
  Sample,
  TimeWindow,
} from '../../lib/providers/provider';
import { draining } from '../../lib/providers/to-nflex';

export const FAKE_PASSWORD = 'Fake-Pa55word!x';
export const FAKE_TOKEN = 'fake-api-token-0123456789';
export const SAMPLE_STEP_S = 60;
export const GIB = 2 ** 30;

/** Calls the fake saw (tests assert on them). */
export interface FakeCalls {
  metrics: { subjects: MetricSubject[]; window: TimeWindow }[];
  usage: TimeWindow[];
}

/** Waits until `signal` aborts, then rejects with its reason (a provider that honours the signal). */
function untilAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

/** The fake inventory: `n` servers (even ones running), one volume each, two networks, two clusters of one host. */
export function fakeInventory(n = 4): Inventory {
  const clusters = ['cluster-a', 'cluster-b'];
  const inv: Inventory = { servers: [], hosts: [], volumes: [], networks: [], computePools: [] };
  for (const [i, id] of clusters.entries()) {
    inv.computePools.push({
      id,
      name: `Cluster ${i}`,
      createdAt: null,
      portalLink: `https://fake/clusters/${id}`,
      metadata: [{ key: 'hosts', value: 3 }],
      cpuHz: 2.4e9 * 64,
      memoryB: 512 * GIB,
      storageB: 10_000 * GIB,
    });
    inv.hosts.push({
      id: `host-${i}`,
      name: `host ${i}`,
      createdAt: null,
      portalLink: `https://fake/hosts/host-${i}`,
      metadata: [],
      clusterId: id,
      state: 'running',
      providerState: 'CONNECTED',
      cpuCores: 64,
      cpuHz: 2.4e9,
      ramB: 512 * GIB,
      ipAddresses: [`10.9.0.${i + 1}`],
    });
    inv.networks.push({
      id: `net-${i}`,
      name: `vlan-${i}`,
      createdAt: '2026-01-01T00:00:00Z',
      portalLink: `https://fake/networks/net-${i}`,
      metadata: [],
      clusterId: id,
    });
  }
  for (let i = 0; i < n; i++) {
    const clusterId = clusters[i % 2] ?? null;
    inv.servers.push({
      id: `vm-${i}`,
      name: `vm ${i}`,
      createdAt: '2026-01-02T03:04:05.123456Z',
      portalLink: `https://fake/vms/vm-${i}`,
      metadata: [{ key: 'host', value: `host-${i % 3}` }],
      clusterId,
      state: i % 2 === 0 ? 'running' : 'stopped',
      providerState: i % 2 === 0 ? 'ON' : 'OFF',
      cpuCores: 2 + (i % 3),
      cpuHz: 2.4e9,
      ramB: 4 * GIB,
      volumesB: 40 * GIB,
      ipAddresses: [{ ip: `10.0.0.${i + 1}`, networkId: `net-${i % 2}`, networkName: `vlan-${i % 2}` }],
      guestOs: {
        id: 'ubuntu-22.04',
        name: 'Ubuntu',
        type: 'linux',
        distribution: 'ubuntu',
        version: '22.04',
      },
      volumeIds: [`disk-${i}`],
      networkIds: [`net-${i % 2}`],
      hostId: i % 2 === 0 ? `host-${i % 2}` : null,
    });
    inv.volumes.push({
      id: `disk-${i}`,
      name: `disk ${i}`,
      createdAt: null,
      portalLink: `https://fake/disks/disk-${i}`,
      metadata: [],
      clusterId,
      sizeB: 40 * GIB,
      encrypted: false,
      iops: null,
      serverIds: [`vm-${i}`],
    });
  }
  return inv;
}

/** Samples on every whole minute in [start, end] — inclusive on purpose, the handler must cut the end. */
function fakeSamples(subjects: MetricSubject[], window: TimeWindow): Sample[] {
  const out: Sample[] = [];
  const step = SAMPLE_STEP_S * 1000;
  const first = Math.ceil(window.start.getTime() / step) * step;
  for (let t = first; t <= window.end.getTime(); t += step) {
    const time = new Date(t).toISOString();
    for (const s of subjects) {
      const base = { subjectId: s.nativeId, subjectKind: s.kind, time };
      if (s.kind === 'server') {
        out.push({ ...base, metric: 'fake_cpu_ppm', value: 250_000 });
        out.push({ ...base, metric: 'fake_memory_ppm', value: 500_000 });
        out.push({ ...base, metric: 'fake_rx_kbps', value: 2 });
        out.push({ ...base, metric: 'fake_unmapped', value: 1 });
      } else {
        out.push({ ...base, metric: 'fake_pool_storage_ppm', value: 125_000 });
      }
    }
  }
  return out;
}

/** The factory to install with setProviderFactory; `calls` records what the handlers asked for. */
export function fakeProviderFactory(options: { servers?: number; calls?: FakeCalls } = {}): ProviderFactory {
  return (creds: ResolvedCredentials): Provider => {
    const endpoint = creds.provider === 'nutanix' ? creds.prism.endpoint : creds.cloudtower.endpoint;
    const host = new URL(endpoint).hostname;
    const password = creds.provider === 'nutanix' ? creds.prism.password : creds.cloudtower.password;
    const token = creds.provider === 'cloudtower' ? creds.cloudtower.token : undefined;
    const kind = creds.provider === 'nutanix' ? 'prism' : 'cloudtower';

    /** Every call logs in first, like the real providers. */
    const login = async (signal: AbortSignal): Promise<void> => {
      if (host.startsWith('hang')) await untilAborted(signal);
      if (host.startsWith('unreachable')) {
        throw new UpstreamError(`cannot reach ${endpoint} for login: connect ECONNREFUSED (ECONNREFUSED)`);
      }
      if (host.startsWith('crash'))
        throw new TypeError(`Cannot read properties of undefined (password ${password})`);
      const ok = token ? token === FAKE_TOKEN : password === FAKE_PASSWORD;
      if (!ok) {
        // Quotes the secret on purpose: the middlewares must redact it everywhere.
        throw new AuthenticationError(
          `login to ${endpoint} was rejected with HTTP 401: bad password ${password}`,
        );
      }
      if (host.startsWith('denied'))
        throw new PermissionError(`list vms on ${endpoint} is not permitted (HTTP 403)`);
    };

    return {
      kind,
      async validate(signal) {
        await login(signal);
        return {
          provider: kind,
          endpoint,
          api: kind === 'prism' ? 'v4.0' : 'v2',
          version: kind === 'prism' ? 'pc.2024.3' : '4.6.0',
          clusters: [
            { id: 'cluster-a', name: 'Cluster 0' },
            { id: 'cluster-b', name: 'Cluster 1' },
          ],
        };
      },
      async inventory(signal) {
        await login(signal);
        return fakeInventory(options.servers);
      },
      async lazyInventory(signal) {
        await login(signal);
        return draining(fakeInventory(options.servers));
      },
      async metrics(subjects, window, signal) {
        await login(signal);
        options.calls?.metrics.push({ subjects, window });
        return fakeSamples(subjects, window);
      },
      async usage(window, signal) {
        await login(signal);
        options.calls?.usage.push(window);
        return usageFromInventory(draining(fakeInventory(options.servers)));
      },
      async resourceUsage(subject, signal) {
        await login(signal);
        const all = usageFromInventory(draining(fakeInventory(options.servers)));
        const mine = all.filter((u) => u.resourceId === subject.id && u.resourceType === subject.kind);
        return mine.length > 0 ? mine : null;
      },
      async alerts(_query, signal) {
        await login(signal);
        return [];
      },
      async health(scope, signal) {
        await login(signal);
        const inv = fakeInventory(options.servers);
        const all = [
          ...inv.computePools.map((p) => ({
            kind: 'cluster' as const,
            id: p.id,
            name: p.name,
            causes: [],
            clusterId: p.id,
          })),
          ...inv.servers.map((s) => ({
            kind: 'vm' as const,
            id: s.id,
            name: s.name,
            causes: [],
            clusterId: s.clusterId,
          })),
        ];
        return scope ? all.filter((e) => e.id === scope.id) : all;
      },
    };
  };
}
