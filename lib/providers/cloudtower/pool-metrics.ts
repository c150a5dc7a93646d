/**
 * CloudTower compute-pool samples for one batch of clusters: host CPU weighted by each host's
 * `total_cpu_hz` (there is no cluster CPU metric), cluster memory, and storage used / capacity.
 */
import { UpstreamError } from '../../errors';
import type { Sample, TimeWindow } from '../provider';
import type { CloudTowerClient } from './client';
import { allOrAbort } from './estate';
import {
  CLUSTER_METRICS,
  fetchStreams,
  HOST_METRICS,
  metricKey as key,
  STORAGE_RATIO_KEY,
  type Stream,
  sample,
} from './metrics';
import { pickHost } from './rows';
import type { CtCluster, CtHost } from './types';

export async function poolBatchSamples(
  client: CloudTowerClient,
  ids: string[],
  range: string,
  window: TimeWindow,
  batchSignal: AbortSignal,
): Promise<Sample[]> {
  const [clusters, hosts, hostStreams, clusterStreams] = await allOrAbort<
    [CtCluster[], CtHost[], Stream[], Stream[]]
  >(batchSignal, (signal) => [
    client.call<CtCluster[]>(
      'get-clusters',
      { where: { id_in: ids }, orderBy: 'id_ASC', first: ids.length },
      signal,
    ),
    client.listAll<CtHost>('hosts', { cluster: { id_in: ids } }, signal, pickHost),
    fetchStreams(
      client,
      'get-host-metrics',
      'hosts',
      (cs) => ({ cluster: { id_in: cs } }),
      ids,
      HOST_METRICS,
      range,
      window,
      signal,
    ),
    fetchStreams(
      client,
      'get-cluster-metrics',
      'clusters',
      (cs) => ({ id_in: cs }),
      ids,
      CLUSTER_METRICS,
      range,
      window,
      signal,
    ),
  ]);
  const clusterByLocal = new Map(clusters.map((c) => [c.local_id, c.id]));
  const hostByLocal = new Map(hosts.map((h) => [h.local_id, h]));
  const samples: Sample[] = [];

  // Weighted mean of host CPU per (cluster, t); only timestamps where every host of the cluster reported.
  const hostsPerCluster = new Map<string, number>();
  for (const h of hosts) hostsPerCluster.set(h.cluster.id, (hostsPerCluster.get(h.cluster.id) ?? 0) + 1);
  const cpu = new Map<string, { id: string; k: string; t: number; sum: number; weight: number; n: number }>();
  for (const s of hostStreams) {
    const host = s.labels._host ? hostByLocal.get(s.labels._host) : undefined;
    if (!host) continue;
    const k = key(s.metric, s.unit);
    const weight = host.total_cpu_hz ?? 0;
    for (const p of s.points) {
      const slot = `${host.cluster.id}|${k}|${p.t}`;
      const acc = cpu.get(slot) ?? { id: host.cluster.id, k, t: p.t, sum: 0, weight: 0, n: 0 };
      acc.sum += p.v * weight;
      acc.weight += weight;
      acc.n++;
      cpu.set(slot, acc);
    }
  }
  for (const acc of cpu.values()) {
    if (acc.n === hostsPerCluster.get(acc.id) && acc.weight > 0) {
      samples.push(sample(acc.id, 'compute_pool', acc.k, acc.sum / acc.weight, acc.t));
    }
  }

  const used = new Map<string, number>();
  const capacity = new Map<string, number>();
  for (const s of clusterStreams) {
    const id = s.labels._cluster ? clusterByLocal.get(s.labels._cluster) : undefined;
    if (!id) continue;
    if (s.metric === 'zbs_cluster_used_data_space_bytes' || s.metric === 'zbs_cluster_data_capacity_bytes') {
      if (s.unit !== 'DATA_SIZE')
        throw new UpstreamError(`CloudTower reported ${s.metric} in ${s.unit}, expected DATA_SIZE`);
      const into = s.metric === 'zbs_cluster_used_data_space_bytes' ? used : capacity;
      for (const p of s.points) into.set(`${id}|${p.t}`, p.v);
      continue;
    }
    const k = key(s.metric, s.unit);
    for (const p of s.points) samples.push(sample(id, 'compute_pool', k, p.v, p.t));
  }
  for (const [slot, u] of used) {
    const cap = capacity.get(slot);
    if (cap === undefined || cap <= 0) continue;
    const [id, t] = slot.split('|') as [string, string];
    samples.push(sample(id, 'compute_pool', STORAGE_RATIO_KEY, u / cap, Number(t)));
  }
  return samples;
}
