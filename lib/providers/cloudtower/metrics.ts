/**
 * CloudTower metrics → raw Samples keyed `<metric name>@<Metric.unit reported>`: the provider converts no
 * units (mappings/cloudtower.yaml does, per key), and a pair not in {@link CLOUDTOWER_METRIC_KEYS} is an
 * UpstreamError. It only aggregates: a server's network value is the sum over its NICs; compute-pool CPU
 * is its hosts' CPU weighted by `total_cpu_hz` (no cluster CPU metric exists); storage is
 * `cluster_storage_used_ratio`.
 *
 * Requests are batched: one `get-vms` per list page for `local_id`s and NIC counts, then every VM metric
 * name in one `get-vm-metrics` call and both NIC metrics in one `get-vm-network-metrics` call, packed to
 * {@link DEFAULT_MAX_SERIES} series per metric name per call. API.md reports `dropped` per metric name but
 * gives no limit, so that size is an [unverified] assumption: a batch whose response reports `dropped` is
 * halved and asked again, so a wrong guess costs requests, never samples. The first failed call aborts
 * the rest.
 */
import { UpstreamError } from '../../errors';
import { mapLimit } from '../../http';
import { chunk, pack } from '../batches';
import { goneWarning } from '../contract';
import type { MetricSubject, Sample, TimeWindow } from '../provider';
import type { Session } from '../sessions';
import type { CloudTowerClient } from './client';
import { allOrAbort } from './estate';
import { poolBatchSamples } from './pool-metrics';
import type { CtMetricResult } from './types';

/** VM metrics asked from `get-vm-metrics`. */
export const VM_METRICS = [
  'elf_vm_cpu_overall_usage_percent',
  'elf_vm_memory_usage_percent',
  'elf_vm_disk_overall_read_iops',
  'elf_vm_disk_overall_write_iops',
  'elf_vm_disk_overall_avg_readwrite_latency_ns',
  'elf_vm_disk_overall_readwrite_speed_bps',
] as const;
/** Per-NIC metrics asked from `get-vm-network-metrics`, summed per VM. */
export const VM_NETWORK_METRICS = [
  'elf_vm_network_receive_speed_bitps',
  'elf_vm_network_transmit_speed_bitps',
] as const;
/** Host metric used for the cluster CPU figure. */
export const HOST_METRICS = ['host_cpu_overall_usage_percent'] as const;
/** Cluster metrics asked from `get-cluster-metrics`. */
export const CLUSTER_METRICS = [
  'cluster_memory_usage_percent',
  'zbs_cluster_used_data_space_bytes',
  'zbs_cluster_data_capacity_bytes',
] as const;
/** The synthetic storage-usage key (see the module comment). */
export const STORAGE_RATIO_KEY = 'cluster_storage_used_ratio@RATIO';

/** Every raw key this provider can emit; mappings/cloudtower.yaml has exactly these keys. */
export const CLOUDTOWER_METRIC_KEYS: ReadonlySet<string> = new Set([
  'elf_vm_cpu_overall_usage_percent@PERCENT',
  'elf_vm_cpu_overall_usage_percent@RATIO',
  'elf_vm_memory_usage_percent@PERCENT',
  'elf_vm_memory_usage_percent@RATIO',
  'elf_vm_disk_overall_read_iops@COUNT',
  'elf_vm_disk_overall_write_iops@COUNT',
  'elf_vm_disk_overall_avg_readwrite_latency_ns@TIME',
  'elf_vm_disk_overall_readwrite_speed_bps@DATA_RATE_BYTE',
  'elf_vm_disk_overall_readwrite_speed_bps@DATA_RATE_BIT',
  'elf_vm_network_receive_speed_bitps@DATA_RATE_BIT',
  'elf_vm_network_receive_speed_bitps@DATA_RATE_BYTE',
  'elf_vm_network_transmit_speed_bitps@DATA_RATE_BIT',
  'elf_vm_network_transmit_speed_bitps@DATA_RATE_BYTE',
  'host_cpu_overall_usage_percent@PERCENT',
  'host_cpu_overall_usage_percent@RATIO',
  'cluster_memory_usage_percent@PERCENT',
  'cluster_memory_usage_percent@RATIO',
  STORAGE_RATIO_KEY,
]);

