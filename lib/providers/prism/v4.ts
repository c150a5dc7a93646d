/**
 * Prism Central v4 reader: lists clusters, hosts, VMs, subnets, categories and volume groups with the
 * shared pager (`$page`/`$limit` ≤ 100, `totalAvailableResults`, `links`) and normalises them into a
 * PrismSnapshot (VMs parsed in ./v4-vms). Never trusts `$objectType` on array elements.
 */

import { UpstreamError } from '../../errors';
import { mapLimit } from '../../http';
import { optionalEnrichment } from '../contract';
import { prismPathId } from '../ids';
import type { CollectStats, Page } from '../paging';
import type { PrismClient, Query } from './client';
import { collectPrismPages, statsCounters } from './pages';
import { asObject, bool, type Json, list, num, requireNum, requireStr, str } from './read';
import type { PrismCluster, PrismHost, PrismSnapshot, PrismSubnet, PrismVolumeGroup } from './snapshot';
import { parseVmV4Raw, resolveCategories } from './v4-vms';

/** Largest `$limit` v4 accepts. */
export const V4_PAGE_SIZE = 100;

/** Reads one v4 list page into a pager Page. */
export function toV4Page(body: unknown, what: string): Page<Json> {
  const o = asObject(body);
  if (!o) throw new UpstreamError(`${what}: response is not a JSON object`);
  // An empty page has no `data` at all.
  const items = list(o, 'data', what).map((item) => {
    const obj = asObject(item);
    if (!obj) throw new UpstreamError(`${what}: a data element is not an object`);
    return obj;
  });
  const links = list(o, 'metadata.links', what);
  const href = (rel: string) =>
    str(
      links.find((l) => str(l, 'rel') === rel),
      'href',
    ) ?? undefined;
  const total = num(o, 'metadata.totalAvailableResults');
  return { items, total: total ?? undefined, self: href('self'), next: href('next') };
}

/** Collects a whole v4 collection. */
export async function listV4(
  client: PrismClient,
  path: string,
  what: string,
  signal: AbortSignal,
  extraQuery: Query = {},
  stats?: CollectStats,
): Promise<Json[]> {
  return listV4Parsed(
    client,
    path,
    what,
    signal,
    (item) => item,
    (item) => requireStr(item, 'extId', what),
    {
      extraQuery,
      stats,
    },
  );
}

/**
 * Collects a whole v4 collection, turning each page's items into `T` as soon as the page arrives: the raw
 * JSON of a page (≈ 0.5 MB for 100 VMs) then dies young; kept with every other page until the last one is in,
 * on a 10k-VM list it makes up most of the collector's garbage-collection time.
 */
export async function listV4Parsed<T>(
  client: PrismClient,
  path: string,
  what: string,
  signal: AbortSignal,
  parse: (item: Json) => T,
  idOf: (item: T) => string,
  options: { extraQuery?: Query; stats?: CollectStats | undefined } = {},
): Promise<T[]> {
  return collectPrismPages(
    client,
    {
      what,
      pageSize: V4_PAGE_SIZE,
      idOf,
      fetchPage: async (req, pageSignal) => {
        const page = toV4Page(
          await client.get(
            path,
            { ...options.extraQuery, $page: req.index, $limit: req.limit },
            `list ${what}`,
            pageSignal,
          ),
          what,
        );
        return { ...page, items: page.items.map(parse) };
      },
    },
    signal,
    options.stats,
  );
}

/** A v4 Cluster → PrismCluster. */
export function parseClusterV4(c: Json): PrismCluster {
  const functions = list(c, 'config.clusterFunction', 'cluster');
  return {
    id: requireStr(c, 'extId', 'cluster'),
    name: str(c, 'name') ?? '',
    isPrismCentral: functions.includes('PRISM_CENTRAL'),
    isAvailable: bool(c, 'config.isAvailable'),
    version: str(c, 'config.buildInfo.version'),
    externalIp: str(c, 'network.externalAddress.ipv4.value'),
    storageCapacityBytes: null,
  };
}

/** A v4 Host → PrismHost (its cluster reference is `{uuid,name}`, not `{extId}`). */
export function parseHostV4(h: Json): PrismHost {
  return {
    id: requireStr(h, 'extId', 'host'),
    name: str(h, 'hostName') ?? '',
    clusterId: str(h, 'cluster.uuid') ?? str(h, 'cluster.extId'),
    cpuModel: str(h, 'cpuModel'),
    cpuFrequencyHz: num(h, 'cpuFrequencyHz'),
    numCpuCores: num(h, 'numberOfCpuCores'),
    numCpuSockets: num(h, 'numberOfCpuSockets'),
    memoryBytes: num(h, 'memorySizeBytes'),
    ip: str(h, 'hypervisor.externalAddress.ipv4.value'),
    connectionState: str(h, 'hypervisor.acropolisConnectionState'),
    hypervisorState: str(h, 'hypervisor.state'),
  };
}

/** A v4 Subnet → PrismSubnet (`clusterReference` is a bare uuid string; VLAN id is `networkId`). */
export function parseSubnetV4(s: Json): PrismSubnet {
  const ipv4 = list(s, 'ipConfig', 'subnet')[0];
  const ip = str(ipv4, 'ipv4.ipSubnet.ip.value');
  const prefix = num(ipv4, 'ipv4.ipSubnet.prefixLength');
  return {
    id: requireStr(s, 'extId', 'subnet'),
    name: str(s, 'name') ?? '',
    type: str(s, 'subnetType') ?? 'UNKNOWN',
    clusterId: str(s, 'clusterReference'),
    vlanId: num(s, 'networkId'),
    cidr: ip && prefix !== null ? `${ip}/${prefix}` : null,
    gateway: str(ipv4, 'ipv4.defaultGatewayIp.value'),
  };
}

