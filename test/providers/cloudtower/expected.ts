/**
 * The Inventory the CloudTower provider must produce, derived from the simulator's ground truth by the
 * rules in docs/architecture.md "Fixed interface contract" — written separately from the provider's mappers
 * (different joins, different code) so the equality test can catch a mapping bug rather than repeat it.
 * Only the fields the contract fixes are compared; metadata is checked by targeted tests.
 */
import type { Inventory } from '../../../lib/providers/provider';
import type { CloudTowerGroundTruth, Row } from '../../simulators/cloudtower/index';

export interface ExpectedServer {
  id: string;
  name: string;
  clusterId: string | null;
  state: string;
  providerState: string;
  cpuCores: number;
  cpuHz: number | null;
  ramB: number;
  volumesB: number;
  ips: string[];
  volumeIds: string[];
  networkIds: string[];
  guestOsId: string | null;
  /** The host it is connected to as running on: none when stopped or suspended. */
  runsOn: string | null;
}

export interface ExpectedHost {
  id: string;
  name: string;
  clusterId: string;
  state: 'running' | 'unknown';
  providerState: string;
  cpuCores: number;
  cpuHz: number;
  ramB: number;
  ips: string[];
}

export interface ExpectedInventory {
  servers: ExpectedServer[];
  hosts: ExpectedHost[];
  volumes: { id: string; name: string; clusterId: string | null; sizeB: number; serverIds: string[] }[];
  networks: { id: string; name: string; clusterId: string | null }[];
  computePools: {
    id: string;
    name: string;
    cpuHz: number | null;
    memoryB: number | null;
    storageB: number | null;
    connectState: string;
  }[];
}

const STATE: Record<string, string> = { RUNNING: 'running', STOPPED: 'stopped', SUSPENDED: 'stopped' };

function ref(row: Row, field: string): string | null {
  const r = row[field] as { id?: string } | null | undefined;
  return r?.id ?? null;
}

function linkLocal(ip: string): boolean {
  // fe80::/10 → first hextet fe80..febf
  return /^fe[89ab][0-9a-f]:/i.test(ip);
}

