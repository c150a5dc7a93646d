/**
 * The inventory the Prism provider should return for a simulator estate, derived straight from the
 * simulator's model (not from the provider's snapshot or mappers), following docs/architecture.md
 * "Fixed interface contract". Arrays of ids are sorted and records keyed by id so order never matters.
 */
import type { PrismWorld, SimVm } from '../../simulators/prism/model';

export interface ExpectedServer {
  name: string;
  clusterId: string;
  state: 'running' | 'stopped' | 'unknown';
  providerState: string;
  cpuCores: number;
  cpuHz: number | null;
  ramB: number;
  volumesB: number;
  ips: string[];
  volumeIds: string[];
  networkIds: string[];
  nicIds: string[];
  categories: Record<string, string>;
  /** The host in the VM's metadata (where Prism places it, paused VMs included). */
  hostId: string | null;
  /** The host it is connected to as running on: none when stopped. */
  runsOn: string | null;
  guestOs: string | null;
}

export interface ExpectedHost {
  name: string;
  clusterId: string;
  state: 'running' | 'unknown';
  providerState: string | null;
  cpuCores: number;
  cpuHz: number;
  ramB: number;
  ips: string[];
}

export interface ExpectedVolume {
  name: string;
  clusterId: string;
  sizeB: number;
  serverIds: string[];
}

export interface ExpectedInventory {
  servers: Record<string, ExpectedServer>;
  hosts: Record<string, ExpectedHost>;
  volumes: Record<string, ExpectedVolume>;
  networks: Record<string, { name: string; clusterId: string | null; vlanId: number | null; cidr: string }>;
  computePools: Record<
    string,
    {
      name: string;
      cpuHz: number;
      memoryB: number;
      storageB: number;
      connectState: string;
      hostIds: string[];
    }
  >;
}

const sorted = (xs: string[]) => [...xs].sort();

function rawPowerState(vm: SimVm, api: Api): string {
  // v3's enum has UNKNOWN where v4 says UNDETERMINED; PE v2.0 reports lower case.
  if (api === 'v2') return vm.powerState === 'UNDETERMINED' ? 'unknown' : vm.powerState.toLowerCase();
  return api === 'v3' && vm.powerState === 'UNDETERMINED' ? 'UNKNOWN' : vm.powerState;
}

type Api = 'v4' | 'v3' | 'v2';

/**
 * A NIC's addresses as each API shows them: v4/v3 list every assigned and learned address; a PE v2.0 NIC
 * shows the requested (primary assigned) address and one current address (the first learned IPv4, else the
 * assigned one).
 */
function nicIps(nic: SimVm['nics'][number], api: Api): string[] {
  if (api !== 'v2') return [...nic.assignedIps, ...nic.learnedIps];
  const current = nic.learnedIps.find((ip) => !ip.includes(':')) ?? nic.assignedIps[0];
  return [nic.assignedIps[0], current].filter((ip): ip is string => ip !== undefined);
}