/** Reads the whole estate through v4. `stats` collects per-collection page counts (tests, logs). */
export async function readSnapshotV4(
  client: PrismClient,
  version: string,
  signal: AbortSignal,
  stats: Record<string, CollectStats> = {},
): Promise<PrismSnapshot> {
  const s = statsCounters(stats);
  const [clusters, hosts, vmsParsed, subnets, categories, vgs] = await Promise.all([
    listV4(client, `/api/clustermgmt/${version}/config/clusters`, 'clusters', signal, {}, s('clusters')),
    listV4(client, `/api/clustermgmt/${version}/config/hosts`, 'hosts', signal, {}, s('hosts')),
    listV4Parsed(client, `/api/vmm/${version}/ahv/config/vms`, 'vms', signal, parseVmV4Raw, (p) => p.vm.id, {
      stats: s('vms'),
    }),
    listV4(client, `/api/networking/${version}/config/subnets`, 'subnets', signal, {}, s('subnets')),
    optionalEnrichment(
      'category names (v4 prism categories)',
      () =>
        listV4(client, `/api/prism/${version}/config/categories`, 'categories', signal, {}, s('categories')),
      (m) => client.warn(m),
    ).then((list) => list ?? []),
    readVolumeGroupsV4(client, version, signal, s('volume-groups')),
  ]);
  const categoryMap = new Map(
    categories.map((c) => [
      requireStr(c, 'extId', 'category'),
      { key: str(c, 'key') ?? '', value: str(c, 'value') ?? '' },
    ]),
  );
  const parsedClusters = clusters.map(parseClusterV4);
  await readStorageCapacityV4(client, version, parsedClusters, signal);
  return {
    api: version,
    endpoint: client.endpoint,
    clusters: parsedClusters,
    hosts: hosts.map(parseHostV4),
    vms: vmsParsed.map((parsed) => {
      resolveCategories(parsed, categoryMap);
      return parsed.vm;
    }),
    subnets: subnets.map(parseSubnetV4),
    volumeGroups: vgs,
  };
}

async function readVolumeGroupsV4(
  client: PrismClient,
  version: string,
  signal: AbortSignal,
  stats: CollectStats,
): Promise<PrismVolumeGroup[]> {
  const base = `/api/volumes/${version}/config/volume-groups`;
  const groups = await listV4(client, base, 'volume groups', signal, {}, stats);
  // Two small sub-collections per VG (its disks for the size, its VM attachments); the limiter caps load.
  return mapLimit(
    groups,
    Math.max(1, client.concurrency),
    async (vg, _i, vgSignal) => {
      const id = requireStr(vg, 'extId', 'volume group');
      const [disks, attachments] = await Promise.all([
        listV4(
          client,
          `${base}/${prismPathId(id, 'volume group extId')}/disks`,
          `disks of volume group ${id}`,
          vgSignal,
        ),
        listV4(
          client,
          `${base}/${prismPathId(id, 'volume group extId')}/vm-attachments`,
          `VM attachments of volume group ${id}`,
          vgSignal,
        ),
      ]);
      return {
        id,
        name: str(vg, 'name') ?? '',
        clusterId: str(vg, 'clusterReference'),
        sizeBytes: disks.reduce(
          (sum, d) => sum + requireNum(d, 'diskSizeBytes', `disk of volume group ${id}`),
          0,
        ),
        diskCount: disks.length,
        sharingStatus: str(vg, 'sharingStatus'),
        vmIds: attachments.map((a) => requireStr(a, 'extId', `attachment of volume group ${id}`)),
      };
    },
    signal,
  );
}

/** Cluster storage capacity: the latest `storageCapacityBytes` of the last hour (one call per cluster). */
async function readStorageCapacityV4(
  client: PrismClient,
  version: string,
  clusters: PrismCluster[],
  signal: AbortSignal,
): Promise<void> {
  const end = new Date(client.now());
  const start = new Date(end.getTime() - 3600_000);
  await mapLimit(
    clusters.filter((c) => !c.isPrismCentral),
    client.concurrency,
    async (cluster, _i, s) => {
      const body = await client.get<unknown>(
        `/api/clustermgmt/${version}/stats/clusters/${prismPathId(cluster.id, 'cluster extId')}`,
        {
          $startTime: isoSeconds(start),
          $endTime: isoSeconds(end),
          $samplingInterval: 300,
          $statType: 'LAST',
          $select: 'storageCapacityBytes',
        },
        `read storage capacity of cluster ${cluster.id}`,
        s,
      );
      const points = list(body, 'data.storageCapacityBytes', `stats of cluster ${cluster.id}`);
      const last = points.at(-1);
      cluster.storageCapacityBytes = last === undefined ? null : num(last, 'value');
    },
    signal,
  );
}

/** ISO 8601 UTC without milliseconds, as the stats endpoints take it. */
export function isoSeconds(d: Date): string {
  return `${d.toISOString().slice(0, 19)}Z`;
}

export type { Json };
