/**
 * Prism Central v3 metrics through `POST /api/nutanix/v3/groups` [unverified: groups is what the PC UI
 * uses, not a documented contract]: VMs per cluster (paged, 500 per page), clusters and hosts in one query
 * each. Attributes are the v1 names of ./metric-fields, renamed to the v4 fields the mapping keys use.
 */
import { UpstreamError } from '../../errors';
import { mapLimit } from '../../http';
import { checkNativeId } from '../ids';
import { collectPages } from '../paging';
import type { MetricSubject, Sample, TimeWindow } from '../provider';
import type { PrismClient } from './client';
import { type SubjectKind, subjectFields } from './metric-fields';
import {
  byCluster,
  type Series,
  seriesSamples,
  tuplesFromSeries,
  vmSamplesFromTuples,
} from './metric-samples';
import { list, num, requireStr, str } from './read';

interface GroupsEntity {
  entityId: string;
  /** The entity's `cluster` attribute when it was asked for. */
  clusterId: string | null;
  series: Series;
}

function parseGroups(body: unknown, what: string): { entities: GroupsEntity[]; total: number | undefined } {
  const total = num(body, 'filtered_entity_count') ?? undefined;
  const entities: GroupsEntity[] = [];
  for (const group of list(body, 'group_results', what)) {
    for (const e of list(group, 'entity_results', what)) {
      const series: Series = {};
      let clusterId: string | null = null;
      for (const d of list(e, 'data', what)) {
        const name = str(d, 'name');
        if (!name) continue;
        const values = list(d, 'values', what);
        if (name === 'cluster') {
          const raw = list(values[0], 'values', what)[0];
          clusterId = typeof raw === 'string' ? raw : null;
          continue;
        }
        // Values come as strings; times in microseconds.
        series[name] = values.flatMap((v) => {
          const raw = list(v, 'values', what)[0];
          const time = num(v, 'time');
          return time === null || raw === undefined ? [] : [{ t: time / 1000, v: Number(raw) }];
        });
      }
      entities.push({ entityId: requireStr(e, 'entity_id', what), clusterId, series });
    }
  }
  return { entities, total };
}

/** v1-named series → the v4 fields they fill (non-numeric values dropped). */
function renamed(series: Series, kind: SubjectKind): Series {
  const out: Series = {};
  for (const [alias, field] of Object.entries(subjectFields(kind).v1)) {
    out[field] = (series[alias] ?? []).filter((p) => Number.isFinite(p.v));
  }
  return out;
}

function groupsQuery(entityType: string, attributes: string[], window: TimeWindow, interval: number) {
  return {
    entity_type: entityType,
    group_member_attributes: attributes.map((attribute) => ({ attribute })),
    interval_start_ms: window.start.getTime(),
    interval_end_ms: window.end.getTime(),
    downsampling_interval: interval,
  };
}

/** VM samples, and the asked ids the query did not return (a `server` id may name a host). */
export async function vmMetricsV3(
  client: PrismClient,
  servers: MetricSubject[],
  window: TimeWindow,
  interval: number,
  signal: AbortSignal,
): Promise<{ samples: Sample[]; missing: string[] }> {
  if (servers.length === 0) return { samples: [], missing: [] };
  const seen = new Set<string>();
  const attributes = ['cluster', ...Object.keys(subjectFields('server').v1)];
  const perCluster = await mapLimit(
    [...byCluster(servers)],
    client.concurrency,
    async ([clusterId, wanted], _i, s) => {
      const what = clusterId ? `VM stats of cluster ${clusterId}` : 'VM stats';
      const entities = await collectPages({
        what,
        pageSize: 500,
        concurrency: client.concurrency,
        signal: s,
        idOf: (e: GroupsEntity) => e.entityId,
        fetchPage: async (req, ps) => {
          const body = await client.post<unknown>(
            '/api/nutanix/v3/groups',
            {
              ...groupsQuery('mh_vm', attributes, window, interval),
              group_member_count: req.limit,
              group_member_offset: req.offset,
              // [unverified filter syntax] checked against each entity's cluster attribute below.
              ...(clusterId
                ? { filter_criteria: `cluster==${checkNativeId('nutanix', clusterId, 'cluster id')}` }
                : {}),
            },
            `query ${what}`,
            ps,
          );
          const page = parseGroups(body, what);
          return { items: page.entities, total: page.total };
        },
      });
      const out: Sample[] = [];
      for (const e of entities) {
        if (clusterId && e.clusterId !== clusterId) {
          throw new UpstreamError(
            `groups query filtered by cluster ${clusterId} returned VM ${e.entityId} of cluster ${e.clusterId ?? 'unknown'}`,
          );
        }
        if (!wanted.has(e.entityId)) continue;
        seen.add(e.entityId);
        out.push(...vmSamplesFromTuples(e.entityId, tuplesFromSeries(renamed(e.series, 'server')), window));
      }
      return out;
    },
    signal,
  );
  const missing = [...new Set(servers.map((s) => s.nativeId))].filter((id) => !seen.has(id));
  return { samples: perCluster.flat(), missing };
}

