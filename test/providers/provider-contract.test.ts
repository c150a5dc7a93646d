/** The provider contract (./provider-contract.ts) on Prism v4, v3 and PE v2.0, and on CloudTower. */
import { loadMetricMapping } from '../../lib/connector-utils/mapping/metric-mapping';
import { createCloudTowerProvider } from '../../lib/providers/cloudtower/index';
import { createPrismProvider } from '../../lib/providers/prism';
import type { MetricSubject, TimeWindow } from '../../lib/providers/provider';
import { prismTruth, towerTruth } from '../functions/monitoring-truth';
import { startCloudTowerSimulator } from '../simulators/cloudtower/index';
import { startPrismSimulator } from '../simulators/prism';
import type { HealthFlavour } from '../simulators/prism/alerts';
import * as towerExpected from './cloudtower/expected';
import * as towerMetrics from './cloudtower/expected-metrics';
import * as prismExpected from './prism/expected';
import * as prismMetrics from './prism/expected-metrics';
import { byId, type Projected, providerContract } from './provider-contract';
import { prismSimCredentials, towerSimCredentials } from './sim-credentials';

const SEED = 51;
// Five minutes: the Prism provider asks 60 s intervals for it.
const WINDOW: TimeWindow = { start: new Date('2026-11-27T10:00:00Z'), end: new Date('2026-11-27T10:05:00Z') };
const NOW = Date.parse('2026-11-27T10:05:07Z');

/** Subjects by kind, as the oracles take them. */
function subjectIds(subjects: MetricSubject[]) {
  const of = (kind: MetricSubject['kind']) => subjects.filter((s) => s.kind === kind).map((s) => s.nativeId);
  return { vms: of('server'), hosts: of('host'), clusters: of('compute_pool') };
}

const prismApis: { name: string; api: 'v4' | 'v3' | 'pe'; reports: string; flavour: HealthFlavour }[] = [
  { name: 'Prism Central v4', api: 'v4', reports: 'v4.0', flavour: 'v4' },
  { name: 'Prism Central v3', api: 'v3', reports: 'v3', flavour: 'v3' },
  { name: 'Prism Element v2.0', api: 'pe', reports: 'v2.0', flavour: 'v2' },
];

for (const { name, api, reports, flavour } of prismApis) {
  providerContract({
    name,
    window: WINDOW,
    now: NOW,
    async start() {
      const sim = await startPrismSimulator({
        seed: SEED,
        vms: 40,
        clusters: api === 'pe' ? 1 : 3,
        v3Only: api === 'v3',
        peOnly: api === 'pe',
        alertClock: () => NOW,
      });
      const provider = createPrismProvider(prismSimCredentials(sim.baseUrl));
      const truthApi = api === 'pe' ? 'v2' : api;
      return {
        provider,
        api: reports,
        clusterIds: sim
          .truth()
          .clusters.filter((c) => !c.isPrismCentral)
          .map((c) => c.extId),
        expected: () => prismExpected.expectedInventory(sim.truth(), truthApi) as unknown as Projected,
        project: (inv) => prismExpected.projectInventory(inv) as unknown as Projected,
        mapping: loadMetricMapping('mappings/prism.yaml'),
        expectedLines: (window, subjects) =>
          prismMetrics.expectedLines(SEED, sim.truth(), api, window, 60, subjectIds(subjects)),
        metricNames: (kind) => prismMetrics.contractNames(api, kind),
        alerts: () => prismTruth(sim.prism.alerts.truth(), sim.truth()),
        health: () => sim.prism.alerts.expectedStatus(flavour, 0),
        stop: sim.stop,
      };
    },
  });
}

providerContract({
  name: 'CloudTower',
  window: WINDOW,
  now: NOW,
  async start() {
    const run = await startCloudTowerSimulator({ seed: SEED, vms: 40, vmClusters: 3, now: () => NOW });
    const provider = createCloudTowerProvider(towerSimCredentials(run.baseUrl), { now: () => NOW });
    type Lists = Record<keyof Projected, { id: string }[]>;
    const projected = (inv: Lists): Projected => ({
      servers: byId(inv.servers),
      hosts: byId(inv.hosts),
      volumes: byId(inv.volumes),
      networks: byId(inv.networks),
      computePools: byId(inv.computePools),
    });
    const names = {
      server: towerMetrics.VM_NAMES,
      host: towerMetrics.HOST_NAMES,
      compute_pool: towerMetrics.POOL_NAMES,
    };
    return {
      provider,
      api: 'v2',
      clusterIds: run.truth.clusters.map((c) => String(c.id)),
      expected: () => projected(towerExpected.expectedInventory(run.sim.groundTruth())),
      project: (inv) => projected(towerExpected.projectInventory(inv)),
      mapping: loadMetricMapping('mappings/cloudtower.yaml'),
      expectedLines: (window, subjects) => towerMetrics.expectedLines(run.sim, window, subjectIds(subjects)),
      metricNames: (kind) => names[kind],
      alerts: () => towerTruth(run.sim.world.alerts, run.sim.world.vms),
      health: () => run.sim.alerts.expectedStatus(0),
      stop: run.stop,
    };
  },
});
