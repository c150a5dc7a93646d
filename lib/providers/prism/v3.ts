/**
 * Prism v3 reader (PCs without v4, or `credentials.api = "v3"`): `POST /api/nutanix/v3/<kind>s/list`
 * with offset/length ≤ 500 and `total_matches`, read from `status` (not `spec`), normalised into the same
 * PrismSnapshot the v4 reader produces.
 */
import { UpstreamError } from '../../errors';
import type { CollectStats } from '../paging';
import type { PrismClient } from './client';
import { collectPrismPages, statsCounters } from './pages';
import { asObject, bool, type Json, list, num, requireNum, requireStr, str } from './read';
import type {
  PrismCluster,
  PrismDisk,
  PrismHost,
  PrismSnapshot,
  PrismSubnet,
  PrismVm,
  PrismVolumeGroup,
} from './snapshot';

/** Largest `length` v3 list calls accept [unverified: server behaviour]. */
export const V3_PAGE_SIZE = 500;
const MiB = 2 ** 20;

/** Collects a whole v3 list. */
export async function listV3(
  client: PrismClient,
  kind: string,
  signal: AbortSignal,
  stats?: CollectStats,
): Promise<Json[]> {
  const what = `${kind}s`;
  return collectPrismPages(
    client,
    {
      what,
      pageSize: V3_PAGE_SIZE,
      idOf: (e) => requireStr(e, 'metadata.uuid', kind),
      fetchPage: async (req, pageSignal) => {
        const body = await client.post<unknown>(
          `/api/nutanix/v3/${kind}s/list`,
          { kind, offset: req.offset, length: req.limit },
          `list ${what}`,
          pageSignal,
        );
        if (!asObject(body)) throw new UpstreamError(`list ${what}: response is not a JSON object`);
        const items = list(body, 'entities', what).map((e) => asObject(e) ?? {});
        const total = num(body, 'metadata.total_matches');
        return { items, total: total ?? undefined };
      },
    },
    signal,
    stats,
  );
}

/** A v3 vm entity → PrismVm. */
export function parseVmV3(e: Json): PrismVm {
  const id = requireStr(e, 'metadata.uuid', 'vm');
  const what = `VM ${id}`;
  const r = asObject(e.status)?.resources;
  const disks: PrismDisk[] = list(r, 'disk_list', what).map((d) => {
    const type = str(d, 'device_properties.device_type') ?? 'DISK';
    const base = {
      id: requireStr(d, 'uuid', `${what} disk`),
      busType: str(d, 'device_properties.disk_address.adapter_type') ?? 'UNKNOWN',
      index: num(d, 'device_properties.disk_address.device_index'),
    };
    if (type === 'VOLUME_GROUP') {
      const vg = str(d, 'volume_group_reference.uuid');
      if (!vg)
        throw new UpstreamError(`${what}: volume-group disk ${base.id} without volume_group_reference`);
      return { ...base, kind: 'vg', sizeBytes: null, containerId: null, volumeGroupId: vg };
    }
    const size =
      num(d, 'disk_size_bytes') ?? (num(d, 'disk_size_mib') === null ? null : num(d, 'disk_size_mib')! * MiB);
    if (type === 'CDROM') {
      return {
        ...base,
        kind: 'cdrom',
        sizeBytes: size,
        containerId: str(d, 'storage_config.storage_container_reference.uuid'),
        volumeGroupId: null,
      };
    }
    if (size === null) throw new UpstreamError(`${what}: disk ${base.id} has no size`);
    return {
      ...base,
      kind: 'disk',
      sizeBytes: size,
      containerId: str(d, 'storage_config.storage_container_reference.uuid'),
      volumeGroupId: null,
    };
  });
  const categories = asObject(asObject(e.metadata)?.categories) ?? {};
  return {
    id,
    name: str(e, 'status.name') ?? '',
    description: str(e, 'status.description') ?? '',
    powerState: str(r, 'power_state') ?? 'UNKNOWN',
    numSockets: requireNum(r, 'num_sockets', what),
    numCoresPerSocket: num(r, 'num_vcpus_per_socket') ?? 1,
    memoryBytes: requireNum(r, 'memory_size_mib', what) * MiB,
    clusterId: str(e, 'status.cluster_reference.uuid'),
    hostId: str(r, 'host_reference.uuid'),
    disks,
    nics: list(r, 'nic_list', what).map((n) => ({
      id: requireStr(n, 'uuid', `${what} NIC`),
      macAddress: str(n, 'mac_address'),
      isConnected: bool(n, 'is_connected'),
      subnetId: str(n, 'subnet_reference.uuid'),
      ips: list(n, 'ip_endpoint_list', what)
        .map((ep) => ({
          ip: str(ep, 'ip') ?? '',
          type: str(ep, 'type') === 'LEARNED' ? ('learned' as const) : ('assigned' as const),
        }))
        .filter((ep) => ep.ip !== ''),
    })),
    categories: Object.entries(categories)
      .filter((kv): kv is [string, string] => typeof kv[1] === 'string')
      .map(([key, value]) => ({ key, value })),
    guestOsVersion: str(r, 'guest_tools.nutanix_guest_tools.guest_os_version'),
    createdAt: str(e, 'metadata.creation_time'),
  };
}

