/**
 * Reading the estate (one paged read per kind, all kinds at once under the client's limiter) and the
 * lookups the per-kind mappers share. Nested objects in CloudTower answers are shallow `{id, name}` refs,
 * so every join happens here, by id.
 */
import { compact } from '../compact';
import type { MetadataEntry } from '../provider';
import type { CloudTowerClient } from './client';
import { rowPickers } from './rows';
import type {
  CtCluster,
  CtDatacenter,
  CtEstate,
  CtHost,
  CtVds,
  CtVlan,
  CtVm,
  CtVmDisk,
  CtVmNic,
  CtVmVolume,
} from './types';

/** What every CloudTower kind mapper reads: the joined estate, the Tower's URL for links, a warning sink. */
export interface CloudTowerKindContext {
  index: EstateIndex;
  endpoint: string;
  warn: (message: string) => void;
}

/**
 * Runs `tasks` together; the first failure aborts the others (so a failed invocation does not keep
 * paging in the background) and is what the caller sees.
 */
export async function allOrAbort<T extends unknown[]>(
  signal: AbortSignal,
  tasks: (signal: AbortSignal) => { [K in keyof T]: Promise<T[K]> },
): Promise<T> {
  const controller = new AbortController();
  const onAbort = () => controller.abort(signal.reason);
  if (signal.aborted) controller.abort(signal.reason);
  else signal.addEventListener('abort', onAbort, { once: true });
  const running = tasks(controller.signal) as Promise<unknown>[];
  try {
    return (await Promise.all(
      running.map((p) =>
        p.catch((err: unknown) => {
          controller.abort(err);
          throw err;
        }),
      ),
    )) as T;
  } finally {
    signal.removeEventListener('abort', onAbort);
    // Let the aborted siblings settle so none keeps a request open after we return.
    await Promise.allSettled(running);
  }
}

/** Reads every kind the inventory needs. VMs in the recycle bin are filtered server-side. */
export async function readEstate(client: CloudTowerClient, outer: AbortSignal): Promise<CtEstate> {
  const pick = rowPickers();
  const [clusters, hosts, datacenters, vms, vmDisks, vmVolumes, vmNics, vlans, vdses] = await allOrAbort<
    [CtCluster[], CtHost[], CtDatacenter[], CtVm[], CtVmDisk[], CtVmVolume[], CtVmNic[], CtVlan[], CtVds[]]
  >(outer, (signal) => [
    client.listAll<CtCluster>('clusters', undefined, signal, pick.cluster),
    client.listAll<CtHost>('hosts', undefined, signal, pick.host),
    client.listAll<CtDatacenter>('datacenters', undefined, signal, pick.datacenter),
    client.listAll<CtVm>('vms', { in_recycle_bin: false }, signal, pick.vm),
    client.listAll<CtVmDisk>('vm-disks', undefined, signal, pick.vmDisk),
    client.listAll<CtVmVolume>('vm-volumes', undefined, signal, pick.vmVolume),
    client.listAll<CtVmNic>('vm-nics', undefined, signal, pick.vmNic),
    client.listAll<CtVlan>('vlans', undefined, signal, pick.vlan),
    client.listAll<CtVds>('vdses', undefined, signal, pick.vds),
  ]);
  return { clusters, hosts, datacenters, vms, vmDisks, vmVolumes, vmNics, vlans, vdses };
}

/** Where a cluster sits: its locations and the matching `datacenters` and `organizations` metadata entries. */
export interface Placement {
  locations: Record<string, unknown>[];
  datacenters: MetadataEntry;
  organizations: MetadataEntry;
}

/**
 * One (VM, volume) attachment, in the shape the volume's `attachments` metadata reports it. Keyed stably:
 * vm-disk ids are regenerated on every sync, (VM, volume) is not.
 */
export interface AttachmentEntry {
  key: string;
  vm_id: string;
  bus: string | null;
  device: string | null;
  boot: number | null;
}

