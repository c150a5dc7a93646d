/**
 * The CloudTower metric names the provider asks for, derived from the keys of mappings/cloudtower.yaml
 * (`<name>@<unit>`) and their `subjects`. Which metrics operation serves a name follows from its family
 * (specs/cloudtower/metrics-catalog.json `operation`): elf_vm_network_* per NIC, elf_vm_* per VM, host_*
 * per host, cluster_* and zbs_cluster_* per cluster.
 */
import { providerMapping } from '../../config/assets';
import { UpstreamError } from '../../errors';
import type { MetricSubject } from '../provider';

/** The synthetic storage-usage key: used / capacity bytes of the same cluster and time. */
export const STORAGE_RATIO_KEY = 'cluster_storage_used_ratio@RATIO';
export const STORAGE_USED = 'zbs_cluster_used_data_space_bytes';
export const STORAGE_CAPACITY = 'zbs_cluster_data_capacity_bytes';
/** A cluster's own CPU figure, preferred over the host-weighted mean when the Tower has samples for it. */
export const CLUSTER_CPU = 'cluster_cpu_usage_percent';
/** The host metric a pool's CPU falls back to (weighted by host total_cpu_hz). */
export const HOST_CPU = 'host_cpu_overall_usage_percent';

type Operation = 'vm' | 'vm-network' | 'host' | 'cluster';

function operationOf(name: string): Operation {
  if (name.startsWith('elf_vm_network_')) return 'vm-network';
  if (name.startsWith('elf_vm_')) return 'vm';
  if (name.startsWith('host_')) return 'host';
  if (name.startsWith('cluster_') || name.startsWith('zbs_cluster_')) return 'cluster';
  throw new Error(`mappings/cloudtower.yaml: no metrics operation is known for ${name}`);
}

export interface CloudTowerMetricNames {
  /** Every raw key the provider may emit (the mapping's keys). */
  keys: ReadonlySet<string>;
  /** get-vm-metrics names. */
  vm: readonly string[];
  /** get-vm-network-metrics names (per NIC, summed per VM). */
  vmNetwork: readonly string[];
  /** get-host-metrics names, for host subjects and for the pools' weighted CPU. */
  host: readonly string[];
  /** get-cluster-metrics names (the storage ratio's inputs included). */
  cluster: readonly string[];
}

let cached: CloudTowerMetricNames | null = null;

/** The names per operation, from mappings/cloudtower.yaml (read once per cold start). */
export function metricNames(): CloudTowerMetricNames {
  if (cached) return cached;
  const mapping = providerMapping('cloudtower');
  const byOp: Record<Operation, Set<string>> = {
    vm: new Set(),
    'vm-network': new Set(),
    host: new Set(),
    cluster: new Set(),
  };
  for (const [key, entry] of mapping) {
    if (key === STORAGE_RATIO_KEY) {
      byOp.cluster.add(STORAGE_USED).add(STORAGE_CAPACITY);
      continue;
    }
    const name = key.slice(0, key.lastIndexOf('@'));
    const op = operationOf(name);
    const kinds = entry.subjects() as MetricSubject['kind'][];
    const expected =
      op === 'host' ? ['host', 'compute_pool'] : op === 'cluster' ? ['compute_pool'] : ['server'];
    if (kinds.length > 0 && !kinds.some((k) => expected.includes(k)))
      throw new Error(
        `mappings/cloudtower.yaml: ${key} is served per ${op}, its subjects say ${kinds.join(', ')}`,
      );
    byOp[op].add(name);
  }
  cached = {
    keys: new Set(mapping.keys()),
    vm: [...byOp.vm],
    vmNetwork: [...byOp['vm-network']],
    host: [...byOp.host],
    cluster: [...byOp.cluster],
  };
  return cached;
}

/** The raw key for a name and the unit the Tower reported; an unmapped pair fails loudly. */
export function sampleKey(metric: string, unit: string): string {
  const k = `${metric}@${unit}`;
  if (!metricNames().keys.has(k)) {
    throw new UpstreamError(
      `CloudTower reported ${metric} in unit ${unit}, which mappings/cloudtower.yaml does not map; refusing to guess`,
    );
  }
  return k;
}
