/**
 * Prism metrics, in bulk: v4 — the VM stats list endpoint once per cluster (paged by VM, never one call
 * per VM) plus one cluster-stats call per compute pool; v3 — the `groups` query per cluster; a lone Prism
 * Element (v2.0) — the v1 stats call per VM and for its cluster (see ./v2: no bulk VM series documented). Samples keep
 * the v4 field names and units (the keys of mappings/prism.yaml); three are derived, documented below.
 *
 * Emitted raw keys:
 * - servers: hypervisorCpuUsagePpm, memoryUsagePpm, controllerNumReadIops, controllerNumWriteIops,
 *   controllerAvgIoLatencyMicros, controllerIoBandwidthKbps, and the derived
 *   hypervisorNumReceivedBytesPerSecond / hypervisorNumTransmittedBytesPerSecond (the API reports bytes
 *   per interval; divided by the interval's `hypervisorTimespanMicros`, or the sampling interval);
 * - compute pools: hypervisorCpuUsagePpm, aggregateHypervisorMemoryUsagePpm, and the derived
 *   storageUsagePpm (storageUsageBytes / storageCapacityBytes × 1e6 at each timestamp).
 */
import { UpstreamError } from '../../errors';
import { mapLimit } from '../../http';
import { goneWarning } from '../contract';
import { checkNativeId, prismPathId } from '../ids';
import { collectPages } from '../paging';
import type { MetricSubject, Sample, TimeWindow } from '../provider';
import { isNotFound, type PrismApi, type PrismClient } from './client';
import { collectMetricsV2 } from './element';
import { asObject, type Json, list, num, requireStr, str } from './read';
import { isoSeconds, listV4 } from './v4';

/** VmStatsTuple fields emitted as they are. */
export const VM_METRIC_FIELDS = [
  'hypervisorCpuUsagePpm',
  'memoryUsagePpm',
  'controllerNumReadIops',
  'controllerNumWriteIops',
  'controllerAvgIoLatencyMicros',
  'controllerIoBandwidthKbps',
] as const;

/** Per-interval byte counters → derived per-second keys. */
export const VM_RATE_FIELDS = {
  hypervisorNumReceivedBytes: 'hypervisorNumReceivedBytesPerSecond',
  hypervisorNumTransmittedBytes: 'hypervisorNumTransmittedBytesPerSecond',
} as const;

/** v3 `groups` attribute → the v4 field name we emit [unverified: groups is not a documented contract]. */
export const V3_VM_ATTRIBUTES: Record<string, string> = {
  hypervisor_cpu_usage_ppm: 'hypervisorCpuUsagePpm',
  memory_usage_ppm: 'memoryUsagePpm',
  controller_num_read_iops: 'controllerNumReadIops',
  controller_num_write_iops: 'controllerNumWriteIops',
  controller_avg_io_latency_usecs: 'controllerAvgIoLatencyMicros',
  controller_io_bandwidth_kBps: 'controllerIoBandwidthKbps',
  hypervisor_num_received_bytes: 'hypervisorNumReceivedBytes',
  hypervisor_num_transmitted_bytes: 'hypervisorNumTransmittedBytes',
};
export const V3_CLUSTER_ATTRIBUTES: Record<string, string> = {
  hypervisor_cpu_usage_ppm: 'hypervisorCpuUsagePpm',
  hypervisor_memory_usage_ppm: 'aggregateHypervisorMemoryUsagePpm',
  'storage.usage_bytes': 'storageUsageBytes',
  'storage.capacity_bytes': 'storageCapacityBytes',
};

/** Sampling interval for a window: at least two samples per window, coarser for long windows. */
export function samplingIntervalSec(window: TimeWindow): number {
  const seconds = (window.end.getTime() - window.start.getTime()) / 1000;
  if (seconds >= 7200) return 300;
  if (seconds >= 120) return 60;
  return 30;
}

function inWindow(timeMs: number, window: TimeWindow): boolean {
  return timeMs >= window.start.getTime() && timeMs < window.end.getTime();
}

/** Turns one VM's metric tuples (flat objects with `timestamp`) into samples inside the window. */
export function vmSamplesFromTuples(
  vmId: string,
  tuples: Json[],
  window: TimeWindow,
  intervalSec: number,
): Sample[] {
  const out: Sample[] = [];
  for (const t of tuples) {
    const ts = str(t, 'timestamp');
    const ms = ts === null ? Number.NaN : Date.parse(ts);
    if (!Number.isFinite(ms) || !inWindow(ms, window)) continue;
    const time = new Date(ms).toISOString();
    for (const field of VM_METRIC_FIELDS) {
      const v = num(t, field);
      if (v !== null) out.push({ subjectId: vmId, subjectKind: 'server', metric: field, value: v, time });
    }
    const span = num(t, 'hypervisorTimespanMicros');
    const seconds = span !== null && span > 0 ? span / 1e6 : intervalSec;
    for (const [field, key] of Object.entries(VM_RATE_FIELDS)) {
      const v = num(t, field);
      if (v !== null)
        out.push({ subjectId: vmId, subjectKind: 'server', metric: key, value: v / seconds, time });
    }
  }
  return out;
}

