/** Prism subnets → NetworkRecords. */
import type { MetadataEntry, NetworkRecord } from '../provider';
import { type KindContext, portalLink } from './kind-context';

/** Subnets → NetworkRecords (overlay subnets have no cluster). */
export function collectNetworks(ctx: KindContext): NetworkRecord[] {
  return ctx.snapshot.subnets.map((s) => {
    const metadata: MetadataEntry[] = [{ key: 'subnet_type', value: s.type }];
    if (s.vlanId !== null) metadata.push({ key: 'vlan_id', value: s.vlanId });
    if (s.cidr) metadata.push({ key: 'cidr', value: s.cidr });
    if (s.gateway) metadata.push({ key: 'gateway', value: s.gateway });
    return {
      id: s.id,
      name: s.name,
      createdAt: null,
      portalLink: portalLink(ctx.snapshot.endpoint, 'subnet', s.id),
      metadata,
      clusterId: s.clusterId,
    };
  });
}