/** The expected inventory for `world` read through `api`. */
export function expectedInventory(world: PrismWorld, api: Api): ExpectedInventory {
  const vgSize = new Map(
    world.volumeGroups.map((g) => [g.extId, g.disks.reduce((s, d) => s + d.sizeBytes, 0)]),
  );
  const servers: Record<string, ExpectedServer> = {};
  const volumes: Record<string, ExpectedVolume> = {};
  for (const vm of world.vms) {
    const diskVolumes = vm.disks.filter((d) => d.kind === 'disk');
    const vgIds = [...new Set(vm.disks.flatMap((d) => (d.kind === 'vg' ? [d.volumeGroupId] : [])))];
    const ips = new Set<string>();
    for (const nic of vm.nics) {
      for (const ip of nicIps(nic, api)) if (!ip.toLowerCase().startsWith('fe80:')) ips.add(ip);
    }
    const host = world.hosts.find((h) => h.extId === vm.hostId);
    const clusterFreqs = world.hosts.filter((h) => h.clusterId === vm.clusterId).map((h) => h.cpuFrequencyHz);
    const state =
      vm.powerState === 'ON'
        ? 'running'
        : vm.powerState === 'OFF' || vm.powerState === 'PAUSED'
          ? 'stopped'
          : 'unknown';
    servers[vm.extId] = {
      name: vm.name,
      clusterId: vm.clusterId,
      state,
      providerState: rawPowerState(vm, api),
      cpuCores: vm.numSockets * vm.numCoresPerSocket,
      cpuHz: host ? host.cpuFrequencyHz : clusterFreqs.length > 0 ? Math.min(...clusterFreqs) : null,
      ramB: vm.memorySizeBytes,
      volumesB:
        diskVolumes.reduce((s, d) => s + (d.kind === 'disk' ? d.sizeBytes : 0), 0) +
        vgIds.reduce((s, id) => s + (vgSize.get(id) ?? 0), 0),
      ips: sorted([...ips]),
      volumeIds: sorted([...diskVolumes.map((d) => d.extId), ...vgIds]),
      networkIds: sorted([...new Set(vm.nics.map((n) => n.subnetId))]),
      // v2.0 NICs have no id: the MAC address stands in.
      nicIds: sorted(vm.nics.map((n) => (api === 'v2' ? n.macAddress : n.extId))),
      // v2.0 lists neither categories nor the guest OS.
      categories:
        api === 'v2'
          ? {}
          : Object.fromEntries(
              vm.categoryIds
                .map((id) => world.categories.find((c) => c.extId === id)!)
                .map((c) => [c.key, c.value]),
            ),
      hostId: vm.hostId,
      runsOn: state === 'stopped' ? null : vm.hostId,
      guestOs: api === 'v2' ? null : vm.guestOsVersion,
    };
    for (const d of diskVolumes) {
      if (d.kind !== 'disk') continue;
      volumes[d.extId] = {
        name: `${vm.name} ${d.busType.toLowerCase()}.${d.index}`,
        clusterId: vm.clusterId,
        sizeB: d.sizeBytes,
        serverIds: [vm.extId],
      };
    }
  }
  for (const vg of world.volumeGroups) {
    volumes[vg.extId] = {
      name: vg.name,
      clusterId: vg.clusterId,
      sizeB: vgSize.get(vg.extId)!,
      serverIds: sorted(vg.attachedVmIds),
    };
  }
  const networks: ExpectedInventory['networks'] = {};
  for (const s of world.subnets) {
    networks[s.extId] = {
      name: s.name,
      clusterId: s.clusterId,
      vlanId: s.vlanId,
      cidr: `${s.networkIp}/${s.prefixLength}`,
    };
  }
  const computePools: ExpectedInventory['computePools'] = {};
  for (const c of world.clusters) {
    if (c.isPrismCentral) continue;
    const hosts = world.hosts.filter((h) => h.clusterId === c.extId);
    computePools[c.extId] = {
      name: c.name,
      cpuHz: hosts.reduce((s, h) => s + h.cpuFrequencyHz * h.numberOfCpuCores, 0),
      memoryB: hosts.reduce((s, h) => s + h.memorySizeBytes, 0),
      storageB: c.storageCapacityBytes,
      connectState: c.isAvailable ? 'CONNECTED' : 'DISCONNECTED',
      hostIds: sorted(hosts.map((h) => h.extId)),
    };
  }
  const hosts: ExpectedInventory['hosts'] = {};
  for (const h of world.hosts) {
    // v3 reports no connection state: a host its cluster lists counts as connected.
    const connected = api === 'v3' || (h.connectionState ?? 'CONNECTED') === 'CONNECTED';
    const hypervisorState = h.hypervisorState ?? 'ACROPOLIS_NORMAL';
    hosts[h.extId] = {
      name: h.name,
      clusterId: h.clusterId,
      state: connected ? 'running' : 'unknown',
      providerState: api === 'v3' ? null : api === 'v2' ? peEnum(hypervisorState) : hypervisorState,
      cpuCores: h.numberOfCpuCores,
      cpuHz: h.cpuFrequencyHz,
      ramB: h.memorySizeBytes,
      ips: [h.ip],
    };
  }
  return { servers, hosts, volumes, networks, computePools };
}

