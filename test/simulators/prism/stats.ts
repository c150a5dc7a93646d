/**
 * Deterministic, sparse performance data for the Prism simulator. Every value is a pure function of
 * (seed, entity id, timestamp, field), so tests can compute what the simulator served without asking it.
 */
import { hashUnit } from '../common/rng';
import type { SimCluster, SimHost, SimVm } from './model';

/** VmStatsTuple fields the simulator fills, with the range each value is drawn from. */
export const VM_STAT_FIELDS: Record<string, [number, number]> = {
  hypervisorCpuUsagePpm: [0, 1_000_000],
  hypervisorCpuReadyTimePpm: [0, 2_000],
  memoryUsagePpm: [50_000, 1_000_000],
  guestMemoryUsagePpm: [50_000, 1_000_000],
  controllerNumIops: [0, 5_000],
  controllerNumReadIops: [0, 3_000],
  controllerNumWriteIops: [0, 3_000],
  controllerAvgIoLatencyMicros: [100, 20_000],
  controllerAvgReadIoLatencyMicros: [100, 20_000],
  controllerAvgWriteIoLatencyMicros: [100, 20_000],
  controllerIoBandwidthKbps: [0, 200_000],
  controllerReadIoBandwidthKbps: [0, 100_000],
  controllerWriteIoBandwidthKbps: [0, 100_000],
  hypervisorMemoryUsagePpm: [1_000_000, 1_000_000],
  controllerUserBytes: [GiBs(1), GiBs(400)],
  // Bytes over the hypervisor's own ~30 s timespan (hypervisorTimespanMicros), whatever the interval.
  hypervisorNumReceivedBytes: [0, 5_000_000],
  hypervisorNumTransmittedBytes: [0, 5_000_000],
};

/** Cluster/host stats fields (clustermgmt.v4.stats.ClusterStats) and their ranges. */
export const CLUSTER_STAT_FIELDS: Record<string, [number, number]> = {
  hypervisorCpuUsagePpm: [10_000, 900_000],
  aggregateHypervisorMemoryUsagePpm: [100_000, 900_000],
  controllerNumIops: [0, 20_000],
  controllerNumReadIops: [0, 10_000],
  controllerNumWriteIops: [0, 10_000],
  ioBandwidthKbps: [0, 800_000],
  controllerReadIoBandwidthKbps: [0, 400_000],
  controllerWriteIoBandwidthKbps: [0, 400_000],
  controllerAvgIoLatencyUsecs: [100, 5_000],
  controllerAvgReadIoLatencyUsecs: [100, 5_000],
  controllerAvgWriteIoLatencyUsecs: [100, 5_000],
  storageUsageBytes: [GiBs(100), GiBs(15_000)],
  healthCheckScore: [60, 100],
};

function GiBs(n: number): number {
  return n * 2 ** 30;
}

function idHash(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 16777619);
  return h >>> 0;
}

function fieldSalt(field: string): number {
  return idHash(field) % 100_000;
}

/** Sample timestamps (epoch ms) the API reports for a window: interval ends in (start, end]. */
export function sampleTimes(startMs: number, endMs: number, intervalSec: number): number[] {
  const step = intervalSec * 1000;
  const times: number[] = [];
  for (let t = Math.floor(startMs / step) * step + step; t <= endMs; t += step) times.push(t);
  return times;
}

/** One value of a field for an entity at a time: deterministic. */
export function statValue(
  seed: number,
  entityId: string,
  timeMs: number,
  field: string,
  range: [number, number],
): number {
  const u = hashUnit(seed ^ idHash(entityId), Math.floor(timeMs / 1000), fieldSalt(field));
  return Math.round(range[0] + u * (range[1] - range[0]));
}

/** Whether a VM has a metric tuple at this time: only running VMs, and ~10 % of intervals are missing. */
export function vmHasSample(seed: number, vm: SimVm, timeMs: number): boolean {
  if (vm.powerState !== 'ON') return false;
  return hashUnit(seed ^ idHash(vm.extId), Math.floor(timeMs / 1000), 17) >= 0.1;
}

/** Whether a field is present in a VM tuple (network counters are sometimes absent: sparse tuples). */
export function vmFieldPresent(seed: number, vm: SimVm, timeMs: number, field: string): boolean {
  if (!field.startsWith('hypervisorNum')) return true;
  return hashUnit(seed ^ idHash(vm.extId), Math.floor(timeMs / 1000), 23) >= 0.2;
}

/** The metric tuples (flat VmStatsTuple objects) a VM has in a window. */
export function vmMetricTuples(
  seed: number,
  vm: SimVm,
  startMs: number,
  endMs: number,
  intervalSec: number,
): Record<string, number | string>[] {
  const out: Record<string, number | string>[] = [];
  for (const t of sampleTimes(startMs, endMs, intervalSec)) {
    if (!vmHasSample(seed, vm, t)) continue;
    const tuple: Record<string, number | string> = {
      timestamp: new Date(t).toISOString().replace('.000Z', 'Z'),
    };
    for (const [field, range] of Object.entries(VM_STAT_FIELDS)) {
      if (vmFieldPresent(seed, vm, t, field)) tuple[field] = statValue(seed, vm.extId, t, field, range);
    }
    // The span the counters cover is the hypervisor's own ~30 s collection period, a little jitter, at any
    // sampling interval: a coarser interval averages 30 s counts (the recorded fixture: 29,911,994 µs).
    tuple.hypervisorTimespanMicros = 30_000_000 - statValue(seed, vm.extId, t, 'span', [0, 90_000]);
    tuple.controllerTimespanMicros = 30_000_000;
    out.push(tuple);
  }
  return out;
}

