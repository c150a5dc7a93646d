/**
 * Prism metrics, in bulk. v4: the VM stats list endpoint once per cluster (paged by VM, never one call per
 * VM), one cluster-stats call per compute pool and one host-stats call per host (the API has no bulk host
 * stats). v3: the `groups` query per cluster (./metrics-v3). A lone Prism Element: the v1 stats calls
 * (./element). Samples carry the v4 field names of mappings/prism.yaml, which also decides what is requested
 * (./metric-fields); the derived keys are computed here.
 */
import { UpstreamError } from '../../errors';
import { mapLimit } from '../../http';
import { goneWarning } from '../contract';
import { checkNativeId, prismPathId } from '../ids';
import type { MetricSubject, Sample, TimeWindow } from '../provider';
import { isNotFound, type PrismApi, type PrismClient } from './client';
import { collectMetricsV2 } from './element';
import { type SubjectKind, subjectFields } from './metric-fields';
import {
  byCluster,
  type Series,
  samplingIntervalSec,
  seriesSamples,
  vmSamplesFromTuples,
} from './metric-samples';
import { clusterMetricsV3, hostMetricsV3, vmMetricsV3 } from './metrics-v3';
import { asObject, type Json, list, num, requireStr, str } from './read';
import { isoSeconds, listV4 } from './v4';

/** Collects raw samples for the subjects. */
export async function collectMetrics(
  client: PrismClient,
  api: PrismApi,
  subjects: MetricSubject[],
  window: TimeWindow,
  signal: AbortSignal,
): Promise<Sample[]> {
  const of = (kind: SubjectKind) => subjects.filter((s) => s.kind === kind);
  const [servers, pools, hosts] = [of('server'), of('compute_pool'), of('host')];
  const interval = samplingIntervalSec(window);
  if (api.kind === 'v4') {
    const stats: V4Stats = { client, version: api.version, window, interval };
    const parts = await Promise.all([
      vmMetricsV4(stats, servers, signal),
      mapLimit(pools, client.concurrency, (p, _i, s) => clusterMetricsV4(stats, p.nativeId, s), signal),
      hostMetricsV4(stats, hosts, signal),
    ]);
    return parts.flat(2);
  }
  if (api.kind === 'v2') return collectMetricsV2(client, { servers, pools, hosts }, window, interval, signal);
  const [vms, poolSamples] = await Promise.all([
    vmMetricsV3(client, servers, window, interval, signal),
    pools.length > 0
      ? clusterMetricsV3(client, new Set(pools.map((p) => p.nativeId)), window, interval, signal)
      : [],
  ]);
  // Hosts in one query, with the `server` ids no VM answered for (they may name hosts).
  const hostIds = new Set([...hosts.map((h) => h.nativeId), ...vms.missing]);
  const hostResult =
    hostIds.size > 0
      ? await hostMetricsV3(client, hostIds, window, interval, signal)
      : { samples: [], found: new Set<string>() };
  if (servers.length === 1 && vms.missing.length === 1 && !hostResult.found.has(vms.missing[0]!))
    client.warn(goneWarning('server', vms.missing[0]!));
  return [...vms.samples, ...poolSamples, ...hostResult.samples];
}

/** What every v4 stats read of one poll shares. */
interface V4Stats {
  client: PrismClient;
  version: string;
  window: TimeWindow;
  interval: number;
}

function statsQuery(window: TimeWindow, interval: number, select: readonly string[] | '*') {
  return {
    $startTime: isoSeconds(window.start),
    $endTime: isoSeconds(window.end),
    $samplingInterval: interval,
    $statType: 'AVG',
    $select: select === '*' ? '*' : select.join(','),
  };
}

function vmTuples(item: unknown, vmId: string): Json[] {
  return list(item, 'stats', `stats of VM ${vmId}`).map((t) => asObject(t) ?? {});
}

