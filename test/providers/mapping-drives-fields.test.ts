/**
 * A metric is one mapping entry: with a copy of the shipped mappings plus one new entry each (and no code
 * change), both providers request the new field and emit it for the subjects the entry names.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import type { TimeWindow } from '../../lib/providers/provider';
import { startCloudTowerSimulator } from '../simulators/cloudtower';
import { startPrismSimulator } from '../simulators/prism';
import { clusterSeries, vmMetricTuples } from '../simulators/prism/stats';
import { prismSimCredentials, towerSimCredentials } from './sim-credentials';

const dir = mkdtempSync(join(tmpdir(), 'mapping-'));
const NOW = Date.UTC(2026, 10, 27, 10, 5, 0);
const window: TimeWindow = { start: new Date(NOW - 300_000), end: new Date(NOW) };
const signal = () => new AbortController().signal;

beforeAll(() => {
  mkdirSync(join(dir, 'mappings'));
  const extra = (file: string, text: string) =>
    writeFileSync(join(dir, 'mappings', file), `${readFileSync(join('mappings', file), 'utf8')}\n${text}`);
  extra(
    'prism.yaml',
    'controllerNumIops:\n  name: disk-iops\n  unit: ops/s\n  subjects: [server, compute_pool]\n',
  );
  extra(
    'cloudtower.yaml',
    'zbs_cluster_readwrite_iops@COUNT:\n  name: disk-iops\n  unit: ops/s\n  subjects: [compute_pool]\n',
  );
  vi.stubEnv('CONNECTOR_ASSETS_DIR', dir);
  vi.resetModules(); // the mappings and the field lists derived from them are read once per module load
});
afterAll(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
  rmSync(dir, { recursive: true, force: true });
});

it('Prism: a new mapping key is requested and emitted for VMs and clusters, equal to the simulator', async () => {
  const { createPrismProvider } = await import('../../lib/providers/prism');
  const sim = await startPrismSimulator({ seed: 5, vms: 20, clusters: 1 });
  try {
    const truth = sim.truth();
    const cluster = truth.clusters.find((c) => !c.isPrismCentral)!;
    const provider = createPrismProvider(prismSimCredentials(sim.baseUrl));
    const samples = await provider.metrics(
      [
        ...truth.vms.map((v) => ({ nativeId: v.extId, kind: 'server' as const, clusterId: v.clusterId })),
        { nativeId: cluster.extId, kind: 'compute_pool' as const },
      ],
      window,
      signal(),
    );
    const got = samples
      .filter((s) => s.metric === 'controllerNumIops')
      .map((s) => `${s.subjectId} ${s.value} ${s.time}`);
    const want: string[] = [];
    for (const vm of truth.vms)
      for (const t of vmMetricTuples(5, vm, window.start.getTime(), window.end.getTime(), 60))
        if (Date.parse(t.timestamp as string) < NOW)
          want.push(`${vm.extId} ${t.controllerNumIops} ${new Date(t.timestamp as string).toISOString()}`);
    for (const p of clusterSeries(5, cluster, window.start.getTime(), window.end.getTime(), 60)
      .controllerNumIops ?? [])
      if (Date.parse(p.timestamp) < NOW)
        want.push(`${cluster.extId} ${p.value} ${new Date(p.timestamp).toISOString()}`);
    expect(got.sort()).toEqual(want.sort());
    expect(got.length).toBeGreaterThan(20);
  } finally {
    await sim.stop();
  }
});

it('CloudTower: a new mapping key is asked in the pools call and emitted', async () => {
  const { createCloudTowerProvider } = await import('../../lib/providers/cloudtower/index');
  const run = await startCloudTowerSimulator({ seed: 5, vms: 10, vmClusters: 2, now: () => NOW });
  try {
    const provider = createCloudTowerProvider(towerSimCredentials(run.baseUrl), { now: () => NOW });
    const live = run.sim.world.clusters.filter((c) => c.connect_state === 'CONNECTED');
    const samples = await provider.metrics(
      live.map((c) => ({ nativeId: c.id as string, kind: 'compute_pool' as const })),
      window,
      signal(),
    );
    const iops = samples.filter((s) => s.metric === 'zbs_cluster_readwrite_iops@COUNT');
    expect(new Set(iops.map((s) => s.subjectId))).toEqual(new Set(live.map((c) => c.id)));
    for (const s of iops) {
      const c = live.find((x) => x.id === s.subjectId)!;
      expect(s.value).toBe(
        run.sim.metricValue('zbs_cluster_readwrite_iops', c.local_id as string, Date.parse(s.time)),
      );
    }
  } finally {
    await run.stop();
  }
});
