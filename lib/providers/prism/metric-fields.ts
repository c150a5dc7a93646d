/**
 * Which Prism statistics the provider asks for, derived from the keys of mappings/prism.yaml and their
 * `subjects`: adding a metric there is all it takes. Code keeps only what the mapping cannot say — how the
 * derived keys are computed, and the one alias table from the v3 `groups` / Prism Element v1 names.
 */
import { providerMapping } from '../../config/assets';
import type { MetricSubject } from '../provider';

export type SubjectKind = MetricSubject['kind'];

/** Network counters: bytes over the hypervisor's timespan → the derived per-second key. */
export const RATE_KEYS: Readonly<Record<string, string>> = {
  hypervisorNumReceivedBytesPerSecond: 'hypervisorNumReceivedBytes',
  hypervisorNumTransmittedBytesPerSecond: 'hypervisorNumTransmittedBytes',
};
/** storageUsageBytes / storageCapacityBytes × 1e6 at each timestamp. */
export const STORAGE_RATIO_KEY = 'storageUsagePpm';
const DERIVED_INPUTS: Readonly<Record<string, readonly string[]>> = {
  ...Object.fromEntries(Object.entries(RATE_KEYS).map(([k, input]) => [k, [input]])),
  [STORAGE_RATIO_KEY]: ['storageUsageBytes', 'storageCapacityBytes'],
};

/**
 * v3 `groups` attributes and PE v1 stats metrics (one naming: both read the same statistics store) → the
 * v4 field(s) they carry. Where v4 names a statistic differently on VMs and clusters the alias lists both;
 * each subject takes the one its mapping entries use. Names are those API.md §10 lists plus the v1 VM names
 * public collectors read (read/write IOPS, network bytes, the dotted CPU-ready key) [unverified for
 * `groups`, which is not a documented contract]. A v4 field with no alias here is absent on those paths.
 */
export const PRISM_V1_ALIASES: Readonly<Record<string, readonly string[]>> = {
  hypervisor_cpu_usage_ppm: ['hypervisorCpuUsagePpm'],
  'hypervisor.cpu_ready_time_ppm': ['hypervisorCpuReadyTimePpm'],
  memory_usage_ppm: ['memoryUsagePpm'],
  hypervisor_memory_usage_ppm: ['aggregateHypervisorMemoryUsagePpm'],
  controller_num_read_iops: ['controllerNumReadIops'],
  controller_num_write_iops: ['controllerNumWriteIops'],
  controller_avg_io_latency_usecs: ['controllerAvgIoLatencyMicros', 'controllerAvgIoLatencyUsecs'],
  controller_io_bandwidth_kBps: ['controllerIoBandwidthKbps', 'ioBandwidthKbps'],
  hypervisor_num_received_bytes: ['hypervisorNumReceivedBytes'],
  hypervisor_num_transmitted_bytes: ['hypervisorNumTransmittedBytes'],
  'storage.usage_bytes': ['storageUsageBytes'],
  'storage.capacity_bytes': ['storageCapacityBytes'],
};

/** What one subject kind reads: the keys it emits as they are, the derived ones, and the API fields. */
export interface SubjectFields {
  /** Mapping keys emitted as read (API field = key). */
  direct: readonly string[];
  /** Mapping keys the provider computes (see RATE_KEYS, STORAGE_RATIO_KEY). */
  derived: readonly string[];
  /** Every v4 field to request: the direct keys and the derived keys' inputs. */
  v4: readonly string[];
  /** v3 / PE v1 name → the v4 field it fills, for the fields of `v4` that have one. */
  v1: Readonly<Record<string, string>>;
}

const cache = new Map<SubjectKind, SubjectFields>();

/** The fields for a subject kind, from mappings/prism.yaml (read once per cold start). */
export function subjectFields(kind: SubjectKind): SubjectFields {
  let f = cache.get(kind);
  if (f) return f;
  const keys = [...providerMapping('nutanix')].filter(([, e]) => e.appliesTo(kind)).map(([k]) => k);
  const derived = keys.filter((k) => DERIVED_INPUTS[k]);
  const direct = keys.filter((k) => !DERIVED_INPUTS[k]);
  const v4 = [...new Set([...direct, ...derived.flatMap((k) => DERIVED_INPUTS[k]!)])];
  const v1: Record<string, string> = {};
  for (const [alias, fields] of Object.entries(PRISM_V1_ALIASES)) {
    const field = fields.find((x) => v4.includes(x));
    if (field) v1[alias] = field;
  }
  f = { direct, derived, v4, v1 };
  cache.set(kind, f);
  return f;
}