/** Cluster series (field → [{timestamp, value}]) → compute-pool samples inside the window. */
export function poolSamplesFromSeries(
  clusterId: string,
  series: Record<string, { t: number; v: number }[]>,
  window: TimeWindow,
): Sample[] {
  const out: Sample[] = [];
  const emit = (metric: string, t: number, value: number) => {
    if (inWindow(t, window))
      out.push({
        subjectId: clusterId,
        subjectKind: 'compute_pool',
        metric,
        value,
        time: new Date(t).toISOString(),
      });
  };
  for (const p of series.hypervisorCpuUsagePpm ?? []) emit('hypervisorCpuUsagePpm', p.t, p.v);
  for (const p of series.aggregateHypervisorMemoryUsagePpm ?? [])
    emit('aggregateHypervisorMemoryUsagePpm', p.t, p.v);
  // Capacity may be stamped at its last change, outside the window: use the latest one at or before t.
  const capacity = [...(series.storageCapacityBytes ?? [])].sort((a, b) => a.t - b.t);
  for (const p of series.storageUsageBytes ?? []) {
    const cap = capacity.filter((c) => c.t <= p.t).at(-1) ?? capacity[0];
    if (cap && cap.v > 0) emit('storageUsagePpm', p.t, (p.v / cap.v) * 1e6);
  }
  return out;
}

/** Server subjects grouped by cluster; subjects without a cluster go under `null` (unfiltered query). */
function byCluster(subjects: MetricSubject[]): Map<string | null, Set<string>> {
  const groups = new Map<string | null, Set<string>>();
  for (const s of subjects) {
    const key = s.clusterId ?? null;
    const set = groups.get(key) ?? new Set<string>();
    set.add(s.nativeId);
    groups.set(key, set);
  }
  return groups;
}

/** Collects raw samples for the subjects. */
export async function collectMetrics(
  client: PrismClient,
  api: PrismApi,
  subjects: MetricSubject[],
  window: TimeWindow,
  signal: AbortSignal,
): Promise<Sample[]> {
  const servers = subjects.filter((s) => s.kind === 'server');
  const pools = subjects.filter((s) => s.kind === 'compute_pool');
  const interval = samplingIntervalSec(window);
  if (api.kind === 'v4') {
    const [vmSamples, poolSamples] = await Promise.all([
      vmMetricsV4(client, api.version, servers, window, interval, signal),
      mapLimit(
        pools,
        client.concurrency,
        (p, _i, s) => clusterMetricsV4(client, api.version, p.nativeId, window, interval, s),
        signal,
      ),
    ]);
    return [...vmSamples, ...poolSamples.flat()];
  }
  if (api.kind === 'v2') {
    return collectMetricsV2(
      client,
      [...new Set(servers.map((s) => s.nativeId))],
      [...new Set(pools.map((p) => p.nativeId))],
      window,
      interval,
      signal,
      {
        vm: (vmId, tuples) => vmSamplesFromTuples(vmId, tuples, window, interval),
        pool: (clusterId, series) => poolSamplesFromSeries(clusterId, series, window),
      },
    );
  }
  const [vmSamples, poolSamples] = await Promise.all([
    vmMetricsV3(client, servers, window, interval, signal),
    pools.length > 0
      ? clusterMetricsV3(client, new Set(pools.map((p) => p.nativeId)), window, interval, signal)
      : [],
  ]);
  return [...vmSamples, ...poolSamples];
}

function statsQuery(window: TimeWindow, interval: number) {
  return {
    $startTime: isoSeconds(window.start),
    $endTime: isoSeconds(window.end),
    $samplingInterval: interval,
    $statType: 'AVG',
    $select: '*',
  };
}

