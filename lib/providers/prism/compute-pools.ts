/** Prism clusters → ComputePoolRecords; the Prism Central pseudo-cluster is skipped, disconnected ones kept. */
import type { ComputePoolRecord, MetadataEntry } from '../provider';
import { type KindContext, portalLink } from './kind-context';
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
      if (c.version) metadata.push({ key: 'aos_version', value: c.version });
      if (c.externalIp) metadata.push({ key: 'external_ip', value: c.externalIp });
      return {
        id: c.id,
        name: c.name,
        createdAt: null,
        portalLink: portalLink(ctx.snapshot.endpoint, 'cluster', c.id),
        metadata,
        cpuHz: sum((h) =>
          h.cpuFrequencyHz === null || h.numCpuCores === null ? null : h.cpuFrequencyHz * h.numCpuCores,
        ),
        memoryB: sum((h) => h.memoryBytes),
        storageB: c.storageCapacityBytes,
      };
    });
}
