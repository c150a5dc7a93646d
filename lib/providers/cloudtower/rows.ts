/**
 * Row projections applied to each list page as it arrives: only the fields the mappers read (./types), copied
 * as sent (undefined included). A 10,000-VM Tower answers ~44 MB of rows of 40–70 fields, a dozen of them
 * read; kept whole until every kind is in, they outlive V8's young generation and the profile showed more GC
 * time than collector code, while projected at once they die young. Every projection builds the same keys in
 * the same order, so the mappers' property reads stay monomorphic.
 */
import type {
  CtCluster,
  CtDatacenter,
  CtHost,
  CtVds,
  CtVlan,
  CtVm,
  CtVmDisk,
  CtVmNic,
  CtVmVolume,
} from './types';

/**
 * Every field of T as a required key (optional ones may hold undefined): the projections return it, so
 * each must copy every field ./types declares — a field added there for a mapper cannot be dropped here.
 */
type Every<T> = { [K in keyof Required<T>]: T[K] };

export function pickVm(r: CtVm): Every<CtVm> {
  return {
    id: r.id,
    local_id: r.local_id,
    name: r.name,
    status: r.status,
    vcpu: r.vcpu,
    memory: r.memory,
    cluster: r.cluster,
    host: r.host,
    ips: r.ips,
    guest_os_type: r.guest_os_type,
    os: r.os,
    vm_tools_status: r.vm_tools_status,
    in_recycle_bin: r.in_recycle_bin,
    internal: r.internal,
    vm_usage: r.vm_usage,
    local_created_at: r.local_created_at,
    labels: r.labels,
  };
}

export function pickVmDisk(r: CtVmDisk): Every<CtVmDisk> {
  return {
    id: r.id,
    vm: r.vm,
    type: r.type,
    bus: r.bus,
    boot: r.boot,
    device: r.device,
    vm_volume: r.vm_volume,
  };
}

export function pickVmVolume(r: CtVmVolume): Every<CtVmVolume> {
  return {
    id: r.id,
    local_id: r.local_id,
    name: r.name,
    size: r.size,
    sharing: r.sharing,
    elf_storage_policy: r.elf_storage_policy,
    type: r.type,
    cluster: r.cluster,
    local_created_at: r.local_created_at,
    labels: r.labels,
  };
}

export function pickVmNic(r: CtVmNic): Every<CtVmNic> {
  return {
    id: r.id,
    vm: r.vm,
    vlan: r.vlan,
    mac_address: r.mac_address,
    ip_address: r.ip_address,
  };
}

export function pickVlan(r: CtVlan): Every<CtVlan> {
  return {
    id: r.id,
    local_id: r.local_id,
    name: r.name,
    vlan_id: r.vlan_id,
    type: r.type,
    vds: r.vds,
    labels: r.labels,
  };
}

export function pickVds(r: CtVds): Every<CtVds> {
  return { id: r.id, name: r.name, cluster: r.cluster, type: r.type };
}

export function pickCluster(r: CtCluster): Every<CtCluster> {
  return {
    id: r.id,
    local_id: r.local_id,
    name: r.name,
    type: r.type,
    hypervisor: r.hypervisor,
    architecture: r.architecture,
    connect_state: r.connect_state,
    version: r.version,
    ip: r.ip,
    total_cpu_hz: r.total_cpu_hz,
    total_memory_bytes: r.total_memory_bytes,
    total_data_capacity: r.total_data_capacity,
    datacenters: r.datacenters,
    labels: r.labels,
  };
}

export function pickHost(r: CtHost): Every<CtHost> {
  return {
    id: r.id,
    local_id: r.local_id,
    name: r.name,
    cluster: r.cluster,
    management_ip: r.management_ip,
    hypervisor_ip: r.hypervisor_ip,
    status: r.status,
    state: r.state,
    cpu_model: r.cpu_model,
    total_cpu_cores: r.total_cpu_cores,
    total_cpu_sockets: r.total_cpu_sockets,
    cpu_hz_per_core: r.cpu_hz_per_core,
    total_cpu_hz: r.total_cpu_hz,
    total_memory_bytes: r.total_memory_bytes,
    labels: r.labels,
  };
}

export function pickDatacenter(r: CtDatacenter): Every<CtDatacenter> {
  return { id: r.id, name: r.name, organization: r.organization };
}
