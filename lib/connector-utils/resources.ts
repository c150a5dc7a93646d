/**
 * Resource and its kinds (Server, Volume, …): what get_resources returns, serialized to the exact JSON of the
 * original library. Values are emitted as given, never type-checked (except Volume.iops), as in the original.
 */
import type { Connections, SerializedConnections } from './connections';
import { convertDatetime, type DateInput } from './datetime';
import type { ImageDetail, SerializedImageDetail } from './image';
import type { IpAddress, SerializedIpAddress } from './ip-address';
import type { LocationEntry, Locations, Region } from './locations';
import { Metadata, type SerializedMetadata } from './metadata';
import { pyInt } from './py-compat';
import { ValueError } from './py-errors';
import { utcNow } from './time/clock';

/** Options shared by every resource (the original's Resource keyword arguments). */
export interface ResourceOptions {
  /** Must be a string (may be empty). */
  id?: string | null;
  /** Must be a string (may be empty). */
  name?: string | null;
  /** Must be a string; fixed by each subclass. */
  type?: string | null;
  region?: Region | null;
  /** When non-empty, replaces `regions` by `locations` in the output. */
  locations?: Locations | null;
  providerCreatedAt?: DateInput;
  metadata?: Metadata | null;
  /** Emitted only when not null/undefined (an empty string is kept). */
  nativePortalLink?: string | null;
  connections?: Connections | null;
}

/** Options of a resource kind: everything but `type`, which the kind fixes. */
export type KindOptions = Omit<ResourceOptions, 'type'>;

/** The `base` block of a serialized resource. */
export interface SerializedBase {
  name: string;
  provider_created_at: string | null;
  last_seen_at: string | null;
  native_portal_link?: string;
  locations?: LocationEntry[];
  regions?: { id: string }[];
}

/** A serialized resource (the items of a get_resources result). */
export interface SerializedResource {
  id: string;
  type: string;
  base: SerializedBase;
  connections: SerializedConnections;
  metadata: SerializedMetadata;
  details?: Record<string, Record<string, unknown>>;
}

const RESOURCE_KEYS = [
  'id',
  'name',
  'type',
  'region',
  'locations',
  'providerCreatedAt',
  'metadata',
  'nativePortalLink',
  'connections',
] as const;
const KIND_KEYS = RESOURCE_KEYS.filter((k) => k !== 'type');

/**
 * The original rejects unknown keyword arguments with a TypeError; JS has no such check, so options are
 * checked at run time too. A key whose value is undefined counts as not passed (JS spread/optional fields).
 */
function rejectUnknown(options: object, allowed: readonly string[]): void {
  for (const [key, value] of Object.entries(options)) {
    if (value !== undefined && !allowed.includes(key)) {
      throw new TypeError(`Resource.__init__() got an unexpected keyword argument '${key}'`);
    }
  }
}

/** A kind fixes `type`; passing it again is the original's "multiple values" TypeError. */
function rejectType(options: object): void {
  if ((options as { type?: unknown }).type !== undefined) {
    throw new TypeError("Resource.__init__() got multiple values for keyword argument 'type'");
  }
}

/** Validates id/name/type in the original's order and message. */
function requireString(field: string, value: unknown): string {
  if (typeof value !== 'string') throw new ValueError(`${field} must be a string and have a value`);
  return value;
}

/** Undefined means "not passed" and takes the default; an explicit null is kept, as Python's None would be. */
function orDefault<T>(value: T | undefined, fallback: T): T {
  return value === undefined ? fallback : value;
}

/** A generic resource; the kinds below add a `details` block. */
export class Resource {
  readonly id: string;
  readonly name: string;
  readonly type: string;
  readonly region: Region | null;
  readonly locations: Locations | null;
  readonly providerCreatedAt: DateInput;
  readonly metadata: Metadata;
  readonly nativePortalLink: string | null;
  readonly connections: Connections | null;

