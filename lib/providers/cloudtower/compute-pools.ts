/**
 * CloudTower cluster → ComputePoolRecord. Every cluster is a pool, disconnected ones too (their
 * `connect_state` is metadata — docs/architecture.md "Fixed interface contract" overrides the API notes'
 * "skip" advice). Hosts are metadata.
 */
import type { ComputePoolRecord } from '../provider';
import { type CloudTowerKindContext, labelMap, locationsOf, placementMetadata, towerLink } from './estate';

/** Builds the ComputePool records. */
export function collectComputePools({ index, endpoint }: CloudTowerKindContext): ComputePoolRecord[] {
  return index.estate.clusters.map((c) => ({
    id: c.id,
    name: c.name,
    createdAt: null,
    portalLink: towerLink(endpoint, 'cluster', c.id),
    cpuHz: c.total_cpu_hz ?? null,
    memoryB: c.total_memory_bytes ?? null,
    storageB: c.total_data_capacity ?? null,
    locations: locationsOf(index, c.id),
    metadata: [
      { key: 'local_id', value: c.local_id },
      { key: 'connect_state', value: c.connect_state },
      { key: 'cluster_type', value: c.type },
      { key: 'hypervisor', value: c.hypervisor ?? null },
      { key: 'version', value: c.version ?? null },
      { key: 'architecture', value: c.architecture ?? null },
      {
        key: 'hosts',
        value: (index.hostsByCluster.get(c.id) ?? []).map((h) => ({
          id: h.id,
          name: h.name,
          management_ip: h.management_ip ?? null,
          status: h.status ?? null,
          cpu_hz_per_core: h.cpu_hz_per_core ?? null,
          total_memory_bytes: h.total_memory_bytes ?? null,
        })),
      },
      { key: 'labels', value: labelMap(c.labels) },
      ...placementMetadata(index, c.id),
    ],
  }));
}
