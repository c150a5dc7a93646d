/** CloudTower VM → ServerRecord. Every VM outside the recycle bin is a Server (system VMs included). */
import { isIP } from 'node:net';
import type { GuestOsRecord, IpRecord, ServerRecord, ServerState } from '../provider';
import { type EstateIndex, labelMap, locationsOf, placementMetadata, towerLink } from './estate';
import type { CtVm } from './types';

/** CloudTower power state → nflex state (ARCHITECTURE.md "Fixed interface contract"). */
export function serverState(status: string): ServerState {
  if (status === 'RUNNING') return 'running';
  if (status === 'STOPPED' || status === 'SUSPENDED') return 'stopped';
  return 'unknown';
}

/** IPv6 link-local (fe80::/10) addresses are never reported. */
export function isLinkLocalV6(ip: string): boolean {
  if (isIP(ip) !== 6) return false;
  const first = Number.parseInt(ip.split(':')[0] || '0', 16);
  return (first & 0xffc0) === 0xfe80;
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

/** Builds the Server records. `warn` is told about guest IP tokens that are not addresses. */
export function collectServers(
  index: EstateIndex,
  endpoint: string,
  warn: (m: string) => void,
): ServerRecord[] {
  const out: ServerRecord[] = [];
  for (const vm of index.estate.vms) {
    if (vm.in_recycle_bin) continue;
    const clusterId = vm.cluster?.id ?? null;
    const attachments = index.attachmentsByVm.get(vm.id) ?? [];
    const nics = index.nicsByVm.get(vm.id) ?? [];

    const volumeIds = attachments.map((a) => a.volumeId);
    const volumesB = volumeIds.reduce((sum, id) => sum + (index.volumes.get(id)?.size ?? 0), 0);

    const ips = new Map<string, IpRecord>();
    const addIp = (raw: string, source: IpRecord | null) => {
      const ip = raw.trim();
      if (isIP(ip) === 0) {
        warn(`VM ${vm.id}: ignoring guest address ${JSON.stringify(ip)} (not an IP address)`);
        return;
      }
      if (isLinkLocalV6(ip) || ips.has(ip)) return;
      ips.set(ip, source ?? { ip });
    };
    for (const nic of nics) {
      if (!nic.ip_address) continue;
      const vlan = nic.vlan ? index.vlans.get(nic.vlan.id) : undefined;
      for (const ip of splitGuestIps(nic.ip_address)) {
        addIp(ip, {
          ip,
          ...(nic.vlan ? { networkId: nic.vlan.id } : {}),
          ...(vlan || nic.vlan?.name ? { networkName: vlan?.name ?? (nic.vlan?.name as string) } : {}),
        });
      }
    }
    for (const ip of splitGuestIps(vm.ips)) addIp(ip, null);

    const networkIds = [...new Set(nics.map((n) => n.vlan?.id).filter((id): id is string => Boolean(id)))];
    const host = vm.host ? index.hosts.get(vm.host.id) : undefined;

    out.push({
      id: vm.id,
      name: vm.name,
      createdAt: vm.local_created_at || null,
      portalLink: towerLink(endpoint, 'vm', vm.id),
      clusterId,
      state: serverState(vm.status),
      providerState: vm.status,
      cpuCores: vm.vcpu,
      // The VM runs at its host's core clock; a VM that is not placed (stopped) has none.
      cpuHz: host?.cpu_hz_per_core ?? null,
      ramB: vm.memory,
      volumesB,
      ipAddresses: [...ips.values()],
      guestOs: guestOs(vm),
      volumeIds,
      networkIds,
      locations: locationsOf(index, clusterId),
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
        {
          key: 'nics',
          // Keyed by VM + MAC: vm-nic ids are regenerated on every sync.
          value: nics.map((n) => ({
            key: `${vm.id}/${n.mac_address ?? ''}`,
            mac_address: n.mac_address ?? null,
            vlan_id: n.vlan?.id ?? null,
            ip_address: n.ip_address ?? null,
          })),
        },
        ...placementMetadata(index, clusterId),
      ],
    });
  }
  return out;
}
