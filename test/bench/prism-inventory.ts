/**
 * Scenario `prism.inventory.10k`: wall time of a full Prism inventory of N VMs against the simulator with
 * injected latency, with our concurrent pager at concurrency 4 and 8, versus the same collector run
 * sequentially (one request in flight — what a next-link-following pager does), all in the same run.
 * Each concurrent run is also compared with its lower bound ⌈requests / concurrency⌉ × latency.
 *
 * The simulator runs in a child process: in this process it would compete with the collector for CPU and
 * garbage collection (a 10k-VM list is ~47 MB of JSON to generate and send), which a real Prism Central on
 * another machine never does. Each result's note carries the collector's own CPU time, which — unlike wall
 * time on a shared machine — does not depend on what else is running.
 */
import { createPrismProvider } from '../../lib/providers/prism';
import { PRISM_SIM_PASSWORD, PRISM_SIM_USERNAME } from '../simulators/prism';
import { startPrismSimulatorProcess } from '../simulators/prism/process';
import type { AnnotatedResult } from './harness';
import type { BenchResult } from './types';

const BOUND_TARGET = 1.3;
const SPEEDUP_TARGET = 5;

/** Runs the scenario; `quick` uses tiny N for the smoke test (numbers then mean nothing). */
export async function benchPrismInventory(opts: {
  vms: number;
  latencyMs: number;
  quick?: boolean;
}): Promise<BenchResult[]> {
  const started = await startPrismSimulatorProcess({
    seed: 101,
    vms: opts.vms,
    clusters: 4,
    faults: { latencyMs: opts.latencyMs },
  });
  try {
    const expectedServers = (await started.truth()).vms.length;
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
      await started.resetStats();
      try {
        const cpuBefore = process.cpuUsage();
        const start = performance.now();
        const inventory = await provider.inventory(new AbortController().signal);
        const ms = performance.now() - start;
        const cpu = process.cpuUsage(cpuBefore);
        if (inventory.servers.length !== expectedServers) {
          throw new Error(`inventory incomplete: ${inventory.servers.length} of ${expectedServers} servers`);
        }
        return { ms, cpuMs: (cpu.user + cpu.system) / 1000, requests: (await started.stats()).requests };
      } finally {
        provider.client.http.close();
      }
    };
    // Warm-up (not measured): JIT, keep-alive sockets, and the simulator's serialised-VM cache.
    await run(8);
    const sequential = await run(1);
    const results: AnnotatedResult[] = [];
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
        note: `${r.requests} requests, ${opts.latencyMs} ms latency; collector CPU ${Math.round(r.cpuMs)} ms`,
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
      note: `collector CPU ${Math.round(sequential.cpuMs)} ms`,
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
