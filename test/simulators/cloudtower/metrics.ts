/**
 * Simulated CloudTower metrics: which names each `get-*-metrics` operation serves, with which unit, and a
 * deterministic value for every (metric, object, timestamp) — so tests can recompute any point the
 * simulator returned (`metricValue`) without keeping history.
 */
import { hashUnit } from '../common';

/** One metric the simulator knows: operation, label key of the object, unit, value range. */
export interface MetricDef {
  op: 'vm' | 'vm-network' | 'host' | 'cluster' | 'vm-volume';
  /** The MetricLabel key that carries the object's local id (`_mac` for NICs). */
  label: '_vm' | '_mac' | '_host' | '_cluster' | '_volume';
  unit: string;
  min: number;
  max: number;
}

const PCT = { unit: 'PERCENT', min: 0, max: 100 };
const CLUSTER_RATE = { unit: 'DATA_RATE_BYTE', min: 0, max: 4e9 };
const LATENCY = { unit: 'TIME', min: 1e5, max: 2e7 };

/** Names served per operation (subset of metrics-catalog.json used by the collector, plus a few more). */
export const METRIC_DEFS: Record<string, MetricDef> = {
  elf_vm_cpu_overall_usage_percent: { op: 'vm', label: '_vm', ...PCT },
  elf_vm_cpu_overall_steal_time_percent: { op: 'vm', label: '_vm', unit: 'PERCENT', min: 0, max: 20 },
  elf_vm_memory_usage_percent: { op: 'vm', label: '_vm', ...PCT },
  elf_vm_memory_used_bytes: { op: 'vm', label: '_vm', unit: 'DATA_SIZE', min: 2 ** 28, max: 2 ** 34 },
  elf_vm_disk_overall_read_iops: { op: 'vm', label: '_vm', unit: 'COUNT', min: 0, max: 3000 },
  elf_vm_disk_overall_write_iops: { op: 'vm', label: '_vm', unit: 'COUNT', min: 0, max: 3000 },
  elf_vm_disk_overall_readwrite_speed_bps: {
    op: 'vm',
    label: '_vm',
    unit: 'DATA_RATE_BYTE',
    min: 0,
    max: 5e8,
  },
  elf_vm_disk_overall_read_speed_bps: { op: 'vm', label: '_vm', unit: 'DATA_RATE_BYTE', min: 0, max: 3e8 },
  elf_vm_disk_overall_write_speed_bps: { op: 'vm', label: '_vm', unit: 'DATA_RATE_BYTE', min: 0, max: 3e8 },
  elf_vm_disk_overall_avg_readwrite_latency_ns: { op: 'vm', label: '_vm', unit: 'TIME', min: 1e5, max: 2e7 },
  elf_vm_disk_overall_avg_read_latency_ns: { op: 'vm', label: '_vm', unit: 'TIME', min: 1e5, max: 2e7 },
  elf_vm_disk_overall_avg_write_latency_ns: { op: 'vm', label: '_vm', unit: 'TIME', min: 1e5, max: 2e7 },
  elf_vm_network_receive_speed_bitps: {
    op: 'vm-network',
    label: '_mac',
    unit: 'DATA_RATE_BIT',
    min: 0,
    max: 1e9,
  },
  elf_vm_network_transmit_speed_bitps: {
    op: 'vm-network',
    label: '_mac',
    unit: 'DATA_RATE_BIT',
    min: 0,
    max: 1e9,
  },
  elf_vm_network_receive_speed_bps: {
    op: 'vm-network',
    label: '_mac',
    unit: 'DATA_RATE_BYTE',
    min: 0,
    max: 1.25e8,
  },
  elf_vm_network_transmit_speed_bps: {
    op: 'vm-network',
    label: '_mac',
    unit: 'DATA_RATE_BYTE',
    min: 0,
    max: 1.25e8,
  },
  elf_vm_disk_readwrite_iops: { op: 'vm-volume', label: '_volume', unit: 'COUNT', min: 0, max: 3000 },
  host_cpu_overall_usage_percent: { op: 'host', label: '_host', ...PCT },
  host_memory_usage_percent: { op: 'host', label: '_host', ...PCT },
  host_memory_used_bytes: { op: 'host', label: '_host', unit: 'DATA_SIZE', min: 2 ** 34, max: 2 ** 39 },
  cluster_memory_usage_percent: { op: 'cluster', label: '_cluster', ...PCT },
  zbs_cluster_used_data_space_bytes: {
    op: 'cluster',
    label: '_cluster',
    unit: 'DATA_SIZE',
    min: 1e12,
    max: 4e12,
  },
  zbs_cluster_data_capacity_bytes: {
    op: 'cluster',
    label: '_cluster',
    unit: 'DATA_SIZE',
    min: 8e12,
    max: 8e12,
  },
  zbs_cluster_readwrite_iops: { op: 'cluster', label: '_cluster', unit: 'COUNT', min: 0, max: 1e5 },
  zbs_cluster_read_iops: { op: 'cluster', label: '_cluster', unit: 'COUNT', min: 0, max: 5e4 },
  zbs_cluster_write_iops: { op: 'cluster', label: '_cluster', unit: 'COUNT', min: 0, max: 5e4 },
  zbs_cluster_readwrite_speed_bps: { op: 'cluster', label: '_cluster', ...CLUSTER_RATE },
  zbs_cluster_read_speed_bps: { op: 'cluster', label: '_cluster', ...CLUSTER_RATE },
  zbs_cluster_write_speed_bps: { op: 'cluster', label: '_cluster', ...CLUSTER_RATE },
  zbs_cluster_avg_readwrite_latency_ns: { op: 'cluster', label: '_cluster', ...LATENCY },
  zbs_cluster_avg_read_latency_ns: { op: 'cluster', label: '_cluster', ...LATENCY },
  zbs_cluster_avg_write_latency_ns: { op: 'cluster', label: '_cluster', ...LATENCY },
  // Not in the catalogue: served only by a simulator started with `clusterCpuMetric` (otherwise, as for
  // any unknown name, the Tower answers 200 with no data).
  cluster_cpu_usage_percent: { op: 'cluster', label: '_cluster', ...PCT },
};

