/**
 * One mapper per resource kind (servers, volumes, networks, compute pools) from a PrismSnapshot to the
 * provider-neutral records, plus the explicit registry the provider runs. The rules are the fixed
 * interface contract in ARCHITECTURE.md: native ids, CD-ROMs excluded, each volume group one Volume,
 * `volumes_b` counts a VG's size for VG-backed disks, IPs de-duplicated without IPv6 link-local, the PC
 * pseudo-cluster skipped, disconnected clusters kept with `connect_state`.
 */

import { isLinkLocalV6 } from '../contract';
import type {
  ComputePoolRecord,
  Inventory,
  IpRecord,
  MetadataEntry,
  NetworkRecord,
  ServerRecord,
  ServerState,
  VolumeRecord,
} from '../provider';
import type { PrismCluster, PrismHost, PrismSnapshot, PrismVm } from './snapshot';

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
  kind: 'vm' | 'cluster' | 'subnet' | 'volume_group',
  id: string,
): string {
  const page = { vm: 'vms', cluster: 'clusters', subnet: 'subnets', volume_group: 'volume_groups' }[kind];
  return `${endpoint}/console/#page/explore/s/${page}/${id}`;
}

/** Guest OS string → GuestOsRecord type. */
function guestOsType(version: string): string | null {
  if (/windows/i.test(version)) return 'windows';
  if (/linux|ubuntu|rhel|red ?hat|centos|debian|suse|rocky|alma/i.test(version)) return 'linux';
  return null;
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
  /**
   * One frozen `cluster` / `host` metadata entry per cluster and host, shared by every VM on it: 10k VMs
   * otherwise carry 20k identical small objects through records, serialization and the result.
   */
  clusterEntryById: Map<string, MetadataEntry>;
  hostEntryById: Map<string, MetadataEntry>;
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
    clusterEntryById: new Map(
      snapshot.clusters.map((c) => [c.id, frozenEntry('cluster', { id: c.id, name: c.name })]),
    ),
    hostEntryById: new Map(
      snapshot.hosts.map((h) => [h.id, frozenEntry('host', { id: h.id, name: h.name, ip: h.ip })]),
    ),
  };
}

