/**
 * Prism Element v2.0 reader for a lone PE (no Prism Central): `GET /PrismGateway/services/rest/v2.0/{cluster,
 * hosts,vms,networks,volume_groups}` into the same PrismSnapshot as the v4 and v3 readers, plus PE metrics from
 * the v1 stats API. API.md §10 marks these field names [unverified], so every guess (1-based paging, the
 * include flags, attachment fields) is checked where it is read and fails naming the field rather than giving
 * a quietly wrong inventory. A PE is one cluster; v2.0 has no NIC id, so a NIC is known by its MAC address.
 */
import { UpstreamError } from '../../errors';
import { mapLimit } from '../../http';
import { goneWarning } from '../contract';
import { prismPathId } from '../ids';
import type { CollectStats } from '../paging';
import type { MetricSubject, Sample, TimeWindow } from '../provider';
import { isNotFound, PE_V2_BASE, type PrismClient } from './client';
import { subjectFields } from './metric-fields';
import { type Series, seriesSamples, tuplesFromSeries, vmSamplesFromTuples } from './metric-samples';
import { collectPrismPages, statsCounters } from './pages';
import { asObject, type Json, list, num, requireNum, requireStr, str } from './read';
import type {
  PrismCluster,
  PrismDisk,
  PrismHost,
  PrismNic,
  PrismSnapshot,
  PrismSubnet,
  PrismVm,
  PrismVolumeGroup,
} from './snapshot';

/** Page size asked of v2.0 lists [unverified: API.md gives no maximum; a server that clamps is handled]. */
export const V2_PAGE_SIZE = 500;
const MiB = 2 ** 20;

/** Collects a whole v2.0 list (`page` is 1-based). */
export async function listV2(
  client: PrismClient,
  resource: string,
  signal: AbortSignal,
  extraQuery: Record<string, string> = {},
  stats?: CollectStats,
): Promise<Json[]> {
  const what = `v2.0 ${resource}`;
  return collectPrismPages(
    client,
    {
      what,
      pageSize: V2_PAGE_SIZE,
      idOf: (e) => requireStr(e, 'uuid', what),
      fetchPage: async (req, pageSignal) => {
        const page = req.index + 1;
        const body = await client.get<unknown>(
          `${PE_V2_BASE}/${resource}`,
          { ...extraQuery, page, count: req.limit },
          `list ${what}`,
          pageSignal,
        );
        if (!asObject(body)) throw new UpstreamError(`list ${what}: response is not a JSON object`);
        const items = list(body, 'entities', what).map((e) => {
          const o = asObject(e);
          if (!o) throw new UpstreamError(`list ${what}: an entity is not an object`);
          return o;
        });
        if (items.length > req.limit) {
          throw new UpstreamError(
            `list ${what}: asked for ${req.limit} entities (page ${page}), got ${items.length} — the server ignores \`count\` [unverified paging]`,
          );
        }
        const echoed = num(body, 'metadata.page');
        if (echoed !== null && echoed !== page) {
          throw new UpstreamError(
            `list ${what}: asked for page ${page}, the server answered page ${echoed} [unverified: pages are 1-based]`,
          );
        }
        const total = num(body, 'metadata.total_entities') ?? num(body, 'metadata.grand_total_entities');
        return { items, total: total ?? undefined };
      },
    },
    signal,
    stats,
  );
}

/** A v2.0 stats map value (strings of numbers; -1 = no data) → number or null. */
export function statNumber(map: unknown, key: string): number | null {
  const raw = asObject(map)?.[key];
  const v = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
  return Number.isFinite(v) && v >= 0 ? v : null;
}

/** `GET /cluster` → PrismCluster (a PE is never the PC pseudo-cluster; it answered, so it is available). */
export function parseClusterV2(c: unknown): PrismCluster {
  return {
    id: requireStr(c, 'uuid', 'v2.0 cluster'),
    name: str(c, 'name') ?? '',
    isPrismCentral: false,
    isAvailable: true,
    version: str(c, 'version'),
    externalIp: str(c, 'cluster_external_ipaddress'),
    storageCapacityBytes: statNumber(asObject(c)?.usage_stats, 'storage.capacity_bytes'),
  };
}

