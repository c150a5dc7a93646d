/** CloudTower vm-volume → VolumeRecord: each vm-volume once (shared ones too), connected to every Server mounting it. */
import type { VolumeRecord } from '../provider';
import { type CloudTowerKindContext, labelMap, towerLinker } from './estate';

/** The Volume records, each made as it is read. */
export function* collectVolumes({ index, endpoint }: CloudTowerKindContext): Generator<VolumeRecord> {
  const link = towerLinker(endpoint, 'volume');
  for (const vol of index.estate.vmVolumes) {
    const attachments = index.attachmentsByVolume.get(vol.id);
    const clusterId = vol.cluster?.id ?? null;
    const placement = index.placement(clusterId);
    yield {
      id: vol.id,
      name: vol.name,
      createdAt: vol.local_created_at || null,
      portalLink: link(vol.id),
      clusterId,
      sizeB: vol.size,
      encrypted: null,
      iops: null,
      // One per (VM, volume) already, so the VM ids are distinct.
      serverIds: attachments ? attachments.serverIds : [],
      locations: placement.locations,
      metadata: [
        { key: 'local_id', value: vol.local_id },
        { key: 'sharing', value: vol.sharing },
        { key: 'storage_policy', value: vol.elf_storage_policy ?? null },
        { key: 'volume_type', value: vol.type ?? null },
        { key: 'labels', value: labelMap(vol.labels) },
        { key: 'attachments', value: attachments ? attachments.entries : [] },
        placement.datacenters,
        placement.organizations,
      ],
    };
  }
}
