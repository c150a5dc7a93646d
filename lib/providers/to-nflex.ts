/**
 * Provider-neutral records → connector-utils resource objects (and raw samples → nflex metric points). This is
 * the only place nflex shapes are built from provider data, so both providers serialize identically.
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
import type {
  ComputePoolRecord,
  Inventory,
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

/** The options every kind shares. */
function baseOptions(r: RecordBase) {
  return {
    id: r.id,
    name: r.name,
    providerCreatedAt: r.createdAt,
    nativePortalLink: r.portalLink,
    metadata: toMetadata(r.metadata),
    locations: toLocations(r.locations),
  };
}

/** The cluster a resource lives in, as a compute_pool connection. */
function poolConnection(c: Connections, clusterId: string | null): Connections {
  return clusterId ? c.add({ type: 'compute_pool', connections: [clusterId] }) : c;
}

/** A VM → Server, connected to its volumes, networks and compute pool. */
export function toServer(r: ServerRecord): Server {
  const connections = poolConnection(
    new Connections({ volumes: r.volumeIds, networks: r.networkIds }),
    r.clusterId,
  );
  const os = r.guestOs;
  return new Server({
    ...baseOptions(r),
    connections,
    cpuCores: r.cpuCores,
    cpuHz: r.cpuHz,
    ramB: r.ramB,
    volumesB: r.volumesB,
    state: r.state,
    providerState: r.providerState,
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
  });
}

/** A disk / volume group / CloudTower volume → Volume, connected to every server that mounts it. */
export function toVolume(r: VolumeRecord): Volume {
  return new Volume({
    ...baseOptions(r),
    connections: poolConnection(new Connections({ servers: r.serverIds }), r.clusterId),
    sizeB: r.sizeB,
    encrypted: r.encrypted,
    iops: r.iops,
    zoneName: r.zoneName ?? null,
  });
}

/** A subnet / VLAN → Network. */
export function toNetwork(r: NetworkRecord): Network {
  return new Network({ ...baseOptions(r), connections: poolConnection(new Connections(), r.clusterId) });
}

/** A cluster → ComputePool. */
export function toComputePool(r: ComputePoolRecord): ComputePool {
  return new ComputePool({ ...baseOptions(r), cpuHz: r.cpuHz, memoryB: r.memoryB, storageB: r.storageB });
}

/** The whole inventory as resource objects: servers, volumes, networks, compute pools. */
export function inventoryToResources(inv: Inventory): Resource[] {
  return [
    ...inv.servers.map(toServer),
    ...inv.volumes.map(toVolume),
    ...inv.networks.map(toNetwork),
    ...inv.computePools.map(toComputePool),
  ];
}

/** Records in an inventory (what get_resources returns one resource for). */
export function inventorySize(inv: Inventory): number {
  return inv.servers.length + inv.volumes.length + inv.networks.length + inv.computePools.length;
}

/**
 * The inventory's serialized resources (get_resources.json) one at a time, in inventoryToResources' order.
 * Each record becomes a resource and is serialized at once, and each kind's list is emptied as it is read, so
 * neither resource objects nor records pile up next to the output. The inventory is consumed (take counts
 * first).
 */
export function* serializedResources(inv: Inventory): Generator<SerializedResource> {
  yield* drain(inv.servers, toServer);
  inv.servers = [];
  yield* drain(inv.volumes, toVolume);
  inv.volumes = [];
  yield* drain(inv.networks, toNetwork);
  inv.networks = [];
  yield* drain(inv.computePools, toComputePool);
  inv.computePools = [];
}

/** The whole inventory serialized as one list (consumes the inventory, as serializedResources does). */
export function serializeInventory(inv: Inventory): SerializedResource[] {
  return [...serializedResources(inv)];
}

/** Serializes each record in order and lets go of it (the list is emptied as it is read). */
function* drain<R>(records: R[], build: (r: R) => Resource): Generator<SerializedResource> {
  for (let i = 0; i < records.length; i++) {
    const record = records[i] as R;
    // Only the record's slot is cleared; the caller replaces the list afterwards.
    (records as (R | undefined)[])[i] = undefined;
    yield build(record).serialize();
  }
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

/** Options of samplesToMetrics. */
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
 * time) are dropped; the result is ordered by time, then subject, then metric.
 */
export function samplesToMetrics(
  samples: readonly Sample[],
  mapping: ReadonlyMap<string, ParsedEntry>,
  options: SampleConversionOptions,
): MetricPoint[] {
  const { window, resourceId, warn } = options;
  const unmapped = new Set<string>();
  const seen = new Set<string>();
  const keyed: { micros: number; point: MetricPoint }[] = [];
  let badValues = 0;
  for (const s of samples) {
    const at = PreciseTime.tryParseIso(s.time);
    if (!at) {
      badValues++;
      continue;
    }
    const t = at.toUtcNaive();
    if (t.epochMicros < window.start.epochMicros || t.epochMicros >= window.end.epochMicros) continue;
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
    const dedupe = `${s.subjectId}\u0000${s.metric}\u0000${t.epochMicros}`;
    if (seen.has(dedupe)) continue;
    seen.add(dedupe);
    const point: MetricPoint = {
      metric: entry.name(),
      value,
      unit: entry.unit(),
      time: t.toRfc3339(),
      provider_id: s.subjectId,
    };
    if (resourceId !== undefined) point.resource_id = resourceId;
    keyed.push({ micros: t.epochMicros, point });
  }
  if (unmapped.size > 0) warn?.('samples without a mapping entry were skipped', { metrics: [...unmapped] });
  if (badValues > 0) warn?.('samples with unusable time or value were skipped', { count: badValues });
  keyed.sort(
    (a, b) =>
      a.micros - b.micros ||
      a.point.provider_id.localeCompare(b.point.provider_id) ||
      a.point.metric.localeCompare(b.point.metric),
  );
  return keyed.map((k) => k.point);
}
