/**
 * Prism metrics against the simulator: bulk per cluster (request count independent of VMs per page), hosts
 * one request each on v4, sparse tuples handled, and every point — converted by mappings/prism.yaml — equal
 * to the simulator's value converted by the contract table (./expected-metrics), on v4 and v3; plus the
 * recorded fixtures pinned through the same path.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadMetricMapping } from '../../../lib/connector-utils/mapping/metric-mapping';
import { createPrismProvider } from '../../../lib/providers/prism';
import { seriesSamples, vmSamplesFromTuples } from '../../../lib/providers/prism/metric-samples';
import type { MetricSubject, TimeWindow } from '../../../lib/providers/provider';
import { stoppedAfterEach } from '../../helpers/per-test';
import { startPrismSimulator } from '../../simulators/prism';
import type { PrismWorld } from '../../simulators/prism/model';
import { prismSimCredentials } from '../sim-credentials';
import { contractNames, expectedLines, line, mappedLines } from './expected-metrics';

const start = stoppedAfterEach(startPrismSimulator);

const SEED = 31;
const window: TimeWindow = { start: new Date('2026-11-27T10:00:00Z'), end: new Date('2026-11-27T10:05:00Z') };
const INTERVAL = 60; // what the provider picks for a 5-minute window
const signal = () => new AbortController().signal;

const mapping = loadMetricMapping('mappings/prism.yaml');

function allSubjects(truth: PrismWorld): MetricSubject[] {
  return [
    ...truth.vms.map((v) => ({ nativeId: v.extId, kind: 'server' as const, clusterId: v.clusterId })),
    ...truth.clusters
      .filter((c) => !c.isPrismCentral)
      .map((c) => ({ nativeId: c.extId, kind: 'compute_pool' as const })),
    ...truth.hosts.map((h) => ({ nativeId: h.extId, kind: 'host' as const, clusterId: h.clusterId })),
  ];
}

describe('Prism metrics', () => {
  for (const api of ['v4', 'v3'] as const) {
    it(`${api}: bulk VM, cluster and host stats equal the simulator's truth after conversion, in O(pages) requests`, async () => {
      // Prepare
      const running = await start({ seed: SEED, vms: 700, clusters: 3, v3Only: api === 'v3' });
      const truth = running.truth();
      const realClusters = truth.clusters.filter((c) => !c.isPrismCentral);
      const provider = createPrismProvider(prismSimCredentials(running.baseUrl));
      // Act
      const samples = await provider.metrics(allSubjects(truth), window, signal());
      // Assess: every point, converted by the mapping, equals the simulator's value converted by the contract
      const got = mappedLines(samples, mapping);
      const expected = expectedLines(SEED, truth, api, window, INTERVAL, {
        vms: truth.vms.map((v) => v.extId),
        clusters: realClusters.map((c) => c.extId),
        hosts: truth.hosts.map((h) => h.extId),
      });
      expect(got.length).toBe(expected.length);
      expect(got).toEqual(expected);
      expect(got.length).toBeGreaterThan(5000);
      // Every contract name is there for each subject kind.
      for (const kind of ['server', 'compute_pool', 'host'] as const) {
        const names = new Set(
          samples.filter((s) => s.subjectKind === kind).map((s) => mapping.get(s.metric)!.name()),
        );
        expect([...names].sort(), kind).toEqual(contractNames(api, kind));
      }
      // Assess: request counts — per cluster ⌈VMs/page⌉, never per VM; hosts one each on v4.
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
        expect(running.prism.served['v4 host-stats']).toBe(truth.hosts.length);
      } else {
        expect(running.prism.served['v3 groups mh_vm']).toBe(expectedPages);
        expect(running.prism.served['v3 groups cluster']).toBe(1);
        expect(running.prism.served['v3 groups host']).toBe(1);
      }
      expect(running.sim.stats.unexpected).toEqual([]);
    });
  }

  it('converted values are in range, and read and write latency are distinct series', async () => {
    const running = await start({ seed: SEED, vms: 60, clusters: 1 });
    const truth = running.truth();
    const samples = await createPrismProvider(prismSimCredentials(running.baseUrl)).metrics(
      allSubjects(truth),
      window,
      signal(),
    );
    const points = samples.map((s) => ({
      s,
      e: mapping.get(s.metric)!,
      v: Number(mapping.get(s.metric)!.convert({ value: s.value })),
    }));
    for (const { e, v } of points) {
      if (e.unit() === '%') expect(v >= 0 && v <= 100, `${e.name()} ${v}`).toBe(true);
      if (e.unit() === 'ms') expect(v).toBeGreaterThanOrEqual(0);
      expect(Number.isFinite(v)).toBe(true);
    }
    for (const kind of ['server', 'compute_pool'] as const) {
      const series = (name: string) =>
        points
          .filter(({ s, e }) => s.subjectKind === kind && e.name() === name)
          .map(({ s, v }) => `${s.subjectId} ${s.time} ${v}`);
      const read = series('disk-read-latency');
      const write = series('disk-write-latency');
      expect(read.length).toBeGreaterThan(0);
      expect(read.length).toBe(write.length);
      expect(read).not.toEqual(write);
    }
  });

  it('network rates: the recorded v4 tuple and the same counts through v3 give the same bytes per second', () => {
    // The recorded GetVmStats fixture: 133,661 bytes received over hypervisorTimespanMicros 29,911,994.
    const fixture = JSON.parse(
      readFileSync('test/fixtures/prism/vm_stats_f3272103-ea1e-4a90-8318-899636993ed6.json', 'utf8'),
    ) as { data: { extId: string; stats: Record<string, unknown>[] } };
    const tuple = fixture.data.stats.find((t) => 'hypervisorNumReceivedBytes' in t)!;
    const w: TimeWindow = { start: new Date('2025-10-24T20:20:00Z'), end: new Date('2025-10-24T20:25:00Z') };
    const v4 = vmSamplesFromTuples('vm', fixture.data.stats, w);
    const rx = v4.find((s) => s.metric === 'hypervisorNumReceivedBytesPerSecond')!;
    expect(rx.value).toBeCloseTo(133661 / 29.911994, 6);
    // v3 groups / PE v1 report the counter without its timespan, whatever the downsampling interval (300 s
    // here): dividing by the interval would understate it tenfold; the hypervisor's 30 s is within 0.3 %.
    const v3 = vmSamplesFromTuples(
      'vm',
      [{ timestamp: tuple.timestamp, hypervisorNumReceivedBytes: tuple.hypervisorNumReceivedBytes }],
      w,
    );
    const rx3 = v3.find((s) => s.metric === 'hypervisorNumReceivedBytesPerSecond')!;
    expect(rx3.value).toBeCloseTo(133661 / 30, 6);
    expect(Math.abs(rx3.value / rx.value - 1)).toBeLessThan(0.003);
    expect(rx3.value).toBeGreaterThan((133661 / 300) * 9);
  });

  it('the recorded v4 tuple yields every VM name of the contract with the recorded values converted', () => {
    const fixture = JSON.parse(
      readFileSync('test/fixtures/prism/vm_stats_f3272103-ea1e-4a90-8318-899636993ed6.json', 'utf8'),
    ) as { data: { stats: Record<string, unknown>[] } };
    const w: TimeWindow = { start: new Date('2025-10-24T20:20:00Z'), end: new Date('2025-10-24T20:25:00Z') };
    const lines = mappedLines(vmSamplesFromTuples('vm', fixture.data.stats, w), mapping);
    const t = '2025-10-24T20:22:00.000Z';
    expect(lines).toEqual(
      [
        line('vm', 'cpu-usage', '%', 20.114, t),
        line('vm', 'cpu-ready', '%', 0.0011, t),
        line('vm', 'memory-usage', '%', 59.0746, t),
        line('vm', 'disk-read-iops', 'ops/s', 0, t),
        line('vm', 'disk-write-iops', 'ops/s', 159, t),
        line('vm', 'disk-latency', 'ms', 0.282, t),
        line('vm', 'disk-read-latency', 'ms', 0.372, t),
        line('vm', 'disk-write-latency', 'ms', 0.282, t),
        line('vm', 'disk-throughput', 'B/s', 1704 * 1024, t),
        line('vm', 'disk-read-throughput', 'B/s', 0, t),
        line('vm', 'disk-write-throughput', 'B/s', 1704 * 1024, t),
        line('vm', 'network-rx', 'B/s', 133661 / 29.911994, t),
        line('vm', 'network-tx', 'B/s', 1163951 / 29.911994, t),
      ].sort(),
    );
  });

  it('the recorded cluster stats yield every pool name of the contract', () => {
    const fixture = JSON.parse(
      readFileSync('test/fixtures/prism/cluster_stats_0006411c-0286-bc71-9f02-191e334d457b.json', 'utf8'),
    ) as { data: Record<string, unknown> };
    const series: Record<string, { t: number; v: number }[]> = {};
    for (const [k, v] of Object.entries(fixture.data)) {
      if (Array.isArray(v))
        series[k] = v.map((p: { timestamp: string; value: number }) => ({
          t: Date.parse(p.timestamp),
          v: p.value,
        }));
    }
    const w: TimeWindow = { start: new Date('2025-10-24T20:20:00Z'), end: new Date('2025-10-24T20:25:00Z') };
    const names = new Set(
      mappedLines(seriesSamples('c', 'compute_pool', series, w), mapping).map((l) => l.split(' ')[1]),
    );
    expect([...names].sort()).toEqual(contractNames('v4', 'compute_pool'));
  });

  it('reads a single VM through its own stats endpoint', async () => {
    const running = await start({ seed: SEED, vms: 30, clusters: 1 });
    const vm = running.truth().vms.find((v) => v.powerState === 'ON')!;
    const samples = await createPrismProvider(prismSimCredentials(running.baseUrl)).metrics(
      [{ nativeId: vm.extId, kind: 'server', clusterId: vm.clusterId }],
      window,
      signal(),
    );
    expect(samples.length).toBeGreaterThan(0);
    expect(new Set(samples.map((s) => s.subjectId))).toEqual(new Set([vm.extId]));
    expect(running.prism.served['v4 vm-stats by id']).toBe(1);
  });
});
