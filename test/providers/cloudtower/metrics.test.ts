/**
 * CloudTower metrics: batched requests (O(N/batch), several names per call), `local_id` → id mapping,
 * NIC sums, host-weighted cluster CPU, units normalised by mappings/cloudtower.yaml according to the unit
 * the Tower reports, `dropped` handled by splitting, and an unmapped unit failing loudly.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMetricMapping } from '../../../lib/connector-utils/mapping/index';
import { TransientError, UpstreamError } from '../../../lib/errors';
import { createCloudTowerProvider, metricNames } from '../../../lib/providers/cloudtower/index';
import type { MetricSubject, Sample } from '../../../lib/providers/provider';
import { POOL_METRIC_UNITS, SERVER_METRIC_UNITS } from '../../helpers/metric-units';
import {
  type Row,
  type RunningCloudTowerSimulator,
  startCloudTowerSimulator,
} from '../../simulators/cloudtower/index';
import { towerSimCredentials } from '../sim-credentials';
import { expectedLines, mappedLines, VM_NAMES } from './expected-metrics';

const NOW = Date.UTC(2026, 10, 27, 10, 0, 7);
const WINDOW = { start: new Date(NOW - 10 * 60_000), end: new Date(NOW) };
const VMS = 1_000;
const signal = () => new AbortController().signal;
const mapping = parseMetricMapping(
  readFileSync(join(import.meta.dirname, '../../../mappings/cloudtower.yaml'), 'utf8'),
  {
    file: 'cloudtower.yaml',
  },
);

function nflex(sample: Sample): { name: string; unit: string; value: number } {
  const entry = mapping.get(sample.metric);
  if (!entry) throw new Error(`no mapping for ${sample.metric}`);
  return { name: entry.name(), unit: entry.unit(), value: Number(entry.value({ value: sample.value })) };
}

const ref = (row: Row, f: string) => (row[f] as { id: string } | null)?.id;

describe('CloudTower provider metrics', () => {
  let run: RunningCloudTowerSimulator;
  let servers: MetricSubject[];
  let samples: Sample[];

  beforeAll(async () => {
    run = await startCloudTowerSimulator({ seed: 11, vms: VMS, vmClusters: 4, now: () => NOW });
    servers = run.sim.world.vms
      .filter((v) => !v.in_recycle_bin)
      .map((v) => ({ nativeId: v.id as string, kind: 'server' as const }));
    run.sim.server.resetStats();
    const provider = createCloudTowerProvider(towerSimCredentials(run.baseUrl), { now: () => NOW });
    samples = await provider.metrics(servers, WINDOW, signal());
  });
  afterAll(() => run.stop());

  it('batches by series: one lookup per list page, VM and NIC calls sized to the 5,000-series budget', () => {
    const routes = run.sim.server.stats.byRoute;
    const asked = new Set(servers.map((x) => x.nativeId));
    const nics = run.sim.world['vm-nics'].filter((n) => asked.has(ref(n, 'vm') as string)).length;
    // 1,000 VMs: 2 lookup pages of 500, every VM in one get-vm-metrics call, every NIC in one network call.
    expect(routes['POST /v2/api/get-vms']).toBe(Math.ceil(servers.length / 500));
    expect(routes['POST /v2/api/get-vm-metrics']).toBe(Math.ceil(servers.length / 5000));
    expect(routes['POST /v2/api/get-vm-network-metrics']).toBe(Math.ceil(nics / 5000));
    const ops = new Set(run.sim.metricCalls.map((c) => c.op));
    expect(ops).toEqual(new Set(['vm', 'vm-network']));
    for (const call of run.sim.metricCalls) {
      // Legal for the simulator's limit (nothing dropped) and several names per call.
      expect(call.dropped).toBe(false);
      expect(call.maxSeriesPerMetric).toBeLessThanOrEqual(5000);
      expect(call.metrics).toBeGreaterThanOrEqual(2);
    }
    // The bench target (issue 7): requests ≤ VM list pages (500 per page, per cluster) + clusters, login included.
    const perCluster = new Map<string, number>();
    for (const v of run.sim.world.vms.filter((v) => !v.in_recycle_bin)) {
      const c = ref(v, 'cluster') as string;
      perCluster.set(c, (perCluster.get(c) ?? 0) + 1);
    }
    const pages = [...perCluster.values()].reduce((sum, n) => sum + Math.ceil(n / 500), 0);
    expect(run.sim.server.stats.requests).toBeLessThanOrEqual(pages + run.sim.world.clusters.length);
    expect(run.sim.server.stats.unexpected).toEqual([]);
  });

  it('O(N/batch): a smaller series budget gives ⌈N/budget⌉ VM calls and the same samples', async () => {
    const budget = 100;
    run.sim.metricCalls.length = 0;
    const provider = createCloudTowerProvider(towerSimCredentials(run.baseUrl), {
      now: () => NOW,
      metricsMaxSeries: budget,
    });
    const got = await provider.metrics(servers, WINDOW, signal());
    const vmCalls = run.sim.metricCalls.filter((c) => c.op === 'vm');
    const nicCalls = run.sim.metricCalls.filter((c) => c.op === 'vm-network');
    expect(vmCalls.length).toBe(Math.ceil(servers.length / budget));
    // NIC calls are packed by each VM's NIC count (at most 2 here), so at most one VM's NICs short of full.
    // NICs of the asked VMs (the recycle bin's are not asked).
    const asked = new Set(servers.map((x) => x.nativeId));
    const nics = run.sim.world['vm-nics'].filter((n) => asked.has(ref(n, 'vm') as string)).length;
    expect(nicCalls.length).toBeGreaterThanOrEqual(Math.ceil(nics / budget));
    expect(nicCalls.length).toBeLessThanOrEqual(Math.ceil(nics / (budget - 1)));
    for (const call of run.sim.metricCalls) {
      expect(call.dropped).toBe(false);
      expect(call.maxSeriesPerMetric).toBeLessThanOrEqual(budget);
    }
    const keyOf = (x: Sample) => `${x.subjectId}|${x.metric}|${x.time}|${x.value}`;
    expect(got.length).toBe(samples.length);
    expect(new Set(got.map(keyOf))).toEqual(new Set(samples.map(keyOf)));
  });

  it('maps local_id labels back to VM ids with the simulator values, inside the window', () => {
    const world = run.sim.world;
    const elf = new Set(
      world.clusters
        .filter((c) => c.hypervisor === 'ELF' && c.connect_state === 'CONNECTED')
        .map((c) => c.id),
    );
    const running = world.vms.filter(
      (v) => v.status === 'RUNNING' && !v.in_recycle_bin && elf.has(ref(v, 'cluster')),
    );
    const withData = new Set(samples.map((s) => s.subjectId));
    expect(withData).toEqual(new Set(running.map((v) => v.id)));
    // One assertion over all ~100k samples (an expect per sample took seconds); lists the first offenders.
    const outside = samples.filter((s) => {
      const t = Date.parse(s.time);
      return t < WINDOW.start.getTime() || t >= WINDOW.end.getTime() || !metricNames().keys.has(s.metric);
    });
    expect(outside.slice(0, 5)).toEqual([]);
    const vm = running[0] as Row;
    const cpu = samples.filter(
      (s) => s.subjectId === vm.id && s.metric === 'elf_vm_cpu_overall_usage_percent@PERCENT',
    );
    expect(cpu.length).toBeGreaterThan(15);
    expect(cpu.map((s) => s.value)).toEqual(
      cpu.map((s) =>
        run.sim.metricValue('elf_vm_cpu_overall_usage_percent', vm.local_id as string, Date.parse(s.time)),
      ),
    );
  });

  it('sums NICs per VM and the YAML turns bits/s into bytes/s and ns into ms', () => {
    const nicsByVm = new Map<string, Row[]>();
    for (const n of run.sim.world['vm-nics'])
      nicsByVm.set(ref(n, 'vm') as string, [...(nicsByVm.get(ref(n, 'vm') as string) ?? []), n]);
    const rx = samples.find(
      (s) =>
        s.metric === 'elf_vm_network_receive_speed_bitps@DATA_RATE_BIT' &&
        (nicsByVm.get(s.subjectId)?.length ?? 0) === 2,
    );
    expect(rx).toBeDefined();
    const t = Date.parse((rx as Sample).time);
    const bits = (nicsByVm.get((rx as Sample).subjectId) ?? []).reduce(
      (sum, n) =>
        sum +
        (run.sim.metricValue('elf_vm_network_receive_speed_bitps', n.mac_address as string, t) ?? Number.NaN),
      0,
    );
    expect((rx as Sample).value).toBeCloseTo(bits, 6);
    expect(nflex(rx as Sample)).toEqual({ name: 'network-rx', unit: 'B/s', value: (rx as Sample).value / 8 });
    const lat = samples.find(
      (s) => s.metric === 'elf_vm_disk_overall_avg_readwrite_latency_ns@TIME',
    ) as Sample;
    expect(nflex(lat)).toEqual({ name: 'disk-latency', unit: 'ms', value: lat.value / 1e6 });
  });

  it('a failed batch stops the others: a typed error, at most `concurrency` batches asked, none left running', async () => {
    // Prepare: every VM-metrics call fails for good; record which batches (by their first id) were asked.
    const asked = new Set<string>();
    run.sim.server.setFaults({
      rules: [
        {
          when: (req) => {
            if (req.path !== '/v2/api/get-vm-metrics') return false;
            const first = (req.body as { vms?: { id_in?: string[] } }).vms?.id_in?.[0];
            if (first) asked.add(first);
            return true;
          },
          respond: { status: 503, body: { message: 'unavailable' } },
        },
      ],
    });
    // A 100-series budget makes 10 VM-metrics calls of 100 VMs, so there are more calls than slots.
    const provider = createCloudTowerProvider(towerSimCredentials(run.baseUrl), {
      now: () => NOW,
      concurrency: 2,
      metricsMaxSeries: 100,
      retry: { maxAttempts: 1 },
    });
    try {
      // Act
      const err = await provider.metrics(servers, WINDOW, signal()).catch((e: unknown) => e);
      // Counted on the client: a request written just before the abort may still reach the server later.
      const attemptsAtReturn = provider.client.http.stats.attempts;
      await new Promise((resolve) => setTimeout(resolve, 100));
      // Assess: 10 VM-metrics calls exist; only the ones running when the first failed were asked, and no
      // request was started after metrics() returned.
      expect(err).toBeInstanceOf(TransientError);
      expect(Math.ceil(servers.length / 100)).toBe(10);
      expect(asked.size).toBeGreaterThan(0);
      expect(asked.size).toBeLessThanOrEqual(2);
      expect(provider.client.http.stats.attempts).toBe(attemptsAtReturn);
    } finally {
      run.sim.server.setFaults({});
    }
  });

  it("every VM point, converted by the YAML, equals the simulator's value converted by the contract", () => {
    // The first 200 VMs (every VM's samples are compared by id/value elsewhere; this checks every name).
    const some = new Set(servers.slice(0, 200).map((s) => s.nativeId));
    const got = mappedLines(
      samples.filter((s) => some.has(s.subjectId)),
      mapping,
    );
    const want = expectedLines(run.sim, WINDOW, { vms: [...some] });
    expect(got.length).toBe(want.length);
    expect(got).toEqual(want);
    expect([...new Set(got.map((l) => l.split(' ')[1]))].sort()).toEqual(VM_NAMES);
    // In range, and read and write latency distinct series.
    for (const l of got) {
      const [, name, unit, v] = l.split(' ');
      if (unit === '%') expect(Number(v) >= 0 && Number(v) <= 100, l).toBe(true);
      if (unit === 'ms') expect(Number(v) >= 0, l).toBe(true);
      expect(name).not.toBe('UNMAPPED');
    }
    const series = (name: string) =>
      got.filter((l) => l.split(' ')[1] === name).map((l) => l.replace(name, ''));
    expect(series('disk-read-latency').length).toBeGreaterThan(100);
    expect(series('disk-read-latency')).not.toEqual(series('disk-write-latency'));
  });

  it('the YAML names only contract metrics with their units, for the subjects it says', () => {
    const allowed = { ...SERVER_METRIC_UNITS, ...POOL_METRIC_UNITS };
    for (const [key, entry] of mapping) {
      expect(allowed[entry.name()], key).toBe(entry.unit());
      expect(entry.subjects().length, key).toBeGreaterThan(0);
    }
    expect(new Set(mapping.keys())).toEqual(metricNames().keys);
  });

  it('hosts in bulk cost no request of their own: pools and hosts together ask what pools alone ask', async () => {
    // A host asked alone, as `host` or `server`, is the provider contract's (../provider-contract.ts).
    const world = run.sim.world;
    const hosts = world.hosts.map((h) => ({ nativeId: h.id as string, kind: 'host' as const }));
    const pools = world.clusters.map((c) => ({ nativeId: c.id as string, kind: 'compute_pool' as const }));
    const provider = createCloudTowerProvider(towerSimCredentials(run.baseUrl), { now: () => NOW });
    await provider.validate(signal()); // logged in, so both counts below are metrics requests only
    run.sim.server.resetStats();
    const bulk = await provider.metrics([...pools, ...hosts], WINDOW, signal());
    const bulkRequests = run.sim.server.stats.requests;
    expect(mappedLines(bulk, mapping)).toEqual(
      expectedLines(run.sim, WINDOW, {
        clusters: pools.map((p) => p.nativeId),
        hosts: hosts.map((h) => h.nativeId),
      }),
    );
    expect(bulk.some((s) => s.subjectKind === 'host')).toBe(true);
    run.sim.server.resetStats();
    await provider.metrics(pools, WINDOW, signal());
    expect(bulkRequests).toBe(run.sim.server.stats.requests);
  });

  it('compute pools: host-weighted CPU, memory and storage ratio; nothing for disconnected clusters', async () => {
    const world = run.sim.world;
    const pools = world.clusters.map((c) => ({ nativeId: c.id as string, kind: 'compute_pool' as const }));
    const provider = createCloudTowerProvider(towerSimCredentials(run.baseUrl), { now: () => NOW });
    const got = await provider.metrics(pools, WINDOW, signal());
    const elf = world.clusters.find((c) => c.hypervisor === 'ELF' && c.connect_state === 'CONNECTED') as Row;
    const hosts = world.hosts.filter((h) => ref(h, 'cluster') === elf.id);
    const cpu = got.find(
      (s) => s.subjectId === elf.id && s.metric === 'host_cpu_overall_usage_percent@PERCENT',
    ) as Sample;
    const t = Date.parse(cpu.time);
    let num = 0;
    let den = 0;
    for (const h of hosts) {
      num +=
        (run.sim.metricValue('host_cpu_overall_usage_percent', h.local_id as string, t) as number) *
        (h.total_cpu_hz as number);
      den += h.total_cpu_hz as number;
    }
    expect(cpu.value).toBeCloseTo(num / den, 9);
    const storage = got.find(
      (s) => s.subjectId === elf.id && s.metric === 'cluster_storage_used_ratio@RATIO',
    ) as Sample;
    const used = run.sim.metricValue(
      'zbs_cluster_used_data_space_bytes',
      elf.local_id as string,
      Date.parse(storage.time),
    ) as number;
    const cap = run.sim.metricValue(
      'zbs_cluster_data_capacity_bytes',
      elf.local_id as string,
      Date.parse(storage.time),
    ) as number;
    expect(nflex(storage).value).toBeCloseTo((used / cap) * 100, 9);
    const zbs = world.clusters.find((c) => c.type === 'SMTX_ZBS') as Row;
    expect(got.some((s) => s.subjectId === zbs.id && s.metric.startsWith('cluster_memory'))).toBe(false);
    expect(got.some((s) => s.subjectId === zbs.id && s.metric === 'cluster_storage_used_ratio@RATIO')).toBe(
      true,
    );
    const disconnected = world.clusters.find((c) => c.connect_state !== 'CONNECTED') as Row;
    expect(got.some((s) => s.subjectId === disconnected.id)).toBe(false);
  });
});

describe('CloudTower metrics units and dropped series', () => {
  let run: RunningCloudTowerSimulator;
  let servers: MetricSubject[];

  beforeAll(async () => {
    run = await startCloudTowerSimulator({
      seed: 12,
      vms: 200,
      vmClusters: 3,
      now: () => NOW,
      metricUnits: { elf_vm_cpu_overall_usage_percent: 'RATIO' },
      maxSeries: 30,
    });
    servers = run.sim.world.vms.map((v) => ({ nativeId: v.id as string, kind: 'server' as const }));
  });
  afterAll(() => run.stop());

  it('a RATIO cpu is keyed @RATIO and the YAML scales it to 0–100; dropped batches are split, not lost', async () => {
    // The provider guesses 5,000 series per name; this Tower allows 30, so every call is split on `dropped`.
    const provider = createCloudTowerProvider(towerSimCredentials(run.baseUrl), { now: () => NOW });
    const got = await provider.metrics(servers, WINDOW, signal());
    const cpu = got.filter((s) => s.metric.startsWith('elf_vm_cpu_overall_usage_percent'));
    expect(cpu.length).toBeGreaterThan(0);
    expect(cpu.every((s) => s.metric === 'elf_vm_cpu_overall_usage_percent@RATIO')).toBe(true);
    const vm = run.sim.world.vms.find((v) => v.id === cpu[0]?.subjectId) as Row;
    const expected = run.sim.metricValue(
      'elf_vm_cpu_overall_usage_percent',
      vm.local_id as string,
      Date.parse((cpu[0] as Sample).time),
    ) as number;
    expect(nflex(cpu[0] as Sample).value).toBeCloseTo(expected, 9);
    // Every running ELF VM still has data although the calls exceed the 30-series limit.
    const elf = new Set(
      run.sim.world.clusters
        .filter((c) => c.hypervisor === 'ELF' && c.connect_state === 'CONNECTED')
        .map((c) => c.id),
    );
    const running = run.sim.world.vms.filter((v) => v.status === 'RUNNING' && elf.has(ref(v, 'cluster')));
    expect(new Set(cpu.map((s) => s.subjectId))).toEqual(new Set(running.map((v) => v.id)));
  });

  it('a unit the mapping does not know is an UpstreamError, not a silent wrong number', async () => {
    const vm = run.sim.world.vms.find((v) => v.status === 'RUNNING') as Row;
    run.sim.server.setFaults({
      rules: [
        {
          when: (req) => req.path === '/v2/api/get-vm-metrics',
          respond: {
            status: 200,
            body: Array.from({ length: metricNames().vm.length }, (_, i) => ({
              task_id: null,
              data: {
                unit: i === 0 ? 'LOAD' : 'COUNT',
                step: 30000,
                dropped: false,
                sample_streams:
                  i === 0
                    ? [
                        {
                          labels: { _vm: vm.local_id, metric_name: 'elf_vm_cpu_overall_usage_percent' },
                          points: [{ t: NOW - 60_000, v: 1 }],
                        },
                      ]
                    : [],
              },
            })),
          },
        },
      ],
    });
    const provider = createCloudTowerProvider(towerSimCredentials(run.baseUrl), { now: () => NOW });
    const err = await provider
      .metrics([{ nativeId: vm.id as string, kind: 'server' }], WINDOW, signal())
      .catch((e: unknown) => e);
    run.sim.server.setFaults({});
    expect(err).toBeInstanceOf(UpstreamError);
    expect((err as Error).message).toContain('LOAD');
  });
});

describe('CloudTower metrics against a Tower that caps series per call, not per name', () => {
  let capped: RunningCloudTowerSimulator;
  let open: RunningCloudTowerSimulator;

  beforeAll(async () => {
    // Same seed, same estate and values; one counts the limit over the whole call (the stricter reading
    // of `dropped`), the other never drops.
    const base = { seed: 13, vms: 300, vmClusters: 3, now: () => NOW };
    capped = await startCloudTowerSimulator({ ...base, maxSeries: 200, seriesLimit: 'per-call' });
    open = await startCloudTowerSimulator({ ...base, maxSeries: 1_000_000 });
  });
  afterAll(async () => {
    await capped.stop();
    await open.stop();
  });

  it('a wrong guess about the limit costs requests, never samples', async () => {
    const servers = capped.sim.world.vms.map((v) => ({ nativeId: v.id as string, kind: 'server' as const }));
    const got = await createCloudTowerProvider(towerSimCredentials(capped.baseUrl), {
      now: () => NOW,
    }).metrics(servers, WINDOW, signal());
    const want = await createCloudTowerProvider(towerSimCredentials(open.baseUrl), {
      now: () => NOW,
    }).metrics(servers, WINDOW, signal());
    expect(capped.sim.metricCalls.some((c) => c.dropped)).toBe(true);
    expect(capped.sim.metricCalls.length).toBeGreaterThan(open.sim.metricCalls.length);
    // Every call the provider kept stayed within 200 series in total.
    const kept = capped.sim.metricCalls.filter((c) => !c.dropped);
    for (const call of kept) expect(call.series).toBeLessThanOrEqual(200);
    const keyOf = (x: Sample) => `${x.subjectId}|${x.metric}|${x.time}|${x.value}`;
    expect(want.length).toBeGreaterThan(0);
    expect(got.length).toBe(want.length);
    expect(new Set(got.map(keyOf))).toEqual(new Set(want.map(keyOf)));
  });
});

describe('CloudTower pool CPU source', () => {
  for (const served of [true, false]) {
    it(`${served ? 'a Tower serving' : 'a Tower without'} cluster_cpu_usage_percent: ${served ? 'its samples' : 'the host-weighted mean'}, said in a debug line`, async () => {
      // Prepare
      const run = await startCloudTowerSimulator({
        seed: 21,
        vms: 50,
        vmClusters: 3,
        now: () => NOW,
        clusterCpuMetric: served,
      });
      try {
        const debug: string[] = [];
        const logger = { info() {}, warn() {}, error() {}, debug: (m: string) => debug.push(m) };
        const provider = createCloudTowerProvider(towerSimCredentials(run.baseUrl), {
          now: () => NOW,
          logger,
        });
        const pools = run.sim.world.clusters.map((c) => ({
          nativeId: c.id as string,
          kind: 'compute_pool' as const,
        }));
        // Act
        const got = await provider.metrics(pools, WINDOW, signal());
        // Assess
        expect(mappedLines(got, mapping)).toEqual(
          expectedLines(run.sim, WINDOW, { clusters: pools.map((p) => p.nativeId) }, { clusterCpu: served }),
        );
        const cpuKeys = new Set(got.filter((s) => nflex(s).name === 'cpu-usage').map((s) => s.metric));
        expect(cpuKeys.has('cluster_cpu_usage_percent@PERCENT')).toBe(served);
        const live = run.sim.world.clusters.filter((c) => c.connect_state === 'CONNECTED');
        const own = served ? live.filter((c) => c.type !== 'SMTX_ZBS').length : 0;
        expect(debug).toEqual([
          `CloudTower pool CPU: cluster_cpu_usage_percent for ${own} pool(s), host-weighted average for ${
            new Set(
              got
                .filter((s) => s.metric === 'host_cpu_overall_usage_percent@PERCENT')
                .map((s) => s.subjectId),
            ).size
          }`,
        ]);
        expect(own + (served ? 0 : 1)).toBeGreaterThan(0);
      } finally {
        await run.stop();
      }
    });
  }
});
