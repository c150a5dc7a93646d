/**
 * Scenario `faults.inventory.10k`: the full inventory while 10 % of requests fail transiently (429, 503,
 * 500, connection reset) and every session expires half-way through, against the same run without faults.
 * Reports the wall-time cost of surviving the faults and checks the result: it must be exactly the clean
 * run's (every serialized field of every resource) and list exactly the ground truth's servers. A result that
 * differs — or a run that gives up — fails the bench, because a partial inventory deletes resources in the CMP.
 */
import { inventoryToResources } from '../../lib/providers/to-nflex';
import { type Estate, noAbort, type ProviderName, startEstate } from './estates';
import { type AnnotatedResult, round, type ScenarioSettings, timed } from './harness';

const TRANSIENT_RATE = 0.1;
const CONCURRENCY = 4;

/** A faulted run taking longer than this many times the clean one (and at least the minimum) is stuck. */
const STUCK_AFTER_FACTOR = 20;
const STUCK_AFTER_MIN_MS = 30_000;

/** `promise`, or a rejection naming where the simulator's traffic stopped if it has not settled after `ms`. */
function settleWithin<T>(promise: Promise<T>, ms: number, estate: Estate): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const stuck = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const { requests, injected } = estate.server.stats;
      reject(
        new Error(
          `no result after ${Math.round(ms / 1000)} s — stuck after ${requests} requests ` +
            `(injected: ${JSON.stringify(injected)})`,
        ),
      );
    }, ms);
  });
  return Promise.race([promise, stuck]).finally(() => clearTimeout(timer));
}

/** What one provider's faults run found. */
export interface FaultsMeasurement {
  provider: ProviderName;
  cleanMs: number;
  faultedMs: number;
  /** Requests of the clean run; the session expiry fires at half of them. */
  cleanRequests: number;
  faultedRequests: number;
  /** Faults the simulator injected, by kind ('429', '503', '500', 'reset', 'expiry'). */
  injected: Record<string, number>;
  /** Null when the faulted result equals the clean one and the ground truth; otherwise what differs. */
  mismatch: string | null;
  servers: number;
}

/** The serialized inventory in a canonical order (by kind, then id), as one JSON string per resource. */
async function serializedInventory(estate: Estate): Promise<{ lines: string[]; serverIds: string[] }> {
  const inv = await estate.provider({ concurrency: CONCURRENCY }).inventory(noAbort());
  const lines = inventoryToResources(inv)
    .map((r) => {
      const json = r.serialize();
      // The serialization time is the one field that may differ between two correct reads.
      json.base.last_seen_at = null;
      return JSON.stringify(json);
    })
    .sort();
  return { lines, serverIds: inv.servers.map((s) => s.id) };
}

/** Describes the first difference between two canonical inventories, or null when they are equal. */
export function firstDifference(want: readonly string[], got: readonly string[]): string | null {
  if (want.length !== got.length) return `${got.length} resources instead of ${want.length}`;
  for (let i = 0; i < want.length; i++)
    if (want[i] !== got[i]) return `resource #${i} differs: ${(got[i] ?? '').slice(0, 160)}`;
  return null;
}

/** Compares listed server ids with the ground truth's; null when they are the same set. */
export function serverIdDifference(truth: readonly string[], got: readonly string[]): string | null {
  const want = new Set(truth);
  const have = new Set(got);
  const missing = [...want].filter((id) => !have.has(id));
  const extra = [...have].filter((id) => !want.has(id));
  if (missing.length === 0 && extra.length === 0 && got.length === truth.length) return null;
  return `servers vs ground truth: ${missing.length} missing, ${extra.length} unexpected, ${got.length - have.size} duplicated`;
}

