/**
 * CloudTower compute-pool and host metrics. A pool batch reads the clusters (local ids), their hosts
 * (weights and local ids), `get-host-metrics` for those hosts and `get-cluster-metrics`: the same host
 * streams give the pools' CPU fallback and the host subjects of those clusters, so hosts cost no request of
 * their own in a bulk poll. Hosts outside every pool batch (a single-host poll, or a `server` id no VM
 * answered for) take a host batch: `get-hosts`, then `get-host-metrics` for the ones found.
 */
import { UpstreamError } from '../../errors';
import type { Sample, TimeWindow } from '../provider';
import type { CloudTowerClient } from './client';
import { allOrAbort } from './estate';
import {
  CLUSTER_CPU,
  HOST_CPU,
  metricNames,
  STORAGE_CAPACITY,
  STORAGE_RATIO_KEY,
  STORAGE_USED,
  sampleKey,
} from './metric-names';
import { fetchStreams, type Stream, sample } from './metric-streams';
import { rowPickers } from './rows';
import type { CtCluster, CtHost } from './types';

export interface BatchResult {
  samples: Sample[];
  /** Host ids the batch read (covered, whether or not they had samples). */
  hosts: Set<string>;
}

/** Which source each pool's CPU came from, for the debug line. */
export interface CpuSources {
  cluster: number;
  weighted: number;
}

/** Samples of the wanted hosts from get-host-metrics streams. */
function hostSamples(streams: Stream[], hostByLocal: Map<string, CtHost>, wanted: Set<string>): Sample[] {
  const out: Sample[] = [];
  for (const s of streams) {
    const host = s.labels._host ? hostByLocal.get(s.labels._host) : undefined;
    if (!host || !wanted.has(host.id)) continue;
    const k = sampleKey(s.metric, s.unit);
    for (const p of s.points) out.push(sample(host.id, 'host', k, p.v, p.t));
  }
  return out;
}

/** One pool batch (see the module comment); `wantedHosts` are the host subjects. */
export async function poolBatch(
  client: CloudTowerClient,
  ids: string[],
  wantedHosts: Set<string>,
  range: string,
  window: TimeWindow,
  sources: CpuSources,
  batchSignal: AbortSignal,
): Promise<BatchResult> {
  const names = metricNames();
  const byIdIn = (x: string[]) => ({ id_in: x });
  const [clusters, hosts, hostStreams, clusterStreams] = await allOrAbort<
    [CtCluster[], CtHost[], Stream[], Stream[]]
  >(batchSignal, (signal) => [
    client.call<CtCluster[]>(
      'get-clusters',
      { where: { id_in: ids }, orderBy: 'id_ASC', first: ids.length },
      signal,
    ),
    client.listAll<CtHost>('hosts', { cluster: { id_in: ids } }, signal, rowPickers().host),
    fetchStreams(
      client,
      'get-host-metrics',
      'hosts',
      (cs) => ({ cluster: { id_in: cs } }),
      ids,
      names.host,
      range,
      window,
      signal,
    ),
    fetchStreams(
      client,
      'get-cluster-metrics',
      'clusters',
      byIdIn,
      ids,
      names.cluster,
      range,
      window,
      signal,
    ),
  ]);
  const clusterByLocal = new Map(clusters.map((c) => [c.local_id, c.id]));
  const hostByLocal = new Map(hosts.map((h) => [h.local_id, h]));
  const samples = hostSamples(hostStreams, hostByLocal, wantedHosts);

  const used = new Map<string, number>();
  const capacity = new Map<string, number>();
  const ownCpu = new Set<string>();
  for (const s of clusterStreams) {
    const id = s.labels._cluster ? clusterByLocal.get(s.labels._cluster) : undefined;
    if (!id) continue;
    const k = sampleKey(s.metric, s.unit);
    if (s.metric === CLUSTER_CPU && s.points.length > 0) ownCpu.add(id);
    for (const p of s.points) samples.push(sample(id, 'compute_pool', k, p.v, p.t));
    if (s.metric === STORAGE_USED || s.metric === STORAGE_CAPACITY) {
      const into = s.metric === STORAGE_USED ? used : capacity;
      for (const p of s.points) into.set(`${id}|${p.t}`, p.v);
    }
  }
  for (const [slot, u] of used) {
    const cap = capacity.get(slot);
    if (cap === undefined || cap <= 0) continue;
    const [id, t] = slot.split('|') as [string, string];
    samples.push(sample(id, 'compute_pool', STORAGE_RATIO_KEY, u / cap, Number(t)));
  }

  // Pools without their own CPU series: mean of host CPU per (cluster, t) weighted by total_cpu_hz, only at
  // timestamps where every host of the cluster reported.
  const hostsPerCluster = new Map<string, number>();
  for (const h of hosts) hostsPerCluster.set(h.cluster.id, (hostsPerCluster.get(h.cluster.id) ?? 0) + 1);
  const cpu = new Map<string, { id: string; k: string; t: number; sum: number; weight: number; n: number }>();
  for (const s of hostStreams) {
    if (s.metric !== HOST_CPU) continue;
    const host = s.labels._host ? hostByLocal.get(s.labels._host) : undefined;
    if (!host || ownCpu.has(host.cluster.id)) continue;
    const k = sampleKey(s.metric, s.unit);
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
  const weighted = new Set<string>();
  for (const acc of cpu.values()) {
    if (acc.n === hostsPerCluster.get(acc.id) && acc.weight > 0) {
      samples.push(sample(acc.id, 'compute_pool', acc.k, acc.sum / acc.weight, acc.t));
      weighted.add(acc.id);
    }
  }
  sources.cluster += ownCpu.size;
  sources.weighted += weighted.size;
  return { samples, hosts: new Set(hosts.map((h) => h.id)) };
}

/** Host subjects no pool batch covered: the ones `get-hosts` knows, then their metrics. */
export async function hostBatch(
  client: CloudTowerClient,
  ids: string[],
  range: string,
  window: TimeWindow,
  signal: AbortSignal,
): Promise<BatchResult> {
  const hosts = await client.call<CtHost[]>(
    'get-hosts',
    { where: { id_in: ids }, orderBy: 'id_ASC', first: ids.length },
    signal,
  );
  if (!Array.isArray(hosts)) throw new UpstreamError('CloudTower get-hosts answered no list');
  const found = hosts.map((h) => h.id);
  const streams = await fetchStreams(
    client,
    'get-host-metrics',
    'hosts',
    (x) => ({ id_in: x }),
    found,
    metricNames().host,
    range,
    window,
    signal,
  );
  const samples = hostSamples(streams, new Map(hosts.map((h) => [h.local_id, h])), new Set(found));
  return { samples, hosts: new Set(found) };
}
