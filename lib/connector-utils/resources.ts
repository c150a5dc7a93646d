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

/**
 * The same string, flat. A datetime is rendered by concatenation, which V8 keeps as a rope of ~5 small
 * strings (~200 bytes) until something reads it whole; a ToNumber read flattens it in place (~60 bytes).
 * A 10k-VM get_resources keeps ~40k of these alive from serialize until the runtime's JSON.stringify.
 */
function flat(s: string | null): string | null {
  if (s !== null) Number(s);
  return s;
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
    // Every object is built as one literal with all its keys: a key added after the literal goes to a
    // separate property backing store (~40 bytes), and a 10k-VM get_resources keeps ~30k of these objects
    // (base, the resource itself) alive until the runtime's JSON.stringify.
    const name = this.name;
    const createdAt = flat(convertDatetime(this.providerCreatedAt));
    const seenAt = flat(convertDatetime(utcNow()));
    const link = this.nativePortalLink;
    const locations = this.locations?.serialize() ?? [];
    let base: SerializedBase;
    if (locations.length > 0) {
      base =
        link !== null
          ? {
              name,
              provider_created_at: createdAt,
              last_seen_at: seenAt,
              native_portal_link: link,
              locations,
            }
          : { name, provider_created_at: createdAt, last_seen_at: seenAt, locations };
    } else {
      const regions = this.region ? [this.region.serialize()] : [];
      base =
        link !== null
          ? { name, provider_created_at: createdAt, last_seen_at: seenAt, native_portal_link: link, regions }
          : { name, provider_created_at: createdAt, last_seen_at: seenAt, regions };
    }
    const connections = this.connections ? this.connections.serialize() : {};
    const metadata = this.metadata.serialize();
    const details = this.details();
    if (details === undefined) return { id: this.id, type: this.type, base, connections, metadata };
    return { id: this.id, type: this.type, base, connections, metadata, details: { [this.type]: details } };
  }
}

