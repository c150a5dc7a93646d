/**
 * Deterministic, sparse performance data for the Prism simulator. Every value is a pure function of
 * (seed, entity id, timestamp, field), so tests can compute what the simulator served without asking it.
 */
import { hashUnit } from '../common/rng';
import type { SimCluster, SimVm } from './model';

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
  controllerIoBandwidthKbps: [0, 200_000],
  controllerUserBytes: [GiBs(1), GiBs(400)],
  hypervisorNumReceivedBytes: [0, 50_000_000],
  hypervisorNumTransmittedBytes: [0, 50_000_000],
};

/** Cluster/host stats fields (clustermgmt.v4.stats.ClusterStats) and their ranges. */
export const CLUSTER_STAT_FIELDS: Record<string, [number, number]> = {
  hypervisorCpuUsagePpm: [10_000, 900_000],
  aggregateHypervisorMemoryUsagePpm: [100_000, 900_000],
  controllerNumIops: [0, 20_000],
  ioBandwidthKbps: [0, 800_000],
  controllerAvgIoLatencyUsecs: [100, 5_000],
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
    // The real API reports the span each counter covers (≈ the sampling interval, a little jitter).
    tuple.hypervisorTimespanMicros =
      intervalSec * 1_000_000 - statValue(seed, vm.extId, t, 'span', [0, 90_000]);
    tuple.controllerTimespanMicros = intervalSec * 1_000_000;
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