/** The metric only some Towers serve (see METRIC_DEFS). */
export const OPTIONAL_METRICS = new Set(['cluster_cpu_usage_percent']);

/**
 * Server-chosen step for a lookback range, the real step table (API.md §5: 2h → 30 s, 24h → 5 min,
 * 7d → 30 min, 30d → 1 day), a range between two entries taking the next one's step.
 */
export function stepForRangeMs(rangeMs: number): number {
  if (rangeMs <= 2 * 3_600_000) return 30_000;
  if (rangeMs <= 24 * 3_600_000) return 300_000;
  if (rangeMs <= 7 * 86_400_000) return 1_800_000;
  return 86_400_000;
}

/** Parses a range string such as `10m`, `2h`, `7d`; undefined when malformed. */
export function parseRange(range: unknown): number | undefined {
  if (typeof range !== 'string') return undefined;
  const m = /^(\d+)([smhd])$/.exec(range);
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 's' | 'm' | 'h' | 'd'];
  return n > 0 ? n * unit : undefined;
}

function stringHash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

/**
 * The value the simulator reports for `metric` of the object with local id `localId` at epoch-ms `t`, in
 * the metric's canonical unit, or null for a deterministic ~3 % of points (gaps, as the API documents).
 */
export function metricValue(seed: number, metric: string, localId: string, t: number): number | null {
  const def = METRIC_DEFS[metric];
  if (!def) return null;
  const key = stringHash(`${metric}|${localId}`) ^ seed;
  const slot = Math.floor(t / 1000);
  if (hashUnit(key, slot, 11) < 0.03) return null;
  const u = hashUnit(key, slot, 12);
  const raw = def.min + u * (def.max - def.min);
  // Rounded so JSON round-trips exactly and tests can compare with toBe.
  return Math.round(raw * 100) / 100;
}

/** Converts a canonical value to another unit the simulator can be told to report (RATIO, bytes/bits). */
export function convertForUnit(value: number, canonical: string, reported: string): number {
  if (canonical === reported) return value;
  if (canonical === 'PERCENT' && reported === 'RATIO') return value / 100;
  if (canonical === 'DATA_RATE_BIT' && reported === 'DATA_RATE_BYTE') return value / 8;
  if (canonical === 'DATA_RATE_BYTE' && reported === 'DATA_RATE_BIT') return value * 8;
  throw new Error(`simulator cannot report ${canonical} as ${reported}`);
}
