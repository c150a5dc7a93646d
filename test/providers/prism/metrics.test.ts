/**
 * Prism metrics against the simulator: bulk per cluster (request count independent of VMs per page),
 * sparse tuples handled, every sample inside the window, values exactly what the simulator served, and
 * every emitted key mapped by mappings/prism.yaml to the nflex name and unit.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { loadMetricMapping } from '../../../lib/connector-utils/mapping/metric-mapping';
import { createPrismProvider } from '../../../lib/providers/prism';
import type { MetricSubject, PrismCredentials, Sample, TimeWindow } from '../../../lib/providers/provider';
import {
  PRISM_SIM_PASSWORD,
  PRISM_SIM_USERNAME,
  type StartedPrismSimulator,
  startPrismSimulator,
} from '../../simulators/prism';
import type { PrismWorld } from '../../simulators/prism/model';
import { clusterSeries, vmMetricTuples } from '../../simulators/prism/stats';

let running: StartedPrismSimulator | null = null;
afterEach(async () => {
  await running?.stop();
  running = null;
});

const SEED = 31;
const window: TimeWindow = { start: new Date('2026-11-27T10:00:00Z'), end: new Date('2026-11-27T10:05:00Z') };
const INTERVAL = 60; // what the provider picks for a 5-minute window
const signal = () => new AbortController().signal;

function creds(sim: StartedPrismSimulator, api: PrismCredentials['api'] = 'auto'): PrismCredentials {
  return {
    endpoint: sim.baseUrl,
    verifySsl: false,
    username: PRISM_SIM_USERNAME,
    password: PRISM_SIM_PASSWORD,
    api,
  };
}

/** What the provider should emit for every VM, computed from the simulator's generator. */
function expectedVmSamples(world: PrismWorld, api: 'v4' | 'v3'): string[] {
  const out: string[] = [];
  const inWindow = (t: number) => t >= window.start.getTime() && t < window.end.getTime();
  for (const vm of world.vms) {
    for (const tuple of vmMetricTuples(SEED, vm, window.start.getTime(), window.end.getTime(), INTERVAL)) {
      const t = Date.parse(tuple.timestamp as string);
      if (!inWindow(t)) continue;
      const time = new Date(t).toISOString();
      for (const f of [
        'hypervisorCpuUsagePpm',
        'memoryUsagePpm',
        'controllerNumReadIops',
        'controllerNumWriteIops',
        'controllerAvgIoLatencyMicros',
        'controllerIoBandwidthKbps',
      ]) {
        out.push(`${vm.extId} ${f} ${tuple[f]} ${time}`);
      }
      // v4 divides by the reported timespan; v3 (no timespan) by the sampling interval.
      const seconds = api === 'v4' ? (tuple.hypervisorTimespanMicros as number) / 1e6 : INTERVAL;
      for (const [f, key] of [
        ['hypervisorNumReceivedBytes', 'hypervisorNumReceivedBytesPerSecond'],
        ['hypervisorNumTransmittedBytes', 'hypervisorNumTransmittedBytesPerSecond'],
      ] as const) {
        if (typeof tuple[f] === 'number')
          out.push(`${vm.extId} ${key} ${(tuple[f] as number) / seconds} ${time}`);
      }
    }
  }
  return out.sort();
}

const key = (s: Sample) => `${s.subjectId} ${s.metric} ${s.value} ${s.time}`;