async function vmMetricsV4(
  client: PrismClient,
  version: string,
  servers: MetricSubject[],
  window: TimeWindow,
  interval: number,
  signal: AbortSignal,
): Promise<Sample[]> {
  if (servers.length === 0) return [];
  const query = statsQuery(window, interval);
  if (servers.length === 1) {
    // One resource (non-bulk poll): its own endpoint is one request, same as a one-VM page.
    const id = servers[0]!.nativeId;
    let body: unknown;
    try {
      body = await client.get<unknown>(
        `/api/vmm/${version}/ahv/stats/vms/${prismPathId(id, 'resource.native_id')}`,
        query,
        `read stats of VM ${id}`,
        signal,
      );
    } catch (err) {
      // With a cached API a 404 may mean the detection went stale: the provider re-detects and asks again.
      if (!isNotFound(err) || client.apiFromCache) throw err;
      client.warn(goneWarning('server', id));
      return [];
    }
    return vmSamplesFromTuples(
      id,
      list(body, 'data.stats', `stats of VM ${id}`).map((t) => asObject(t) ?? {}),
      window,
      interval,
    );
  }
  const groups = [...byCluster(servers)];
  const perCluster = await mapLimit(
    groups,
    client.concurrency,
    async ([clusterId, wanted], _i, s) => {
      // [unverified filter syntax] If the server ignored it, tuples name other clusters: fail loudly below.
      const filter = clusterId
        ? { $filter: `stats/cluster eq '${checkNativeId('nutanix', clusterId, 'cluster id')}'` }
        : {};
      const items = await listV4(
        client,
        `/api/vmm/${version}/ahv/stats/vms`,
        clusterId ? `VM stats of cluster ${clusterId}` : 'VM stats',
        s,
        { ...query, ...filter },
      );
      const out: Sample[] = [];
      for (const item of items) {
        const vmId = requireStr(item, 'extId', 'VM stats');
        const tuples = list(item, 'stats', `stats of VM ${vmId}`).map((t) => asObject(t) ?? {});
        if (clusterId) {
          const other = tuples.map((t) => str(t, 'cluster')).find((c) => c !== null && c !== clusterId);
          if (other) {
            throw new UpstreamError(
              `VM stats filtered by cluster ${clusterId} returned VM ${vmId} of cluster ${other}`,
            );
          }
        }
        if (wanted.has(vmId)) out.push(...vmSamplesFromTuples(vmId, tuples, window, interval));
      }
      return out;
    },
    signal,
  );
  return perCluster.flat();
}

async function clusterMetricsV4(
  client: PrismClient,
  version: string,
  clusterId: string,
  window: TimeWindow,
  interval: number,
  signal: AbortSignal,
): Promise<Sample[]> {
  const body = await client.get<unknown>(
    `/api/clustermgmt/${version}/stats/clusters/${prismPathId(clusterId, 'resource.native_id')}`,
    {
      ...statsQuery(window, interval),
      $select:
        'hypervisorCpuUsagePpm,aggregateHypervisorMemoryUsagePpm,storageUsageBytes,storageCapacityBytes',
    },
    `read stats of cluster ${clusterId}`,
    signal,
  );
  const data = asObject(asObject(body)?.data);
  if (!data) throw new UpstreamError(`stats of cluster ${clusterId}: response has no data`);
  const series: Record<string, { t: number; v: number }[]> = {};
  for (const field of [
    'hypervisorCpuUsagePpm',
    'aggregateHypervisorMemoryUsagePpm',
    'storageUsageBytes',
    'storageCapacityBytes',
  ]) {
    series[field] = list(data, field, `stats of cluster ${clusterId}`)
      .map((p) => ({ t: Date.parse(str(p, 'timestamp') ?? ''), v: num(p, 'value') }))
      .filter((p): p is { t: number; v: number } => Number.isFinite(p.t) && p.v !== null);
  }
  return poolSamplesFromSeries(clusterId, series, window);
}

interface GroupsEntity {
  entityId: string;
  /** The entity's `cluster` attribute when it was asked for. */
  clusterId: string | null;
  series: Record<string, { t: number; v: number }[]>;
}

function parseGroups(body: unknown, what: string): { entities: GroupsEntity[]; total: number | undefined } {
  const total = num(body, 'filtered_entity_count') ?? undefined;
  const entities: GroupsEntity[] = [];
  for (const group of list(body, 'group_results', what)) {
    for (const e of list(group, 'entity_results', what)) {
      const series: Record<string, { t: number; v: number }[]> = {};
      let clusterId: string | null = null;
      for (const d of list(e, 'data', what)) {
        const name = str(d, 'name');
        if (!name) continue;
        const values = list(d, 'values', what);
        if (name === 'cluster') {
          const raw = list(values[0], 'values', what)[0];
          clusterId = typeof raw === 'string' ? raw : null;
          continue;
        }
        // Values come as strings; times in microseconds.
        series[name] = values.flatMap((v) => {
          const raw = list(v, 'values', what)[0];
          const time = num(v, 'time');
          return time === null || raw === undefined ? [] : [{ t: time / 1000, v: Number(raw) }];
        });
      }
      entities.push({ entityId: requireStr(e, 'entity_id', what), clusterId, series });
    }
  }
  return { entities, total };
}

