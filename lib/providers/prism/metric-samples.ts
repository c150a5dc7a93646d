/**
 * Prism raw samples from what any API path read: v4-style VM tuples and cluster/host series, the keys being
 * the fields ./metric-fields derives from mappings/prism.yaml; the derived keys are computed here.
 */
import type { MetricSubject, Sample, TimeWindow } from '../provider';
import { RATE_KEYS, STORAGE_RATIO_KEY, type SubjectKind, subjectFields } from './metric-fields';
import { type Json, num, str } from './read';

/**
 * The span the hypervisor's network byte counters cover when the API does not report it (v3 `groups`, PE
 * v1): its own collection period, 30 s, whatever the requested interval. The recorded v4 tuple
 * (test/fixtures/prism/vm_stats_*.json) reports hypervisorTimespanMicros 29,911,994 next to its byte
 * counts; a coarser interval averages such counts, it does not sum them.
 */
export const HYPERVISOR_TIMESPAN_SEC = 30;

export type Series = Record<string, { t: number; v: number }[]>;

/** Sampling interval for a window: at least two samples per window, coarser for long windows. */
export function samplingIntervalSec(window: TimeWindow): number {
  const seconds = (window.end.getTime() - window.start.getTime()) / 1000;
  if (seconds >= 7200) return 300;
  if (seconds >= 120) return 60;
  return 30;
}

function inWindow(timeMs: number, window: TimeWindow): boolean {
  return timeMs >= window.start.getTime() && timeMs < window.end.getTime();
}

/** Turns one VM's metric tuples (flat objects with `timestamp`) into samples inside the window. */
export function vmSamplesFromTuples(vmId: string, tuples: Json[], window: TimeWindow): Sample[] {
  const fields = subjectFields('server');
  const out: Sample[] = [];
  for (const t of tuples) {
    const ts = str(t, 'timestamp');
    const ms = ts === null ? Number.NaN : Date.parse(ts);
    if (!Number.isFinite(ms) || !inWindow(ms, window)) continue;
    const time = new Date(ms).toISOString();
    for (const field of fields.direct) {
      const v = num(t, field);
      if (v !== null) out.push({ subjectId: vmId, subjectKind: 'server', metric: field, value: v, time });
    }
    const span = num(t, 'hypervisorTimespanMicros');
    const seconds = span !== null && span > 0 ? span / 1e6 : HYPERVISOR_TIMESPAN_SEC;
    for (const key of fields.derived) {
      const input = RATE_KEYS[key];
      const v = input === undefined ? null : num(t, input);
      if (v !== null)
        out.push({ subjectId: vmId, subjectKind: 'server', metric: key, value: v / seconds, time });
    }
  }
  return out;
}

/** Cluster or host series (field → points) → samples inside the window. */
export function seriesSamples(
  subjectId: string,
  subjectKind: Exclude<SubjectKind, 'server'>,
  series: Series,
  window: TimeWindow,
): Sample[] {
  const fields = subjectFields(subjectKind);
  const out: Sample[] = [];
  const emit = (metric: string, t: number, value: number) => {
    if (inWindow(t, window))
      out.push({ subjectId, subjectKind, metric, value, time: new Date(t).toISOString() });
  };
  for (const field of fields.direct) for (const p of series[field] ?? []) emit(field, p.t, p.v);
  if (fields.derived.includes(STORAGE_RATIO_KEY)) {
    // Capacity may be stamped at its last change, outside the window: use the latest one at or before t.
    const capacity = [...(series.storageCapacityBytes ?? [])].sort((a, b) => a.t - b.t);
    for (const p of series.storageUsageBytes ?? []) {
      const cap = capacity.filter((c) => c.t <= p.t).at(-1) ?? capacity[0];
      if (cap && cap.v > 0) emit(STORAGE_RATIO_KEY, p.t, (p.v / cap.v) * 1e6);
    }
  }
  return out;
}

/** Subjects grouped by cluster; subjects without a cluster go under `null` (unfiltered query). */
export function byCluster(subjects: MetricSubject[]): Map<string | null, Set<string>> {
  const groups = new Map<string | null, Set<string>>();
  for (const s of subjects) {
    const key = s.clusterId ?? null;
    const set = groups.get(key) ?? new Set<string>();
    set.add(s.nativeId);
    groups.set(key, set);
  }
  return groups;
}

/** Series regrouped per timestamp into v4-style tuples, so every API shares one VM sample builder. */
export function tuplesFromSeries(series: Series): Json[] {
  const byTime = new Map<number, Json>();
  for (const [field, points] of Object.entries(series)) {
    for (const p of points) {
      const tuple = byTime.get(p.t) ?? { timestamp: new Date(p.t).toISOString() };
      tuple[field] = p.v;
      byTime.set(p.t, tuple);
    }
  }
  return [...byTime.values()];
}
