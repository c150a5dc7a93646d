/** CloudTower hosts → HostRecords: physical servers, connected to their cluster's compute pool. */
import type { HostRecord, ServerState } from '../provider';
import { type CloudTowerKindContext, labelMap, towerLinker } from './estate';
import type { CtHost } from './types';

/** `running` while the Tower reaches the host (`CONNECTED_HEALTHY|WARNING|ERROR`), else `unknown`. */
export function hostState(status: string | null | undefined): ServerState {
  return status?.startsWith('CONNECTED_') ? 'running' : 'unknown';
}

/** Management and hypervisor addresses, each once. */
function addresses(h: CtHost): string[] {
  const out: string[] = [];
  for (const ip of [h.management_ip, h.hypervisor_ip]) if (ip && !out.includes(ip)) out.push(ip);
  return out;
}

/** Every host the Tower manages. */
export function collectHosts({ index, endpoint }: CloudTowerKindContext): HostRecord[] {
  const link = towerLinker(endpoint, 'host');
  return index.estate.hosts.map((h) => {
    const placement = index.placement(h.cluster.id);
    return {
      id: h.id,
      name: h.name,
      createdAt: null,
      portalLink: link(h.id),
      clusterId: h.cluster.id,
      state: hostState(h.status),
      providerState: h.status ?? null,
      cpuCores: h.total_cpu_cores ?? null,
      cpuHz: h.cpu_hz_per_core ?? null,
      ramB: h.total_memory_bytes ?? null,
      ipAddresses: addresses(h),
      locations: placement.locations,
      metadata: [
        { key: 'local_id', value: h.local_id },
        { key: 'cluster', value: { id: h.cluster.id, name: h.cluster.name ?? null } },
        { key: 'host_state', value: h.state ?? null },
        { key: 'cpu_model', value: h.cpu_model ?? null },
        { key: 'cpu_sockets', value: h.total_cpu_sockets ?? null },
        { key: 'labels', value: labelMap(h.labels) },
        placement.datacenters,
        placement.organizations,
      ],
    };
  });
}
