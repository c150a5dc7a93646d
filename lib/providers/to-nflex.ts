/**
 * The resource kind registry and every conversion of provider data to nflex shapes: the mapper each provider
 * runs per kind, record → connector-utils resource, and raw samples → metric points, so both providers
 * serialize identically. Providers, getResources and syncAccount loop over RESOURCE_KINDS
 * (docs/architecture.md "Adding a resource kind").
 */
import { Connections } from '../connector-utils/connections';
import { ImageDetail } from '../connector-utils/image';
import { IpAddress } from '../connector-utils/ip-address';
import { type LocationEntry, Locations } from '../connector-utils/locations';
import type { ParsedEntry } from '../connector-utils/mapping/metric-mapping';
import { Metadata } from '../connector-utils/metadata';
import {
  ComputePool,
  Network,
  type Resource,
  type SerializedResource,
  Server,
  Volume,
} from '../connector-utils/resources';
import { PreciseTime } from '../connector-utils/time/precise';
import { collectComputePools as towerComputePools } from './cloudtower/compute-pools';
import type { CloudTowerKindContext } from './cloudtower/estate';
import { collectHosts as towerHosts } from './cloudtower/hosts';
import { collectNetworks as towerNetworks } from './cloudtower/networks';
import { collectServers as towerServers } from './cloudtower/servers';
import { collectVolumes as towerVolumes } from './cloudtower/volumes';
import { collectComputePools as prismComputePools } from './prism/compute-pools';
import { collectHosts as prismHosts } from './prism/hosts';
import type { KindContext as PrismKindContext } from './prism/kind-context';
import { collectNetworks as prismNetworks } from './prism/networks';
import { collectServers as prismServers } from './prism/servers';
import { collectVolumes as prismVolumes } from './prism/volumes';
import type {
  ComputePoolRecord,
  HostRecord,
  MetadataEntry,
  NetworkRecord,
  RecordBase,
  Sample,
  ServerRecord,
  VolumeRecord,
} from './provider';

/** Metadata entries → a Metadata object (namespace `provider_specific` unless an entry names one). */
function toMetadata(entries: MetadataEntry[]): Metadata {
  const m = new Metadata();
  for (const e of entries) m.add(e.key, e.value, e.namespace ?? null);
  return m;
}

/** Locations only when there are some (an empty list would make the resource fall back to `regions`). */
function toLocations(locations: Record<string, unknown>[] | undefined): Locations | null {
  return locations && locations.length > 0
    ? new Locations({ locations: locations as LocationEntry[] })
    : null;
}

/**
 * The options every kind shares plus the kind's own. Not `{...base, ...}`: V8 allocates a spread followed by
 * more keys outside the young generation, ~2.5 MB of garbage per minor collection (−40 MB streamed peak at
 * 10k VMs, bench memory.stream.10k).
 */
function options<T extends object>(r: RecordBase, kindOptions: T) {
  return Object.assign(
    {
      id: r.id,
      name: r.name,
      providerCreatedAt: r.createdAt,
      nativePortalLink: r.portalLink,
      metadata: toMetadata(r.metadata),
      locations: toLocations(r.locations),
    },
    kindOptions,
  );
}

/** What a VM and a host both carry as an nflex Server, plus what only one of them has. */
function machineOptions<T extends object>(r: ServerRecord | HostRecord, own: T) {
  return options(
    r,
    Object.assign(
      { cpuCores: r.cpuCores, cpuHz: r.cpuHz, ramB: r.ramB, state: r.state, providerState: r.providerState },
      own,
    ),
  );
}

/** The cluster a resource lives in, as a compute_pool connection. */
function poolConnection(c: Connections, clusterId: string | null): Connections {
  return clusterId ? c.add({ type: 'compute_pool', connections: [clusterId] }) : c;
}

/** A VM → Server, connected to its volumes, networks, compute pool and the host it runs on. */
export function toServer(r: ServerRecord): Server {
  const connections = poolConnection(
    new Connections({ volumes: r.volumeIds, networks: r.networkIds, servers: r.hostId ? [r.hostId] : null }),
    r.clusterId,
  );
  const os = r.guestOs;
  return new Server(
    machineOptions(r, {
      connections,
      volumesB: r.volumesB,
      isVirtual: true,
      ipAddresses: r.ipAddresses.map(
        (ip) => new IpAddress({ ipAddress: ip.ip, networkId: ip.networkId, networkName: ip.networkName }),
      ),
      imageDetail: os
        ? new ImageDetail({
            id: os.id,
            name: os.name,
            type: os.type,
            distribution: os.distribution,
            version: os.version,
            architecture: os.architecture,
          })
        : null,
    }),
  );
}

/** A hypervisor host → Server with `is_virtual: false`, connected to its cluster's compute pool. */
export function toHost(r: HostRecord): Server {
  return new Server(
    machineOptions(r, {
      connections: poolConnection(new Connections(), r.clusterId),
      volumesB: null,
      isVirtual: false,
      ipAddresses: r.ipAddresses.map((ip) => new IpAddress({ ipAddress: ip })),
    }),
  );
}

