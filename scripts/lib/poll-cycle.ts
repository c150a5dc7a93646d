/**
 * One full CMP poll cycle for one provider account, driven through the Lambda invoke endpoint the way the
 * module runner drives it: validate → sync account → resources → metrics → spend → logs → status. Each step's outcome and a
 * one-line summary are kept for the printed report; the cycle stops at the first failed step.
 */
import type { FunctionKey, Invocation, RunningOffline } from './offline';

/** `event.provider` values. */
export type ProviderName = 'nutanix' | 'cloudtower';

/** Everything provider-independent the cycle needs to address an account. */
export interface CycleTarget {
  provider: ProviderName;
  /** Human label, e.g. "Prism Central (simulated)". */
  label: string;
  /** Where it talks to (for the report; never includes credentials). */
  endpoint: string;
  /** The base event: account/customer ids and `credentials` (inline or `{ssm_parameter}`). */
  event: Record<string, unknown>;
}

/** One step of the cycle. */
export interface StepReport {
  fn: FunctionKey;
  ok: boolean;
  durationMs: number;
  /** A one-line description of the result (or of the error). */
  summary: string;
  /** The raw invocation (result or error document). */
  invocation: Invocation;
}

/** The cycle's outcome. */
export interface CycleReport {
  target: CycleTarget;
  ok: boolean;
  steps: StepReport[];
  taskId: string;
  /** Resources per nflex type (from getResources). */
  resourceCounts: Record<string, number>;
  /** Metric points per metric name (from getMetrics). */
  metricCounts: Record<string, number>;
  spend: { currency: string; total: number; items: number; date: string } | null;
  /** The metrics/spend window start the cycle used. */
  lastUpdate: string;
  /** Log lines per severity (from getLogs). */
  logCounts: Record<string, number>;
  /** Clusters, hosts and VMs per level (from getStatus). */
  levelCounts: Record<string, number>;
}