/** A Server's volumes: ids in disk order and the sum of their sizes. */
export interface VmVolumes {
  ids: string[];
  sizeB: number;
}

/** A Volume's attachments: the Servers mounting it and the metadata entries, in disk order. */
export interface VolumeAttachments {
  serverIds: string[];
  entries: AttachmentEntry[];
}

/**
 * Id lookups over one estate read. The per-VM and per-volume lists are built in the shape the records
 * carry, so the mappers hand them over instead of copying them (one index serves one inventory).
 */
export class EstateIndex {
  readonly clusters: Map<string, CtCluster>;
  readonly hosts: Map<string, CtHost>;
  readonly hostsByCluster = new Map<string, CtHost[]>();
  readonly datacenters: Map<string, CtDatacenter>;
  readonly vms: Map<string, CtVm>;
  readonly volumes: Map<string, CtVmVolume>;
  readonly vlans: Map<string, CtVlan>;
  readonly vdses: Map<string, CtVds>;
  /** Volumes attached as disks (CD-ROM and empty slots excluded) per VM, only for VMs that are Servers. */
  readonly volumesByVm = new Map<string, VmVolumes>();
  readonly attachmentsByVolume = new Map<string, VolumeAttachments>();
  readonly nicsByVm = new Map<string, CtVmNic[]>();

  /** The rows the mappers read. Disk and NIC rows live on only as the per-VM and per-volume lists below. */
  readonly estate: Omit<CtEstate, 'vmDisks' | 'vmNics'>;

  constructor(estate: CtEstate) {
    const { vmDisks, vmNics, ...rows } = estate;
    this.estate = rows;
    this.clusters = byId(estate.clusters);
    this.hosts = byId(estate.hosts);
    this.datacenters = byId(estate.datacenters);
    this.vms = byId(estate.vms);
    this.volumes = byId(estate.vmVolumes);
    this.vlans = byId(estate.vlans);
    this.vdses = byId(estate.vdses);
    for (const host of estate.hosts) push(this.hostsByCluster, host.cluster.id, host);
    for (const disk of vmDisks) {
      const volumeId = disk.vm_volume?.id;
      const vmId = disk.vm.id;
      if (disk.type !== 'DISK' || !volumeId || !this.vms.has(vmId)) continue;
      const sizeB = this.volumes.get(volumeId)?.size ?? 0;
      const mine = this.volumesByVm.get(vmId);
      if (!mine) this.volumesByVm.set(vmId, { ids: [volumeId], sizeB });
      // The same volume on two slots of one VM is one attachment (one connection). A VM has a handful
      // of disks, so a list scan beats a set of "vm/volume" strings for the whole estate.
      else if (mine.ids.includes(volumeId)) continue;
      else {
        mine.ids.push(volumeId);
        mine.sizeB += sizeB;
      }
      const entry: AttachmentEntry = {
        key: `${vmId}/${volumeId}`,
        vm_id: vmId,
        bus: disk.bus ?? null,
        device: disk.device ?? null,
        boot: disk.boot ?? null,
      };
      const theirs = this.attachmentsByVolume.get(volumeId);
      if (!theirs) this.attachmentsByVolume.set(volumeId, { serverIds: [vmId], entries: [entry] });
      else {
        theirs.serverIds.push(vmId);
        theirs.entries.push(entry);
      }
    }
    for (const nic of vmNics) {
      if (this.vms.has(nic.vm.id)) push(this.nicsByVm, nic.vm.id, nic);
    }
    // A list starts with room for its first element only; one grown by push has room for 17, so it is
    // trimmed once here, as the records carry these lists as they are.
    for (const v of this.volumesByVm.values()) if (v.ids.length > 1) v.ids = compact(v.ids);
    for (const a of this.attachmentsByVolume.values())
      if (a.serverIds.length > 1) {
        a.serverIds = compact(a.serverIds);
        a.entries = compact(a.entries);
      }
    for (const [vmId, nics] of this.nicsByVm) if (nics.length > 1) this.nicsByVm.set(vmId, compact(nics));
  }

