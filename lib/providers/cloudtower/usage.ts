/**
 * Usage of one resource for a per-resource getSpend, read alone with `where: {id}`: the VM (outside the
 * recycle bin), or the vm-volume. A `server` id that is no VM may be a host, which has no spend items.
 */
import { serverUsage, volumeUsage } from '../contract';
import { checkNativeId } from '../ids';
import type { UsageRecord, UsageSubject } from '../provider';
import { type CloudTowerClient, CloudTowerResponseError } from './client';
import { serverState } from './servers';
import type { CtVm, CtVmVolume } from './types';

/** The resource's records (none for a host), or null when nothing has the id any more. */
export async function readTowerResourceUsage(
  client: CloudTowerClient,
  subject: UsageSubject,
  signal: AbortSignal,
): Promise<UsageRecord[] | null> {
  const id = checkNativeId('cloudtower', subject.id, 'resource.native_id');
  const one = async <T>(op: string, where: unknown): Promise<T | undefined> => {
    const rows = await client.call<T[]>(op, { where, first: 1 }, signal);
    if (!Array.isArray(rows)) throw new CloudTowerResponseError(`${op} did not answer an array`);
    return rows[0];
  };
  if (subject.kind === 'volume') {
    const v = await one<CtVmVolume>('get-vm-volumes', { id });
    return v ? [volumeUsage({ id: v.id, clusterId: v.cluster?.id ?? null, sizeB: v.size })] : null;
  }
  const vm = await one<CtVm>('get-vms', { id, in_recycle_bin: false });
  if (vm) {
    return [
      serverUsage({
        id: vm.id,
        clusterId: vm.cluster?.id ?? null,
        state: serverState(vm.status),
        cpuCores: vm.vcpu,
        ramB: vm.memory,
      }),
    ];
  }
  return (await one<{ id: string }>('get-hosts', { id })) ? [] : null;
}
