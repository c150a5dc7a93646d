/**
 * Renders a lone Prism Element's estate in the v2.0 shapes of specs/nutanix/API.md §10 (field names there are
 * marked [unverified]: general knowledge of the v2.0 schema, not recordings). Lists are
 * `{metadata:{grand_total_entities,total_entities,count,start_index,end_index,page}, entities}`; power states
 * are lower-case; memory is MiB (`memory_mb`); CD-ROMs and volume-group disks sit in `vm_disk_info`;
 * `stats`/`usage_stats` are maps of string numbers.
 *
 * Beyond API.md's list the simulator emits only `disk_address.device_index` (the disk's slot on its bus)
 * and `attachment_list[].vm_uuid` (API.md names `attachment_list[]` without its entries' fields).
 */
import type { PrismWorld, SimCluster, SimHost, SimNic, SimSubnet, SimVm, SimVolumeGroup } from './model';

type Json = Record<string, unknown>;
const MiB = 2 ** 20;

/** v2.0 power states are lower-case; the v4 enum's UNDETERMINED is `unknown` here. */
export function powerStateV2(vm: SimVm): string {
  return vm.powerState === 'UNDETERMINED' ? 'unknown' : vm.powerState.toLowerCase();
}

/**
 * A v2.0 NIC carries one current address and the requested (static) one: the primary assigned address is
 * the requested one; the current one is the first learned IPv4 address, or the assigned one.
 */
export function nicAddressesV2(nic: SimNic): { ip_address?: string; requested_ip_address?: string } {
  const learnedV4 = nic.learnedIps.find((ip) => !ip.includes(':'));
  const assigned = nic.assignedIps[0];
  const current = learnedV4 ?? assigned;
  return {
    ...(current !== undefined ? { ip_address: current } : {}),
    ...(assigned !== undefined ? { requested_ip_address: assigned } : {}),
  };
}

/** `stats`/`usage_stats` values are strings; -1 means "no data". */
function statMap(values: Record<string, number>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, String(Math.round(v))]));
}

/** `GET /cluster`. */
export function renderClusterV2(cluster: SimCluster, world: PrismWorld, storageUsageBytes: number): Json {
  const hosts = world.hosts.filter((h) => h.clusterId === cluster.extId);
  return {
    id: `${cluster.extId}::${cluster.extId.replace(/-/g, '').slice(0, 12)}`,
    uuid: cluster.extId,
    name: cluster.name,
    version: cluster.version,
    num_nodes: hosts.length,
    hypervisor_types: ['kKvm'],
    cluster_external_ipaddress: cluster.externalIp,
    operation_mode: 'NORMAL',
    ...(cluster.faultTolerance
      ? {
          cluster_redundancy_state: {
            current_redundancy_factor: cluster.faultTolerance.current + 1,
            desired_redundancy_factor: cluster.faultTolerance.desired + 1,
          },
        }
      : {}),
    stats: statMap({
      hypervisor_cpu_usage_ppm: -1,
      hypervisor_memory_usage_ppm: -1,
      controller_num_iops: -1,
    }),
    usage_stats: statMap({
      'storage.capacity_bytes': cluster.storageCapacityBytes,
      'storage.usage_bytes': storageUsageBytes,
      'storage.logical_usage_bytes': storageUsageBytes,
    }),
  };
}

/** A v4 enum value as PE v2.0 spells it: `ACROPOLIS_NORMAL` → `kAcropolisNormal`. */
function peEnum(v4: string): string {
  return `k${v4
    .toLowerCase()
    .split('_')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('')}`;
}