/** Derives the expected inventory from a ground-truth snapshot. */
export function expectedInventory(truth: CloudTowerGroundTruth): ExpectedInventory {
  const servers = truth.vms.filter((vm) => vm.in_recycle_bin !== true);
  const serverIds = new Set(servers.map((vm) => vm.id as string));
  const volumeSize = new Map(truth['vm-volumes'].map((v) => [v.id as string, v.size as number]));
  const hostHz = new Map(truth.hosts.map((h) => [h.id as string, h.cpu_hz_per_core as number]));

  // VM → volumes, walking the disks collection (CD-ROMs have no vm_volume).
  const volsOfVm = new Map<string, string[]>();
  const vmsOfVol = new Map<string, string[]>();
  for (const disk of truth['vm-disks']) {
    const vmId = ref(disk, 'vm') as string;
    const volId = ref(disk, 'vm_volume');
    if (disk.type === 'CD_ROM' || volId === null || !serverIds.has(vmId)) continue;
    const list = volsOfVm.get(vmId) ?? [];
    if (!list.includes(volId)) list.push(volId);
    volsOfVm.set(vmId, list);
    const back = vmsOfVol.get(volId) ?? [];
    if (!back.includes(vmId)) back.push(vmId);
    vmsOfVol.set(volId, back);
  }
  const nicsOfVm = new Map<string, Row[]>();
  for (const nic of truth['vm-nics']) {
    const vmId = ref(nic, 'vm') as string;
    nicsOfVm.set(vmId, [...(nicsOfVm.get(vmId) ?? []), nic]);
  }

  const vdsCluster = new Map(truth.vdses.map((v) => [v.id as string, ref(v, 'cluster')]));

  return {
    servers: servers.map((vm) => {
      const id = vm.id as string;
      const vols = volsOfVm.get(id) ?? [];
      const nics = nicsOfVm.get(id) ?? [];
      const ips: string[] = [];
      for (const candidate of [
        ...nics.map((n) => n.ip_address as string | null),
        ...String(vm.ips ?? '').split(','),
      ]) {
        if (!candidate || linkLocal(candidate) || ips.includes(candidate)) continue;
        ips.push(candidate);
      }
      const hostId = ref(vm, 'host');
      const os = (vm.os as string | null) ?? null;
      const gtype = vm.guest_os_type as string | null;
      return {
        id,
        name: vm.name as string,
        clusterId: ref(vm, 'cluster'),
        state: STATE[vm.status as string] ?? 'unknown',
        providerState: vm.status as string,
        cpuCores: vm.vcpu as number,
        cpuHz: hostId ? (hostHz.get(hostId) ?? null) : null,
        ramB: vm.memory as number,
        volumesB: vols.reduce((s, v) => s + (volumeSize.get(v) ?? 0), 0),
        ips: ips.sort(),
        volumeIds: [...vols].sort(),
        networkIds: [
          ...new Set(nics.map((n) => ref(n, 'vlan')).filter((x): x is string => x !== null)),
        ].sort(),
        guestOsId: os ?? (gtype && gtype !== 'UNKNOWN' ? gtype : null),
        runsOn: STATE[vm.status as string] === 'stopped' ? null : hostId,
      };
    }),
    hosts: truth.hosts.map((h) => ({
      id: h.id as string,
      name: h.name as string,
      clusterId: ref(h, 'cluster') as string,
      state: /^CONNECTED_/.test(h.status as string) ? 'running' : 'unknown',
      providerState: h.status as string,
      cpuCores: h.total_cpu_cores as number,
      cpuHz: h.cpu_hz_per_core as number,
      ramB: h.total_memory_bytes as number,
      ips: [...new Set([h.management_ip, h.hypervisor_ip].filter((ip): ip is string => !!ip))].sort(),
    })),
    volumes: truth['vm-volumes'].map((v) => ({
      id: v.id as string,
      name: v.name as string,
      clusterId: ref(v, 'cluster'),
      sizeB: v.size as number,
      serverIds: [...(vmsOfVol.get(v.id as string) ?? [])].sort(),
    })),
    networks: truth.vlans.map((v) => ({
      id: v.id as string,
      name: v.name as string,
      clusterId: vdsCluster.get(ref(v, 'vds') as string) ?? null,
    })),
    computePools: truth.clusters.map((c) => ({
      id: c.id as string,
      name: c.name as string,
      cpuHz: (c.total_cpu_hz as number | null) ?? null,
      memoryB: (c.total_memory_bytes as number | null) ?? null,
      storageB: (c.total_data_capacity as number | null) ?? null,
      connectState: c.connect_state as string,
    })),
  };
}

/** The provider's inventory reduced to the fields the contract fixes, in the shape of expectedInventory. */
export function projectInventory(inv: Inventory) {
  return {
    servers: inv.servers.map((s) => ({
      id: s.id,
      name: s.name,
      clusterId: s.clusterId,
      state: s.state,
      providerState: s.providerState,
      cpuCores: s.cpuCores,
      cpuHz: s.cpuHz,
      ramB: s.ramB,
      volumesB: s.volumesB,
      ips: s.ipAddresses.map((i) => i.ip).sort(),
      volumeIds: [...s.volumeIds].sort(),
      networkIds: [...s.networkIds].sort(),
      guestOsId: s.guestOs?.id ?? null,
      runsOn: s.hostId,
    })),
    hosts: inv.hosts.map((h) => ({
      id: h.id,
      name: h.name,
      clusterId: h.clusterId,
      state: h.state,
      providerState: h.providerState,
      cpuCores: h.cpuCores,
      cpuHz: h.cpuHz,
      ramB: h.ramB,
      ips: [...h.ipAddresses].sort(),
    })),
    volumes: inv.volumes.map((v) => ({
      id: v.id,
      name: v.name,
      clusterId: v.clusterId,
      sizeB: v.sizeB,
      serverIds: [...v.serverIds].sort(),
    })),
    networks: inv.networks.map((n) => ({ id: n.id, name: n.name, clusterId: n.clusterId })),
    computePools: inv.computePools.map((c) => ({
      id: c.id,
      name: c.name,
      cpuHz: c.cpuHz,
      memoryB: c.memoryB,
      storageB: c.storageB,
      connectState: c.metadata.find((m) => m.key === 'connect_state')?.value as string,
    })),
  };
}