export interface Stream {
  metric: string;
  unit: string;
  labels: Record<string, string | null | undefined>;
  points: { t: number; v: number }[];
}

/** Series one metric name of one call is assumed to carry (see the module comment: [unverified]). */
export const DEFAULT_MAX_SERIES = 5000;
/** Clusters per compute-pool batch (a pool batch is ~5 requests whatever its size; hosts add series). */
export const POOL_BATCH = 100;

/** Options for a metrics read. */
export interface MetricsOptions {
  /** Series one metric name of one call may carry (default {@link DEFAULT_MAX_SERIES}). */
  maxSeries?: number;
  /** Most objects per metrics call whatever the series budget (default: no cap beyond it). */
  batch?: number;
  now?: () => number;
  /** Where a one-VM poll keeps the VM's `local_id` lookup for the next invocation (warm containers). */
  session?: Session;
  /** Receives the warning for a VM that no longer exists. */
  warn?: (message: string) => void;
}

/** Session key of the per-resource `local_id` lookups (id → VmRef). */
const VM_REFS_KEY = 'cloudtower.vmRefs';
/** Most VM lookups one session keeps (one per VM polled alone; a CMP polls each VM of the account). */
const MAX_CACHED_REFS = 20_000;

/** What the `local_id` lookup reads of a VM (the API returns whole rows; only these fields are used). */
interface VmRef {
  id: string;
  local_id: string;
  vm_nics?: { id: string }[] | null;
}

/** The lookback `range` covering the window start (the API has no start/end, only "last N minutes"). */
export function rangeFor(window: TimeWindow, now: number): string {
  const minutes = Math.max(1, Math.ceil((now - window.start.getTime()) / 60_000));
  return `${minutes}m`;
}

export function metricKey(metric: string, unit: string): string {
  const k = `${metric}@${unit}`;
  if (!CLOUDTOWER_METRIC_KEYS.has(k)) {
    throw new UpstreamError(
      `CloudTower reported ${metric} in unit ${unit}, which mappings/cloudtower.yaml does not map; refusing to guess`,
    );
  }
  return k;
}

/**
 * Calls a metrics operation for `ids`, splitting the batch when the Tower drops series. Returns one stream
 * per (metric, object) with null points removed and only points inside the window.
 */
export async function fetchStreams(
  client: CloudTowerClient,
  operation: string,
  objectsKey: string,
  objectWhere: (ids: string[]) => unknown,
  ids: string[],
  metrics: readonly string[],
  range: string,
  window: TimeWindow,
  signal: AbortSignal,
): Promise<Stream[]> {
  if (ids.length === 0) return [];
  const results = await client.call<CtMetricResult[]>(
    operation,
    { range, metrics: [...metrics], [objectsKey]: objectWhere(ids) },
    signal,
  );
  if (!Array.isArray(results) || results.length !== metrics.length) {
    throw new UpstreamError(
      `CloudTower ${operation} answered ${Array.isArray(results) ? results.length : 'no'} results for ${metrics.length} metrics`,
    );
  }
  if (results.some((r) => r?.data?.dropped)) {
    if (ids.length === 1)
      throw new UpstreamError(`CloudTower ${operation} dropped series even for a single object (${ids[0]})`);
    const half = Math.ceil(ids.length / 2);
    const parts = await allOrAbort<[Stream[], Stream[]]>(signal, (s) => [
      fetchStreams(client, operation, objectsKey, objectWhere, ids.slice(0, half), metrics, range, window, s),
      fetchStreams(client, operation, objectsKey, objectWhere, ids.slice(half), metrics, range, window, s),
    ]);
    return parts.flat();
  }
  const start = window.start.getTime();
  const end = window.end.getTime();
  const out: Stream[] = [];
  results.forEach((result, i) => {
    const data = result?.data;
    if (!data || typeof data.unit !== 'string')
      throw new UpstreamError(`CloudTower ${operation}: result ${i} has no unit`);
    for (const stream of data.sample_streams ?? []) {
      // Match by the label when present: the response order is documented but unverified.
      const metric = stream.labels?.metric_name ?? (metrics[i] as string);
      const points = (stream.points ?? []).filter(
        (p): p is { t: number; v: number } =>
          typeof p.v === 'number' && Number.isFinite(p.v) && p.t >= start && p.t < end,
      );
      out.push({ metric, unit: data.unit, labels: stream.labels ?? {}, points });
    }
  });
  return out;
}