/** Checks a kind's options and returns the Resource options with the fixed type. */
function kindOptions(options: object, type: string, extraKeys: readonly string[]): ResourceOptions {
  rejectType(options);
  rejectUnknown(options, [...KIND_KEYS, ...extraKeys]);
  return { ...(options as KindOptions), type };
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
    // is_virtual in the literal rather than added afterwards: see Resource.serialize.
    if (this.isVirtual === null) {
      return {
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
    }
    return {
      cpu_cores: this.cpuCores,
      cpu_hz: this.cpuHz,
      ram_b: this.ramB,
      volumes_b: this.volumesB,
      instance_type: this.instanceType,
      state: this.state,
      provider_state: this.providerState,
      ip_addresses: ipAddresses,
      image_detail: imageDetail,
      is_virtual: this.isVirtual,
    };
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

/** Appliance.typeId values the platform understands (documented, not enforced). */
export type ApplianceTypeId =
  | 'firewall'
  | 'load_balancer'
  | 'router'
  | 'switch'
  | 'storage'
  | 'kvm'
  | 'unknown';

/** Options of `new Appliance(...)`. */
export interface ApplianceOptions extends KindOptions {
  typeId?: ApplianceTypeId | string | null;
  /** Accepted and discarded, as in the original. */
  sizeB?: number | null;
}

/** A network or storage appliance. */
export class Appliance extends Resource {
  readonly typeId: string | null;

  constructor(options: ApplianceOptions = {}) {
    super(kindOptions(options, 'appliance', ['typeId', 'sizeB']));
    this.typeId = options.typeId ?? null;
  }

  /** `{type_id}`. */
  protected override details(): Record<string, unknown> {
    return { type_id: this.typeId };
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

/** Options of `new ServiceOffering(...)`. */
export interface ServiceOfferingOptions extends KindOptions {
  typeId?: string | null;
}

/** A service offering. */
export class ServiceOffering extends Resource {
  readonly typeId: string | null;

  constructor(options: ServiceOfferingOptions = {}) {
    super(kindOptions(options, 'service_offering', ['typeId']));
    this.typeId = options.typeId ?? null;
  }

  /** `{type_id}`. */
  protected override details(): Record<string, unknown> {
    return { type_id: this.typeId };
  }
}

/** Options of `new SaasUser(...)`. */
export interface SaasUserOptions extends KindOptions {
  avatarUrl?: string | null;
  phone?: string | null;
  address?: string | null;
  language?: string | null;
  isActive?: boolean | null;
  diskQuotaB?: number | null;
  diskUsedB?: number | null;
  email?: string | null;
  country?: string | null;
}

const SAAS_USER_KEYS = [
  'avatarUrl',
  'phone',
  'address',
  'language',
  'isActive',
  'diskQuotaB',
  'diskUsedB',
  'email',
  'country',
];

/** A user of a SaaS product. */
export class SaasUser extends Resource {
  readonly avatarUrl: string | null;
  readonly phone: string | null;
  readonly address: string | null;
  readonly language: string | null;
  readonly isActive: boolean | null;
  readonly diskQuotaB: number | null;
  readonly diskUsedB: number | null;
  readonly email: string | null;
  readonly country: string | null;

  constructor(options: SaasUserOptions = {}) {
    super(kindOptions(options, 'saas_user', SAAS_USER_KEYS));
    this.avatarUrl = options.avatarUrl ?? null;
    this.phone = options.phone ?? null;
    this.address = options.address ?? null;
    this.language = options.language ?? null;
    this.isActive = options.isActive ?? null;
    this.diskQuotaB = options.diskQuotaB ?? null;
    this.diskUsedB = options.diskUsedB ?? null;
    this.email = options.email ?? null;
    this.country = options.country ?? null;
  }

  /** All fields, language last (the original's output order). */
  protected override details(): Record<string, unknown> {
    return {
      avatar_url: this.avatarUrl,
      phone: this.phone,
      address: this.address,
      is_active: this.isActive,
      disk_quota_b: this.diskQuotaB,
      disk_used_b: this.diskUsedB,
      email: this.email,
      country: this.country,
      language: this.language,
    };
  }
}

/** Options of `new ColoSpace(...)`. */
export interface ColoSpaceOptions extends KindOptions {
  powerAllocationW?: number | null;
  typeId?: string | null;
  coloSpaceLocation?: string | null;
  customerName?: string | null;
  customerLabel?: string | null;
  customerDescription?: string | null;
  combination?: string | null;
}

const COLO_SPACE_KEYS = [
  'powerAllocationW',
  'typeId',
  'coloSpaceLocation',
  'customerName',
  'customerLabel',
  'customerDescription',
  'combination',
];

/** Space in a colocation facility. */
export class ColoSpace extends Resource {
  readonly powerAllocationW: number | null;
  readonly typeId: string | null;
  readonly coloSpaceLocation: string | null;
  readonly customerName: string | null;
  readonly customerLabel: string | null;
  readonly customerDescription: string | null;
  readonly combination: string | null;

  constructor(options: ColoSpaceOptions = {}) {
    super(kindOptions(options, 'colo_space', COLO_SPACE_KEYS));
    this.powerAllocationW = options.powerAllocationW ?? null;
    this.typeId = options.typeId ?? null;
    this.coloSpaceLocation = options.coloSpaceLocation ?? null;
    this.customerName = options.customerName ?? null;
    this.customerLabel = options.customerLabel ?? null;
    this.customerDescription = options.customerDescription ?? null;
    this.combination = options.combination ?? null;
  }

  /** All fields, always present. */
  protected override details(): Record<string, unknown> {
    return {
      power_allocation_w: this.powerAllocationW,
      type_id: this.typeId,
      colo_space_location: this.coloSpaceLocation,
      customer_name: this.customerName,
      customer_label: this.customerLabel,
      customer_description: this.customerDescription,
      combination: this.combination,
    };
  }
}

/** Options of `new Circuit(...)`. */
export interface CircuitOptions extends KindOptions {
  typeId?: string | null;
  carrier?: string | null;
  reference?: string | null;
  endpointA?: string | null;
  endpointB?: string | null;
}

/** A network circuit between two endpoints. */
export class Circuit extends Resource {
  readonly typeId: string | null;
  readonly carrier: string | null;
  readonly reference: string | null;
  readonly endpointA: string | null;
  readonly endpointB: string | null;

  constructor(options: CircuitOptions = {}) {
    super(kindOptions(options, 'circuit', ['typeId', 'carrier', 'reference', 'endpointA', 'endpointB']));
    this.typeId = options.typeId ?? null;
    this.carrier = options.carrier ?? null;
    this.reference = options.reference ?? null;
    this.endpointA = options.endpointA ?? null;
    this.endpointB = options.endpointB ?? null;
  }

  /** All fields, always present. */
  protected override details(): Record<string, unknown> {
    return {
      type_id: this.typeId,
      carrier: this.carrier,
      reference: this.reference,
      endpoint_a: this.endpointA,
      endpoint_b: this.endpointB,
    };
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