/** A v3 cluster entity → PrismCluster (the PC pseudo-cluster lists PRISM_CENTRAL in service_list). */
export function parseClusterV3(e: Json): PrismCluster {
  const services = list(e, 'status.resources.config.service_list', 'cluster');
  return {
    id: requireStr(e, 'metadata.uuid', 'cluster'),
    name: str(e, 'status.name') ?? '',
    isPrismCentral: services.includes('PRISM_CENTRAL'),
    isAvailable: bool(e, 'status.resources.config.is_available'),
    version: str(e, 'status.resources.config.build.version'),
    externalIp: str(e, 'status.resources.network.external_ip'),
    storageCapacityBytes: null,
  };
}

/** A v3 host entity → PrismHost, or null for the compute-less entries v3 also lists. */
export function parseHostV3(e: Json): PrismHost | null {
  const r = asObject(e.status)?.resources;
  const cores = num(r, 'num_cpu_cores');
  if (cores === null) return null;
  const capacity = num(r, 'cpu_capacity_hz');
  const memMib = num(r, 'memory_capacity_mib');
  return {
    id: requireStr(e, 'metadata.uuid', 'host'),
    name: str(e, 'status.name') ?? '',
    clusterId: str(e, 'status.cluster_reference.uuid'),
    cpuModel: str(r, 'cpu_model'),
    cpuFrequencyHz: capacity === null ? null : capacity / cores,
    numCpuCores: cores,
    numCpuSockets: num(r, 'num_cpu_sockets'),
    memoryBytes: memMib === null ? null : memMib * MiB,
    ip: str(r, 'hypervisor.ip'),
    // v3 reports neither the connection nor the hypervisor state.
    connectionState: null,
    hypervisorState: null,
  };
}

/** A v3 subnet entity → PrismSubnet. */
export function parseSubnetV3(e: Json): PrismSubnet {
  const r = asObject(e.status)?.resources;
  const ip = str(r, 'ip_config.subnet_ip');
  const prefix = num(r, 'ip_config.prefix_length');
  return {
    id: requireStr(e, 'metadata.uuid', 'subnet'),
    name: str(e, 'status.name') ?? '',
    type: str(r, 'subnet_type') ?? 'UNKNOWN',
    clusterId: str(e, 'status.cluster_reference.uuid'),
    vlanId: num(r, 'vlan_id'),
    cidr: ip && prefix !== null ? `${ip}/${prefix}` : null,
    gateway: str(r, 'ip_config.default_gateway_ip'),
  };
}

/** A v3 volume_group entity → PrismVolumeGroup [unverified: attachment_list entry shape]. */
export function parseVolumeGroupV3(e: Json): PrismVolumeGroup {
  const id = requireStr(e, 'metadata.uuid', 'volume group');
  const r = asObject(e.status)?.resources;
  const disks = list(r, 'disk_list', `volume group ${id}`);
  const size =
    num(r, 'size_bytes') ?? disks.reduce<number>((s, d) => s + (num(d, 'disk_size_bytes') ?? 0), 0);
  return {
    id,
    name: str(e, 'status.name') ?? '',
    clusterId: str(e, 'status.cluster_reference.uuid'),
    sizeBytes: size,
    diskCount: disks.length,
    sharingStatus: str(r, 'sharing_status'),
    vmIds: list(r, 'attachment_list', `volume group ${id}`).map((a) =>
      requireStr(a, 'vm_reference.uuid', `attachment of volume group ${id}`),
    ),
  };
}

/** Reads the whole estate through v3. */
export async function readSnapshotV3(
  client: PrismClient,
  signal: AbortSignal,
  stats: Record<string, CollectStats> = {},
  storageCapacity?: (clusters: PrismCluster[]) => Promise<void>,
): Promise<PrismSnapshot> {
  const s = statsCounters(stats);
  const [clusters, hosts, vms, subnets, vgs] = await Promise.all([
    listV3(client, 'cluster', signal, s('clusters')),
    listV3(client, 'host', signal, s('hosts')),
    listV3(client, 'vm', signal, s('vms')),
    listV3(client, 'subnet', signal, s('subnets')),
    listV3(client, 'volume_group', signal, s('volume-groups')),
  ]);
  const parsedClusters = clusters.map(parseClusterV3);
  await storageCapacity?.(parsedClusters);
  return {
    api: 'v3',
    endpoint: client.endpoint,
    clusters: parsedClusters,
    hosts: hosts.map(parseHostV3).filter((h): h is PrismHost => h !== null),
    vms: vms.map(parseVmV3),
    subnets: subnets.map(parseSubnetV3),
    volumeGroups: vgs.map(parseVolumeGroupV3),
  };
}
