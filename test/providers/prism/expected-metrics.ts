/**
 * Ground truth for Prism metrics: what each API path must yield as nflex points (name, unit, converted
 * value, time, subject), computed from the simulator's generator and the contract table below — never from
 * the provider's own field lists or mappings/prism.yaml, so a wrong mapping or a missing field fails.
 */
import type { TimeWindow } from '../../../lib/providers/provider';
import { line } from '../../helpers/metric-lines';
import type { PrismWorld } from '../../simulators/prism/model';
import { clusterSeries, hostSeries, vmMetricTuples } from '../../simulators/prism/stats';

export type PrismPath = 'v4' | 'v3' | 'pe';

interface Contract {
  unit: string;
  /** The v4 field read, or a function of the tuple/series values at one time. */
  field: string;
  convert: (v: number) => number;
  /** Only the v4 API offers it. */
  v4Only?: boolean;
}

const pct = (v: number) => v / 10000;
const ms = (v: number) => v / 1000;
const kb = (v: number) => v * 1024;
const id = (v: number) => v;

/** The contract: nflex name → v4 field and conversion, per subject kind. */
export const SERVER_CONTRACT: Record<string, Contract> = {
  'cpu-usage': { unit: '%', field: 'hypervisorCpuUsagePpm', convert: pct },
  'cpu-ready': { unit: '%', field: 'hypervisorCpuReadyTimePpm', convert: pct },
  'memory-usage': { unit: '%', field: 'memoryUsagePpm', convert: pct },
  'disk-read-iops': { unit: 'ops/s', field: 'controllerNumReadIops', convert: id },
  'disk-write-iops': { unit: 'ops/s', field: 'controllerNumWriteIops', convert: id },
  'disk-latency': { unit: 'ms', field: 'controllerAvgIoLatencyMicros', convert: ms },
  'disk-read-latency': { unit: 'ms', field: 'controllerAvgReadIoLatencyMicros', convert: ms, v4Only: true },
  'disk-write-latency': { unit: 'ms', field: 'controllerAvgWriteIoLatencyMicros', convert: ms, v4Only: true },
  'disk-throughput': { unit: 'B/s', field: 'controllerIoBandwidthKbps', convert: kb },
  'disk-read-throughput': { unit: 'B/s', field: 'controllerReadIoBandwidthKbps', convert: kb, v4Only: true },
  'disk-write-throughput': {
    unit: 'B/s',
    field: 'controllerWriteIoBandwidthKbps',
    convert: kb,
    v4Only: true,
  },
};
export const POOL_CONTRACT: Record<string, Contract> = {
  'cpu-usage': { unit: '%', field: 'hypervisorCpuUsagePpm', convert: pct },
  'memory-usage': { unit: '%', field: 'aggregateHypervisorMemoryUsagePpm', convert: pct },
  'disk-read-iops': { unit: 'ops/s', field: 'controllerNumReadIops', convert: id },
  'disk-write-iops': { unit: 'ops/s', field: 'controllerNumWriteIops', convert: id },
  'disk-latency': { unit: 'ms', field: 'controllerAvgIoLatencyUsecs', convert: ms },
  'disk-read-latency': { unit: 'ms', field: 'controllerAvgReadIoLatencyUsecs', convert: ms, v4Only: true },
  'disk-write-latency': { unit: 'ms', field: 'controllerAvgWriteIoLatencyUsecs', convert: ms, v4Only: true },
  'disk-throughput': { unit: 'B/s', field: 'ioBandwidthKbps', convert: kb },
  'disk-read-throughput': { unit: 'B/s', field: 'controllerReadIoBandwidthKbps', convert: kb, v4Only: true },
  'disk-write-throughput': {
    unit: 'B/s',
    field: 'controllerWriteIoBandwidthKbps',
    convert: kb,
    v4Only: true,
  },
  'storage-used': { unit: 'B', field: 'storageUsageBytes', convert: id },
  'storage-capacity': { unit: 'B', field: 'storageCapacityBytes', convert: id },
};
export const HOST_CONTRACT: Record<string, Contract> = {
  'cpu-usage': { unit: '%', field: 'hypervisorCpuUsagePpm', convert: pct },
  'memory-usage': { unit: '%', field: 'aggregateHypervisorMemoryUsagePpm', convert: pct },
};