async function vmMetricsV4(stats: V4Stats, servers: MetricSubject[], signal: AbortSignal): Promise<Sample[]> {
  if (servers.length === 0) return [];
  const { client, version, window, interval } = stats;
  // VmStatsTuple selects take a `stats/` prefix on the list endpoint; `*` works on both (API.md §9).
  const query = statsQuery(window, interval, '*');
  if (servers.length === 1) {
    // One resource (non-bulk poll): its own endpoint is one request, same as a one-VM page.
    const id = servers[0]!.nativeId;
    let body: unknown;
    try {
      body = await client.get<unknown>(
        `/api/vmm/${version}/ahv/stats/vms/${prismPathId(id, 'resource.native_id')}`,
        query,
        `read stats of VM ${id}`,
        signal,
      );
    } catch (err) {
      // With a cached API a 404 may mean the detection went stale: the provider re-detects and asks again.
      if (!isNotFound(err) || client.apiFromCache) throw err;
      // A `server` resource may be a host: the VM lookup answers 404 for a host id.
      const clusterId = await hostClusterV4(client, version, id, signal);
      if (!clusterId) {
        client.warn(goneWarning('server', id));
        return [];
      }
      const host: MetricSubject = { nativeId: id, kind: 'host', clusterId };
      return hostMetricsV4(stats, [host], signal);
    }
    return vmSamplesFromTuples(id, vmTuples(asObject(body)?.data, id), window);
  }
  const perCluster = await mapLimit(
    [...byCluster(servers)],
    client.concurrency,
    async ([clusterId, wanted], _i, s) => {
      // [unverified filter syntax] If the server ignored it, tuples name other clusters: fail loudly below.
      const filter = clusterId
        ? { $filter: `stats/cluster eq '${checkNativeId('nutanix', clusterId, 'cluster id')}'` }
        : {};
      const items = await listV4(
        client,
        `/api/vmm/${version}/ahv/stats/vms`,
        clusterId ? `VM stats of cluster ${clusterId}` : 'VM stats',
        s,
        { ...query, ...filter },
      );
      const out: Sample[] = [];
      for (const item of items) {
        const vmId = requireStr(item, 'extId', 'VM stats');
        const tuples = vmTuples(item, vmId);
        if (clusterId) {
          const other = tuples.map((t) => str(t, 'cluster')).find((c) => c !== null && c !== clusterId);
          if (other) {
            throw new UpstreamError(
              `VM stats filtered by cluster ${clusterId} returned VM ${vmId} of cluster ${other}`,
            );
          }
        }
        if (wanted.has(vmId)) out.push(...vmSamplesFromTuples(vmId, tuples, window));
      }
      return out;
    },
    signal,
  );
  return perCluster.flat();
}

/** A v4 stats body (`data.<field>` = [{timestamp, value}]) → series of the asked fields. */
function v4Series(body: unknown, fields: readonly string[], what: string): Series {
  const data = asObject(asObject(body)?.data);
  if (!data) throw new UpstreamError(`${what}: response has no data`);
  const series: Series = {};
  for (const field of fields) {
    series[field] = list(data, field, what)
      .map((p) => ({ t: Date.parse(str(p, 'timestamp') ?? ''), v: num(p, 'value') }))
      .filter((p): p is { t: number; v: number } => Number.isFinite(p.t) && p.v !== null);
  }
  return series;
}

/** One subject's stats endpoint (`path` under clustermgmt stats) → its samples. */
async function subjectMetricsV4(
  stats: V4Stats,
  subject: { kind: 'compute_pool' | 'host'; id: string },
  path: string,
  signal: AbortSignal,
): Promise<Sample[]> {
  const fields = subjectFields(subject.kind).v4;
  const what = `stats of ${subject.kind === 'host' ? 'host' : 'cluster'} ${subject.id}`;
  const body = await stats.client.get<unknown>(
    `/api/clustermgmt/${stats.version}/stats/${path}`,
    statsQuery(stats.window, stats.interval, fields),
    `read ${what}`,
    signal,
  );
  return seriesSamples(subject.id, subject.kind, v4Series(body, fields, what), stats.window);
}

function clusterMetricsV4(stats: V4Stats, clusterId: string, signal: AbortSignal): Promise<Sample[]> {
  const path = `clusters/${prismPathId(clusterId, 'resource.native_id')}`;
  return subjectMetricsV4(stats, { kind: 'compute_pool', id: clusterId }, path, signal);
}

/** The cluster of a host given by id alone (a single-resource poll), or null when no host has the id. */
async function hostClusterV4(client: PrismClient, version: string, hostId: string, signal: AbortSignal) {
  const found = await listV4(client, `/api/clustermgmt/${version}/config/hosts`, `host ${hostId}`, signal, {
    $filter: `extId eq '${checkNativeId('nutanix', hostId, 'resource.native_id')}'`,
  });
  return found.length === 1 ? str(found[0], 'cluster.uuid') : null;
}

/** Host stats: one request per host (the API serves them per cluster and host only). */
async function hostMetricsV4(stats: V4Stats, hosts: MetricSubject[], signal: AbortSignal): Promise<Sample[]> {
  if (hosts.length === 0) return [];
  const { client, version } = stats;
  const perHost = await mapLimit(
    hosts,
    client.concurrency,
    async (h, _i, s) => {
      const clusterId = h.clusterId ?? (await hostClusterV4(client, version, h.nativeId, s));
      if (!clusterId) {
        client.warn(goneWarning('host', h.nativeId));
        return [];
      }
      const path = `clusters/${prismPathId(clusterId, 'cluster id')}/hosts/${prismPathId(h.nativeId, 'resource.native_id')}`;
      return subjectMetricsV4(stats, { kind: 'host', id: h.nativeId }, path, s);
    },
    signal,
  );
  return perHost.flat();
}
