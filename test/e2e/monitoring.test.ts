/**
 * getLogs through serverless-offline's invoke endpoint (the deployed bundle): on both providers, a first
 * poll, then 2 raised + 1 resolved, then a chained poll. Two simulators with the same seed and alert clock
 * run side by side, one clean and one failing 10 % of requests (429/503/500/resets): both must return the
 * very same lines, and those lines must equal the simulators' ground truth. getStatus through the same
 * endpoint returns every entity at its ground-truth level, with and without the faults.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectedLines,
  micros,
  prismTruth,
  type TruthAlert,
  towerTruth,
} from '../functions/monitoring-truth';
import { type RunningOffline, startTestOffline } from '../helpers/offline';
import { assertValidResult } from '../helpers/schemas';
import { CLOUDTOWER_SIM_CREDENTIALS, startCloudTowerSimulator } from '../simulators/cloudtower';
import type { FaultPlan } from '../simulators/common';
import { PRISM_SIM_PASSWORD, PRISM_SIM_USERNAME, startPrismSimulator } from '../simulators/prism';

type ProviderName = 'nutanix' | 'cloudtower';

const FAULTS: FaultPlan = {
  transientRate: 0.1,
  transientKinds: ['429', '503', '500', 'reset'],
  retryAfterSeconds: 0,
  // Few requests per poll: one certain failure on the alert list on top of the random 10 %.
  rules: [{ when: (req) => req.path.includes('alerts'), respond: { status: 503, body: {} }, times: 1 }],
};
const SKEW_S = 1;

interface Twin {
  event(): Record<string, unknown>;
  truth(): TruthAlert[];
  changes(): void;
  /** Faults the simulator injected so far. */
  injected(): number;
  /** Expected getStatus entries (source → level and reason) now. */
  status(): Map<string, { level: number; reason: string }>;
  stop(): Promise<void>;
}

interface LogsResult {
  logs: { message: string; severity: string; time: string }[];
  last_update: string;
}

function bySource(expected: { kind: string; id: string; level: number; causes: string[] }[]) {
  return new Map(
    expected.map((e) => [
      `${e.kind}/${e.id}`,
      { level: e.level, reason: e.causes.length === 0 ? 'healthy' : e.causes.join('; ') },
    ]),
  );
}

/** The alert clock both twins share: frozen, moved on by the test (epoch ms). */
let alertNow = Date.now() - 10_000;
let offline: RunningOffline;
const twins = {} as Record<ProviderName, { clean: Twin; faulty: Twin }>;

async function prismTwin(faults?: FaultPlan): Promise<Twin> {
  const sim = await startPrismSimulator({
    seed: 31,
    vms: 40,
    clusters: 3,
    alertClock: () => alertNow,
    faults,
  });
  return {
    event: () => ({
      provider: 'nutanix',
      account_id: 'e2e-logs',
      credentials: { endpoint: sim.baseUrl, username: PRISM_SIM_USERNAME, password: PRISM_SIM_PASSWORD },
    }),
    truth: () => prismTruth(sim.prism.alerts.truth(), sim.truth()),
    changes: () => {
      const w = sim.truth();
      sim.prism.alerts.raise({ severity: 'CRITICAL', source: { type: 'vm', id: w.vms[3]!.extId } });
      sim.prism.alerts.raise({ severity: 'WARNING', source: { type: 'cluster', id: w.clusters[0]!.extId } });
      const open = sim.prism.alerts.alerts.find((a) => a.resolvedMicros === null)!;
      sim.prism.alerts.resolve(open.id);
    },
    injected: () => Object.values(sim.sim.stats.injected).reduce((a, b) => a + b, 0),
    status: () => bySource(sim.prism.alerts.expectedStatus('v4', Date.now() * 1000)),
    stop: sim.stop,
  };
}

