/**
 * What the Prism collectors read, independent of the API flavour: the v4, v3 and PE v2.0 readers all
 * produce a PrismSnapshot, and the per-kind mapper modules of RESOURCE_KINDS map it to records.
 */

export interface PrismDisk {
  id: string;
  kind: 'disk' | 'cdrom' | 'vg';
  busType: string;
  index: number | null;
  /** Bytes; null for an empty CD-ROM and for volume-group disks (the size lives on the VG). */
  sizeBytes: number | null;
  containerId: string | null;
  volumeGroupId: string | null;
}

export interface PrismNic {
  id: string;
  macAddress: string | null;
  isConnected: boolean | null;
  subnetId: string | null;
  /** Assigned (static) addresses first, then learned ones, as the API lists them. */
  ips: { ip: string; type: 'assigned' | 'learned' }[];
}

export interface PrismVm {
  id: string;
  name: string;
  description: string;
  powerState: string;
  numSockets: number;
  numCoresPerSocket: number;
  memoryBytes: number;
  clusterId: string | null;
  hostId: string | null;
  disks: PrismDisk[];
  nics: PrismNic[];
  categories: { key: string; value: string }[];
  guestOsVersion: string | null;
  createdAt: string | null;
}

export interface PrismCluster {
  id: string;
  name: string;
  isPrismCentral: boolean;
  isAvailable: boolean | null;
  version: string | null;
  externalIp: string | null;
  storageCapacityBytes: number | null;
}

export interface PrismHost {
  id: string;
  name: string;
  clusterId: string | null;
  cpuModel: string | null;
  /** Per-core clock in Hz. */
  cpuFrequencyHz: number | null;
  numCpuCores: number | null;
  numCpuSockets: number | null;
  memoryBytes: number | null;
  /** Hypervisor (management) address. */
  ip: string | null;
  /** CONNECTED / DISCONNECTED (v4 `acropolisConnectionState`, PE v2.0 `kConnected`…); null where not reported (v3). */
  connectionState: string | null;
  /** v4 `hypervisor.state` / PE v2.0 `hypervisor_state`; null where not reported (v3). */
  hypervisorState: string | null;
}

export interface PrismSubnet {
  id: string;
  name: string;
  type: string;
  clusterId: string | null;
  vlanId: number | null;
  cidr: string | null;
  gateway: string | null;
}

export interface PrismVolumeGroup {
  id: string;
  name: string;
  clusterId: string | null;
  sizeBytes: number;
  diskCount: number;
  sharingStatus: string | null;
  vmIds: string[];
}

/** Everything one inventory run read from Prism. */
export interface PrismSnapshot {
  /** 'v4.0', 'v4.1', 'v3', or 'v2.0' (a lone Prism Element). */
  api: string;
  endpoint: string;
  clusters: PrismCluster[];
  hosts: PrismHost[];
  vms: PrismVm[];
  subnets: PrismSubnet[];
  volumeGroups: PrismVolumeGroup[];
}
