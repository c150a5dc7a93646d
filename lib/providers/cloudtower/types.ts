/**
 * The parts of CloudTower 4.6.0 objects the collector reads (field names and units as in the OpenAPI
 * schemas: sizes in bytes, frequencies in Hz, ISO-8601 times). Everything else is ignored; fields added by
 * newer versions are tolerated, fields missing on older ones are optional. List rows are cut down to
 * exactly these fields as they arrive (./rows), so a mapper that needs another field adds it here first.
 */

/** A shallow `{id, name}` reference as nested objects come back. */
export interface Ref {
  id: string;
  name?: string;
}

export interface CtLabel {
  id: string;
  key: string;
  value?: string | null;
}

export interface CtVm {
  id: string;
  local_id: string;
  name: string;
  status: string;
  vcpu: number;
  memory: number;
  cluster?: Ref | null;
  host?: (Ref & { management_ip?: string }) | null;
  ips?: string | null;
  guest_os_type?: string | null;
  os?: string | null;
  vm_tools_status?: string | null;
  in_recycle_bin: boolean;
  internal?: boolean | null;
  vm_usage?: string | null;
  local_created_at?: string | null;
  labels?: CtLabel[] | null;
}

export interface CtVmDisk {
  id: string;
  vm: Ref;
  type: string;
  bus?: string | null;
  boot?: number | null;
  device?: string | null;
  vm_volume?: Ref | null;
}

export interface CtVmVolume {
  id: string;
  local_id: string;
  name: string;
  size: number;
  sharing: boolean;
  elf_storage_policy?: string | null;
  type?: string | null;
  cluster?: Ref | null;
  local_created_at?: string | null;
  labels?: CtLabel[] | null;
}

export interface CtVmNic {
  id: string;
  vm: Ref;
  vlan?: Ref | null;
  mac_address?: string | null;
  ip_address?: string | null;
}

export interface CtVlan {
  id: string;
  local_id: string;
  name: string;
  vlan_id: number;
  type: string;
  vds?: Ref | null;
  labels?: CtLabel[] | null;
}

export interface CtVds {
  id: string;
  name: string;
  cluster?: Ref | null;
  type?: string | null;
}

export interface CtCluster {
  id: string;
  local_id: string;
  name: string;
  type: string;
  hypervisor?: string | null;
  architecture?: string | null;
  connect_state: string;
  version?: string | null;
  ip?: string | null;
  total_cpu_hz?: number | null;
  total_memory_bytes?: number | null;
  total_data_capacity?: number | null;
  datacenters?: Ref[] | null;
  labels?: CtLabel[] | null;
}

export interface CtHost {
  id: string;
  local_id: string;
  name: string;
  cluster: Ref;
  management_ip?: string | null;
  hypervisor_ip?: string | null;
  status?: string | null;
  state?: string | null;
  cpu_model?: string | null;
  total_cpu_cores?: number | null;
  total_cpu_sockets?: number | null;
  cpu_hz_per_core?: number | null;
  total_cpu_hz?: number | null;
  total_memory_bytes?: number | null;
  labels?: CtLabel[] | null;
}

export interface CtDatacenter {
  id: string;
  name: string;
  organization?: Ref | null;
}

/** One element of a metrics response (`WithTask<Metric>`). */
export interface CtMetricResult {
  task_id?: string | null;
  data: {
    unit: string;
    step: number;
    dropped: boolean;
    sample_streams?:
      | {
          labels: Record<string, string | null | undefined>;
          points?: { t: number; v: number | null }[] | null;
        }[]
      | null;
  };
}

/** Everything one inventory read fetched. */
export interface CtEstate {
  clusters: CtCluster[];
  hosts: CtHost[];
  datacenters: CtDatacenter[];
  vms: CtVm[];
  vmDisks: CtVmDisk[];
  vmVolumes: CtVmVolume[];
  vmNics: CtVmNic[];
  vlans: CtVlan[];
  vdses: CtVds[];
}