/** A disk / volume group / CloudTower volume → Volume, connected to every server that mounts it. */
export function toVolume(r: VolumeRecord): Volume {
  return new Volume(
    options(r, {
      connections: poolConnection(new Connections({ servers: r.serverIds }), r.clusterId),
      sizeB: r.sizeB,
      encrypted: r.encrypted,
      iops: r.iops,
      zoneName: r.zoneName ?? null,
    }),
  );
}

/** A subnet / VLAN → Network. */
export function toNetwork(r: NetworkRecord): Network {
  return new Network(options(r, { connections: poolConnection(new Connections(), r.clusterId) }));
}

/** A cluster → ComputePool. */
export function toComputePool(r: ComputePoolRecord): ComputePool {
  return new ComputePool(options(r, { cpuHz: r.cpuHz, memoryB: r.memoryB, storageB: r.storageB }));
}

/** The per-invocation context each provider's mappers read (its snapshot or estate, and lookups). */
export interface MapperContexts {
  prism: PrismKindContext;
  cloudtower: CloudTowerKindContext;
}

/** One resource kind: how each provider makes its records, and how a record becomes an nflex resource. */
export interface ResourceKind<R> {
  /** The key it is counted under (syncAccount metadata, the closing log line). */
  countAs: string;
  /** Each provider's records of the kind, in order; a generator makes each one as it is read. */
  mappers: { [P in keyof MapperContexts]: (ctx: MapperContexts[P]) => Iterable<R> };
  toResource: (record: R) => Resource;
}

/** One registry entry: its count key, its conversion, and each provider's mapper. */
function kind<R>(
  countAs: string,
  toResource: (record: R) => Resource,
  mappers: ResourceKind<R>['mappers'],
): ResourceKind<R> {
  return { countAs, mappers, toResource };
}

/** Every resource kind, in the order getResources returns them. */
export const RESOURCE_KINDS = {
  servers: kind('servers', toServer, { prism: prismServers, cloudtower: towerServers }),
  hosts: kind('hosts', toHost, { prism: prismHosts, cloudtower: towerHosts }),
  volumes: kind('volumes', toVolume, { prism: prismVolumes, cloudtower: towerVolumes }),
  networks: kind('networks', toNetwork, { prism: prismNetworks, cloudtower: towerNetworks }),
  computePools: kind('compute_pools', toComputePool, {
    prism: prismComputePools,
    cloudtower: towerComputePools,
  }),
};

export type KindKey = keyof typeof RESOURCE_KINDS;
/** The record type of a kind. */
export type RecordOf<K extends KindKey> =
  (typeof RESOURCE_KINDS)[K] extends ResourceKind<infer R> ? R : never;
/** A complete inventory, one record list per kind. Providers return it whole or throw — never a partial list. */
export type Inventory = { [K in KindKey]: RecordOf<K>[] };

/**
 * An inventory whose upstream lists are read complete but whose records are made while they are read, one
 * kind at a time, so a streamed result never holds them all (Provider.lazyInventory). Each kind is read once.
 */
export type LazyInventory = { [K in KindKey]: () => Iterable<RecordOf<K>> };

/** The kinds in registry order. */
export const KIND_KEYS = Object.keys(RESOURCE_KINDS) as KindKey[];

/** A kind's entry without its record type, for loops over every kind. */
function entry(key: KindKey): ResourceKind<unknown> {
  return RESOURCE_KINDS[key] as ResourceKind<unknown>;
}

/** Every kind's mapper of one provider over its context, each run when its kind is read. */
export function lazyInventory<P extends keyof MapperContexts>(
  provider: P,
  ctx: MapperContexts[P],
): LazyInventory {
  const lazy: Partial<Record<KindKey, () => Iterable<unknown>>> = {};
  for (const key of KIND_KEYS) lazy[key] = () => entry(key).mappers[provider](ctx);
  return lazy as LazyInventory;
}

/** Every record made now, one list per kind. */
export function materialize(lazy: LazyInventory): Inventory {
  const inv: Partial<Record<KindKey, unknown[]>> = {};
  for (const key of KIND_KEYS) inv[key] = Array.from(lazy[key]() as Iterable<unknown>);
  return inv as Inventory;
}

/**
 * The inventory's lists read as a LazyInventory that lets go of each record as it is read: its slot is
 * cleared, and the list is replaced by an empty one once read (take counts first).
 */
export function draining(inv: Inventory): LazyInventory {
  const lazy: Partial<Record<KindKey, () => Iterable<unknown>>> = {};
  for (const key of KIND_KEYS) {
    lazy[key] = function* () {
      const records = inv[key] as unknown[];
      inv[key] = [];
      for (let i = 0; i < records.length; i++) {
        const record = records[i];
        records[i] = undefined;
        yield record;
      }
    };
  }
  return lazy as LazyInventory;
}