/** Cluster time series: field → [{timestamp, value}] over the window (capacity stamped once, earlier). */
export function clusterSeries(
  seed: number,
  cluster: SimCluster,
  startMs: number,
  endMs: number,
  intervalSec: number,
): Record<string, { timestamp: string; value: number }[]> {
  const times = sampleTimes(startMs, endMs, intervalSec);
  const series: Record<string, { timestamp: string; value: number }[]> = {};
  for (const [field, range] of Object.entries(CLUSTER_STAT_FIELDS)) {
    const points = times
      .filter((t) => hashUnit(seed ^ idHash(cluster.extId), Math.floor(t / 1000), fieldSalt(field)) >= 0.05)
      .map((t) => ({
        timestamp: new Date(t).toISOString().replace('.000Z', 'Z'),
        value: statValue(seed, cluster.extId, t, field, range),
      }));
    if (points.length > 0) series[field] = points;
  }
  if (series.storageUsageBytes) {
    // Capacity comes with the usage points so a usage percentage can be derived per timestamp.
    series.storageCapacityBytes = series.storageUsageBytes.map((p) => ({
      timestamp: p.timestamp,
      value: cluster.storageCapacityBytes,
    }));
  }
  return series;
}

/** Host time series (HostStats): CPU and memory usage at every interval end of the window. */
export function hostSeries(
  seed: number,
  host: SimHost,
  startMs: number,
  endMs: number,
  intervalSec: number,
): Record<string, { timestamp: string; value: number }[]> {
  const series: Record<string, { timestamp: string; value: number }[]> = {};
  for (const field of ['hypervisorCpuUsagePpm', 'aggregateHypervisorMemoryUsagePpm']) {
    series[field] = sampleTimes(startMs, endMs, intervalSec).map((t) => ({
      timestamp: new Date(t).toISOString().replace('.000Z', 'Z'),
      value: statValue(seed, host.extId, t, field, CLUSTER_STAT_FIELDS[field]!),
    }));
  }
  // Capacity is stamped at the last configuration change, not inside the window.
  series.cpuCapacityHz = [
    { timestamp: '2025-01-01T00:00:00Z', value: host.cpuFrequencyHz * host.numberOfCpuCores },
  ];
  series.memoryCapacityBytes = [{ timestamp: '2025-01-01T00:00:00Z', value: host.memorySizeBytes }];
  return series;
}

/**
 * v3 `groups` attributes / PE v1 stats metrics (one naming) → the simulator field each serves, per entity
 * type. The VM names are API.md §10's and those public collectors read from v1 VM stats; the v4-only
 * read/write latency and bandwidth have no entry, so v3 and PE cannot serve them.
 */
export const V1_STAT_NAMES: Record<'vm' | 'cluster' | 'host', Record<string, string>> = {
  vm: {
    hypervisor_cpu_usage_ppm: 'hypervisorCpuUsagePpm',
    'hypervisor.cpu_ready_time_ppm': 'hypervisorCpuReadyTimePpm',
    memory_usage_ppm: 'memoryUsagePpm',
    hypervisor_memory_usage_ppm: 'hypervisorMemoryUsagePpm',
    controller_num_iops: 'controllerNumIops',
    controller_num_read_iops: 'controllerNumReadIops',
    controller_num_write_iops: 'controllerNumWriteIops',
    controller_avg_io_latency_usecs: 'controllerAvgIoLatencyMicros',
    controller_io_bandwidth_kBps: 'controllerIoBandwidthKbps',
    hypervisor_num_received_bytes: 'hypervisorNumReceivedBytes',
    hypervisor_num_transmitted_bytes: 'hypervisorNumTransmittedBytes',
  },
  cluster: {
    hypervisor_cpu_usage_ppm: 'hypervisorCpuUsagePpm',
    hypervisor_memory_usage_ppm: 'aggregateHypervisorMemoryUsagePpm',
    controller_num_iops: 'controllerNumIops',
    controller_num_read_iops: 'controllerNumReadIops',
    controller_num_write_iops: 'controllerNumWriteIops',
    controller_avg_io_latency_usecs: 'controllerAvgIoLatencyUsecs',
    controller_io_bandwidth_kBps: 'ioBandwidthKbps',
    'storage.usage_bytes': 'storageUsageBytes',
    'storage.capacity_bytes': 'storageCapacityBytes',
  },
  host: {
    hypervisor_cpu_usage_ppm: 'hypervisorCpuUsagePpm',
    hypervisor_memory_usage_ppm: 'aggregateHypervisorMemoryUsagePpm',
  },
};