  constructor(options: ResourceOptions = {}) {
    if (new.target === Resource) rejectUnknown(options, RESOURCE_KEYS);
    this.id = requireString('id', options.id);
    this.name = requireString('name', options.name);
    this.type = requireString('type', options.type);
    this.region = options.region ?? null;
    this.locations = options.locations ?? null;
    this.providerCreatedAt = options.providerCreatedAt ?? null;
    this.metadata = options.metadata ?? new Metadata();
    this.nativePortalLink = options.nativePortalLink ?? null;
    this.connections = options.connections ?? null;
  }

  /** The `details.<type>` object of a kind; undefined for a plain Resource (no `details` key). */
  protected details(): Record<string, unknown> | undefined {
    return undefined;
  }

  /** The nflex JSON of this resource; `last_seen_at` is the injected clock's now at call time. */
  serialize(): SerializedResource {
    // Key order is the original's: name, the two datetimes, the portal link when set, then locations when
    // there are some, else regions.
    const base: SerializedBase = {
      name: this.name,
      provider_created_at: convertDatetime(this.providerCreatedAt),
      last_seen_at: convertDatetime(utcNow()),
    };
    if (this.nativePortalLink !== null) base.native_portal_link = this.nativePortalLink;
    const locations = this.locations?.serialize() ?? [];
    if (locations.length > 0) base.locations = locations;
    else base.regions = this.region ? [this.region.serialize()] : [];
    const out: SerializedResource = {
      id: this.id,
      type: this.type,
      base,
      connections: this.connections ? this.connections.serialize() : {},
      metadata: this.metadata.serialize(),
    };
    const details = this.details();
    if (details !== undefined) out.details = { [this.type]: details };
    return out;
  }
}

/** Checks a kind's options and returns the Resource options with the fixed type. */
export function kindOptions(options: object, type: string, extraKeys: readonly string[]): ResourceOptions {
  rejectType(options);
  rejectUnknown(options, [...KIND_KEYS, ...extraKeys]);
  // Not `{...options, type}`: V8 allocates a spread plus more keys outside the young generation, garbage
  // that raised the streamed 10k peak (bench memory.stream.10k).
  const out: ResourceOptions = Object.assign({}, options as KindOptions);
  out.type = type;
  return out;
}

/** Server.state values the platform understands (documented, not enforced, as in the original). */
export type ServerState =
  | 'unknown'
  | 'pending'
  | 'running'
  | 'shutting'
  | 'terminated'
  | 'stopping'
  | 'stopped';

/** Options of `new Server(...)`. */
export interface ServerOptions extends KindOptions {
  cpuCores?: number | null;
  cpuHz?: number | null;
  ramB?: number | null;
  volumesB?: number | null;
  instanceType?: string | null;
  /** Default `unknown`. */
  state?: ServerState | string | null;
  /** Default `unknown`. */
  providerState?: string | null;
  ipAddresses?: IpAddress[] | null;
  imageDetail?: ImageDetail | null;
  /** Emitted only when given (false is emitted). */
  isVirtual?: boolean | null;
}

const SERVER_KEYS = [
  'cpuCores',
  'cpuHz',
  'ramB',
  'volumesB',
  'instanceType',
  'state',
  'providerState',
  'ipAddresses',
  'imageDetail',
  'isVirtual',
];

/** A virtual or physical machine. */
export class Server extends Resource {
  readonly cpuCores: number | null;
  readonly cpuHz: number | null;
  readonly ramB: number | null;
  readonly volumesB: number | null;
  readonly instanceType: string | null;
  readonly state: string | null;
  readonly providerState: string | null;
  readonly ipAddresses: IpAddress[];
  readonly imageDetail: ImageDetail | null;
  readonly isVirtual: boolean | null;

  constructor(options: ServerOptions = {}) {
    super(kindOptions(options, 'server', SERVER_KEYS));
    this.cpuCores = options.cpuCores ?? null;
    this.cpuHz = options.cpuHz ?? null;
    this.ramB = options.ramB ?? null;
    this.volumesB = options.volumesB ?? null;
    this.instanceType = options.instanceType ?? null;
    this.state = orDefault(options.state, 'unknown');
    this.providerState = orDefault(options.providerState, 'unknown');
    this.ipAddresses = options.ipAddresses ?? [];
    this.imageDetail = options.imageDetail ?? null;
    this.isVirtual = options.isVirtual ?? null;
  }

