/** Prism VMs → ServerRecords: every VM, the Prism Central VM included. */
import { compact } from '../compact';
import { isLinkLocalV6 } from '../contract';
import type { IpRecord, MetadataEntry, ServerRecord } from '../provider';
import { clusterEntry, hostEntry, type KindContext, portalLink, serverState } from './kind-context';
import type { PrismVm } from './snapshot';

/** Guest OS string → GuestOsRecord type. */
function guestOsType(version: string): string | null {
  if (/windows/i.test(version)) return 'windows';
  if (/linux|ubuntu|rhel|red ?hat|centos|debian|suse|rocky|alma/i.test(version)) return 'linux';
  return null;
}

function vmCpuHz(vm: PrismVm, ctx: KindContext): number | null {
  const host = vm.hostId ? ctx.hostById.get(vm.hostId) : undefined;
  if (host?.cpuFrequencyHz) return host.cpuFrequencyHz;
  // A VM that is off has no host: report the slowest clock of its cluster rather than flip-flopping.
  return ctx.minCpuHzByCluster.get(vm.clusterId) ?? null;
}

/** VMs → ServerRecords (every VM, the Prism Central VM included), each made as it is read. */
export function* collectServers(ctx: KindContext): Generator<ServerRecord> {
  const { snapshot } = ctx;
  for (const vm of snapshot.vms) {
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
      const subnetId = nic.subnetId;
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
    const state = serverState(vm.powerState);
    const cluster = clusterEntry(ctx, vm.clusterId);
    const host = hostEntry(ctx, vm.hostId);
    const metadata: MetadataEntry[] = [];
    if (cluster) metadata.push(cluster);
    if (host) metadata.push(host);
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
        network_id: n.subnetId,
        is_connected: n.isConnected,
      })),
    });
    yield {
      id: vm.id,
      name: vm.name,
      createdAt: vm.createdAt,
      portalLink: portalLink(snapshot.endpoint, 'vm', vm.id),
      metadata: compact(metadata),
      clusterId: vm.clusterId,
      state,
      providerState: vm.powerState,
      cpuCores: vm.numSockets * vm.numCoresPerSocket,
      cpuHz: vmCpuHz(vm, ctx),
      ramB: vm.memoryBytes,
      volumesB,
      ipAddresses: compact(ipAddresses),
      guestOs: vm.guestOsVersion
        ? { id: vm.guestOsVersion, name: vm.guestOsVersion, type: guestOsType(vm.guestOsVersion) }
        : null,
      volumeIds: compact(volumeIds),
      networkIds: compact(networkIds),
      hostId: vm.hostId && state !== 'stopped' ? vm.hostId : null,
    };
  }
}
