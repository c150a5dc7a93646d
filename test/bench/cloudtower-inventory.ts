/**
 * Benchmark `cloudtower.inventory.10k`: a full CloudTower inventory against the simulator with a fixed
 * per-response latency, read three ways in the same run —
 *  - our collector at concurrency 4 and 8 (count + concurrent `first`/`skip` pages, all kinds at once under
 *    one limiter), each compared with the bound ⌈requests / concurrency⌉ × latency;
 *  - the vendor-recommended sequential cursor loop (`after: <last id>`, one request at a time), the baseline
 *    the speed-up is measured against.
 * The result must also be complete: each run is checked against the simulator's VM count.
 *
 * The simulator runs in a child process: a real Tower is another machine, so its JSON generation and GC
 * must not be charged to the collector (in-process they shared one thread and doubled the times).
 */
import { createCloudTowerProvider } from '../../lib/providers/cloudtower/index';
import type { CloudTowerGroundTruth } from '../simulators/cloudtower/index';
import { startSimulatorInChild } from '../simulators/common/child';
import type { SimStats } from '../simulators/common/server';
import { type AnnotatedResult, round } from './harness';
import type { BenchResult } from './types';

interface Run {
  ms: number;
  requests: number;
  servers: number;
}

/** Runs the scenario and returns c4, c8 (vs their bounds), the sequential baseline and the c8 speed-up. */
export async function benchCloudTowerInventory(opts: {
  vms: number;
  latencyMs: number;
  quick?: boolean;
}): Promise<BenchResult[]> {
  const run = await startSimulatorInChild({
    module: 'test/simulators/cloudtower/index.ts',
    start: 'startCloudTowerSimulator',
    options: { seed: 42, vms: opts.vms, faults: { latencyMs: opts.latencyMs } },
  });
  try {
    const truth = await run.call<CloudTowerGroundTruth>('truth');
    const expectedServers = truth.vms.filter((v) => !v.in_recycle_bin).length;
    const measure = async (concurrency: number, paging: 'concurrent' | 'sequential-cursor'): Promise<Run> => {
      await run.call('resetStats');
      const provider = createCloudTowerProvider(
        {
          endpoint: run.baseUrl,
          verifySsl: true,
          username: 'collector',
          password: 'sim-tower-password',
          source: 'LOCAL',
        },
        { concurrency, paging },
      );
      const start = performance.now();
      const inv = await provider.inventory(new AbortController().signal);
      const ms = performance.now() - start;
      provider.client.close();
      if (inv.servers.length !== expectedServers) {
        throw new Error(`inventory incomplete: ${inv.servers.length} servers, expected ${expectedServers}`);
      }
      const stats = await run.call<SimStats>('stats');
      return { ms, requests: stats.requests, servers: inv.servers.length };
    };

    // Warm-up (JIT, sockets) so the first measured run is not penalised; not reported.
    if (!opts.quick) await measure(8, 'concurrent');
    const sequential = await measure(1, 'sequential-cursor');
    const results: AnnotatedResult[] = [];
    const byConcurrency: Record<number, Run> = {};
    for (const c of [4, 8]) {
      const r = await measure(c, 'concurrent');
      byConcurrency[c] = r;
      const bound = Math.ceil(r.requests / c) * opts.latencyMs;
      const ratio = bound > 0 ? r.ms / bound : null;
      results.push({
        name: `cloudtower.inventory.10k.c${c}`,
        value: round(r.ms, 1),
        unit: 'ms',
        baseline: bound,
        ratio: ratio === null ? null : round(ratio),
        target: '≤ 1.3× ⌈requests/c⌉ × latency',
        ok: ratio !== null && ratio <= 1.3,
        note: `${r.requests} requests for ${r.servers} servers at concurrency ${c}, ${opts.latencyMs} ms latency`,
      });
    }
    results.push({
      name: 'cloudtower.inventory.10k.sequential-cursor',
      value: round(sequential.ms, 1),
      unit: 'ms',
      baseline: sequential.requests * opts.latencyMs,
      ratio: opts.latencyMs > 0 ? round(sequential.ms / (sequential.requests * opts.latencyMs)) : null,
      target: 'baseline (one request at a time)',
      ok: true,
    });
    const c8 = byConcurrency[8] as Run;
    const speedup = sequential.ms / c8.ms;
    results.push({
      name: 'cloudtower.inventory.10k.speedup-c8',
      value: round(speedup, 2),
      unit: '×',
      baseline: 1,
      ratio: round(speedup, 2),
      target: '≥ 5× faster than sequential cursor paging',
      ok: speedup >= 5,
    });
    // The runner prints notes; BenchResult consumers ignore the extra field.
    return results;
  } finally {
    await run.stop();
  }
}