async function vmMetricsV3(
  client: PrismClient,
  servers: MetricSubject[],
  window: TimeWindow,
  interval: number,
  signal: AbortSignal,
): Promise<Sample[]> {
  if (servers.length === 0) return [];
  const groups = [...byCluster(servers)];
  const perCluster = await mapLimit(
    groups,
    client.concurrency,
    async ([clusterId, wanted], _i, s) => {
      const what = clusterId ? `VM stats of cluster ${clusterId}` : 'VM stats';
      const entities = await collectPages({
        what,
        pageSize: 500,
        concurrency: client.concurrency,
        signal: s,
        idOf: (e: GroupsEntity) => e.entityId,
        fetchPage: async (req, ps) => {
          const body = await client.post<unknown>(
            '/api/nutanix/v3/groups',
            {
              entity_type: 'mh_vm',
              group_member_attributes: [
                { attribute: 'cluster' },
                ...Object.keys(V3_VM_ATTRIBUTES).map((attribute) => ({ attribute })),
              ],
              group_member_count: req.limit,
              group_member_offset: req.offset,
              // [unverified filter syntax] checked against each entity's cluster attribute below.
              ...(clusterId
                ? { filter_criteria: `cluster==${checkNativeId('nutanix', clusterId, 'cluster id')}` }
                : {}),
              interval_start_ms: window.start.getTime(),
              interval_end_ms: window.end.getTime(),
              downsampling_interval: interval,
            },
            `query ${what}`,
            ps,
          );
          const page = parseGroups(body, what);
          return { items: page.entities, total: page.total };
        },
      });
      const out: Sample[] = [];
      if (servers.length === 1 && !entities.some((e) => wanted.has(e.entityId))) {
        client.warn(goneWarning('server', servers[0]!.nativeId));
      }
      for (const e of entities) {
        if (clusterId && e.clusterId !== clusterId) {
          throw new UpstreamError(
            `groups query filtered by cluster ${clusterId} returned VM ${e.entityId} of cluster ${e.clusterId ?? 'unknown'}`,
          );
        }
        if (!wanted.has(e.entityId)) continue;
        // Rebuild v4-style tuples per timestamp so both APIs share one sample builder.
        const byTime = new Map<number, Json>();
        for (const [attr, field] of Object.entries(V3_VM_ATTRIBUTES)) {
          for (const p of e.series[attr] ?? []) {
            if (!Number.isFinite(p.v)) continue;
            const tuple = byTime.get(p.t) ?? { timestamp: new Date(p.t).toISOString() };
            tuple[field] = p.v;
            byTime.set(p.t, tuple);
          }
        }
        out.push(...vmSamplesFromTuples(e.entityId, [...byTime.values()], window, interval));
      }
      return out;
    },
    signal,
  );
  return perCluster.flat();
}

async function clusterMetricsV3(
  client: PrismClient,
  wanted: Set<string>,
  window: TimeWindow,
  interval: number,
  signal: AbortSignal,
): Promise<Sample[]> {
  const body = await client.post<unknown>(
    '/api/nutanix/v3/groups',
    {
      entity_type: 'cluster',
      group_member_attributes: Object.keys(V3_CLUSTER_ATTRIBUTES).map((attribute) => ({ attribute })),
      group_member_count: 500,
      group_member_offset: 0,
      interval_start_ms: window.start.getTime(),
      interval_end_ms: window.end.getTime(),
      downsampling_interval: interval,
    },
    'query cluster stats',
    signal,
  );
  const { entities } = parseGroups(body, 'cluster stats');
  return entities
    .filter((e) => wanted.has(e.entityId))
    .flatMap((e) => {
      const series: Record<string, { t: number; v: number }[]> = {};
      for (const [attr, field] of Object.entries(V3_CLUSTER_ATTRIBUTES)) series[field] = e.series[attr] ?? [];
      return poolSamplesFromSeries(e.entityId, series, window);
    });
}

/** v3 cluster storage capacity through one `groups` query (for the compute pools' storage_b). */
export async function readStorageCapacityV3(
  client: PrismClient,
  clusters: { id: string; isPrismCentral: boolean; storageCapacityBytes: number | null }[],
  signal: AbortSignal,
): Promise<void> {
  const end = new Date(client.now());
  const window = { start: new Date(end.getTime() - 3600_000), end };
  const body = await client.post<unknown>(
    '/api/nutanix/v3/groups',
    {
      entity_type: 'cluster',
      group_member_attributes: [{ attribute: 'storage.capacity_bytes' }],
      group_member_count: 500,
      group_member_offset: 0,
      interval_start_ms: window.start.getTime(),
      interval_end_ms: window.end.getTime(),
      downsampling_interval: 300,
    },
    'query cluster storage capacity',
    signal,
  );
  const { entities } = parseGroups(body, 'cluster storage capacity');
  for (const c of clusters) {
    const points = entities.find((e) => e.entityId === c.id)?.series['storage.capacity_bytes'] ?? [];
    const last = points.filter((p) => Number.isFinite(p.v)).at(-1);
    c.storageCapacityBytes = last ? last.v : null;
  }
}
