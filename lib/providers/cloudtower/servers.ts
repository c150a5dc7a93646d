/** CloudTower VM → ServerRecord. Every VM outside the recycle bin is a Server (system VMs included). */
import { isIP } from 'node:net';
import { compact } from '../compact';
import { isLinkLocalV6 } from '../contract';
import type { GuestOsRecord, IpRecord, ServerRecord, ServerState } from '../provider';
import { type CloudTowerKindContext, labelMap, towerLinker } from './estate';
import type { CtVm, CtVmNic } from './types';

/** CloudTower power state → nflex state (docs/architecture.md "Fixed interface contract"). */
export function serverState(status: string): ServerState {
  if (status === 'RUNNING') return 'running';
  if (status === 'STOPPED' || status === 'SUSPENDED') return 'stopped';
  return 'unknown';
}

/** Splits VMTools' `ips` string; the separator is unverified, so commas, semicolons and blanks all split. */
export function splitGuestIps(ips: string | null | undefined): string[] {
  return (ips ?? '').split(/[\s,;]+/).filter((s) => s !== '');
}

function guestOs(vm: CtVm): GuestOsRecord | null {
  const type = vm.guest_os_type && vm.guest_os_type !== 'UNKNOWN' ? vm.guest_os_type.toLowerCase() : null;
  const name = vm.os?.trim() || null;
  if (!name && !type) return null;
  return {
    id: name ?? (vm.guest_os_type as string),
    name,
    type,
    distribution: null,
    version: null,
    architecture: null,
  };
}

/** The Server records, each made as it is read. `warn` is told about guest IP tokens that are not addresses. */
export function* collectServers({ index, endpoint, warn }: CloudTowerKindContext): Generator<ServerRecord> {
  const link = towerLinker(endpoint, 'vm');
  const noNics: CtVmNic[] = [];
  for (const vm of index.estate.vms) {
    if (vm.in_recycle_bin) continue;
    const clusterId = vm.cluster?.id ?? null;
    const volumes = index.volumesByVm.get(vm.id);
    const nics = index.nicsByVm.get(vm.id) ?? noNics;

    // NIC addresses first (they carry the network), then the ones VMTools reports; first one wins.
    const ipAddresses: IpRecord[] = [];
    const networkIds: string[] = [];
    for (const nic of nics) {
      const vlanRef = nic.vlan;
      if (vlanRef?.id && !networkIds.includes(vlanRef.id)) networkIds.push(vlanRef.id);
      if (!nic.ip_address) continue;
      // The VLAN's own name when the read has it, else the name on the NIC's reference.
      const vlan = vlanRef ? index.vlans.get(vlanRef.id) : undefined;
      const networkName = vlan ? vlan.name : vlanRef?.name || undefined;
      for (const ip of splitGuestIps(nic.ip_address)) {
        if (!acceptIp(ip, ipAddresses, vm.id, warn)) continue;
        const rec: IpRecord = { ip };
        if (vlanRef) rec.networkId = vlanRef.id;
        if (networkName !== undefined) rec.networkName = networkName;
        ipAddresses.push(rec);
      }
    }
    if (vm.ips) {
      for (const ip of splitGuestIps(vm.ips)) {
        if (acceptIp(ip, ipAddresses, vm.id, warn)) ipAddresses.push({ ip });
      }
    }

    const host = vm.host ? index.hosts.get(vm.host.id) : undefined;
    const nicMetadata = nics.map((n) => ({
      // Keyed by VM + MAC: vm-nic ids are regenerated on every sync.
      key: `${vm.id}/${n.mac_address ?? ''}`,
      mac_address: n.mac_address ?? null,
      vlan_id: n.vlan?.id ?? null,
      ip_address: n.ip_address ?? null,
    }));
    const placement = index.placement(clusterId);
    const state = serverState(vm.status);

    yield {
      id: vm.id,
      name: vm.name,
      createdAt: vm.local_created_at || null,
      portalLink: link(vm.id),
      clusterId,
      state,
      providerState: vm.status,
      cpuCores: vm.vcpu,
      // The VM runs at its host's core clock; a VM that is not placed (stopped) has none.
      cpuHz: host?.cpu_hz_per_core ?? null,
      ramB: vm.memory,
      volumesB: volumes?.sizeB ?? 0,
      ipAddresses: compact(ipAddresses),
      guestOs: guestOs(vm),
      volumeIds: volumes ? volumes.ids : [],
      networkIds: compact(networkIds),
      hostId: vm.host && state !== 'stopped' ? vm.host.id : null,
      locations: placement.locations,
      metadata: [
        { key: 'local_id', value: vm.local_id },
        { key: 'cluster', value: vm.cluster ? { id: vm.cluster.id, name: vm.cluster.name ?? null } : null },
        {
          key: 'host',
          value: vm.host
            ? { id: vm.host.id, name: vm.host.name ?? null, management_ip: vm.host.management_ip ?? null }
            : null,
        },
        { key: 'internal', value: vm.internal ?? false },
        { key: 'vm_usage', value: vm.vm_usage ?? null },
        { key: 'vm_tools_status', value: vm.vm_tools_status ?? null },
        { key: 'labels', value: labelMap(vm.labels) },
        { key: 'nics', value: nicMetadata },
        placement.datacenters,
        placement.organizations,
      ],
    };
  }
}

/**
 * Whether `raw` is a new, reportable address for this server: not link-local v6, not already listed.
 * A token that is not an address is reported to `warn` and skipped.
 */
function acceptIp(raw: string, seen: IpRecord[], vmId: string, warn: (m: string) => void): boolean {
  const ip = raw.trim();
  if (isIP(ip) === 0) {
    warn(`VM ${vmId}: ignoring guest address ${JSON.stringify(ip)} (not an IP address)`);
    return false;
  }
  if (isLinkLocalV6(ip)) return false;
  for (const r of seen) if (r.ip === ip) return false;
  return true;
}
