/**
 * Renders the estate in Prism v3 (intentful API) shapes, as in specs/nutanix/v3/recordings: each entity
 * is `{status, spec, metadata}`; ids are `metadata.uuid`; references are `{kind, uuid, name}`; memory is
 * MiB; CD-ROMs and volume-group disks sit in `disk_list` with a `device_type`.
 */
import type { PrismWorld, SimCluster, SimHost, SimSubnet, SimVm, SimVolumeGroup } from './model';

type Json = Record<string, unknown>;
const MiB = 2 ** 20;

function meta(kind: string, uuid: string, createTime: string, categories: Record<string, string> = {}): Json {
  const created = createTime.replace(/\.\d+Z$/, 'Z');
  return {
    uuid,
    spec_hash: '00000000000000000000000000000000000000000000000000',
    spec_version: 0,
    // Clusters have no owner (see the ListCluster recording).
    ...(kind === 'cluster'
      ? {}
      : { owner_reference: { kind: 'user', uuid: '00000000-0000-0000-0000-000000000000', name: 'admin' } }),
    categories,
    categories_mapping: Object.fromEntries(Object.entries(categories).map(([k, v]) => [k, [v]])),
    creation_time: created,
    last_update_time: created,
    kind,
  };
}

/** Spec mirrors status minus the observed-only parts (state, execution context). */
function entity(status: Json, metadata: Json): Json {
  const { state: _s, execution_context: _e, ...spec } = status;
  const resources = spec.resources as Json | undefined;
  if (resources) {
    // Observed-only facts appear in status, not in the desired-state spec.
    const { hypervisor_type: _h, host_reference: _r, guest_tools: _g, ...desired } = resources;
    const config = desired.config as Json | undefined;
    if (config) {
      const { service_list: _l, is_available: _a, cluster_arch: _c, build: _b, ...wanted } = config;
      desired.config = wanted;
    }
    const { nodes: _n, ...rest } = desired;
    spec.resources = metadata.kind === 'cluster' ? rest : desired;
  }
  return { status, spec, metadata };
}

/** A v3 `vm` entity. */
export function renderVmV3(vm: SimVm, world: PrismWorld): Json {
  const cluster = world.clusters.find((c) => c.extId === vm.clusterId)!;
  const categories = Object.fromEntries(
    vm.categoryIds.map((id) => world.categories.find((c) => c.extId === id)!).map((c) => [c.key, c.value]),
  );
  const subnetName = (id: string) => world.subnets.find((s) => s.extId === id)?.name ?? '';
  const status: Json = {
    name: vm.name,
    ...(vm.description ? { description: vm.description } : {}),
    cluster_reference: { kind: 'cluster', uuid: cluster.extId, name: cluster.name },
    resources: {
      power_state: vm.powerState === 'UNDETERMINED' ? 'UNKNOWN' : vm.powerState,
      memory_size_mib: vm.memorySizeBytes / MiB,
      num_vcpus_per_socket: vm.numCoresPerSocket,
      num_sockets: vm.numSockets,
      num_threads_per_core: vm.numThreadsPerCore,
      hypervisor_type: 'AHV',
      is_agent_vm: vm.isAgentVm,
      machine_type: 'PC',
      ...(vm.hostId ? { host_reference: { kind: 'host', uuid: vm.hostId } } : {}),
      ...(vm.guestOsVersion
        ? {
            guest_tools: {
              nutanix_guest_tools: {
                state: 'ENABLED',
                guest_os_version: vm.guestOsVersion,
                is_reachable: true,
              },
            },
          }
        : {}),
      disk_list: vm.disks.map((d) => {
        if (d.kind === 'vg') {
          return {
            uuid: d.extId,
            device_properties: {
              disk_address: { device_index: d.index, adapter_type: d.busType },
              device_type: 'VOLUME_GROUP',
            },
            volume_group_reference: { kind: 'volume_group', uuid: d.volumeGroupId },
          };
        }
        const size = d.sizeBytes ?? 0;
        return {
          uuid: d.extId,
          disk_size_bytes: size,
          disk_size_mib: Math.ceil(size / MiB),
          ...(d.containerId
            ? {
                storage_config: {
                  storage_container_reference: { kind: 'storage_container', uuid: d.containerId },
                },
              }
            : {}),
          device_properties: {
            disk_address: { device_index: d.index, adapter_type: d.busType },
            device_type: d.kind === 'cdrom' ? 'CDROM' : 'DISK',
          },
        };
      }),
      nic_list: vm.nics.map((n) => ({
        nic_type: 'NORMAL_NIC',
        vlan_mode: 'ACCESS',
        uuid: n.extId,
        ip_endpoint_list: [
          ...n.assignedIps.map((ip) => ({ ip, type: 'ASSIGNED' })),
          ...n.learnedIps.map((ip) => ({ ip, type: 'LEARNED' })),
        ],
        mac_address: n.macAddress,
        subnet_reference: { kind: 'subnet', name: subnetName(n.subnetId), uuid: n.subnetId },
        is_connected: n.isConnected,
      })),
    },
    state: 'COMPLETE',
  };
  return entity(status, meta('vm', vm.extId, vm.createTime, categories));
}

