/**
 * Prism metrics, in bulk: v4 — the VM stats list endpoint once per cluster (paged by VM, never one call
 * per VM) plus one cluster-stats call per compute pool; v3 — the `groups` query per cluster; a lone Prism
 * Element (v2.0) — the v1 stats call per VM and for its cluster (see ./element: no bulk VM series documented). Samples keep
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
import type { MetricSubject, Sample, TimeWindow } from '../provider';
import { isNotFound, type PrismApi, type PrismClient } from './client';
import { collectMetricsV2 } from './element';
import { clusterMetricsV3, vmMetricsV3 } from './metrics-v3';
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
export function byCluster(subjects: MetricSubject[]): Map<string | null, Set<string>> {
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