/** Names each path emits per subject kind (the README's "lacks" list is the complement). */
export function contractNames(path: PrismPath, kind: 'server' | 'compute_pool' | 'host'): string[] {
  const table = kind === 'server' ? SERVER_CONTRACT : kind === 'host' ? HOST_CONTRACT : POOL_CONTRACT;
  const names = Object.entries(table)
    .filter(([, c]) => path === 'v4' || !c.v4Only)
    .map(([n]) => n);
  if (kind === 'server') names.push('network-rx', 'network-tx');
  if (kind === 'compute_pool') names.push('storage-usage');
  return names.sort();
}

/** Every point the path must yield for the subjects, from the simulator's generator. */
export function expectedLines(
  seed: number,
  world: PrismWorld,
  path: PrismPath,
  window: TimeWindow,
  interval: number,
  subjects: { vms?: string[]; clusters?: string[]; hosts?: string[] },
): string[] {
  const start = window.start.getTime();
  const end = window.end.getTime();
  const inWindow = (t: number) => t >= start && t < end;
  const out: string[] = [];
  for (const vmId of subjects.vms ?? []) {
    const vm = world.vms.find((v) => v.extId === vmId)!;
    for (const tuple of vmMetricTuples(seed, vm, start, end, interval)) {
      const t = Date.parse(tuple.timestamp as string);
      if (!inWindow(t)) continue;
      for (const [name, c] of Object.entries(SERVER_CONTRACT)) {
        if (c.v4Only && path !== 'v4') continue;
        const v = tuple[c.field];
        if (typeof v === 'number') out.push(line(vmId, name, c.unit, c.convert(v), t));
      }
      // v4 reports the counters' timespan; v3 and PE do not, and their counts cover the same 30 s.
      const seconds = path === 'v4' ? (tuple.hypervisorTimespanMicros as number) / 1e6 : 30;
      for (const [field, name] of [
        ['hypervisorNumReceivedBytes', 'network-rx'],
        ['hypervisorNumTransmittedBytes', 'network-tx'],
      ] as const) {
        const v = tuple[field];
        if (typeof v === 'number') out.push(line(vmId, name, 'B/s', v / seconds, t));
      }
    }
  }
  for (const clusterId of subjects.clusters ?? []) {
    const cluster = world.clusters.find((c) => c.extId === clusterId)!;
    const series = clusterSeries(seed, cluster, start, end, interval);
    for (const [name, c] of Object.entries(POOL_CONTRACT)) {
      if (c.v4Only && path !== 'v4') continue;
      for (const p of series[c.field] ?? []) {
        const t = Date.parse(p.timestamp);
        if (inWindow(t)) out.push(line(clusterId, name, c.unit, c.convert(p.value), t));
      }
    }
    for (const p of series.storageUsageBytes ?? []) {
      const t = Date.parse(p.timestamp);
      if (inWindow(t))
        out.push(line(clusterId, 'storage-usage', '%', (p.value / cluster.storageCapacityBytes) * 100, t));
    }
  }
  for (const hostId of subjects.hosts ?? []) {
    const host = world.hosts.find((h) => h.extId === hostId)!;
    const series = hostSeries(seed, host, start, end, interval);
    for (const [name, c] of Object.entries(HOST_CONTRACT)) {
      for (const p of series[c.field] ?? []) {
        const t = Date.parse(p.timestamp);
        if (inWindow(t)) out.push(line(hostId, name, c.unit, c.convert(p.value), t));
      }
    }
  }
  return out.sort();
}

export { line, mappedLines } from '../../helpers/metric-lines';