/** A v2.0 host → PrismHost (`cpu_capacity_in_hz` is the whole host: per-core clock = capacity / cores). */
export function parseHostV2(h: Json, clusterId: string): PrismHost {
  const cores = num(h, 'num_cpu_cores');
  const capacity = num(h, 'cpu_capacity_in_hz');
  return {
    id: requireStr(h, 'uuid', 'v2.0 host'),
    name: str(h, 'name') ?? '',
    clusterId,
    cpuModel: str(h, 'cpu_model'),
    cpuFrequencyHz: capacity !== null && cores ? capacity / cores : null,
    numCpuCores: cores,
    numCpuSockets: num(h, 'num_cpu_sockets'),
    memoryBytes: num(h, 'memory_capacity_in_bytes'),
    ip: str(h, 'hypervisor_address'),
    connectionState: str(h, 'acropolis_connection_state'),
    hypervisorState: str(h, 'hypervisor_state'),
  };
}

/** A v2.0 VM (listed with the disk and NIC flags) → PrismVm. */
export function parseVmV2(e: Json, clusterId: string): PrismVm {
  const id = requireStr(e, 'uuid', 'v2.0 VM');
  const what = `VM ${id}`;
  const disks: PrismDisk[] = list(e, 'vm_disk_info', what).flatMap((d): PrismDisk[] => {
    const address = asObject(asObject(d)?.disk_address);
    const vg = str(address, 'volume_group_uuid');
    const cdrom = asObject(d)?.is_cdrom === true;
    // A VG-backed disk is named by its volume group (the VG is the Volume); an empty CD-ROM has no vmdisk
    // at all and is never a volume. Only a data disk without any id is a shape we cannot read.
    const diskId = str(address, 'vmdisk_uuid') ?? vg;
    if (!diskId && cdrom) return [];
    if (!diskId)
      throw new UpstreamError(
        `${what}: a data disk has neither disk_address.vmdisk_uuid nor volume_group_uuid`,
      );
    const base = {
      id: diskId,
      busType: (str(address, 'device_bus') ?? 'unknown').toUpperCase(),
      index: num(address, 'device_index'),
      containerId: null,
    };
    if (vg) return [{ ...base, kind: 'vg', sizeBytes: null, volumeGroupId: vg }];
    const size = num(d, 'size');
    if (cdrom) return [{ ...base, kind: 'cdrom', sizeBytes: size, volumeGroupId: null }];
    if (size === null) throw new UpstreamError(`${what}: disk ${diskId} has no size`);
    return [{ ...base, kind: 'disk', sizeBytes: size, volumeGroupId: null }];
  });
  const nics: PrismNic[] = list(e, 'vm_nics', what).map((n) => {
    const mac = requireStr(n, 'mac_address', `${what} NIC`);
    const ips: PrismNic['ips'] = [];
    const requested = str(n, 'requested_ip_address');
    const current = str(n, 'ip_address');
    if (requested) ips.push({ ip: requested, type: 'assigned' });
    if (current) ips.push({ ip: current, type: current === requested ? 'assigned' : 'learned' });
    return { id: mac, macAddress: mac, isConnected: null, subnetId: str(n, 'network_uuid'), ips };
  });
  return {
    id,
    name: str(e, 'name') ?? '',
    description: str(e, 'description') ?? '',
    powerState: str(e, 'power_state') ?? 'unknown',
    // v2.0 `num_vcpus` counts sockets; cores per socket is `num_cores_per_vcpu`.
    numSockets: requireNum(e, 'num_vcpus', what),
    numCoresPerSocket: num(e, 'num_cores_per_vcpu') ?? 1,
    memoryBytes: requireNum(e, 'memory_mb', what) * MiB,
    clusterId,
    hostId: str(e, 'host_uuid'),
    disks,
    nics,
    categories: [],
    guestOsVersion: null,
    createdAt: null,
  };
}

