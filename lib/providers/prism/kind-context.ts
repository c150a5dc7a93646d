/**
 * What the Prism kind mappers share: lookups built once per snapshot, the power-state map, console links,
 * and the metadata entries every VM of a cluster or host shares.
 */
import type { MetadataEntry, RecordBase, ServerState } from '../provider';
import type { PrismCluster, PrismHost, PrismSnapshot } from './snapshot';

/** Maps a Prism power state to the nflex server state (PE v2.0 reports them in lower case). */
export function serverState(powerState: string): ServerState {
  const state = powerState.toUpperCase();
  if (state === 'ON') return 'running';
  if (state === 'OFF' || state === 'PAUSED' || state === 'SUSPENDED') return 'stopped';
  return 'unknown';
}

/** Links into the Prism Central console [unverified: console URL layout differs between PC releases]. */
export function portalLink(
  endpoint: string,
  kind: 'vm' | 'host' | 'cluster' | 'subnet' | 'volume_group',
  id: string,
): string {
  const page = {
    vm: 'vms',
    host: 'hosts',
    cluster: 'clusters',
    subnet: 'subnets',
    volume_group: 'volume_groups',
  }[kind];
  return `${endpoint}/console/#page/explore/s/${page}/${id}`;
}

/** The RecordBase of a listed entity other than a VM: Prism gives no creation time, its console page is the link. */
export function entityBase(
  ctx: KindContext,
  kind: 'host' | 'cluster' | 'subnet' | 'volume_group',
  entity: { id: string; name: string },
  metadata: MetadataEntry[],
): RecordBase {
  return {
    id: entity.id,
    name: entity.name,
    createdAt: null,
    portalLink: portalLink(ctx.snapshot.endpoint, kind, entity.id),
    metadata,
  };
}

/** Appends one entry per value that is set (null and '' are left out; 0 is kept). */
export function pushSet(metadata: MetadataEntry[], values: Record<string, string | number | null>): void {
  for (const [key, value] of Object.entries(values)) {
    if (value !== null && value !== '') metadata.push({ key, value });
  }
}

/** Shared lookups for the kind mappers. */
export interface KindContext {
  snapshot: PrismSnapshot;
  clusterById: Map<string, PrismCluster>;
  hostById: Map<string, PrismHost>;
  subnetNameById: Map<string, string>;
  vgSizeById: Map<string, number>;
  /** Slowest known host clock per cluster (for VMs without a host). */
  minCpuHzByCluster: Map<string | null, number>;
}

/** Builds the lookups once per inventory. */
export function kindContext(snapshot: PrismSnapshot): KindContext {
  return {
    snapshot,
    clusterById: new Map(snapshot.clusters.map((c) => [c.id, c])),
    hostById: new Map(snapshot.hosts.map((h) => [h.id, h])),
    subnetNameById: new Map(snapshot.subnets.map((s) => [s.id, s.name])),
    vgSizeById: new Map(snapshot.volumeGroups.map((g) => [g.id, g.sizeBytes])),
    minCpuHzByCluster: minCpuHzByCluster(snapshot.hosts),
  };
}

/** The `cluster` metadata entry of a record in that cluster, when the snapshot lists it. */
export function clusterEntry(ctx: KindContext, clusterId: string | null): MetadataEntry | undefined {
  const c = clusterId ? ctx.clusterById.get(clusterId) : undefined;
  return c && { key: 'cluster', value: { id: c.id, name: c.name } };
}

/** The `host` metadata entry of a VM on that host, when the snapshot lists it. */
export function hostEntry(ctx: KindContext, hostId: string | null): MetadataEntry | undefined {
  const h = hostId ? ctx.hostById.get(hostId) : undefined;
  return h && { key: 'host', value: { id: h.id, name: h.name, ip: h.ip } };
}

function minCpuHzByCluster(hosts: PrismHost[]): Map<string | null, number> {
  const out = new Map<string | null, number>();
  for (const h of hosts) {
    if (h.cpuFrequencyHz === null) continue;
    const current = out.get(h.clusterId);
    if (current === undefined || h.cpuFrequencyHz < current) out.set(h.clusterId, h.cpuFrequencyHz);
  }
  return out;
}