/** Cluster or host stats: one `groups` query for every entity of the type (paged past 500). */
async function entityMetricsV3(
  client: PrismClient,
  kind: 'compute_pool' | 'host',
  wanted: Set<string>,
  window: TimeWindow,
  interval: number,
  signal: AbortSignal,
): Promise<{ samples: Sample[]; found: Set<string> }> {
  const entityType = kind === 'compute_pool' ? 'cluster' : 'host';
  const what = `${entityType} stats`;
  const attributes = Object.keys(subjectFields(kind).v1);
  const entities = await collectPages({
    what,
    pageSize: 500,
    concurrency: client.concurrency,
    signal,
    idOf: (e: GroupsEntity) => e.entityId,
    fetchPage: async (req, ps) => {
      const body = await client.post<unknown>(
        '/api/nutanix/v3/groups',
        {
          ...groupsQuery(entityType, attributes, window, interval),
          group_member_count: req.limit,
          group_member_offset: req.offset,
        },
        `query ${what}`,
        ps,
      );
      const page = parseGroups(body, what);
      return { items: page.entities, total: page.total };
    },
  });
  const mine = entities.filter((e) => wanted.has(e.entityId));
  return {
    samples: mine.flatMap((e) => seriesSamples(e.entityId, kind, renamed(e.series, kind), window)),
    found: new Set(mine.map((e) => e.entityId)),
  };
}

export async function clusterMetricsV3(
  client: PrismClient,
  wanted: Set<string>,
  window: TimeWindow,
  interval: number,
  signal: AbortSignal,
): Promise<Sample[]> {
  return (await entityMetricsV3(client, 'compute_pool', wanted, window, interval, signal)).samples;
}

/** Host samples, and which of the wanted ids are hosts. */
export function hostMetricsV3(
  client: PrismClient,
  wanted: Set<string>,
  window: TimeWindow,
  interval: number,
  signal: AbortSignal,
): Promise<{ samples: Sample[]; found: Set<string> }> {
  return entityMetricsV3(client, 'host', wanted, window, interval, signal);
}

/** v3 cluster storage capacity through one `groups` query (for the compute pools' storage_b). */
export async function readStorageCapacityV3(
  client: PrismClient,
  clusters: { id: string; isPrismCentral: boolean; storageCapacityBytes: number | null }[],
  signal: AbortSignal,
): Promise<void> {
  const end = new Date(client.now());
  const window = { start: new Date(end.getTime() - 3600_000), end };
  const body = await client.post<unknown>(
    '/api/nutanix/v3/groups',
    {
      ...groupsQuery('cluster', ['storage.capacity_bytes'], window, 300),
      group_member_count: 500,
      group_member_offset: 0,
    },
    'query cluster storage capacity',
    signal,
  );
  const { entities } = parseGroups(body, 'cluster storage capacity');
  for (const c of clusters) {
    const points = entities.find((e) => e.entityId === c.id)?.series['storage.capacity_bytes'] ?? [];
    const last = points.filter((p) => Number.isFinite(p.v)).at(-1);
    c.storageCapacityBytes = last ? last.v : null;
  }
}