/** Runs the clean and the faulted inventory on one estate. */
export async function measureFaults(
  name: ProviderName,
  options: { vms: number; latencyMs: number; stuckAfterMs?: number },
): Promise<FaultsMeasurement> {
  const estate = await startEstate(name, { vms: options.vms, latencyMs: options.latencyMs });
  try {
    // One unmeasured read first: otherwise the clean run alone would pay for JIT warm-up and look slower.
    // Warming needs the code paths, not the waiting, so it runs without the injected latency.
    estate.server.setFaults({});
    await serializedInventory(estate);
    estate.server.setFaults({ latencyMs: options.latencyMs });
    estate.server.resetStats();
    const clean = await timed(() => serializedInventory(estate));
    const cleanRequests = estate.server.stats.requests;
    const truthIds = estate.truthServerIds();

    // Same estate, fresh statistics (the fault draw is keyed on the request index) and a fresh provider.
    estate.server.resetStats();
    estate.server.setFaults({
      latencyMs: options.latencyMs,
      transientRate: TRANSIENT_RATE,
      transientKinds: ['429', '503', '500', 'reset'],
      retryAfterSeconds: 0,
      expireSessionsAfter: Math.max(1, Math.floor(cleanRequests / 2)),
    });
    let mismatch: string | null = null;
    let faultedMs = 0;
    let servers = 0;
    // A stuck read (e.g. a re-login waiting for a slot its own waiters hold) never settles and leaves no
    // timer behind, so it is cut off here and reported as a failed run rather than hanging the bench.
    const limitMs = options.stuckAfterMs ?? Math.max(STUCK_AFTER_MIN_MS, STUCK_AFTER_FACTOR * clean.ms);
    try {
      const faulted = await timed(() => settleWithin(serializedInventory(estate), limitMs, estate));
      faultedMs = faulted.ms;
      servers = faulted.value.serverIds.length;
      mismatch =
        firstDifference(clean.value.lines, faulted.value.lines) ??
        serverIdDifference(truthIds, faulted.value.serverIds);
    } catch (err) {
      mismatch = `the inventory failed under faults: ${(err as Error).name}: ${(err as Error).message}`;
    }
    const cleanMismatch = serverIdDifference(truthIds, clean.value.serverIds);
    if (cleanMismatch) mismatch = `even the clean run differs from ground truth: ${cleanMismatch}`;
    return {
      provider: name,
      cleanMs: clean.ms,
      faultedMs,
      cleanRequests,
      faultedRequests: estate.server.stats.requests,
      injected: { ...estate.server.stats.injected },
      mismatch,
      servers,
    };
  } finally {
    await estate.stop();
  }
}

/** BenchResults of one faults measurement. */
export function faultsResults(m: FaultsMeasurement): AnnotatedResult[] {
  const prefix = `faults.inventory.10k.${m.provider}`;
  const injected = Object.entries(m.injected)
    .map(([k, v]) => `${v}× ${k}`)
    .join(', ');
  return [
    {
      name: `${prefix}.time`,
      value: m.mismatch && m.faultedMs === 0 ? null : round(m.faultedMs, 1),
      unit: 'ms',
      baseline: round(m.cleanMs, 1),
      ratio: m.faultedMs > 0 ? round(m.faultedMs / m.cleanMs, 2) : null,
      target: 'reported (no target)',
      ok: true,
      note:
        `injected ${injected || 'nothing'} over ${m.faultedRequests} requests ` +
        `(clean run: ${m.cleanRequests}); baseline = the same inventory without faults`,
    },
    {
      name: `${prefix}.matches-truth`,
      value: m.mismatch ? 0 : 1,
      unit: 'bool',
      baseline: null,
      ratio: null,
      target: 'equal to clean run and ground truth',
      ok: m.mismatch === null,
      ...(m.mismatch ? { note: `MISMATCH — ${m.mismatch}` } : {}),
    },
  ];
}

/** Scenario 8 for both providers. */
export async function benchFaults(
  options: { vms: number } & ScenarioSettings & { providers?: ProviderName[]; stuckAfterMs?: number },
): Promise<AnnotatedResult[]> {
  const results: AnnotatedResult[] = [];
  for (const name of options.providers ?? (['prism', 'cloudtower'] as ProviderName[]))
    results.push(...faultsResults(await measureFaults(name, options)));
  return results;
}