/** Raw samples for the subjects in the window (see the module comment). */
export async function collectMetrics(
  client: CloudTowerClient,
  subjects: MetricSubject[],
  window: TimeWindow,
  options: MetricsOptions,
  outer: AbortSignal,
): Promise<Sample[]> {
  const range = rangeFor(window, (options.now ?? Date.now)());
  const byIdIn = (ids: string[]) => ({ id_in: ids });
  const serverIds = [...new Set(subjects.filter((s) => s.kind === 'server').map((s) => s.nativeId))];
  const poolIds = [...new Set(subjects.filter((s) => s.kind === 'compute_pool').map((s) => s.nativeId))];
  const maxSeries = options.maxSeries ?? DEFAULT_MAX_SERIES;
  const maxObjects = options.batch ?? Number.POSITIVE_INFINITY;
  if (!(maxSeries >= 1) || !(maxObjects >= 1))
    throw new RangeError(`metrics maxSeries and batch must be ≥ 1, got ${maxSeries} and ${maxObjects}`);

  // A VM polled alone keeps its lookup in the session: the warm poll is then the two metrics calls only.
  const refs = serverIds.length === 1 ? sessionRefs(options.session) : undefined;
  const cachedRef = refs?.get(serverIds[0] as string);
  const lookupIds = cachedRef ? [] : serverIds;

  // Phase 1: the local_id lookup (one list page per request) and the pool batches, which need nothing else.
  const found: VmRef[][] = cachedRef ? [[cachedRef]] : [];
  const poolSamples: Sample[][] = [];
  const phase1 = [
    ...chunk(lookupIds, client.pageSize).map((ids, page) => async (signal: AbortSignal) => {
      const rows = await client.call<VmRef[]>(
        'get-vms',
        { where: { id_in: ids }, orderBy: 'id_ASC', first: ids.length },
        signal,
      );
      if (!Array.isArray(rows)) throw new UpstreamError('CloudTower get-vms answered no list');
      found[page] = rows; // by page, so the calls below are the same whatever order pages arrive in
    }),
    ...chunk(poolIds, POOL_BATCH).map((ids, batch) => async (signal: AbortSignal) => {
      poolSamples[batch] = await poolBatchSamples(client, ids, range, window, signal);
    }),
  ];
  await mapLimit(phase1, client.concurrency, (run, _i, s) => run(s), outer);
  if (serverIds.length === 1) {
    const ref = found.flat()[0];
    if (!ref) options.warn?.(goneWarning('server', serverIds[0] as string));
    else if (refs) remember(refs, { id: ref.id, local_id: ref.local_id, vm_nics: ref.vm_nics ?? null });
  }

  // Phase 2: the metrics calls, sized by series. A VM the lookup did not return was deleted since the
  // inventory: it has nothing to attribute samples to, so it is not asked for.
  const vms = found.flat();
  const idByLocal = new Map(vms.map((vm) => [vm.local_id, vm.id]));
  const vmCalls = pack(vms, () => 1, maxSeries, maxObjects);
  // A VM whose NIC list is missing counts as one NIC: a low guess costs a split, never samples.
  const nics = (vm: VmRef) => (Array.isArray(vm.vm_nics) ? vm.vm_nics.length : 1);
  const nicCalls = pack(vms, nics, maxSeries, maxObjects);
  const ids = (batch: VmRef[]) => batch.map((vm) => vm.id);

  const vmSamples = async (batch: VmRef[], signal: AbortSignal): Promise<Sample[]> => {
    const streams = await fetchStreams(
      client,
      'get-vm-metrics',
      'vms',
      byIdIn,
      ids(batch),
      VM_METRICS,
      range,
      window,
      signal,
    );
    const samples: Sample[] = [];
    for (const s of streams) {
      const id = s.labels._vm ? idByLocal.get(s.labels._vm) : undefined;
      if (!id) continue; // a VM outside the lookup (or deleted since): nothing to attribute it to
      const k = metricKey(s.metric, s.unit);
      for (const p of s.points) samples.push(sample(id, 'server', k, p.v, p.t));
    }
    return samples;
  };

  // Every NIC of a VM is in the same call (pack never splits a VM, halving splits by VM), so the sums are
  // complete per call.
  const nicSamples = async (batch: VmRef[], signal: AbortSignal): Promise<Sample[]> => {
    const nicStreams = await fetchStreams(
      client,
      'get-vm-network-metrics',
      'vms',
      byIdIn,
      ids(batch),
      VM_NETWORK_METRICS,
      range,
      window,
      signal,
    );
    // Sum NICs per (VM, metric, t); a timestamp where one NIC has no value is skipped, not under-reported.
    const sums = new Map<string, { id: string; k: string; t: number; v: number; nics: number }>();
    const nicCount = new Map<string, number>();
    for (const s of nicStreams) {
      const id = s.labels._vm ? idByLocal.get(s.labels._vm) : undefined;
      if (!id) continue;
      const k = metricKey(s.metric, s.unit);
      nicCount.set(`${id}|${k}`, (nicCount.get(`${id}|${k}`) ?? 0) + 1);
      for (const p of s.points) {
        const slot = `${id}|${k}|${p.t}`;
        const acc = sums.get(slot) ?? { id, k, t: p.t, v: 0, nics: 0 };
        acc.v += p.v;
        acc.nics++;
        sums.set(slot, acc);
      }
    }
    const samples: Sample[] = [];
    for (const acc of sums.values()) {
      if (acc.nics === nicCount.get(`${acc.id}|${acc.k}`))
        samples.push(sample(acc.id, 'server', acc.k, acc.v, acc.t));
    }
    return samples;
  };

  // The calls run under the client's concurrency (every request also passes its limiter), and the first
  // failure aborts the others: a failed invocation must not keep asking the Tower for metrics.
  const phase2 = [
    ...vmCalls.map((batch) => (s: AbortSignal) => vmSamples(batch, s)),
    ...nicCalls.map((batch) => (s: AbortSignal) => nicSamples(batch, s)),
  ];
  const parts = await mapLimit(phase2, client.concurrency, (run, _i, s) => run(s), outer);
  const serverSamples = parts.flat();
  if (cachedRef && serverSamples.length === 0 && refs) {
    // No series at all for a VM known from an earlier poll: it may have been deleted since. Ask again.
    const rows = await client.call<VmRef[]>(
      'get-vms',
      { where: { id_in: [cachedRef.id] }, orderBy: 'id_ASC', first: 1 },
      outer,
    );
    if (!Array.isArray(rows)) throw new UpstreamError('CloudTower get-vms answered no list');
    if (rows.length === 0) {
      refs.delete(cachedRef.id);
      options.warn?.(goneWarning('server', cachedRef.id));
    }
  }
  return [...serverSamples, ...poolSamples.flat()];
}

/** The session's map of per-resource VM lookups (created on first use). */
function sessionRefs(session: Session | undefined): Map<string, VmRef> | undefined {
  if (!session) return undefined;
  let refs = session.get<Map<string, VmRef>>(VM_REFS_KEY);
  if (!refs) {
    refs = new Map();
    session.set(VM_REFS_KEY, refs);
  }
  return refs;
}

function remember(refs: Map<string, VmRef>, ref: VmRef): void {
  refs.delete(ref.id);
  refs.set(ref.id, ref);
  if (refs.size > MAX_CACHED_REFS) refs.delete(refs.keys().next().value as string);
}

export function sample(
  subjectId: string,
  subjectKind: Sample['subjectKind'],
  metric: string,
  value: number,
  t: number,
): Sample {
  return { subjectId, subjectKind, metric, value, time: new Date(t).toISOString() };
}
