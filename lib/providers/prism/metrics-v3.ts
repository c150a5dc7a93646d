/**
 * Prism Central v3 metrics: the `groups` query per cluster for VMs and clusters (no documented bulk stats
 * API on v3), and the storage capacity read the same way for compute pools.
 */
import { UpstreamError } from '../../errors';
import { mapLimit } from '../../http';
import { goneWarning } from '../contract';
import { checkNativeId } from '../ids';
import { collectPages } from '../paging';
import type { MetricSubject, Sample, TimeWindow } from '../provider';
import type { PrismClient } from './client';
import {
  byCluster,
  poolSamplesFromSeries,
  V3_CLUSTER_ATTRIBUTES,
  V3_VM_ATTRIBUTES,
  vmSamplesFromTuples,
} from './metrics';
import { type Json, list, num, requireStr, str } from './read';

interface GroupsEntity {
  entityId: string;
  /** The entity's `cluster` attribute when it was asked for. */
  clusterId: string | null;
  series: Record<string, { t: number; v: number }[]>;
}

function parseGroups(body: unknown, what: string): { entities: GroupsEntity[]; total: number | undefined } {
  const total = num(body, 'filtered_entity_count') ?? undefined;
  const entities: GroupsEntity[] = [];
  for (const group of list(body, 'group_results', what)) {
    for (const e of list(group, 'entity_results', what)) {
      const series: Record<string, { t: number; v: number }[]> = {};
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

export async function vmMetricsV3(
  client: PrismClient,
  servers: MetricSubject[],
  window: TimeWindow,
  interval: number,
  signal: AbortSignal,
): Promise<Sample[]> {
  if (servers.length === 0) return [];
  const groups = [...byCluster(servers)];
  const perCluster = await mapLimit(
    groups,
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
              entity_type: 'mh_vm',
              group_member_attributes: [
                { attribute: 'cluster' },
                ...Object.keys(V3_VM_ATTRIBUTES).map((attribute) => ({ attribute })),
              ],
              group_member_count: req.limit,
              group_member_offset: req.offset,
              // [unverified filter syntax] checked against each entity's cluster attribute below.
              ...(clusterId
                ? { filter_criteria: `cluster==${checkNativeId('nutanix', clusterId, 'cluster id')}` }
                : {}),
              interval_start_ms: window.start.getTime(),
              interval_end_ms: window.end.getTime(),
              downsampling_interval: interval,
            },
            `query ${what}`,
            ps,
          );
          const page = parseGroups(body, what);
          return { items: page.entities, total: page.total };
        },
      });
      const out: Sample[] = [];
      if (servers.length === 1 && !entities.some((e) => wanted.has(e.entityId))) {
        client.warn(goneWarning('server', servers[0]!.nativeId));
      }
      for (const e of entities) {
        if (clusterId && e.clusterId !== clusterId) {
          throw new UpstreamError(
            `groups query filtered by cluster ${clusterId} returned VM ${e.entityId} of cluster ${e.clusterId ?? 'unknown'}`,
          );
        }
        if (!wanted.has(e.entityId)) continue;
        // Rebuild v4-style tuples per timestamp so both APIs share one sample builder.
        const byTime = new Map<number, Json>();
        for (const [attr, field] of Object.entries(V3_VM_ATTRIBUTES)) {
          for (const p of e.series[attr] ?? []) {
            if (!Number.isFinite(p.v)) continue;
            const tuple = byTime.get(p.t) ?? { timestamp: new Date(p.t).toISOString() };
            tuple[field] = p.v;
            byTime.set(p.t, tuple);
          }
        }
        out.push(...vmSamplesFromTuples(e.entityId, [...byTime.values()], window, interval));
      }
      return out;
    },
    signal,
  );
  return perCluster.flat();
}

export async function clusterMetricsV3(
  client: PrismClient,
  wanted: Set<string>,
  window: TimeWindow,
  interval: number,
  signal: AbortSignal,
): Promise<Sample[]> {
  const body = await client.post<unknown>(
    '/api/nutanix/v3/groups',
    {
      entity_type: 'cluster',
      group_member_attributes: Object.keys(V3_CLUSTER_ATTRIBUTES).map((attribute) => ({ attribute })),
      group_member_count: 500,
      group_member_offset: 0,
      interval_start_ms: window.start.getTime(),
      interval_end_ms: window.end.getTime(),
      downsampling_interval: interval,
    },
    'query cluster stats',
    signal,
  );
  const { entities } = parseGroups(body, 'cluster stats');
  return entities
    .filter((e) => wanted.has(e.entityId))
    .flatMap((e) => {
      const series: Record<string, { t: number; v: number }[]> = {};
      for (const [attr, field] of Object.entries(V3_CLUSTER_ATTRIBUTES)) series[field] = e.series[attr] ?? [];
      return poolSamplesFromSeries(e.entityId, series, window);
    });
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
      entity_type: 'cluster',
      group_member_attributes: [{ attribute: 'storage.capacity_bytes' }],
      group_member_count: 500,
      group_member_offset: 0,
      interval_start_ms: window.start.getTime(),
      interval_end_ms: window.end.getTime(),
      downsampling_interval: 300,
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