  /** The cluster a VLAN lives in (via its VDS). */
  vlanClusterId(vlan: CtVlan): string | null {
    const vdsId = vlan.vds?.id;
    return (vdsId && this.vdses.get(vdsId)?.cluster?.id) || null;
  }

  private readonly placements = new Map<string, Placement>();

  /**
   * Locations and datacenter/organization metadata of a cluster, built once per cluster (thousands of
   * records share them; they are read-only, so sharing the objects is safe).
   */
  placement(clusterId: string | null | undefined): Placement {
    const key = clusterId ?? '';
    let p = this.placements.get(key);
    if (!p) {
      const dcs = this.datacentersOf(clusterId);
      const orgs = new Map(
        dcs.flatMap((dc) => (dc.organization ? [[dc.organization.id, dc.organization] as const] : [])),
      );
      const datacenters = { key: 'datacenters', value: dcs.map((dc) => ({ id: dc.id, name: dc.name })) };
      const organizations = {
        key: 'organizations',
        value: [...orgs.values()].map((o) => ({ id: o.id, name: o.name ?? null })),
      };
      p = {
        locations: dcs.map((dc) => ({ location: { id: dc.id, name: dc.name } })),
        datacenters,
        organizations,
      };
      this.placements.set(key, p);
    }
    return p;
  }

  /** Datacenters (with organization) of a cluster, as metadata and locations want them. */
  datacentersOf(clusterId: string | null | undefined): CtDatacenter[] {
    if (!clusterId) return [];
    const refs = this.clusters.get(clusterId)?.datacenters ?? [];
    return refs.map((ref) => this.datacenters.get(ref.id) ?? { id: ref.id, name: ref.name ?? ref.id });
  }
}

function byId<T extends { id: string }>(items: T[]): Map<string, T> {
  // A loop, not `new Map(items.map(...))`: no [id, item] pair allocated per row.
  const map = new Map<string, T>();
  for (const item of items) map.set(item.id, item);
  return map;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** UI route per kind. The UI's route layout is not documented [unverified]: if it differs, only this changes. */
// [unverified] the host page path follows the vm/cluster pattern.
const UI_PATHS = { vm: 'vm', host: 'host', volume: 'volume', vlan: 'network', cluster: 'cluster' } as const;

/** Link to an object in the Tower web UI. */
export function towerLink(endpoint: string, kind: keyof typeof UI_PATHS, id: string): string {
  return towerLinker(endpoint, kind)(id);
}

/** {@link towerLink} for many objects of one kind: the prefix is built once, not per record. */
export function towerLinker(endpoint: string, kind: keyof typeof UI_PATHS): (id: string) => string {
  const prefix = `${endpoint.replace(/\/+$/, '')}/${UI_PATHS[kind]}/`;
  // CloudTower ids are cuids ([a-z0-9]); encoding is only needed for anything else.
  return (id) => prefix + (SAFE_ID.test(id) ? id : encodeURIComponent(id));
}

const SAFE_ID = /^[A-Za-z0-9_-]*$/;

/** Locations of an object in a cluster: one per datacenter the cluster belongs to (0..n). */
export function locationsOf(
  index: EstateIndex,
  clusterId: string | null | undefined,
): Record<string, unknown>[] {
  return index.placement(clusterId).locations;
}

/** Organization + datacenter metadata shared by every record of a cluster. */
export function placementMetadata(index: EstateIndex, clusterId: string | null | undefined): MetadataEntry[] {
  const p = index.placement(clusterId);
  return [p.datacenters, p.organizations];
}

/** CloudTower labels as a `{key: value}` map. */
export function labelMap(
  labels: { key: string; value?: string | null }[] | null | undefined,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const label of labels ?? []) out[label.key] = label.value ?? '';
  return out;
}
