/**
 * Prism v4 VM parsing (both NIC layouts: `backingInfo`/`networkInfo` ≤ v4.0, `nicBackingInfo`/
 * `nicNetworkInfo` ≥ v4.1). These run for every VM, disk and NIC of a 10k-VM estate, so they read
 * properties one level at a time rather than through the dotted-path helpers of ./read.
 */
import { UpstreamError } from '../../errors';
import { compact } from '../compact';
import type { Json } from './read';
import type { PrismDisk, PrismNic, PrismVm } from './snapshot';

/** `o[key]` when `o` is a JSON object. */
function field(o: unknown, key: string): unknown {
  return o !== null && typeof o === 'object' && !Array.isArray(o) ? (o as Json)[key] : undefined;
}

function fieldStr(o: unknown, key: string): string | null {
  const v = field(o, key);
  return typeof v === 'string' ? v : null;
}

function fieldNum(o: unknown, key: string): number | null {
  const v = field(o, key);
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** An array field; missing is empty, anything else non-array means we misread the API. */
function fieldList(o: unknown, key: string, what: string): unknown[] {
  const v = field(o, key);
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new UpstreamError(`${what}: expected ${key} to be a list`);
  return v;
}

function fieldId(o: unknown, key: string, what: string): string {
  const v = fieldStr(o, key);
  if (!v) throw new UpstreamError(`${what}: missing ${key}`);
  return v;
}

/** Appends the `value` of each IP address object. */
function pushIpValues(out: string[], values: unknown[]): void {
  for (const v of values) {
    const ip = fieldStr(v, 'value');
    if (ip !== null) out.push(ip);
  }
}

function parseNic(nic: unknown, what: string): PrismNic {
  // ≤ v4.0: backingInfo/networkInfo; ≥ v4.1: nicBackingInfo/nicNetworkInfo (one-of, same fields).
  const backing = field(nic, 'nicBackingInfo') ?? field(nic, 'backingInfo');
  const network = field(nic, 'nicNetworkInfo') ?? field(nic, 'networkInfo');
  const ipv4Config = field(network, 'ipv4Config');
  const assigned: string[] = [];
  const primary = fieldStr(field(ipv4Config, 'ipAddress'), 'value');
  if (primary !== null) assigned.push(primary);
  pushIpValues(assigned, fieldList(ipv4Config, 'secondaryIpAddressList', what));
  const learned: string[] = [];
  pushIpValues(learned, fieldList(field(network, 'ipv4Info'), 'learnedIpAddresses', what));
  pushIpValues(learned, fieldList(field(network, 'ipv6Info'), 'learnedIpAddresses', what));
  const ips: PrismNic['ips'] = [];
  for (const ip of assigned) ips.push({ ip, type: 'assigned' });
  for (const ip of learned) ips.push({ ip, type: 'learned' });
  const connected = field(backing, 'isConnected');
  return {
    id: fieldId(nic, 'extId', `${what} NIC`),
    macAddress: fieldStr(backing, 'macAddress'),
    isConnected: typeof connected === 'boolean' ? connected : null,
    subnetId: fieldStr(field(network, 'subnet'), 'extId'),
    ips: compact(ips),
  };
}

function parseDisk(disk: unknown, what: string): PrismDisk {
  const id = fieldId(disk, 'extId', `${what} disk`);
  const backing = field(disk, 'backingInfo');
  const address = field(disk, 'diskAddress');
  const busType = fieldStr(address, 'busType') ?? 'UNKNOWN';
  const index = fieldNum(address, 'index');
  const vgId = fieldStr(backing, 'volumeGroupExtId');
  if (vgId)
    return { id, kind: 'vg', busType, index, sizeBytes: null, containerId: null, volumeGroupId: vgId };
  const size = fieldNum(backing, 'diskSizeBytes');
  if (size === null) {
    throw new UpstreamError(
      `${what}: disk ${id} has neither a size nor a volume-group reference (unknown backing)`,
    );
  }
  return {
    id,
    kind: 'disk',
    busType,
    index,
    sizeBytes: size,
    containerId: fieldStr(field(backing, 'storageContainer'), 'extId'),
    volumeGroupId: null,
  };
}

function parseCdRom(cd: unknown, what: string): PrismDisk {
  const backing = field(cd, 'backingInfo');
  const address = field(cd, 'diskAddress');
  return {
    id: fieldId(cd, 'extId', `${what} CD-ROM`),
    kind: 'cdrom',
    busType: fieldStr(address, 'busType') ?? 'IDE',
    index: fieldNum(address, 'index'),
    sizeBytes: fieldNum(backing, 'diskSizeBytes'),
    containerId: fieldStr(field(backing, 'storageContainer'), 'extId'),
    volumeGroupId: null,
  };
}

/** A v4 Vm → PrismVm plus its category references (resolved later, once the categories are listed). */
export function parseVmV4Raw(vm: Json): { vm: PrismVm; categoryIds: string[] } {
  const id = fieldId(vm, 'extId', 'VM');
  const what = `VM ${id}`;
  const numSockets = fieldNum(vm, 'numSockets');
  if (numSockets === null) throw new UpstreamError(`${what}: missing numeric numSockets`);
  const memoryBytes = fieldNum(vm, 'memorySizeBytes');
  if (memoryBytes === null) throw new UpstreamError(`${what}: missing numeric memorySizeBytes`);
  const disks: PrismDisk[] = [];
  for (const d of fieldList(vm, 'disks', what)) disks.push(parseDisk(d, what));
  for (const c of fieldList(vm, 'cdRoms', what)) disks.push(parseCdRom(c, what));
  const nics: PrismNic[] = [];
  for (const n of fieldList(vm, 'nics', what)) nics.push(parseNic(n, what));
  const categoryIds: string[] = [];
  for (const c of fieldList(vm, 'categories', what)) {
    const ref = fieldStr(c, 'extId');
    if (ref !== null) categoryIds.push(ref);
  }
  return {
    vm: {
      id,
      name: fieldStr(vm, 'name') ?? '',
      description: fieldStr(vm, 'description') ?? '',
      powerState: fieldStr(vm, 'powerState') ?? 'UNKNOWN',
      numSockets,
      numCoresPerSocket: fieldNum(vm, 'numCoresPerSocket') ?? 1,
      memoryBytes,
      clusterId: fieldStr(field(vm, 'cluster'), 'extId'),
      hostId: fieldStr(field(vm, 'host'), 'extId'),
      disks: compact(disks),
      nics: compact(nics),
      categories: [],
      guestOsVersion: fieldStr(field(vm, 'guestTools'), 'guestOsVersion'),
      createdAt: fieldStr(vm, 'createTime'),
    },
    categoryIds: compact(categoryIds),
  };
}

export function resolveCategories(
  parsed: { vm: PrismVm; categoryIds: string[] },
  categories: Map<string, { key: string; value: string }>,
): void {
  const resolved: { key: string; value: string }[] = [];
  for (const ref of parsed.categoryIds) {
    const c = categories.get(ref);
    if (c !== undefined) resolved.push(c);
  }
  parsed.vm.categories = compact(resolved);
}