/** The whole inventory as resource objects, in registry order. */
export function inventoryToResources(inv: Inventory): Resource[] {
  return KIND_KEYS.flatMap((key) => (inv[key] as unknown[]).map(entry(key).toResource));
}

/** Records in an inventory (what get_resources returns one resource for). */
export function inventorySize(inv: Inventory): number {
  return KIND_KEYS.reduce((n, key) => n + inv[key].length, 0);
}

/**
 * Records per kind under each kind's count key (`servers`, `compute_pools`, …); a lazy inventory's records
 * are made and dropped as they are counted.
 */
export function inventoryCounts(inv: Inventory | LazyInventory): Record<string, number> {
  return Object.fromEntries(KIND_KEYS.map((key) => [RESOURCE_KINDS[key].countAs, sizeOf(inv[key])]));
}

function sizeOf(records: readonly unknown[] | (() => Iterable<unknown>)): number {
  if (typeof records !== 'function') return records.length;
  let n = 0;
  for (const _ of records()) n++;
  return n;
}

/**
 * The serialized resources (get_resources.json) one at a time, in registry order: each record becomes a
 * resource and is serialized at once, so resource objects never pile up next to the output. With `counts`,
 * the records written so far per kind's count key.
 */
export function* serializedResources(
  lazy: LazyInventory,
  counts?: Record<string, number | string>,
): Generator<SerializedResource> {
  for (const key of KIND_KEYS) {
    const { countAs, toResource } = entry(key);
    let n = 0;
    if (counts) counts[countAs] = n;
    for (const record of lazy[key]() as Iterable<unknown>) {
      yield toResource(record).serialize();
      if (counts) counts[countAs] = ++n;
    }
  }
}

/** The whole inventory serialized as one list (consumes the inventory, see draining). */
export function serializeInventory(inv: Inventory): SerializedResource[] {
  return [...serializedResources(draining(inv))];
}

/** One nflex metric point (get_metrics.json). */
export interface MetricPoint {
  metric: string;
  value: number;
  unit: string;
  time: string;
  provider_id: string;
  resource_id?: string;
}

/** Options of metricPoints. */
export interface SampleConversionOptions {
  /** Only samples with start ≤ time < end are kept (half-open: successive polls neither repeat nor lose). */
  window: { start: PreciseTime; end: PreciseTime };
  /** `event.resource.id`, set on every point when the event names a resource. */
  resourceId?: string;
  /** Told once per raw metric key that has no mapping entry, and about values that cannot be converted. */
  warn?: (message: string, fields?: Record<string, unknown>) => void;
}

/**
 * Raw samples → metric points through the provider's mapping (name, unit, conversion). Samples outside the
 * window, without a mapping entry, with a non-finite converted value, or repeated (same subject, metric and
 * time) are dropped; the points are ordered by time, then subject, then metric. The samples are filtered,
 * converted, warned about and ordered now, keeping only their index, time, value and entry; each point
 * object is built when it is read, so a streamed result never holds them all.
 */
export function metricPoints(
  samples: readonly Sample[],
  mapping: ReadonlyMap<string, ParsedEntry>,
  options: SampleConversionOptions,
): Generator<MetricPoint> {
  const { window, resourceId, warn } = options;
  const unmapped = new Set<string>();
  const seen = new Set<string>();
  const kept: { micros: number; sample: number; value: number; entry: ParsedEntry; name: string }[] = [];
  let badValues = 0;
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i] as Sample;
    const at = PreciseTime.tryParseIso(s.time);
    if (!at) {
      badValues++;
      continue;
    }
    const micros = at.toUtcNaive().epochMicros;
    if (micros < window.start.epochMicros || micros >= window.end.epochMicros) continue;
    const entry = mapping.get(s.metric);
    if (!entry) {
      unmapped.add(s.metric);
      continue;
    }
    let value: unknown;
    try {
      value = entry.convert({ value: s.value });
    } catch {
      value = null;
    }
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      badValues++;
      continue;
    }
    const dedupe = `${s.subjectId}\u0000${s.metric}\u0000${micros}`;
    if (seen.has(dedupe)) continue;
    seen.add(dedupe);
    kept.push({ micros, sample: i, value, entry, name: entry.name() });
  }
  seen.clear();
  if (unmapped.size > 0) warn?.('samples without a mapping entry were skipped', { metrics: [...unmapped] });
  if (badValues > 0) warn?.('samples with unusable time or value were skipped', { count: badValues });
  const subject = (k: { sample: number }) => (samples[k.sample] as Sample).subjectId;
  kept.sort(
    (a, b) => a.micros - b.micros || subject(a).localeCompare(subject(b)) || a.name.localeCompare(b.name),
  );
  return (function* () {
    for (const k of kept) {
      const point: MetricPoint = {
        metric: k.name,
        value: k.value,
        unit: k.entry.unit(),
        time: PreciseTime.fromEpochMicros(k.micros).toRfc3339(),
        provider_id: subject(k),
      };
      if (resourceId !== undefined) point.resource_id = resourceId;
      yield point;
    }
  })();
}
