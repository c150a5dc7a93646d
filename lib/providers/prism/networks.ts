/** Prism subnets → NetworkRecords. */
import type { MetadataEntry, NetworkRecord } from '../provider';
import { entityBase, type KindContext, pushSet } from './kind-context';

/** Subnets → NetworkRecords (overlay subnets have no cluster). */
export function collectNetworks(ctx: KindContext): NetworkRecord[] {
  return ctx.snapshot.subnets.map((s) => {
    const metadata: MetadataEntry[] = [{ key: 'subnet_type', value: s.type }];
    pushSet(metadata, { vlan_id: s.vlanId, cidr: s.cidr, gateway: s.gateway });
    return { ...entityBase(ctx, 'subnet', s, metadata), clusterId: s.clusterId };
  });
}