  /** cpu/ram/volumes, instance type, states, addresses, image, and is_virtual when known. */
  protected override details(): Record<string, unknown> {
    const ipAddresses: SerializedIpAddress[] = this.ipAddresses.map((ip) => ip.serialize());
    const imageDetail: SerializedImageDetail | null = this.imageDetail ? this.imageDetail.serialize() : null;
    const details: Record<string, unknown> = {
      cpu_cores: this.cpuCores,
      cpu_hz: this.cpuHz,
      ram_b: this.ramB,
      volumes_b: this.volumesB,
      instance_type: this.instanceType,
      state: this.state,
      provider_state: this.providerState,
      ip_addresses: ipAddresses,
      image_detail: imageDetail,
    };
    if (this.isVirtual !== null) details.is_virtual = this.isVirtual;
    return details;
  }
}

/** Options of `new Volume(...)`. */
export interface VolumeOptions extends KindOptions {
  sizeB?: number | null;
  encrypted?: boolean | null;
  /** Converted like Python int() at serialize time: "300" → 300, 99.9 → 99, "fast" → ValueError. */
  iops?: number | string | null;
  /** Emitted only when given ("" is kept). */
  zoneName?: string | null;
}

/** A block-storage volume. */
export class Volume extends Resource {
  readonly sizeB: number | null;
  readonly encrypted: boolean | null;
  readonly iops: number | string | null;
  readonly zoneName: string | null;

  constructor(options: VolumeOptions = {}) {
    super(kindOptions(options, 'volume', ['sizeB', 'encrypted', 'iops', 'zoneName']));
    this.sizeB = options.sizeB ?? null;
    this.encrypted = options.encrypted ?? null;
    this.iops = options.iops ?? null;
    this.zoneName = options.zoneName ?? null;
  }

  /** encrypted, iops (int-converted), size_b, and zone_name when given. */
  protected override details(): Record<string, unknown> {
    const d: Record<string, unknown> = {
      encrypted: this.encrypted,
      iops: this.iops === null ? null : pyInt(this.iops),
      size_b: this.sizeB,
    };
    if (this.zoneName !== null) d.zone_name = this.zoneName;
    return d;
  }
}

/** A network (subnet, VLAN); its details block is empty. */
export class Network extends Resource {
  constructor(options: KindOptions = {}) {
    super(kindOptions(options, 'network', []));
  }

  /** Always `{}`. */
  protected override details(): Record<string, unknown> {
    return {};
  }
}

/** Options of `new ComputePool(...)`. */
export interface ComputePoolOptions extends KindOptions {
  cpuHz?: number | null;
  memoryB?: number | null;
  storageB?: number | null;
  /** Emitted only when given. */
  billingTag?: string | null;
}

/** A pool of compute capacity (a cluster). */
export class ComputePool extends Resource {
  readonly cpuHz: number | null;
  readonly memoryB: number | null;
  readonly storageB: number | null;
  readonly billingTag: string | null;

  constructor(options: ComputePoolOptions = {}) {
    super(kindOptions(options, 'compute_pool', ['cpuHz', 'memoryB', 'storageB', 'billingTag']));
    this.cpuHz = options.cpuHz ?? null;
    this.memoryB = options.memoryB ?? null;
    this.storageB = options.storageB ?? null;
    this.billingTag = options.billingTag ?? null;
  }

  /** cpu_hz, memory_b, storage_b, and billing_tag when given. */
  protected override details(): Record<string, unknown> {
    const d: Record<string, unknown> = {
      cpu_hz: this.cpuHz,
      memory_b: this.memoryB,
      storage_b: this.storageB,
    };
    if (this.billingTag !== null) d.billing_tag = this.billingTag;
    return d;
  }
}

/** Anything with a serialize() method. */
export interface Serializable<T = unknown> {
  serialize(): T;
}

/** `serialize()` of each item, order preserved. */
export function serializeList<T>(items: readonly Serializable<T>[]): T[] {
  return items.map((item) => item.serialize());
}
