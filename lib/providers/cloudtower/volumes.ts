/** CloudTower vm-volume → VolumeRecord: each vm-volume once (shared ones too), connected to every Server mounting it. */
import type { VolumeRecord } from '../provider';
import { type EstateIndex, labelMap, locationsOf, placementMetadata, towerLink } from './estate';

/** Builds the Volume records. */
export function collectVolumes(index: EstateIndex, endpoint: string): VolumeRecord[] {
  return index.estate.vmVolumes.map((vol) => {
    const attachments = index.attachmentsByVolume.get(vol.id) ?? [];
    const clusterId = vol.cluster?.id ?? null;
    return {
      id: vol.id,
      name: vol.name,
      createdAt: vol.local_created_at || null,
      portalLink: towerLink(endpoint, 'volume', vol.id),
      clusterId,
      sizeB: vol.size,
      encrypted: null,
      iops: null,
      serverIds: [...new Set(attachments.map((a) => a.vmId))],
      locations: locationsOf(index, clusterId),
      metadata: [
        { key: 'local_id', value: vol.local_id },
        { key: 'sharing', value: vol.sharing },
        { key: 'storage_policy', value: vol.elf_storage_policy ?? null },
        { key: 'volume_type', value: vol.type ?? null },
        { key: 'labels', value: labelMap(vol.labels) },
        {
          key: 'attachments',
          value: attachments.map((a) => ({
            key: a.key,
            vm_id: a.vmId,
            bus: a.bus,
            device: a.device,
            boot: a.boot,
          })),
        },
        ...placementMetadata(index, clusterId),
      ],
    };
  });
}
