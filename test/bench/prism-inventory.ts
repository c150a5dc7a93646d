/**
 * Scenario `prism.inventory.10k`: wall time of a full Prism inventory of N VMs against the simulator with
 * injected latency, with our concurrent pager at concurrency 4 and 8, versus the same collector run
 * sequentially (one request in flight — what a next-link-following pager does), all in the same run.
 * Each concurrent run is also compared with its lower bound ⌈requests / concurrency⌉ × latency.
 */
import { createPrismProvider } from '../../lib/providers/prism';
import { PRISM_SIM_PASSWORD, PRISM_SIM_USERNAME, startPrismSimulator } from '../simulators/prism';
import { timed } from './harness';
import type { BenchResult } from './types';

const BOUND_TARGET = 1.3;
const SPEEDUP_TARGET = 5;

/** Runs the scenario; `quick` uses tiny N for the smoke test (numbers then mean nothing). */
export async function benchPrismInventory(opts: {
  vms: number;
  latencyMs: number;
  quick?: boolean;
}): Promise<BenchResult[]> {
  const started = await startPrismSimulator({
    seed: 101,
    vms: opts.vms,
    clusters: 4,
    faults: { latencyMs: opts.latencyMs },
  });
  try {
    const run = async (concurrency: number) => {
      const provider = createPrismProvider(
        {
          endpoint: started.baseUrl,
          verifySsl: false,
          username: PRISM_SIM_USERNAME,
          password: PRISM_SIM_PASSWORD,
          api: 'auto',
        },
        { concurrency },
      );
      const before = started.sim.stats.requests;
      try {
        const { ms, value } = await timed(() => provider.inventory(new AbortController().signal));
        if (value.servers.length !== started.truth().vms.length) throw new Error('inventory incomplete');
        return { ms, requests: started.sim.stats.requests - before };
      } finally {
        provider.client.http.close();
      }
    };
    // Warm-up (not measured): JIT, keep-alive sockets, and the simulator's serialised-VM cache.
    await run(8);
    const sequential = await run(1);
    const results: BenchResult[] = [];
    const byConcurrency: Record<number, number> = {};
    for (const c of [4, 8]) {
      const r = await run(c);
      byConcurrency[c] = r.ms;
      const bound = Math.ceil(r.requests / c) * opts.latencyMs;
      const ratio = bound > 0 ? r.ms / bound : null;
      results.push({
        name: `prism.inventory.10k.c${c}`,
        value: round(r.ms),
        unit: 'ms',
        baseline: bound,
        ratio: ratio === null ? null : round(ratio),
        target: `≤ ${BOUND_TARGET}× ⌈${r.requests} requests / ${c}⌉ × ${opts.latencyMs} ms`,
        ok: ratio !== null && ratio <= BOUND_TARGET,
      });
    }
    results.push({
      name: 'prism.inventory.10k.sequential',
      value: round(sequential.ms),
      unit: 'ms',
      baseline: sequential.requests * opts.latencyMs,
      ratio: opts.latencyMs > 0 ? round(sequential.ms / (sequential.requests * opts.latencyMs)) : null,
      target: `reference (${sequential.requests} requests one at a time)`,
      ok: true,
    });
    const speedup = sequential.ms / (byConcurrency[8] ?? Number.POSITIVE_INFINITY);
    results.push({
      name: 'prism.inventory.10k.speedup-c8',
      value: round(speedup),
      unit: '×',
      baseline: round(sequential.ms),
      ratio: round(speedup),
      target: `≥ ${SPEEDUP_TARGET}× faster than sequential at c8`,
      ok: speedup >= SPEEDUP_TARGET,
    });
    return results;
  } finally {
    await started.stop();
  }
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
