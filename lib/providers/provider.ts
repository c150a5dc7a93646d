/**
 * The narrow interface the handlers depend on. Providers talk HTTP, page, and normalise what they read
 * into the provider-neutral records below; `lib/providers/to-nflex.ts` turns records into connector-utils
 * resource objects, so no provider builds nflex JSON itself.
 */
import type { Logger } from '../connector-utils/index';
import type { AlertQuery, AlertRecord, EntityScope, HealthEntity } from './monitoring';
import type { Inventory, LazyInventory } from './to-nflex';

export type ProviderKind = 'prism' | 'cloudtower';

/** The `event.provider` values the connector serves. */
export const PROVIDER_NAMES = ['nutanix', 'cloudtower'] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

/** nflex server states we emit (docs/architecture.md "Fixed interface contract"). */
export type ServerState = 'running' | 'stopped' | 'unknown';

/** One metadata entry: namespace (default `provider_specific`), key, JSON value. */
export interface MetadataEntry {
  namespace?: string;
  key: string;
  value: unknown;
}

export interface IpRecord {
  ip: string;
  networkId?: string;
  networkName?: string;
}

export interface GuestOsRecord {
  /** Stable id of the image/OS (e.g. the guest OS string itself). */
  id: string;
  name?: string | null;
  type?: string | null; // 'linux' | 'windows' | …
  distribution?: string | null;
  version?: string | null;
  architecture?: string | null;
}

/** Fields every record kind shares. */
export interface RecordBase {
  /** The provider's native id (Prism extId / v3 uuid; CloudTower id). */
  id: string;
  name: string;
  /** RFC 3339 or null when the API has no creation time. */
  createdAt: string | null;
  /** Link to the object in the real console (Prism UI / Tower UI). */
  portalLink: string;
  metadata: MetadataEntry[];
  /** Free-form locations (`{location|city|…: {id?, name?}}`); empty → none. */
  locations?: Record<string, unknown>[];
}

export interface ServerRecord extends RecordBase {
  clusterId: string | null;
  state: ServerState;
  providerState: string;
  cpuCores: number;
  cpuHz: number | null;
  ramB: number;
  /** Sum of the sizes of this server's Volumes (VG-backed disks count the VG's size). */
  volumesB: number;
  ipAddresses: IpRecord[];
  guestOs: GuestOsRecord | null;
  volumeIds: string[];
  networkIds: string[];
  /** The host it runs on; null when it is stopped or not placed. */
  hostId: string | null;
}

/** A hypervisor host: an nflex Server with `is_virtual: false`. */
export interface HostRecord extends RecordBase {
  clusterId: string | null;
  /** `running` while the management plane reaches it, else `unknown`. */
  state: ServerState;
  providerState: string | null;
  /** Physical cores. */
  cpuCores: number | null;
  /** Per-core clock. */
  cpuHz: number | null;
  ramB: number | null;
  /** Hypervisor / management addresses. */
  ipAddresses: string[];
}

export interface VolumeRecord extends RecordBase {
  clusterId: string | null;
  sizeB: number;
  encrypted: boolean | null;
  iops: number | null;
  zoneName?: string;
  /** Every server that mounts/attaches it. */
  serverIds: string[];
}

export interface NetworkRecord extends RecordBase {
  clusterId: string | null;
}

export interface ComputePoolRecord extends RecordBase {
  cpuHz: number | null;
  memoryB: number | null;
  storageB: number | null;
}

export type { Inventory, LazyInventory };

export interface AccountInfo {
  provider: ProviderKind;
  /** Base URL without credentials. */
  endpoint: string;
  /** API flavour in use, e.g. 'v4.0', 'v3', 'pe-v2', 'v2'. */
  api: string;
  /** Product version if the API reports one (e.g. 'pc.2024.3', '4.6.0'). */
  version: string | null;
  clusters: { id: string; name: string }[];
}

/**
 * What a metrics call measures. `server` is a VM, or a host when the provider finds no VM with that id (an
 * event's `server` resource may name either); `host` is a hypervisor host.
 */
export interface MetricSubject {
  nativeId: string;
  kind: 'server' | 'compute_pool' | 'host';
  clusterId?: string | null;
}

