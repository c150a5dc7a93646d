/**
 * Scenario `e2e.poll`: one full poll cycle — validateCredentials, getResources, getMetrics, getSpend — for
 * each provider's 1,000-VM estate, through serverless-offline's Lambda invoke endpoint (the real bundles,
 * the real middlewares, JSON over HTTP). The first cycle is cold (offline loads each bundle on first call),
 * the second warm. The bulk metrics step is larger than a buffered response may be (~10 MB at 1,000 VMs), so
 * it runs getMetricsStream: its packaged bundle under the emulated response-streaming runtime, since
 * serverless-offline cannot invoke streaming functions.
 *
 * Baseline, same run, same simulator: the same provider work called in-process (validate; inventory and
 * serialization; inventory + bulk metrics; usage), so the ratio is what the handler path adds on top of the
 * upstream reads. Target: the cycle finishes inside the default 300 s poll interval.
 */
import type { Provider } from '../../lib/providers/provider';
import { inventoryToResources } from '../../lib/providers/to-nflex';
import { formatLastUpdate } from '../../scripts/lib/poll-cycle';
import type { FunctionKey, RunningOffline } from '../helpers/offline';
import { startCmpSimulator } from '../simulators/cmp/index';
import { bulkSubjects, type Estate, noAbort, type ProviderName, startEstate } from './estates';
import {
  type AnnotatedResult,
  missingFiles,
  round,
  type ScenarioSettings,
  ScenarioUnavailable,
  timed,
} from './harness';
import { benchWindow } from './metrics';

const POLL_INTERVAL_MS = 300_000;
/** `event.provider` for each simulator. */
const EVENT_PROVIDER: Record<ProviderName, string> = { prism: 'nutanix', cloudtower: 'cloudtower' };
const CYCLE = ['validateCredentials', 'getResources', 'getMetricsStream', 'getSpend'] as const;

/** Invokes the streaming bulk metrics function; resolves to its parsed result. */
type StreamInvoker = (event: unknown) => Promise<{ payload: unknown; durationMs: number }>;

/** One cycle's timings and what it returned. */
export interface CycleTiming {
  totalMs: number;
  stepMs: Record<string, number>;
  /** Server resources getResources returned. */
  servers: number;
  /** Metric points getMetrics returned. */
  metricPoints: number;
  /** Items getSpend returned. */
  spendItems: number;
}

/** What the scenario measured for one provider. */
export interface E2eMeasurement {
  provider: ProviderName;
  cold: CycleTiming;
  warm: CycleTiming;
  /** The same work called in-process. */
  directMs: number;
  truthServers: number;
}

/** Runs the four handlers in order for one account; any failed invocation throws with its error kind. */
async function pollCycle(
  offline: RunningOffline,
  stream: StreamInvoker,
  event: Record<string, unknown>,
): Promise<CycleTiming> {
  const lastUpdate = formatLastUpdate(new Date(Date.now() - 10 * 60_000));
  const timing: CycleTiming = { totalMs: 0, stepMs: {}, servers: 0, metricPoints: 0, spendItems: 0 };
  const start = performance.now();
  for (const fn of CYCLE) {
    const body =
      fn === 'getMetricsStream' || fn === 'getSpend' ? { ...event, last_update: lastUpdate } : event;
    let inv: { payload: unknown; durationMs: number };
    if (fn === 'getMetricsStream') inv = await stream(body);
    else {
      const buffered = await offline.invoke(fn as FunctionKey, body, { timeoutMs: POLL_INTERVAL_MS });
      if (buffered.status !== 200 || buffered.functionError !== null)
        throw new Error(
          `${fn} failed through the invoke endpoint: ${buffered.errorKind ?? buffered.status}: ${buffered.errorMessage ?? ''}`,
        );
      inv = buffered;
    }
    timing.stepMs[fn] = inv.durationMs;
    const payload = inv.payload as unknown;
    if (fn === 'validateCredentials' && (payload as { ok?: unknown }).ok !== true)
      throw new Error(`validateCredentials answered ${JSON.stringify(payload).slice(0, 200)}`);
    if (fn === 'getResources')
      // VMs only: hosts are servers too, with is_virtual false.
      timing.servers = (
        payload as { type?: string; details?: { server?: { is_virtual?: boolean } } }[]
      ).filter((r) => r.type === 'server' && r.details?.server?.is_virtual !== false).length;
    if (fn === 'getMetricsStream')
      timing.metricPoints = ((payload as { metrics?: unknown[] }).metrics ?? []).length;
    if (fn === 'getSpend') timing.spendItems = ((payload as { items?: unknown[] }).items ?? []).length;
  }
  timing.totalMs = performance.now() - start;
  return timing;
}