async function towerTwin(faults?: FaultPlan): Promise<Twin> {
  const tower = await startCloudTowerSimulator({ seed: 31, vms: 40, now: () => alertNow, faults });
  return {
    event: () => ({
      provider: 'cloudtower',
      account_id: 'e2e-logs',
      credentials: {
        endpoint: tower.baseUrl,
        username: CLOUDTOWER_SIM_CREDENTIALS.username,
        password: CLOUDTOWER_SIM_CREDENTIALS.password,
      },
    }),
    truth: () => towerTruth(JSON.parse(JSON.stringify(tower.sim.world.alerts)), tower.sim.world.vms),
    changes: () => {
      const w = tower.sim.world;
      tower.sim.alerts.raise('CRITICAL', { vm: w.vms.find((v) => !v.in_recycle_bin)!.id as string });
      tower.sim.alerts.raise('NOTICE', { cluster: w.clusters[0]!.id as string });
      const open = w.alerts.find((a) => !a.ended)!;
      tower.sim.alerts.resolve(open.id as string);
    },
    injected: () => Object.values(tower.sim.server.stats.injected).reduce((a, b) => a + b, 0),
    status: () => bySource(tower.sim.alerts.expectedStatus(Date.now() * 1000)),
    stop: tower.stop,
  };
}

beforeAll(async () => {
  twins.nutanix = { clean: await prismTwin(), faulty: await prismTwin(FAULTS) };
  twins.cloudtower = { clean: await towerTwin(), faulty: await towerTwin(FAULTS) };
  offline = await startTestOffline({ LOGS_SKEW_SECONDS: String(SKEW_S) });
}, 180_000);

afterAll(async () => {
  await offline?.stop();
  await Promise.all(Object.values(twins).flatMap((t) => [t.clean.stop(), t.faulty.stop()]));
});

async function poll(twin: Twin, lastUpdate?: string): Promise<LogsResult> {
  const inv = await offline.invoke<LogsResult>('getLogs', {
    ...twin.event(),
    ...(lastUpdate ? { last_update: lastUpdate } : {}),
  });
  expect(inv.functionError, JSON.stringify(inv.payload)).toBeNull();
  assertValidResult('get_logs', inv.payload);
  return inv.payload;
}

const µs = (iso: string) => Date.parse(iso) * 1000 + (Number(/\.(\d{6})Z$/.exec(iso)?.[1] ?? 0) % 1000);

describe.each(['nutanix', 'cloudtower'] as ProviderName[])(
  'getLogs through serverless-offline (%s)',
  (provider) => {
    it('with 10 % injected faults returns the same lines as a clean run, equal to ground truth', async () => {
      const { clean, faulty } = twins[provider]!;
      const service = provider === 'nutanix' ? 'nutanix.alerts' : 'cloudtower.alerts';
      const first = [await poll(clean), await poll(faulty)];
      expect(first[1]!.logs).toEqual(first[0]!.logs);
      const w1 = µs(first[0]!.last_update);
      expect(first[0]!.logs).toEqual(expectedLines(clean.truth(), service, null, w1));
      expect(first[0]!.logs.length).toBeGreaterThan(3);

      alertNow = Date.now();
      clean.changes();
      faulty.changes();
      await new Promise((r) => setTimeout(r, (SKEW_S + 0.3) * 1000));
      const second = [await poll(clean, first[0]!.last_update), await poll(faulty, first[0]!.last_update)];
      expect(second[0]!.logs).toHaveLength(3);
      expect(second[1]!.logs).toEqual(second[0]!.logs);
      expect(second[0]!.logs).toEqual(expectedLines(clean.truth(), service, w1, µs(second[0]!.last_update)));
      expect(micros(µs(second[0]!.last_update))).toBe(second[0]!.last_update);
      expect(faulty.injected()).toBeGreaterThan(0);
      expect(clean.injected()).toBe(0);
    });
  },
);

describe.each(['nutanix', 'cloudtower'] as ProviderName[])(
  'getStatus through serverless-offline (%s)',
  (provider) => {
    it('returns every entity at its ground-truth level, schema-valid, also with 10 % injected faults', async () => {
      const { clean, faulty } = twins[provider]!;
      for (const twin of [clean, faulty]) {
        const inv = await offline.invoke<{ status: { level: number; source: string; reason: string }[] }>(
          'getStatus',
          twin.event(),
        );
        expect(inv.functionError, JSON.stringify(inv.payload)).toBeNull();
        assertValidResult('get_status', inv.payload);
        const got = new Map(inv.payload.status.map((s) => [s.source, { level: s.level, reason: s.reason }]));
        expect(got).toEqual(twin.status());
      }
    });
  },
);
