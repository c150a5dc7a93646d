/**
 * One CloudTower metrics call → streams, and what every metrics batch shares. A batch whose response
 * reports `dropped` is halved and asked again, so a wrong guess about the series budget costs requests,
 * never samples (see ./metrics).
 */
import { UpstreamError } from '../../errors';
import type { Sample, TimeWindow } from '../provider';
import type { CloudTowerClient } from './client';
import { allOrAbort } from './estate';
import type { CtMetricResult } from './types';

export interface Stream {
  metric: string;
  unit: string;
  labels: Record<string, string | null | undefined>;
  points: { t: number; v: number }[];
}

/** The lookback `range` covering the window start (the API has no start/end, only "last N minutes"). */
export function rangeFor(window: TimeWindow, now: number): string {
  const minutes = Math.max(1, Math.ceil((now - window.start.getTime()) / 60_000));
  return `${minutes}m`;
}

/** Milliseconds of a `rangeFor` range (`<n>m`). */
function rangeMs(range: string): number {
  return Number(/^(\d+)m$/.exec(range)?.[1] ?? 0) * 60_000;
}

/** Points per series the Tower returns for a lookback range (its step per API.md §5: 2h → 30 s, 24h → 5 min, 7d → 30 min, 30d → 1 day). */
export function pointsPerSeries(range: string): number {
  const ms = rangeMs(range);
  const step =
    ms <= 2 * 3_600_000
      ? 30_000
      : ms <= 24 * 3_600_000
        ? 300_000
        : ms <= 7 * 86_400_000
          ? 1_800_000
          : 86_400_000;
  return Math.max(1, Math.ceil(ms / step));
}

/** Points per series of a one-day lookback (a first poll's backfill): the size a call is budgeted for. */
export const BUDGET_POINTS_PER_SERIES = 288;

/**
 * Series per metric name one call may ask for a range: the Tower's series limit, lowered for ranges whose
 * points per series exceed a one-day lookback's, so one response never holds more points than a first
 * poll's whatever the age of the window start (the range can only end now, API.md §5).
 */
export function seriesPerCall(maxSeries: number, range: string): number {
  return Math.max(
    1,
    Math.floor(
      (maxSeries * BUDGET_POINTS_PER_SERIES) / Math.max(BUDGET_POINTS_PER_SERIES, pointsPerSeries(range)),
    ),
  );
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

/**
 * A JSON.parse reviver that drops every point (`{t, v}` in a stream's `points`) outside [start, end) or
 * without a value as soon as it is parsed: the range can only end now (API.md §5), so an old window's
 * response carries far more points than the window keeps, and those must not live until the body is parsed.
 */
export function pointsInWindow(start: number, end: number) {
  return function (this: unknown, _key: string, value: unknown): unknown {
    if (!Array.isArray(this) || value === null || typeof value !== 'object' || !('t' in value)) return value;
    const { t, v } = value as { t: unknown; v: unknown };
    if (typeof t !== 'number' || !(t >= start && t < end)) return undefined;
    return typeof v === 'number' && Number.isFinite(v) ? value : undefined;
  };
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
  if (ids.length === 0 || metrics.length === 0) return [];
  const start = window.start.getTime();
  const end = window.end.getTime();
  const results = await client.call<CtMetricResult[]>(
    operation,
    { range, metrics: [...metrics], [objectsKey]: objectWhere(ids) },
    signal,
    // Only a range much longer than the window is worth a reviver (it makes parsing about 3× slower).
    rangeMs(range) > 2 * (end - start) ? { reviver: pointsInWindow(start, end) } : {},
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
  const out: Stream[] = [];
  results.forEach((result, i) => {
    const data = result?.data;
    if (!data || typeof data.unit !== 'string')
      throw new UpstreamError(`CloudTower ${operation}: result ${i} has no unit`);
    for (const stream of data.sample_streams ?? []) {
      // Match by the label when present: the response order is documented but unverified.
      const metric = stream.labels?.metric_name ?? (metrics[i] as string);
      // The reviver left holes where it dropped points; filter skips them.
      const points = (stream.points ?? []).filter(
        (p): p is { t: number; v: number } =>
          typeof p.v === 'number' && Number.isFinite(p.v) && p.t >= start && p.t < end,
      );
      out.push({ metric, unit: data.unit, labels: stream.labels ?? {}, points });
    }
  });
  return out;
}
