/**
 * Usage of one resource for a per-resource getSpend. A VM is read alone (its own GET); a `server` id that
 * is no VM may be a host, which has no spend items. A vDisk is reachable only through its VM, which the
 * id does not name, so a volume is found in the inventory.
 */
import { serverUsage, volumeUsage } from '../contract';
import type { LazyInventory, UsageRecord, UsageSubject } from '../provider';
import type { PrismApi, PrismClient } from './client';
import { serverState } from './kind-context';
import { hostCluster, readVm } from './single';

/** The resource's records (none for a host), or null when nothing has the id any more. */
export async function readResourceUsage(
  client: PrismClient,
  api: PrismApi,
  subject: UsageSubject,
  inventory: (signal: AbortSignal) => Promise<LazyInventory>,
  signal: AbortSignal,
): Promise<UsageRecord[] | null> {
  if (subject.kind === 'volume') {
    // Only volumes are made, and only until the one named.
    for (const volume of (await inventory(signal)).volumes()) {
      if (volume.id === subject.id) return [volumeUsage(volume)];
    }
    return null;
  }
  const vm = await readVm(client, api, subject.id, signal);
  if (vm) {
    return [
      serverUsage({
        id: vm.id,
        clusterId: vm.clusterId,
        state: serverState(vm.powerState),
        cpuCores: vm.numSockets * vm.numCoresPerSocket,
        ramB: vm.memoryBytes,
      }),
    ];
  }
  return (await hostCluster(client, api, subject.id, signal)) === undefined ? null : [];
}