/** `ENTERED_MAINTENANCE_MODE` → `kEnteredMaintenanceMode`, as PE v2.0 names hypervisor states. */
function peEnum(v4: string): string {
  return `k${v4
    .split('_')
    .map((w) => w[0] + w.slice(1).toLowerCase())
    .join('')}`;
}

type Inv = import('../../../lib/providers/provider').Inventory;

const meta = (entries: { key: string; value: unknown }[], key: string) =>
  entries.find((e) => e.key === key)?.value;

/** Projects a collected inventory onto the expected shape (and fails on duplicate ids). */
export function projectInventory(inv: Inv): ExpectedInventory {
  const unique = <T extends { id: string }>(kind: string, xs: T[]) => {
    const ids = new Set(xs.map((x) => x.id));
    if (ids.size !== xs.length) throw new Error(`duplicate ${kind} ids: ${xs.length - ids.size}`);
    return xs;
  };
  const servers: Record<string, ExpectedServer> = {};
  for (const s of unique('server', inv.servers)) {
    const host = meta(s.metadata, 'host') as { id: string } | undefined;
    const nics = (meta(s.metadata, 'nics') as { id: string }[] | undefined) ?? [];
    servers[s.id] = {
      name: s.name,
      clusterId: s.clusterId ?? '',
      state: s.state,
      providerState: s.providerState,
      cpuCores: s.cpuCores,
      cpuHz: s.cpuHz,
      ramB: s.ramB,
      volumesB: s.volumesB,
      ips: sorted(s.ipAddresses.map((i) => i.ip)),
      volumeIds: sorted(s.volumeIds),
      networkIds: sorted(s.networkIds),
      nicIds: sorted(nics.map((n) => n.id)),
      categories: (meta(s.metadata, 'categories') as Record<string, string> | undefined) ?? {},
      hostId: host?.id ?? null,
      runsOn: s.hostId,
      guestOs: s.guestOs?.id ?? null,
    };
  }
  const hosts: ExpectedInventory['hosts'] = {};
  for (const h of unique('host', inv.hosts)) {
    hosts[h.id] = {
      name: h.name,
      clusterId: h.clusterId ?? '',
      state: h.state as ExpectedHost['state'],
      providerState: h.providerState,
      cpuCores: h.cpuCores ?? -1,
      cpuHz: h.cpuHz ?? -1,
      ramB: h.ramB ?? -1,
      ips: sorted(h.ipAddresses),
    };
  }
  const volumes: Record<string, ExpectedVolume> = {};
  for (const v of unique('volume', inv.volumes)) {
    volumes[v.id] = {
      name: v.name,
      clusterId: v.clusterId ?? '',
      sizeB: v.sizeB,
      serverIds: sorted(v.serverIds),
    };
  }
  const networks: ExpectedInventory['networks'] = {};
  for (const n of unique('network', inv.networks)) {
    networks[n.id] = {
      name: n.name,
      clusterId: n.clusterId,
      vlanId: (meta(n.metadata, 'vlan_id') as number | undefined) ?? null,
      cidr: String(meta(n.metadata, 'cidr')),
    };
  }
  const computePools: ExpectedInventory['computePools'] = {};
  for (const p of unique('compute pool', inv.computePools)) {
    computePools[p.id] = {
      name: p.name,
      cpuHz: p.cpuHz ?? -1,
      memoryB: p.memoryB ?? -1,
      storageB: p.storageB ?? -1,
      connectState: String(meta(p.metadata, 'connect_state')),
      hostIds: sorted(((meta(p.metadata, 'hosts') as { id: string }[] | undefined) ?? []).map((h) => h.id)),
    };
  }
  return { servers, hosts, volumes, networks, computePools };
}