/** Half-open window [start, end) in UTC. */
export interface TimeWindow {
  start: Date;
  end: Date;
}

/** A raw sample: provider metric name (the key in mappings/<provider>.yaml) and provider unit. */
export interface Sample {
  subjectId: string;
  subjectKind: MetricSubject['kind'];
  metric: string;
  value: number;
  /** ISO 8601 UTC. */
  time: string;
}

/** What the rate card prices, per resource, for the window. */
export interface UsageRecord {
  resourceId: string;
  resourceType: 'server' | 'volume';
  clusterId: string | null;
  running: boolean;
  vcpu: number;
  ramB: number;
  storageB: number;
}

/**
 * What a per-resource getSpend prices: a VM or a Volume, by native id. A `server` id may name a host (an
 * event's `server` names either), which has no spend items.
 */
export interface UsageSubject {
  kind: 'server' | 'volume';
  id: string;
}

/** Options every provider accepts. */
export interface ProviderOptions {
  /** Pages fetched concurrently per upstream (default 4). */
  concurrency?: number;
  /** Per-request timeout in ms. */
  requestTimeoutMs?: number;
  logger?: Pick<Logger, 'info' | 'warn' | 'error'> & { debug?(message: string): void };
}

export interface Provider {
  readonly kind: ProviderKind;
  /** Login + version + permissions probe. */
  validate(signal: AbortSignal): Promise<AccountInfo>;
  /** One record list per RESOURCE_KINDS entry — complete or throw. */
  inventory(signal: AbortSignal): Promise<Inventory>;
  /**
   * The same records, every upstream list read complete first, each record made as it is read — for readers
   * that stream them or need only some kinds (getResourcesStream, metric subjects, usage, counts);
   * inventory() is this, materialized.
   */
  lazyInventory(signal: AbortSignal): Promise<LazyInventory>;
  /** Raw samples for the subjects (bulk: all servers when `subjects` is the whole list). */
  metrics(subjects: MetricSubject[], window: TimeWindow, signal: AbortSignal): Promise<Sample[]>;
  /** Usage records the rate card prices. */
  usage(window: TimeWindow, signal: AbortSignal): Promise<UsageRecord[]>;
  /**
   * Usage of one resource, read alone upstream: the VM's record, the volume's record, none for a host; null
   * when nothing has the id any more. A Prism vDisk is reachable only through its VM, so a Prism volume is
   * found in the inventory (./prism/usage.ts).
   */
  resourceUsage(subject: UsageSubject, signal: AbortSignal): Promise<UsageRecord[] | null>;
  /** Alerts the query selects (lib/providers/monitoring): in scope, raised/resolved in its window or open. */
  alerts(query: AlertQuery, signal: AbortSignal): Promise<AlertRecord[]>;
  /** Clusters, hosts and VMs with their structural health causes; with a scope, that entity or none. */
  health(scope: EntityScope | null, signal: AbortSignal): Promise<HealthEntity[]>;
}

/** TLS and endpoint settings shared by both providers (resolved by lib/config from the event). */
export interface EndpointSettings {
  /** `scheme://host:port`, no API path (from `credentials.endpoint`, or host/port with the provider default). */
  endpoint: string;
  verifySsl: boolean;
  /** PEM bundle for a private CA. */
  caCert?: string;
}

/** Nutanix Prism credentials after validation and defaults (port 9440, api 'auto'). */
export interface PrismCredentials extends EndpointSettings {
  username: string;
  password: string;
  api: 'auto' | 'v4' | 'v3';
}

/** CloudTower credentials after validation: username/password (+ source) or an API-key token. */
export interface CloudTowerCredentials extends EndpointSettings {
  username?: string;
  password?: string;
  /** LOCAL | LDAP | … (login `source`), default LOCAL. */
  source: string;
  /** API key used as the Authorization header instead of logging in. */
  token?: string;
}

/**
 * Credentials after validation and defaults, tagged with the provider they belong to. `clusters` (ids or
 * names) limits every function to those clusters (lib/providers/scope.ts).
 */
export type ResolvedCredentials =
  | { provider: 'nutanix'; prism: PrismCredentials; clusters?: string[] }
  | { provider: 'cloudtower'; cloudtower: CloudTowerCredentials; clusters?: string[] };