/** A v3 `cluster` entity; the PC pseudo-cluster lists `PRISM_CENTRAL` in `service_list` and no hypervisors. */
export function renderClusterV3(cluster: SimCluster, world: PrismWorld): Json {
  const hosts = world.hosts.filter((h) => h.clusterId === cluster.extId);
  const status: Json = {
    name: cluster.name,
    resources: {
      config: {
        software_map: { NOS: { software_type: 'NOS', status: 'INSTALLED', version: cluster.version } },
        service_list: cluster.isPrismCentral ? ['PRISM_CENTRAL'] : ['AOS'],
        redundancy_factor: cluster.redundancyFactor,
        is_available: cluster.isAvailable,
        timezone: 'UTC',
        cluster_arch: 'X86_64',
        build: { build_type: 'release', version: cluster.version, full_version: cluster.fullVersion },
        operation_mode: 'NORMAL',
      },
      ...(cluster.isPrismCentral
        ? {}
        : {
            nodes: {
              hypervisor_server_list: [
                ...hosts.map((h) => ({ ip: h.ip, type: 'AHV', version: 'el8.nutanix.20230302.101026' })),
                // Real clusters list a loopback entry too (see the ListCluster recording).
                { ip: '127.0.0.1', type: 'AHV', version: '' },
              ],
            },
          }),
      network: { external_ip: cluster.externalIp },
    },
    state: 'COMPLETE',
  };
  return entity(status, meta('cluster', cluster.extId, cluster.createTime));
}

/** A v3 `host` entity. */
export function renderHostV3(host: SimHost, world: PrismWorld): Json {
  const cluster = world.clusters.find((c) => c.extId === host.clusterId)!;
  const status: Json = {
    name: host.name,
    cluster_reference: { kind: 'cluster', uuid: cluster.extId, name: cluster.name },
    resources: {
      cpu_capacity_hz: host.cpuFrequencyHz * host.numberOfCpuCores,
      cpu_frequency_hz: host.cpuFrequencyHz,
      num_cpu_cores: host.numberOfCpuCores,
      num_cpu_sockets: host.numberOfCpuSockets,
      memory_capacity_mib: host.memorySizeBytes / MiB,
      cpu_model: host.cpuModel,
      host_type: 'HYPER_CONVERGED',
      hypervisor: { hypervisor_full_name: 'AHV 10.0.1.4', ip: host.ip, num_vms: 0 },
      controller_vm: { ip: host.cvmIp },
    },
    state: 'COMPLETE',
  };
  return entity(status, meta('host', host.extId, '2024-01-01T00:00:00Z'));
}

/** The compute-less entry v3 hosts/list also returns (a PC VM): empty `resources`. */
export function renderEmptyHostV3(uuid: string): Json {
  return entity(
    { name: 'pc-vm-host', resources: {}, state: 'COMPLETE' },
    meta('host', uuid, '2024-01-01T00:00:00Z'),
  );
}

/** A v3 `subnet` entity (overlay subnets have no cluster_reference and no vlan_id). */
export function renderSubnetV3(subnet: SimSubnet, world: PrismWorld): Json {
  const cluster = subnet.clusterId ? world.clusters.find((c) => c.extId === subnet.clusterId) : undefined;
  const status: Json = {
    name: subnet.name,
    ...(cluster ? { cluster_reference: { kind: 'cluster', name: cluster.name, uuid: cluster.extId } } : {}),
    resources: {
      subnet_type: subnet.type,
      ...(subnet.vlanId !== null ? { vlan_id: subnet.vlanId, vswitch_name: 'br0' } : {}),
      ...(subnet.type === 'OVERLAY'
        ? { vpc_reference: { kind: 'vpc', uuid: subnet.extId.replace(/^.{8}/, 'bbbbbbbb') } }
        : {}),
      ip_config: {
        default_gateway_ip: subnet.gateway,
        prefix_length: subnet.prefixLength,
        subnet_ip: subnet.networkIp,
      },
    },
    state: 'COMPLETE',
  };
  return entity(status, meta('subnet', subnet.extId, subnet.createTime));
}

/** A v3 `volume_group` entity [unverified shape of attachment_list]. */
export function renderVolumeGroupV3(vg: SimVolumeGroup, world: PrismWorld): Json {
  const cluster = world.clusters.find((c) => c.extId === vg.clusterId)!;
  const size = vg.disks.reduce((s, d) => s + d.sizeBytes, 0);
  const status: Json = {
    name: vg.name,
    cluster_reference: { kind: 'cluster', uuid: cluster.extId, name: cluster.name },
    resources: {
      size_bytes: size,
      size_mib: Math.ceil(size / MiB),
      sharing_status: vg.attachedVmIds.length > 1 ? 'SHARED' : 'NOT_SHARED',
      usage_type: 'USER',
      is_hidden: false,
      disk_list: vg.disks.map((d) => ({
        uuid: d.extId,
        index: d.index,
        disk_size_bytes: d.sizeBytes,
        disk_size_mib: Math.ceil(d.sizeBytes / MiB),
        storage_container_uuid: d.containerId,
      })),
      attachment_list: vg.attachedVmIds.map((id) => ({ vm_reference: { kind: 'vm', uuid: id } })),
    },
    state: 'COMPLETE',
  };
  return entity(status, meta('volume_group', vg.extId, vg.createTime));
}

/** A v3 error body. */
export function v3Error(code: number, kind: string, reason: string, message: string): Json {
  return { api_version: '3.1', code, kind, message_list: [{ message, reason, details: {} }], state: 'ERROR' };
}