/** One entry of `GET /hosts`. */
export function renderHostV2(host: SimHost, world: PrismWorld): Json {
  return {
    uuid: host.extId,
    name: host.name,
    cpu_capacity_in_hz: host.cpuFrequencyHz * host.numberOfCpuCores,
    num_cpu_cores: host.numberOfCpuCores,
    num_cpu_sockets: host.numberOfCpuSockets,
    num_cpu_threads: host.numberOfCpuThreads,
    memory_capacity_in_bytes: host.memorySizeBytes,
    hypervisor_address: host.ip,
    host_in_maintenance_mode: host.inMaintenance ?? false,
    acropolis_connection_state: host.connectionState === 'DISCONNECTED' ? 'kDisconnected' : 'kConnected',
    hypervisor_state: peEnum(host.hypervisorState ?? 'ACROPOLIS_NORMAL'),
    is_degraded: host.isDegraded ?? false,
    num_vms: world.vms.filter((v) => v.hostId === host.extId).length,
    stats: statMap({ hypervisor_cpu_usage_ppm: -1, hypervisor_memory_usage_ppm: -1 }),
    usage_stats: statMap({
      'storage.capacity_bytes': host.diskSizes.reduce((s, d) => s + d, 0),
      'storage.usage_bytes': -1,
    }),
  };
}

/** One entry of `GET /vms`; disks and NICs only when asked for with the include flags. */
export function renderVmV2(vm: SimVm, include: { disks: boolean; nics: boolean }): Json {
  return {
    uuid: vm.extId,
    name: vm.name,
    power_state: powerStateV2(vm),
    num_vcpus: vm.numSockets,
    num_cores_per_vcpu: vm.numCoresPerSocket,
    memory_mb: vm.memorySizeBytes / MiB,
    ...(vm.hostId ? { host_uuid: vm.hostId } : {}),
    ...(include.disks
      ? {
          vm_disk_info: vm.disks.map((d) => ({
            is_cdrom: d.kind === 'cdrom',
            ...(d.kind === 'disk' || (d.kind === 'cdrom' && d.sizeBytes !== null)
              ? { size: d.sizeBytes }
              : {}),
            disk_address: {
              device_bus: d.busType.toLowerCase(),
              device_index: d.index,
              // As an independent PE answers: a VG-backed disk names only its volume group, and an empty
              // CD-ROM has no vmdisk (API.md §"PE v2.0" lists both fields as optional).
              ...(d.kind === 'disk' || (d.kind === 'cdrom' && d.sizeBytes !== null)
                ? { vmdisk_uuid: d.extId }
                : {}),
              ...(d.kind === 'vg' ? { volume_group_uuid: d.volumeGroupId } : {}),
            },
          })),
        }
      : {}),
    ...(include.nics
      ? {
          vm_nics: vm.nics.map((n) => ({
            mac_address: n.macAddress,
            network_uuid: n.subnetId,
            ...nicAddressesV2(n),
          })),
        }
      : {}),
  };
}

/** One entry of `GET /networks`. */
export function renderNetworkV2(subnet: SimSubnet): Json {
  return {
    uuid: subnet.extId,
    name: subnet.name,
    ...(subnet.vlanId !== null ? { vlan_id: subnet.vlanId } : {}),
    ip_config: {
      network_address: subnet.networkIp,
      prefix_length: subnet.prefixLength,
      default_gateway: subnet.gateway,
      pool: [],
    },
  };
}

/** One entry of `GET /volume_groups`. */
export function renderVolumeGroupV2(vg: SimVolumeGroup): Json {
  return {
    uuid: vg.extId,
    name: vg.name,
    disk_list: vg.disks.map((d) => ({ vmdisk_size_bytes: d.sizeBytes, index: d.index })),
    attachment_list: vg.attachedVmIds.map((vm_uuid) => ({ vm_uuid })),
  };
}

/** The v2.0 list envelope (`page` is 1-based). */
export function listV2Body(entities: Json[], total: number, page: number, count: number): Json {
  const start = (page - 1) * count;
  return {
    metadata: {
      grand_total_entities: total,
      total_entities: total,
      count: entities.length,
      start_index: entities.length > 0 ? start + 1 : 0,
      end_index: start + entities.length,
      page,
    },
    entities,
  };
}