/** A metadata entry shared between records, frozen so an edit fails loudly instead of editing them all. */
function frozenEntry(key: string, value: Record<string, unknown>): MetadataEntry {
  return Object.freeze({ key, value: Object.freeze(value) });
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

function vmCpuHz(vm: PrismVm, ctx: KindContext): number | null {
  const host = vm.hostId ? ctx.hostById.get(vm.hostId) : undefined;
  if (host?.cpuFrequencyHz) return host.cpuFrequencyHz;
  // A VM that is off has no host: report the slowest clock of its cluster rather than flip-flopping.
  return ctx.minCpuHzByCluster.get(vm.clusterId) ?? null;
}

/**
 * One string per distinct value. JSON.parse makes a fresh copy of every id it reads, so the few cluster,
 * subnet and storage-container ids (and disk device names) of an estate otherwise exist once per VM or disk,
 * each ~80 bytes, through records, serialization and the result.
 */
function interner(): <T extends string | null | undefined>(s: T) => T {
  const seen = new Map<string, string>();
  return <T extends string | null | undefined>(s: T): T => {
    if (typeof s !== 'string') return s;
    const known = seen.get(s);
    if (known !== undefined) return known as T;
    seen.set(s, s);
    return s;
  };
}

/** VMs → ServerRecords (every VM, the Prism Central VM included). */
export function collectServers(ctx: KindContext): ServerRecord[] {
  const { snapshot } = ctx;
  const intern = interner();
  return snapshot.vms.map((vm) => {
    const volumeIds: string[] = [];
    let volumesB = 0;
    for (const d of vm.disks) {
      if (d.kind === 'cdrom') continue;
      const id = d.kind === 'vg' ? d.volumeGroupId! : d.id;
      if (volumeIds.includes(id)) continue;
      volumeIds.push(id);
      volumesB += d.kind === 'vg' ? (ctx.vgSizeById.get(id) ?? 0) : (d.sizeBytes ?? 0);
    }
    const ipAddresses: IpRecord[] = [];
    const seenIps = new Set<string>();
    const networkIds: string[] = [];
    for (const nic of vm.nics) {
      const subnetId = intern(nic.subnetId);
      if (subnetId && !networkIds.includes(subnetId)) networkIds.push(subnetId);
      for (const { ip } of nic.ips) {
        if (isLinkLocalV6(ip) || seenIps.has(ip)) continue;
        seenIps.add(ip);
        const rec: IpRecord = { ip };
        if (subnetId) {
          rec.networkId = subnetId;
          const name = ctx.subnetNameById.get(subnetId);
          if (name !== undefined) rec.networkName = name;
        }
        ipAddresses.push(rec);
      }
    }
    const clusterEntry = vm.clusterId ? ctx.clusterEntryById.get(vm.clusterId) : undefined;
    const hostEntry = vm.hostId ? ctx.hostEntryById.get(vm.hostId) : undefined;
    const metadata: MetadataEntry[] = [];
    if (clusterEntry) metadata.push(clusterEntry);
    if (hostEntry) metadata.push(hostEntry);
    if (vm.categories.length > 0) {
      metadata.push({
        key: 'categories',
        value: Object.fromEntries(vm.categories.map((c) => [c.key, c.value])),
      });
    }
    if (vm.description) metadata.push({ key: 'description', value: vm.description });
    metadata.push({
      key: 'nics',
      value: vm.nics.map((n) => ({
        id: n.id,
        mac_address: n.macAddress,
        network_id: intern(n.subnetId),
        is_connected: n.isConnected,
      })),
    });
    return {
      id: vm.id,
      name: vm.name,
      createdAt: vm.createdAt,
      portalLink: portalLink(snapshot.endpoint, 'vm', vm.id),
      metadata,
      clusterId: intern(vm.clusterId),
      state: serverState(vm.powerState),
      providerState: vm.powerState,
      cpuCores: vm.numSockets * vm.numCoresPerSocket,
      cpuHz: vmCpuHz(vm, ctx),
      ramB: vm.memoryBytes,
      volumesB,
      ipAddresses,
      guestOs: vm.guestOsVersion
        ? { id: vm.guestOsVersion, name: vm.guestOsVersion, type: guestOsType(vm.guestOsVersion) }
        : null,
      volumeIds,
      networkIds,
    };
  });
}

/** Non-CD-ROM, non-VG vDisks and volume groups → VolumeRecords. */
export function collectVolumes(ctx: KindContext): VolumeRecord[] {
  const { snapshot } = ctx;
  const volumes: VolumeRecord[] = [];
  const intern = interner();
  for (const vm of snapshot.vms) {
    // Built once per VM and shared by its disks (≈ 20k volumes on a 10k-VM estate).
    let vmEntry: MetadataEntry | undefined;
    let vmLink: string | undefined;
    for (const d of vm.disks) {
      if (d.kind !== 'disk') continue;
      vmEntry ??= frozenEntry('vm', { id: vm.id, name: vm.name });
      vmLink ??= portalLink(snapshot.endpoint, 'vm', vm.id);
      const device = intern(`${d.busType.toLowerCase()}.${d.index ?? '?'}`);
      const metadata: MetadataEntry[] = [vmEntry, { key: 'device', value: device }];
      if (d.containerId) metadata.push({ key: 'storage_container_id', value: intern(d.containerId) });
      volumes.push({
        id: d.id,
        name: `${vm.name} ${device}`,
        createdAt: null,
        portalLink: vmLink,
        metadata,
        clusterId: intern(vm.clusterId),
        sizeB: d.sizeBytes ?? 0,
        encrypted: null,
        iops: null,
        serverIds: [vm.id],
      });
    }
  }
  for (const vg of snapshot.volumeGroups) {
    volumes.push({
      id: vg.id,
      name: vg.name,
      createdAt: null,
      portalLink: portalLink(snapshot.endpoint, 'volume_group', vg.id),
      metadata: [
        { key: 'volume_group', value: { disk_count: vg.diskCount, sharing_status: vg.sharingStatus } },
      ],
      clusterId: vg.clusterId,
      sizeB: vg.sizeBytes,
      encrypted: null,
      iops: null,
      serverIds: [...vg.vmIds],
    });
  }
  return volumes;
}

/** Subnets → NetworkRecords (overlay subnets have no cluster). */
export function collectNetworks(ctx: KindContext): NetworkRecord[] {
  return ctx.snapshot.subnets.map((s) => {
    const metadata: MetadataEntry[] = [{ key: 'subnet_type', value: s.type }];
    if (s.vlanId !== null) metadata.push({ key: 'vlan_id', value: s.vlanId });
    if (s.cidr) metadata.push({ key: 'cidr', value: s.cidr });
    if (s.gateway) metadata.push({ key: 'gateway', value: s.gateway });
    return {
      id: s.id,
      name: s.name,
      createdAt: null,
      portalLink: portalLink(ctx.snapshot.endpoint, 'subnet', s.id),
      metadata,
      clusterId: s.clusterId,
    };
  });
}

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

/** The explicit registry: every kind the Prism provider produces, and how. */
export const PRISM_KINDS = {
  servers: collectServers,
  volumes: collectVolumes,
  networks: collectNetworks,
  computePools: collectComputePools,
} as const satisfies { [K in keyof Inventory]: (ctx: KindContext) => Inventory[K] };

/** Runs every registered kind over a snapshot. */
export function inventoryFromSnapshot(snapshot: PrismSnapshot): Inventory {
  const ctx = kindContext(snapshot);
  return {
    servers: PRISM_KINDS.servers(ctx),
    volumes: PRISM_KINDS.volumes(ctx),
    networks: PRISM_KINDS.networks(ctx),
    computePools: PRISM_KINDS.computePools(ctx),
  };
}
