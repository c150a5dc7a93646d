/** Prism clusters → ComputePoolRecords; the Prism Central pseudo-cluster is skipped, disconnected ones kept. */
import type { ComputePoolRecord, MetadataEntry } from '../provider';
import { entityBase, type KindContext, pushSet } from './kind-context';
import type { PrismHost } from './snapshot';

/** Clusters (not the PC pseudo-cluster) → ComputePoolRecords, with hosts in metadata. */
export function collectComputePools(ctx: KindContext): ComputePoolRecord[] {
  return ctx.snapshot.clusters
    .filter((c) => !c.isPrismCentral)
    .map((c) => {
      const hosts = ctx.snapshot.hosts.filter((h) => h.clusterId === c.id);
      const sum = (f: (h: PrismHost) => number | null): number | null =>
        hosts.length === 0 || hosts.some((h) => f(h) === null)
          ? null
          : hosts.reduce((s, h) => s + (f(h) as number), 0);
      const metadata: MetadataEntry[] = [
        { key: 'connect_state', value: c.isAvailable === false ? 'DISCONNECTED' : 'CONNECTED' },
        {
          key: 'hosts',
          value: hosts.map((h) => ({
            id: h.id,
            name: h.name,
            ip: h.ip,
            cpu_model: h.cpuModel,
            cpu_cores: h.numCpuCores,
            memory_b: h.memoryBytes,
          })),
        },
      ];
      pushSet(metadata, { aos_version: c.version, external_ip: c.externalIp });
      return {
        ...entityBase(ctx, 'cluster', c, metadata),
        cpuHz: sum((h) =>
          h.cpuFrequencyHz === null || h.numCpuCores === null ? null : h.cpuFrequencyHz * h.numCpuCores,
        ),
        memoryB: sum((h) => h.memoryBytes),
        storageB: c.storageCapacityBytes,
      };
    });
}
