/**
 * Row projections applied to each row as its page is parsed: only the fields the mappers read (./types), with
 * the values they were sent (undefined included; repeated ones shared, see RowInterner). A 10,000-VM Tower
 * answers ~44 MB of rows of 40–70 fields, a dozen of them read; kept whole until every kind is in, they
 * outlive V8's young generation and the profile showed more GC time than collector code, while projected at
 * once they die young. Every projection builds the same keys in the same order, so the mappers' property
 * reads stay monomorphic.
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
 * Shares the values thousands of rows repeat — a VM's cluster and host references, a disk's and a NIC's VM
 * reference, enum-like strings such as a power state or a storage policy — so a row keeps the first equal
 * value instead of its own copy, and the copies die young with their page (parsed row by row, see
 * parseJsonArray). References are shared per field and id only when every field is equal; rows are never
 * written to, so sharing is safe. The read estate is most of the streamed peak: without sharing it is ~10 MB
 * higher at 10k VMs and ~50 MB at 50k (bench memory.stream, medians of 3).
 */
class RowInterner {
  private readonly strings = new Map<string, string>();
  private readonly refs = new Map<string, Map<string, object>>();

  str<S extends string | null | undefined>(value: S): S {
    if (typeof value !== 'string') return value;
    const known = this.strings.get(value);
    if (known !== undefined) return known as S;
    this.strings.set(value, value);
    return value;
  }

  ref<R extends { id: string } | null | undefined>(field: string, value: R): R {
    if (!value || typeof value.id !== 'string') return value;
    let byId = this.refs.get(field);
    if (!byId) {
      byId = new Map();
      this.refs.set(field, byId);
    }
    const known = byId.get(value.id);
    if (known === undefined) byId.set(value.id, value);
    else if (sameFields(known, value)) return known as R;
    return value;
  }
}

function sameFields(a: object, b: object): boolean {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const key of keys)
    if ((a as Record<string, unknown>)[key] !== (b as Record<string, unknown>)[key]) return false;
  return true;
}

/** The projection of every kind the estate reads, sharing one interner (one set per estate read). */
export function rowPickers() {
  const k = new RowInterner();
  return {
    vm: (r: CtVm) => pickVm(r, k),
    vmDisk: (r: CtVmDisk) => pickVmDisk(r, k),
    vmVolume: (r: CtVmVolume) => pickVmVolume(r, k),
    vmNic: (r: CtVmNic) => pickVmNic(r, k),
    vlan: (r: CtVlan) => pickVlan(r, k),
    vds: (r: CtVds) => pickVds(r, k),
    cluster: pickCluster,
    host: (r: CtHost) => pickHost(r, k),
    datacenter: pickDatacenter,
  };
}

/**
 * Every field of T as a required key (optional ones may hold undefined): the projections return it, so
 * each must copy every field ./types declares — a field added there for a mapper cannot be dropped here.
 */
type Every<T> = { [K in keyof Required<T>]: T[K] };

function pickVm(r: CtVm, k: RowInterner): Every<CtVm> {
  return {
    id: r.id,
    local_id: r.local_id,
    name: r.name,
    status: k.str(r.status),
    vcpu: r.vcpu,
    memory: r.memory,
    cluster: k.ref('cluster', r.cluster),
    host: k.ref('host', r.host),
    ips: r.ips,
    guest_os_type: k.str(r.guest_os_type),
    os: k.str(r.os),
    vm_tools_status: k.str(r.vm_tools_status),
    in_recycle_bin: r.in_recycle_bin,
    internal: r.internal,
    vm_usage: k.str(r.vm_usage),
    local_created_at: r.local_created_at,
    labels: r.labels,
  };
}

function pickVmDisk(r: CtVmDisk, k: RowInterner): Every<CtVmDisk> {
  return {
    id: r.id,
    vm: k.ref('vm', r.vm),
    type: k.str(r.type),
    bus: k.str(r.bus),
    boot: r.boot,
    device: r.device,
    vm_volume: r.vm_volume,
  };
}

function pickVmVolume(r: CtVmVolume, k: RowInterner): Every<CtVmVolume> {
  return {
    id: r.id,
    local_id: r.local_id,
    name: r.name,
    size: r.size,
    sharing: r.sharing,
    elf_storage_policy: k.str(r.elf_storage_policy),
    type: k.str(r.type),
    cluster: k.ref('cluster', r.cluster),
    local_created_at: r.local_created_at,
    labels: r.labels,
  };
}

function pickVmNic(r: CtVmNic, k: RowInterner): Every<CtVmNic> {
  return {
    id: r.id,
    vm: k.ref('vm', r.vm),
    vlan: k.ref('vlan', r.vlan),
    mac_address: r.mac_address,
    ip_address: r.ip_address,
  };
}

function pickVlan(r: CtVlan, k: RowInterner): Every<CtVlan> {
  return {
    id: r.id,
    local_id: r.local_id,
    name: r.name,
    vlan_id: r.vlan_id,
    type: r.type,
    vds: k.ref('vds', r.vds),
    labels: r.labels,
  };
}

function pickVds(r: CtVds, k: RowInterner): Every<CtVds> {
  return { id: r.id, name: r.name, cluster: k.ref('cluster', r.cluster), type: r.type };
}

function pickCluster(r: CtCluster): Every<CtCluster> {
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

function pickHost(r: CtHost, k: RowInterner): Every<CtHost> {
  return {
    id: r.id,
    local_id: r.local_id,
    name: r.name,
    cluster: k.ref('cluster', r.cluster),
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

function pickDatacenter(r: CtDatacenter): Every<CtDatacenter> {
  return { id: r.id, name: r.name, organization: r.organization };
}
