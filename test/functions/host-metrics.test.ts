/**
 * getMetrics for a host resource through the handler, on both simulators: `host`, and `server` naming a
 * host (the provider tells VMs and hosts apart), return exactly cpu-usage and memory-usage in %, equal to
 * the simulators' values, schema-valid and tagged with the resource id.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { handler as getMetrics } from '../../functions/get-metrics';
import { providerMapping } from '../../lib/config/assets';
import { fixedClock, setClock } from '../../lib/connector-utils/time/clock';
import { PreciseTime } from '../../lib/connector-utils/time/precise';
import type { ProviderName, TimeWindow } from '../../lib/providers/provider';
import { line } from '../helpers/metric-lines';
import { assertValidResult } from '../helpers/schemas';
import { simCredentials } from '../helpers/sim-events';
import { expectedLines as towerLines } from '../providers/cloudtower/expected-metrics';
import { expectedLines as prismLines } from '../providers/prism/expected-metrics';
import { type RunningCloudTowerSimulator, startCloudTowerSimulator } from '../simulators/cloudtower';
import { type StartedPrismSimulator, startPrismSimulator } from '../simulators/prism';
import { lambdaContext, RESOURCE_UUID } from './harness';

const NOW = '2026-11-27T10:05:00.000000';
// The poll's window is [10:00, 10:05); the point stamped 10:00 belongs to it (a generator window starting
// just before 10:00 includes it).
const WINDOW: TimeWindow = {
  start: new Date('2026-11-27T09:59:59.999Z'),
  end: new Date('2026-11-27T10:05:00Z'),
};
let prism: StartedPrismSimulator;
let tower: RunningCloudTowerSimulator;

beforeAll(async () => {
  prism = await startPrismSimulator({ seed: 17, vms: 12, clusters: 2 });
  tower = await startCloudTowerSimulator({ seed: 17, vms: 12, now: () => Date.parse(`${NOW}Z`) });
  process.env.METRICS_SKEW_SECONDS = '0';
});
afterAll(async () => {
  await Promise.all([prism?.stop(), tower?.stop()]);
  delete process.env.METRICS_SKEW_SECONDS;
});
afterEach(() => setClock(null));

function event(provider: ProviderName, nativeId: string, type: string): Record<string, unknown> {
  return {
    account_id: `acct-${provider}`,
    customer_id: 'cust-1',
    provider,
    credentials: simCredentials(provider, provider === 'nutanix' ? prism.baseUrl : tower.baseUrl),
    // The window [10:00, 10:05): the previous poll stopped at 10:00, the clock is at 10:05.
    last_update: '2026-11-27T10:00:00.000000Z',
    resource: { id: RESOURCE_UUID, native_id: nativeId, type, poll_interval: 300 },
  };
}

describe.each(['nutanix', 'cloudtower'] as ProviderName[])('%s: getMetrics for one host', (provider) => {
  it.each(['host', 'server'])(
    'resource.type %s → cpu-usage and memory-usage in percent, the simulator values',
    async (type) => {
      // Prepare
      setClock(fixedClock(PreciseTime.parseIso(NOW)));
      const hostId =
        provider === 'nutanix'
          ? prism.truth().hosts[0]!.extId
          : (tower.sim.world.hosts.find(
              (h) =>
                tower.sim.world.clusters.find((c) => c.id === (h.cluster as { id: string }).id)
                  ?.connect_state === 'CONNECTED',
            )!.id as string);
      // Act
      const result = (await getMetrics(event(provider, hostId, type), lambdaContext())) as {
        metrics: {
          metric: string;
          unit: string;
          value: number;
          time: string;
          provider_id: string;
          resource_id?: string;
        }[];
      };
      // Assess
      assertValidResult('get_metrics', result);
      expect(new Set(result.metrics.map((m) => `${m.metric} ${m.unit}`))).toEqual(
        new Set(['cpu-usage %', 'memory-usage %']),
      );
      for (const m of result.metrics) {
        expect(m).toMatchObject({ provider_id: hostId, resource_id: RESOURCE_UUID });
        expect(m.value >= 0 && m.value <= 100).toBe(true);
      }
      const got = result.metrics.map((m) => line(m.provider_id, m.metric, m.unit, m.value, m.time)).sort();
      const want =
        provider === 'nutanix'
          ? prismLines(17, prism.truth(), 'v4', WINDOW, 60, { hosts: [hostId] })
          : towerLines(tower.sim, WINDOW, { hosts: [hostId] });
      expect(got).toEqual(want);
      expect(got.length).toBeGreaterThan(4);
      expect(providerMapping(provider).size).toBeGreaterThan(0);
    },
  );
});

describe.each(['nutanix', 'cloudtower'] as ProviderName[])('%s: getMetrics in bulk', (provider) => {
  it('every host of the inventory has its cpu-usage and memory-usage, equal to the simulator', async () => {
    // Prepare
    setClock(fixedClock(PreciseTime.parseIso(NOW)));
    const { resource: _one, ...bulk } = event(provider, 'unused', 'server');
    // Act
    const result = (await getMetrics(bulk, lambdaContext())) as {
      metrics: { metric: string; unit: string; value: number; time: string; provider_id: string }[];
    };
    // Assess
    assertValidResult('get_metrics', result);
    const hostIds =
      provider === 'nutanix'
        ? prism.truth().hosts.map((h) => h.extId)
        : tower.sim.world.hosts.map((h) => h.id as string);
    const ids = new Set(hostIds);
    const got = result.metrics
      .filter((m) => ids.has(m.provider_id))
      .map((m) => line(m.provider_id, m.metric, m.unit, m.value, m.time))
      .sort();
    const want =
      provider === 'nutanix'
        ? prismLines(17, prism.truth(), 'v4', WINDOW, 60, { hosts: hostIds })
        : towerLines(tower.sim, WINDOW, { hosts: hostIds });
    expect(got).toEqual(want);
    expect(new Set(got.map((l) => l.split(' ')[0])).size).toBeGreaterThan(1);
  });
});
