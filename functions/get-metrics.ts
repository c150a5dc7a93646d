/** getMetrics: raw samples over the poll window → nflex metric points + `last_update` (get_metrics.json). */
import { providerMapping } from '../lib/config/assets';
import { checkResourceId } from '../lib/config/event';
import { describeValue } from '../lib/config/fields';
import { pollWindow, windowToProviderDates } from '../lib/config/window';
import { ValidationError } from '../lib/errors';
import { connectorHandler, invocationOf, wholeResult } from '../lib/middleware/handler';
import { type ConnectorContext, withDeadline } from '../lib/middleware/runtime';
import type { MetricSubject } from '../lib/providers/provider';
import { type MetricPoint, metricPoints } from '../lib/providers/to-nflex';

/** The get_metrics result. */
export interface GetMetricsResult {
  metrics: MetricPoint[];
  last_update: string;
}

/**
 * Metrics for the event's resource, or (no resource) for every server, compute pool and host in bulk. A
 * `server` resource may name a VM or a host (the provider tells them apart); `host` names a host. The window
 * is half-open and `last_update` is its end with six fraction digits, which the next poll starts from.
 */
export const getMetrics = wholeResult<'metrics', MetricPoint>('metrics', metricsOfWindow);

/**
 * getMetrics' result with its points still to be built, one at a time as they are read (getMetricsStream
 * writes them so): the samples are read complete first.
 */
export async function metricsOfWindow(
  context: ConnectorContext,
): Promise<{ metrics: Iterable<MetricPoint>; last_update: string }> {
  const { rt, event, provider: providerOf, outsideScope } = invocationOf(context);
  const provider = providerOf();
  const mapping = providerMapping(event.provider);
  const window = pollWindow(event, rt.log);
  // A last_update in the future: nothing to read, and the window must not move backwards.
  if (window.end.epochMicros <= window.start.epochMicros) {
    return { metrics: [], last_update: window.start.toRfc3339Micros() };
  }

  let subjects: MetricSubject[];
  const resource = event.resource;
  if (resource) {
    const type = resource.type ?? 'server';
    if (type !== 'server' && type !== 'compute_pool' && type !== 'host') {
      throw new ValidationError('resource.type', '"server", "host" or "compute_pool"', {
        got: describeValue(type),
      });
    }
    checkResourceId(resource.id, false);
    const entity = { kind: type === 'compute_pool' ? 'cluster' : 'server', id: resource.nativeId } as const;
    if (await outsideScope(entity)) return { metrics: [], last_update: window.end.toRfc3339Micros() };
    subjects = [{ nativeId: resource.nativeId, kind: type }];
  } else {
    const inv = await withDeadline(rt, 'listing metric subjects', (signal) => provider.lazyInventory(signal));
    // Only the subject kinds are made, each record dropped once its subject is taken.
    subjects = [];
    for (const s of inv.servers()) subjects.push({ nativeId: s.id, kind: 'server', clusterId: s.clusterId });
    for (const p of inv.computePools())
      subjects.push({ nativeId: p.id, kind: 'compute_pool', clusterId: p.id });
    for (const h of inv.hosts()) subjects.push({ nativeId: h.id, kind: 'host', clusterId: h.clusterId });
  }

  const samples = await withDeadline(rt, 'reading metrics', (signal) =>
    provider.metrics(subjects, windowToProviderDates(window), signal),
  );
  const metrics = metricPoints(samples, mapping, {
    window,
    resourceId: resource?.id,
    warn: (m, f) => rt.log.warn(m, f),
  });
  Object.assign(rt.counts, { subjects: subjects.length, samples: samples.length });
  return { metrics, last_update: window.end.toRfc3339Micros() };
}

export const handler = connectorHandler('getMetrics', getMetrics);