/** A v2.0 network → PrismSubnet (VLAN-backed; a PE has no overlay subnets). */
export function parseNetworkV2(n: Json, clusterId: string): PrismSubnet {
  const ip = str(n, 'ip_config.network_address');
  const prefix = num(n, 'ip_config.prefix_length');
  return {
    id: requireStr(n, 'uuid', 'v2.0 network'),
    name: str(n, 'name') ?? '',
    type: 'VLAN',
    clusterId,
    vlanId: num(n, 'vlan_id'),
    cidr: ip && prefix !== null ? `${ip}/${prefix}` : null,
    gateway: str(n, 'ip_config.default_gateway'),
  };
}

/** A v2.0 volume group → PrismVolumeGroup (size = sum of its disks). */
export function parseVolumeGroupV2(g: Json, clusterId: string): PrismVolumeGroup {
  const id = requireStr(g, 'uuid', 'v2.0 volume group');
  const what = `volume group ${id}`;
  const disks = list(g, 'disk_list', what);
  return {
    id,
    name: str(g, 'name') ?? '',
    clusterId,
    sizeBytes: disks.reduce<number>((s, d) => s + requireNum(d, 'vmdisk_size_bytes', `disk of ${what}`), 0),
    diskCount: disks.length,
    sharingStatus: null,
    vmIds: list(g, 'attachment_list', what).map((a) =>
      requireStr(a, 'vm_uuid', `attachment of ${what} [unverified: attachment_list entry fields]`),
    ),
  };
}

/** Fails when the include flags were evidently ignored (no VM carries the key at all). */
function checkIncludeFlags(vms: Json[]): void {
  if (vms.length === 0) return;
  for (const [key, flag] of [
    ['vm_disk_info', 'include_vm_disk_config'],
    ['vm_nics', 'include_vm_nic_config'],
  ] as const) {
    if (!vms.some((v) => key in v)) {
      throw new UpstreamError(
        `v2.0 vms: no VM carries ${key} although ${flag}=true was sent [unverified flag]; refusing an inventory without them`,
      );
    }
  }
}

/** Reads a lone Prism Element's estate through v2.0. */
export async function readSnapshotV2(
  client: PrismClient,
  signal: AbortSignal,
  stats: Record<string, CollectStats> = {},
): Promise<PrismSnapshot> {
  const s = statsCounters(stats);
  const [clusterBody, hosts, vms, networks, vgs] = await Promise.all([
    client.get<unknown>(`${PE_V2_BASE}/cluster`, {}, 'read the v2.0 cluster', signal),
    listV2(client, 'hosts', signal, {}, s('hosts')),
    listV2(
      client,
      'vms',
      signal,
      { include_vm_disk_config: 'true', include_vm_nic_config: 'true' },
      s('vms'),
    ),
    listV2(client, 'networks', signal, {}, s('networks')),
    listV2(client, 'volume_groups', signal, {}, s('volume-groups')),
  ]);
  const cluster = parseClusterV2(clusterBody);
  checkIncludeFlags(vms);
  return {
    api: 'v2.0',
    endpoint: client.endpoint,
    clusters: [cluster],
    hosts: hosts.map((h) => parseHostV2(h, cluster.id)),
    vms: vms.map((v) => parseVmV2(v, cluster.id)),
    subnets: networks.map((n) => parseNetworkV2(n, cluster.id)),
    volumeGroups: vgs.map((g) => parseVolumeGroupV2(g, cluster.id)),
  };
}

/** The PE's cluster (validate). */
export async function readClusterV2(client: PrismClient, signal: AbortSignal): Promise<PrismCluster> {
  return parseClusterV2(
    await client.get<unknown>(`${PE_V2_BASE}/cluster`, {}, 'read the v2.0 cluster', signal),
  );
}

const V1_BASE = '/PrismGateway/services/rest/v1';