/** `YYYY-MM-DDTHH:MM:SS.ffffffZ`, the last_update format the handlers accept. */
export function formatLastUpdate(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** Counts values by a key. */
function countBy<T>(items: T[], key: (item: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of items) {
    const k = key(item);
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}

/** `a 1, b 2` in key order. */
export function formatCounts(counts: Record<string, number>): string {
  const keys = Object.keys(counts).sort();
  return keys.length === 0 ? 'none' : keys.map((k) => `${counts[k]} ${k}`).join(', ');
}

/** A short description of a failed invocation: error kind and message. */
export function describeFailure(inv: Invocation): string {
  if (inv.status !== 200) return `invoke endpoint answered HTTP ${inv.status}: ${inv.errorMessage ?? ''}`;
  return `${inv.errorKind ?? 'Error'}: ${inv.errorMessage ?? JSON.stringify(inv.payload).slice(0, 300)}`;
}

/** Options of runPollCycle. */
export interface PollCycleOptions {
  /** Task id for syncAccount's progress (default derived from the provider and time). */
  taskId?: string;
  /** Metrics/spend window start (default: 10 minutes ago). */
  lastUpdate?: string;
}

/** Runs the handlers in order for one target; stops at the first failure. */
export async function runPollCycle(
  offline: RunningOffline,
  target: CycleTarget,
  options: PollCycleOptions = {},
): Promise<CycleReport> {
  const taskId = options.taskId ?? `sync-${target.provider}-${Date.now()}`;
  const lastUpdate = options.lastUpdate ?? formatLastUpdate(new Date(Date.now() - 10 * 60_000));
  const report: CycleReport = {
    target,
    ok: true,
    steps: [],
    taskId,
    resourceCounts: {},
    metricCounts: {},
    spend: null,
    lastUpdate,
    logCounts: {},
    levelCounts: {},
  };

  const step = async (
    fn: FunctionKey,
    event: Record<string, unknown>,
    describe: (payload: unknown) => { ok: boolean; summary: string },
  ): Promise<boolean> => {
    const invocation = await offline.invoke(fn, event);
    const failed = invocation.functionError !== null || invocation.status !== 200;
    const verdict = failed
      ? { ok: false, summary: describeFailure(invocation) }
      : describe(invocation.payload);
    report.steps.push({
      fn,
      ok: verdict.ok,
      durationMs: invocation.durationMs,
      summary: verdict.summary,
      invocation,
    });
    if (!verdict.ok) report.ok = false;
    return verdict.ok;
  };

  const base = { ...target.event, provider: target.provider, poll_interval: 300 };

  const validated = await step('validateCredentials', { ...base, poll_type: 'validate' }, (p) => {
    const r = p as { ok?: unknown; message?: unknown };
    return r.ok === true
      ? { ok: true, summary: 'credentials accepted' }
      : { ok: false, summary: `answered ok:false — ${String(r.message ?? JSON.stringify(p))}` };
  });
  if (!validated) return report;

  const synced = await step('syncAccount', { ...base, poll_type: 'sync', task_id: taskId }, (p) => {
    const meta = (p as { metadata?: unknown }).metadata;
    const fields = metadataFields(meta);
    const parts = [
      fields.version ? `version ${String(fields.version)}` : null,
      fields.api ? `api ${String(fields.api)}` : null,
      typeof fields.cluster_count === 'number' ? `${fields.cluster_count} clusters` : null,
    ].filter(Boolean);
    return { ok: true, summary: parts.length > 0 ? parts.join(', ') : 'account metadata written' };
  });
  if (!synced) return report;

  const listed = await step('getResources', { ...base, poll_type: 'resources' }, (p) => {
    if (!Array.isArray(p)) return { ok: false, summary: 'result is not a list of resources' };
    report.resourceCounts = countBy(p as { type?: string }[], (r) => String(r.type));
    return { ok: true, summary: `${p.length} resources: ${formatCounts(report.resourceCounts)}` };
  });
  if (!listed) return report;

  const measured = await step(
    'getMetrics',
    { ...base, poll_type: 'metrics', last_update: lastUpdate },
    (p) => {
      const r = p as { metrics?: { metric?: string }[]; last_update?: string };
      if (!Array.isArray(r.metrics)) return { ok: false, summary: 'result has no metrics list' };
      report.metricCounts = countBy(r.metrics, (m) => String(m.metric));
      return {
        ok: true,
        summary: `${r.metrics.length} points in ${Object.keys(report.metricCounts).length} metrics, next last_update ${r.last_update}`,
      };
    },
  );
  if (!measured) return report;

  const priced = await step('getSpend', { ...base, poll_type: 'spend', last_update: lastUpdate }, (p) => {
    const r = p as { currency?: string; spend_date?: string; items?: { amount?: number }[] };
    if (!Array.isArray(r.items)) return { ok: false, summary: 'result has no items' };
    const total = r.items.reduce((sum, i) => sum + (typeof i.amount === 'number' ? i.amount : 0), 0);
    report.spend = { currency: String(r.currency), total, items: r.items.length, date: String(r.spend_date) };
    return {
      ok: true,
      summary: `${r.currency} ${total.toFixed(4)} over ${r.items.length} items (spend date ${r.spend_date})`,
    };
  });
  if (!priced) return report;

  // A first poll (no last_update): the alerts open now, once each.
  const logged = await step('getLogs', { ...base, poll_type: 'logs' }, (p) => {
    const r = p as { logs?: { severity?: string }[]; last_update?: string };
    if (!Array.isArray(r.logs)) return { ok: false, summary: 'result has no logs list' };
    report.logCounts = countBy(r.logs, (l) => String(l.severity));
    return {
      ok: true,
      summary: `${r.logs.length} open alerts: ${formatCounts(report.logCounts)}, next last_update ${r.last_update}`,
    };
  });
  if (!logged) return report;

  await step('getStatus', { ...base, poll_type: 'status' }, (p) => {
    const r = p as { status?: { level?: number }[] };
    if (!Array.isArray(r.status)) return { ok: false, summary: 'result has no status list' };
    report.levelCounts = countBy(r.status, (s) => `level ${String(s.level)}`);
    return { ok: true, summary: `${r.status.length} entities: ${formatCounts(report.levelCounts)}` };
  });
  return report;
}

/** Flattens serialized nflex metadata (namespace → key → value) to key → value. */
export function metadataFields(meta: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (meta === null || typeof meta !== 'object') return out;
  for (const bucket of Object.values(meta)) {
    if (bucket !== null && typeof bucket === 'object' && !Array.isArray(bucket)) Object.assign(out, bucket);
  }
  return out;
}
