/** Prism vDisks (not CD-ROMs, not VG-backed) and volume groups → VolumeRecords. */
import { compact } from '../compact';
import type { MetadataEntry, VolumeRecord } from '../provider';
import { entityBase, type KindContext, portalLink } from './kind-context';

/** Non-CD-ROM, non-VG vDisks and volume groups → VolumeRecords, each made as it is read. */
export function* collectVolumes(ctx: KindContext): Generator<VolumeRecord> {
  const { snapshot } = ctx;
  for (const vm of snapshot.vms) {
    let vmLink: string | undefined;
    for (const d of vm.disks) {
      if (d.kind !== 'disk') continue;
      vmLink ??= portalLink(snapshot.endpoint, 'vm', vm.id);
      const device = `${d.busType.toLowerCase()}.${d.index ?? '?'}`;
      const metadata: MetadataEntry[] = [
        { key: 'vm', value: { id: vm.id, name: vm.name } },
        { key: 'device', value: device },
      ];
      if (d.containerId) metadata.push({ key: 'storage_container_id', value: d.containerId });
      yield {
        id: d.id,
        name: `${vm.name} ${device}`,
        createdAt: null,
        portalLink: vmLink,
        metadata: compact(metadata),
        clusterId: vm.clusterId,
        sizeB: d.sizeBytes ?? 0,
        encrypted: null,
        iops: null,
        serverIds: [vm.id],
      };
    }
  }
  for (const vg of snapshot.volumeGroups) {
    yield {
      ...entityBase(ctx, 'volume_group', vg, [
        { key: 'volume_group', value: { disk_count: vg.diskCount, sharing_status: vg.sharingStatus } },
      ]),
      clusterId: vg.clusterId,
      sizeB: vg.sizeBytes,
      encrypted: null,
      iops: null,
      serverIds: [...vg.vmIds],
    };
  }
}
