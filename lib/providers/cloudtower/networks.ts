/** CloudTower VLAN → NetworkRecord (every VLAN; its `type` — VM, MANAGEMENT, STORAGE… — is metadata). */
import type { NetworkRecord } from '../provider';
import { type CloudTowerKindContext, labelMap, locationsOf, placementMetadata, towerLink } from './estate';

/** Builds the Network records. */
export function collectNetworks({ index, endpoint }: CloudTowerKindContext): NetworkRecord[] {
  return index.estate.vlans.map((vlan) => {
    const clusterId = index.vlanClusterId(vlan);
    return {
      id: vlan.id,
      name: vlan.name,
      createdAt: null,
      portalLink: towerLink(endpoint, 'vlan', vlan.id),
      clusterId,
      locations: locationsOf(index, clusterId),
      metadata: [
        { key: 'local_id', value: vlan.local_id },
        { key: 'vlan_id', value: vlan.vlan_id },
        { key: 'vlan_type', value: vlan.type },
        { key: 'vds', value: vlan.vds ? { id: vlan.vds.id, name: vlan.vds.name ?? null } : null },
        { key: 'labels', value: labelMap(vlan.labels) },
        ...placementMetadata(index, clusterId),
      ],
    };
  });
}