/** The cycle's provider work without the handler path: the baseline. */
async function directCycle(provider: Provider): Promise<void> {
  const signal = noAbort();
  const window = benchWindow();
  await provider.validate(signal);
  JSON.stringify(inventoryToResources(await provider.inventory(signal)).map((r) => r.serialize()));
  const inv = await provider.inventory(signal);
  await provider.metrics(bulkSubjects(inv), window, signal);
  await provider.usage(window, signal);
}

/** Measures cold and warm cycles through offline and the direct baseline, for each provider. */
export async function measureE2e(options: {
  vms: number;
  latencyMs: number;
  providers?: ProviderName[];
}): Promise<E2eMeasurement[]> {
  const missing = missingFiles(['test/helpers/offline.ts', 'scripts/lib/offline.ts']);
  if (missing.length > 0) throw new ScenarioUnavailable(`${missing.join(', ')} not landed`);
  const { startTestOffline } = await import('../helpers/offline');
  const { packageFunctions } = await import('../../scripts/lib/package');
  const { invokeStreaming, loadStreamingHandler } = await import('../../scripts/lib/lambda-streaming');
  const pkg = await packageFunctions(['getMetricsStream']);
  const handler = loadStreamingHandler(pkg.bundle('getMetricsStream'));
  const stream: StreamInvoker = async (event) => {
    const run = await invokeStreaming(handler, event, { functionName: 'getMetricsStream' });
    if (run.error)
      throw new Error(`getMetricsStream failed: ${run.error.errorType}: ${run.error.errorMessage}`);
    return { payload: JSON.parse(run.body ?? ''), durationMs: run.durationMs };
  };
  const providers = options.providers ?? (['prism', 'cloudtower'] as ProviderName[]);
  const estates: Estate[] = [];
  const cmp = await startCmpSimulator();
  let offline: RunningOffline | null = null;
  try {
    for (const p of providers)
      estates.push(await startEstate(p, { vms: options.vms, latencyMs: options.latencyMs }));
    offline = await startTestOffline({ CMP_API_URL: cmp.baseUrl, CMP_API_KEY: cmp.apiKey ?? '' });
    const out: E2eMeasurement[] = [];
    for (const estate of estates) {
      const event = {
        account_id: `bench-${estate.name}`,
        customer_id: 'bench-customer',
        user_id: 'bench-user',
        provider: EVENT_PROVIDER[estate.name],
        poll_interval: 300,
        credentials: estate.credentials,
      };
      const cold = await pollCycle(offline, stream, event);
      const warm = await pollCycle(offline, stream, event);
      // The handler path is measured warm too, so the baseline gets an unmeasured warm-up (without the
      // injected latency: it warms code, not sockets).
      estate.server.setFaults({});
      await directCycle(estate.provider());
      estate.server.setFaults({ latencyMs: options.latencyMs });
      const direct = await timed(() => directCycle(estate.provider()));
      out.push({
        provider: estate.name,
        cold,
        warm,
        directMs: direct.ms,
        truthServers: estate.truthServerIds().length,
      });
    }
    return out;
  } finally {
    pkg.remove();
    await offline?.stop();
    for (const e of estates) await e.stop();
    await cmp.stop();
  }
}

/** BenchResults: cold and warm cycle per provider, against the in-process baseline. */
export function e2eResults(measurements: E2eMeasurement[]): AnnotatedResult[] {
  const results: AnnotatedResult[] = [];
  for (const m of measurements) {
    for (const [kind, cycle] of [
      ['cold', m.cold],
      ['warm', m.warm],
    ] as const) {
      const ok = cycle.totalMs < POLL_INTERVAL_MS && cycle.servers === m.truthServers;
      const steps = Object.entries(cycle.stepMs)
        .map(([fn, ms]) => `${fn} ${Math.round(ms)}`)
        .join(', ');
      results.push({
        name: `e2e.poll.${m.provider}.${kind}`,
        value: round(cycle.totalMs, 1),
        unit: 'ms',
        baseline: round(m.directMs, 1),
        ratio: round(cycle.totalMs / m.directMs, 2),
        target: '< 300 s poll interval',
        ok,
        note:
          `${steps} ms; ${cycle.servers} servers, ${cycle.metricPoints} metric points, ${cycle.spendItems} spend items` +
          (cycle.servers === m.truthServers ? '' : ` — WRONG: ground truth has ${m.truthServers} servers`),
      });
    }
  }
  return results;
}

/** Scenario 7. */
export async function benchE2ePoll(
  options: { vms: number } & ScenarioSettings & { providers?: ProviderName[] },
): Promise<AnnotatedResult[]> {
  return e2eResults(await measureE2e(options));
}
