/**
 * CloudTower VM metrics → raw Samples keyed `<metric name>@<Metric.unit reported>`: the names asked are the
 * keys of mappings/cloudtower.yaml (./metric-names), which holds every conversion, and a (name, unit) pair it
 * lacks is an UpstreamError; a VM's network value is the sum over its NICs (pools and hosts: ./pool-metrics).
 * Batched: `get-vms` per page for `local_id`s, then `get-vm-metrics` and `get-vm-network-metrics` packed to
 * DEFAULT_MAX_SERIES series per name. API.md gives no limit, so a batch that reports `dropped` is halved and
 * asked again: a wrong guess costs requests, never samples.
 */
import { UpstreamError } from '../../errors';
import { mapLimit } from '../../http';
import { chunk, pack } from '../batches';
import { goneWarning } from '../contract';
import type { MetricSubject, Sample, TimeWindow } from '../provider';
import type { Session } from '../sessions';
import type { CloudTowerClient } from './client';
import { metricNames, sampleKey } from './metric-names';
import { fetchStreams, rangeFor, sample, seriesPerCall } from './metric-streams';
import { type BatchResult, type CpuSources, hostBatch, poolBatch } from './pool-metrics';

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
  /** Receives the line saying where the pools' CPU came from. */
  debug?: (message: string) => void;
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

/** Raw samples for the subjects in the window (see the module comment). */
export async function collectMetrics(
  client: CloudTowerClient,
  subjects: MetricSubject[],
  window: TimeWindow,
  options: MetricsOptions,
  outer: AbortSignal,
): Promise<Sample[]> {
  const names = metricNames();
  const range = rangeFor(window, (options.now ?? Date.now)());
  const idsOf = (kind: MetricSubject['kind']) => [
    ...new Set(subjects.filter((s) => s.kind === kind).map((s) => s.nativeId)),
  ];
  const [serverIds, poolIds, hostIds] = [idsOf('server'), idsOf('compute_pool'), idsOf('host')];
  const wantedHosts = new Set(hostIds);
  const byIdIn = (ids: string[]) => ({ id_in: ids });

  const seriesLimit = options.maxSeries ?? DEFAULT_MAX_SERIES;
  const maxObjects = options.batch ?? Number.POSITIVE_INFINITY;
  if (!(seriesLimit >= 1) || !(maxObjects >= 1))
    throw new RangeError(`metrics maxSeries and batch must be ≥ 1, got ${seriesLimit} and ${maxObjects}`);
  // Sized by points, not only series: memory per call stays bounded however old the window start is.
  const maxSeries = seriesPerCall(seriesLimit, range);

  // A VM polled alone keeps its lookup in the session: the warm poll is then the two metrics calls only.
  const refs = serverIds.length === 1 ? sessionRefs(options.session) : undefined;
  const cachedRef = refs?.get(serverIds[0] as string);
  const lookupIds = cachedRef ? [] : serverIds;

  // Phase 1: the local_id lookup (one list page per request) and the pool batches, which need nothing else.
  const found: VmRef[][] = cachedRef ? [[cachedRef]] : [];
  const pools: BatchResult[] = [];
  const sources: CpuSources = { cluster: 0, weighted: 0 };
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
      pools[batch] = await poolBatch(client, ids, wantedHosts, range, window, sources, signal);
    }),
  ];
  await mapLimit(phase1, client.concurrency, (run, _i, s) => run(s), outer);
  const onlyVm = serverIds.length === 1 ? found.flat()[0] : undefined;
  if (onlyVm && refs)
    remember(refs, { id: onlyVm.id, local_id: onlyVm.local_id, vm_nics: onlyVm.vm_nics ?? null });
  if (poolIds.length > 0)
    options.debug?.(
      `CloudTower pool CPU: cluster_cpu_usage_percent for ${sources.cluster} pool(s), host-weighted average for ${sources.weighted}`,
    );

  // Phase 2: the metrics calls, sized by series. A VM the lookup did not return was deleted since the
  // inventory, or the id names a host (an event's `server` may): such ids go to a host batch with the host
  // subjects no pool batch covered.
  const vms = found.flat();
  const idByLocal = new Map(vms.map((vm) => [vm.local_id, vm.id]));
  const vmIds = new Set(vms.map((vm) => vm.id));
  const covered = new Set(pools.flatMap((p) => [...p.hosts]));
  const hostCandidates = [
    ...new Set([...hostIds.filter((id) => !covered.has(id)), ...serverIds.filter((id) => !vmIds.has(id))]),
  ];
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
      names.vm,
      range,
      window,
      signal,
    );
    const samples: Sample[] = [];
    for (const s of streams) {
      const id = s.labels._vm ? idByLocal.get(s.labels._vm) : undefined;
      if (!id) continue; // a VM outside the lookup (or deleted since): nothing to attribute it to
      const k = sampleKey(s.metric, s.unit);
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
      names.vmNetwork,
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
      const k = sampleKey(s.metric, s.unit);
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
    ...chunk(hostCandidates, client.pageSize).map((batch) => async (s: AbortSignal) => {
      const result = await hostBatch(client, batch, range, window, s);
      for (const id of result.hosts) hostsFound.add(id);
      return result.samples;
    }),
  ];
  const hostsFound = new Set<string>();
  const parts = await mapLimit(phase2, client.concurrency, (run, _i, s) => run(s), outer);
  const samples = parts.flat();
  const only = serverIds.length === 1 ? (serverIds[0] as string) : undefined;
  if (only && !vmIds.has(only) && !hostsFound.has(only)) options.warn?.(goneWarning('server', only));
  if (cachedRef && refs && !samples.some((x) => x.subjectKind === 'server')) {
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
  return [...samples, ...pools.flatMap((p) => p.samples)];
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