describe('Prism metrics', () => {
  for (const api of ['v4', 'v3'] as const) {
    it(`${api}: bulk VM and cluster stats equal what the simulator served, in O(pages) requests`, async () => {
      // Prepare
      running = await startPrismSimulator({ seed: SEED, vms: 700, clusters: 3, v3Only: api === 'v3' });
      const truth = running.truth();
      const subjects: MetricSubject[] = [
        ...truth.vms.map((v) => ({ nativeId: v.extId, kind: 'server' as const, clusterId: v.clusterId })),
        ...truth.clusters
          .filter((c) => !c.isPrismCentral)
          .map((c) => ({ nativeId: c.extId, kind: 'compute_pool' as const })),
      ];
      const provider = createPrismProvider(creds(running));
      // Act
      const samples = await provider.metrics(subjects, window, signal());
      // Assess: values
      const vmSamples = samples
        .filter((s) => s.subjectKind === 'server')
        .map(key)
        .sort();
      expect(vmSamples).toEqual(expectedVmSamples(truth, api));
      expect(vmSamples.length).toBeGreaterThan(1000);
      for (const s of samples) {
        const t = Date.parse(s.time);
        expect(t >= window.start.getTime() && t < window.end.getTime()).toBe(true);
      }
      const pools = samples.filter((s) => s.subjectKind === 'compute_pool');
      const realClusters = truth.clusters.filter((c) => !c.isPrismCentral);
      for (const c of realClusters) {
        const series = clusterSeries(SEED, c, window.start.getTime(), window.end.getTime(), INTERVAL);
        const cpu = pools.filter((s) => s.subjectId === c.extId && s.metric === 'hypervisorCpuUsagePpm');
        expect(cpu.map((s) => s.value)).toEqual(
          (series.hypervisorCpuUsagePpm ?? [])
            .filter((p) => Date.parse(p.timestamp) < window.end.getTime())
            .map((p) => p.value),
        );
        for (const s of pools.filter((p) => p.subjectId === c.extId && p.metric === 'storageUsagePpm')) {
          expect(s.value).toBeGreaterThan(0);
          expect(s.value).toBeLessThan(1e6);
        }
      }
      expect(new Set(pools.map((s) => s.metric))).toEqual(
        new Set(['hypervisorCpuUsagePpm', 'aggregateHypervisorMemoryUsagePpm', 'storageUsagePpm']),
      );
      // Assess: request counts — per cluster ⌈VMs/page⌉, never per VM.
      const pageSize = api === 'v4' ? 100 : 500;
      const expectedPages = realClusters.reduce(
        (n, c) =>
          n + Math.max(1, Math.ceil(truth.vms.filter((v) => v.clusterId === c.extId).length / pageSize)),
        0,
      );
      if (api === 'v4') {
        expect(running.prism.served['v4 vm-stats']).toBe(expectedPages);
        expect(running.prism.served['v4 vm-stats by id']).toBeUndefined();
        expect(running.prism.served['v4 cluster-stats']).toBe(realClusters.length);
      } else {
        expect(running.prism.served['v3 groups mh_vm']).toBe(expectedPages);
        expect(running.prism.served['v3 groups cluster']).toBe(1);
      }
      expect(running.sim.stats.unexpected).toEqual([]);
    });
  }

  it('maps every emitted key through mappings/prism.yaml to the contract names and units', async () => {
    running = await startPrismSimulator({ seed: SEED, vms: 50, clusters: 1 });
    const truth = running.truth();
    const provider = createPrismProvider(creds(running));
    const samples = await provider.metrics(
      [
        ...truth.vms.map((v) => ({ nativeId: v.extId, kind: 'server' as const, clusterId: v.clusterId })),
        { nativeId: truth.clusters[0]!.extId, kind: 'compute_pool' as const },
      ],
      window,
      signal(),
    );
    const mapping = loadMetricMapping('mappings/prism.yaml');
    const expectedNames: Record<string, [string, string]> = {
      hypervisorCpuUsagePpm: ['cpu-usage', '%'],
      memoryUsagePpm: ['memory-usage', '%'],
      controllerNumReadIops: ['disk-read-iops', 'ops/s'],
      controllerNumWriteIops: ['disk-write-iops', 'ops/s'],
      controllerAvgIoLatencyMicros: ['disk-latency', 'ms'],
      controllerIoBandwidthKbps: ['disk-throughput', 'B/s'],
      hypervisorNumReceivedBytesPerSecond: ['network-rx', 'B/s'],
      hypervisorNumTransmittedBytesPerSecond: ['network-tx', 'B/s'],
      aggregateHypervisorMemoryUsagePpm: ['memory-usage', '%'],
      storageUsagePpm: ['storage-usage', '%'],
    };
    expect(new Set(samples.map((s) => s.metric))).toEqual(new Set(Object.keys(expectedNames)));
    for (const s of samples) {
      const entry = mapping.get(s.metric);
      expect(entry, s.metric).toBeDefined();
      expect([entry!.name(), entry!.unit()]).toEqual(expectedNames[s.metric]);
      const converted = Number(entry!.convert({ value: s.value }));
      if (entry!.unit() === '%') expect(converted).toBeGreaterThanOrEqual(0);
      if (entry!.unit() === '%') expect(converted).toBeLessThanOrEqual(100);
    }
    const latency = samples.find((s) => s.metric === 'controllerAvgIoLatencyMicros')!;
    expect(Number(mapping.get(latency.metric)!.convert({ value: latency.value }))).toBeCloseTo(
      latency.value / 1000,
    );
  });

  it('reads a single VM through its own stats endpoint', async () => {
    running = await startPrismSimulator({ seed: SEED, vms: 30, clusters: 1 });
    const vm = running.truth().vms.find((v) => v.powerState === 'ON')!;
    const samples = await createPrismProvider(creds(running)).metrics(
      [{ nativeId: vm.extId, kind: 'server', clusterId: vm.clusterId }],
      window,
      signal(),
    );
    expect(samples.length).toBeGreaterThan(0);
    expect(new Set(samples.map((s) => s.subjectId))).toEqual(new Set([vm.extId]));
    expect(running.prism.served['v4 vm-stats by id']).toBe(1);
  });
});
