/** Prism hosts → HostRecords: physical servers, connected to their cluster's compute pool. */
import type { HostRecord, MetadataEntry, ServerState } from '../provider';
import { clusterEntry, entityBase, type KindContext } from './kind-context';
import type { PrismHost } from './snapshot';

/**
 * `running` while Prism's connection to the host holds (v4 `CONNECTED`, PE v2.0 `kConnected`). v3 reports
 * no connection state: there a host listed by a known cluster counts as connected.
 */
export function hostState(host: PrismHost, ctx: KindContext): ServerState {
  if (host.connectionState !== null) {
    return host.connectionState.replace(/^k/, '').toUpperCase() === 'CONNECTED' ? 'running' : 'unknown';
  }
  return host.clusterId !== null && ctx.clusterById.has(host.clusterId) ? 'running' : 'unknown';
}

/** Every host of the snapshot. */
export function collectHosts(ctx: KindContext): HostRecord[] {
  return ctx.snapshot.hosts.map((h) => {
    const cluster = clusterEntry(ctx, h.clusterId);
    const metadata: MetadataEntry[] = [];
    if (cluster) metadata.push(cluster);
    metadata.push(
      { key: 'cpu_model', value: h.cpuModel },
      { key: 'cpu_sockets', value: h.numCpuSockets },
      { key: 'connection_state', value: h.connectionState },
    );
    return {
      ...entityBase(ctx, 'host', h, metadata),
      clusterId: h.clusterId,
      state: hostState(h, ctx),
      providerState: h.hypervisorState,
      cpuCores: h.numCpuCores,
      cpuHz: h.cpuFrequencyHz,
      ramB: h.memoryBytes,
      ipAddresses: h.ip ? [h.ip] : [],
    };
  });
}