/**
 * One v1 stats call → v4 field → points (µs timestamps → ms; -1 and missing values are "no data"). The
 * metrics asked are the subject's v1 aliases (./metric-fields), so a name without one is never requested.
 */
async function v1Series(
  client: PrismClient,
  kind: 'server' | 'compute_pool' | 'host',
  id: string,
  window: TimeWindow,
  interval: number,
  signal: AbortSignal,
): Promise<Series> {
  const path = kind === 'server' ? 'vms' : kind === 'host' ? 'hosts' : 'clusters';
  const names = subjectFields(kind).v1;
  const what = `v1 stats of ${kind === 'server' ? 'VM' : kind === 'host' ? 'host' : 'cluster'} ${id}`;
  const body = await client.get<unknown>(
    `${V1_BASE}/${path}/${prismPathId(id, 'resource.native_id')}/stats/`,
    {
      metrics: Object.keys(names).join(','),
      startTimeInUsecs: window.start.getTime() * 1000,
      endTimeInUsecs: window.end.getTime() * 1000,
      intervalInSecs: interval,
    },
    `read ${what}`,
    signal,
  );
  const series: Series = {};
  for (const r of list(body, 'statsSpecificResponses', what)) {
    const metric = str(r, 'metric');
    const field = metric === null ? undefined : names[metric];
    if (field === undefined) continue;
    const start = requireNum(r, 'startTimeInUsecs', `${what} (${metric})`) / 1000;
    const step = requireNum(r, 'intervalInSecs', `${what} (${metric})`) * 1000;
    series[field] = list(r, 'values', what).flatMap((raw, i) => {
      const v = typeof raw === 'number' ? raw : Number(raw);
      return Number.isFinite(v) && v >= 0 ? [{ t: start + i * step, v }] : [];
    });
  }
  return series;
}

/**
 * PE metrics. VMs: the v1 per-VM stats call — one request per VM, because API.md documents no bulk VM time
 * series on a PE (v2.0 `stats` maps are documented for the cluster and hosts only, and are a single current
 * value). A `server` id the VM call does not know (404) is tried as a host. Hosts and the cluster: one v1
 * call each. The shared limiter bounds the load.
 */
export async function collectMetricsV2(
  client: PrismClient,
  subjects: { servers: MetricSubject[]; pools: MetricSubject[]; hosts: MetricSubject[] },
  window: TimeWindow,
  interval: number,
  signal: AbortSignal,
): Promise<Sample[]> {
  const ids = (list: MetricSubject[]) => [...new Set(list.map((s) => s.nativeId))];
  const host = async (id: string, s: AbortSignal) =>
    seriesSamples(id, 'host', await v1Series(client, 'host', id, window, interval, s), window);
  const [vmSamples, poolSamples, hostSamples] = await Promise.all([
    mapLimit(
      ids(subjects.servers),
      client.concurrency,
      async (vmId, _i, s) => {
        let series: Series;
        try {
          series = await v1Series(client, 'server', vmId, window, interval, s);
        } catch (err) {
          // With a cached API a 404 may mean the detection went stale: the provider re-detects and asks again.
          if (!isNotFound(err) || client.apiFromCache) throw err;
          // Not a VM: a host, or deleted since the inventory (no series, one warning).
          return host(vmId, s).catch((hostErr: unknown) => {
            if (!isNotFound(hostErr)) throw hostErr;
            client.warn(goneWarning('server', vmId));
            return [];
          });
        }
        return vmSamplesFromTuples(vmId, tuplesFromSeries(series), window);
      },
      signal,
    ),
    mapLimit(
      ids(subjects.pools),
      client.concurrency,
      async (clusterId, _i, s) =>
        seriesSamples(
          clusterId,
          'compute_pool',
          await v1Series(client, 'compute_pool', clusterId, window, interval, s),
          window,
        ),
      signal,
    ),
    mapLimit(ids(subjects.hosts), client.concurrency, (id, _i, s) => host(id, s), signal),
  ]);
  return [...vmSamples.flat(), ...poolSamples.flat(), ...hostSamples.flat()];
}
