/**
 * getStatus against both simulators, in process: bulk and per resource, every entity's level and reason
 * equal the simulators' ground truth (health variety + open alerts); a 403 on the alerts endpoint leaves
 * the structural levels with a warning; bulk reads are list pages only, never a request per VM.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { handler as getStatus } from '../../functions/get-status';
import { fixedClock, setClock } from '../../lib/connector-utils/time/clock';
import { PreciseTime } from '../../lib/connector-utils/time/precise';
import type { ProviderName } from '../../lib/providers/provider';
import { assertValidResult } from '../helpers/schemas';
import { simEvent } from '../helpers/sim-events';
import { type RunningCloudTowerSimulator, startCloudTowerSimulator } from '../simulators/cloudtower';
import type { FaultPlan } from '../simulators/common';
import {
  type PrismSimulatorOptions,
  type StartedPrismSimulator,
  startPrismSimulator,
} from '../simulators/prism';
import type { HealthFlavour } from '../simulators/prism/alerts';
import { captureLogs, lambdaContext, RESOURCE_UUID } from './harness';
import { micros } from './monitoring-truth';

const T0 = Date.parse('2026-11-27T10:00:00Z');
let simNow = T0;

interface Expected {
  kind: string;
  id: string;
  level: number;
  causes: string[];
}

interface StatusResult {
  status: { level: number; time: string; source: string; reason: string; resource_id?: string }[];
  last_update: string;
}

interface Target {
  event(overrides?: Record<string, unknown>): Record<string, unknown>;
  expected(): Expected[];
  requests(): number;
  resetStats(): void;
  stop(): Promise<void>;
}

function prismTarget(sim: StartedPrismSimulator, flavour: HealthFlavour): Target {
  return {
    event: (o = {}) => simEvent('nutanix', sim.baseUrl, o),
    expected: () => sim.prism.alerts.expectedStatus(flavour, simNow * 1000),
    requests: () => sim.sim.stats.requests,
    resetStats: () => sim.sim.resetStats(),
    stop: sim.stop,
  };
}

function towerTarget(tower: RunningCloudTowerSimulator): Target {
  return {
    event: (o = {}) => simEvent('cloudtower', tower.baseUrl, o),
    expected: () => tower.sim.alerts.expectedStatus(simNow * 1000),
    requests: () => tower.sim.server.stats.requests,
    resetStats: () => tower.sim.server.resetStats(),
    stop: tower.stop,
  };
}

async function prism(options: Partial<PrismSimulatorOptions>, flavour: HealthFlavour): Promise<Target> {
  const sim = await startPrismSimulator({
    seed: 41,
    vms: 30,
    clusters: 3,
    alertClock: () => simNow,
    ...options,
  });
  return prismTarget(sim, flavour);
}

async function tower(faults?: FaultPlan): Promise<Target> {
  return towerTarget(await startCloudTowerSimulator({ seed: 41, vms: 30, now: () => simNow, faults }));
}

const targets = {} as Record<ProviderName, Target>;
const target = (p: ProviderName): Target => targets[p] as Target;

beforeAll(async () => {
  setNow(T0);
  targets.nutanix = await prism({}, 'v4');
  targets.cloudtower = await tower();
});

afterAll(async () => {
  await Promise.all(Object.values(targets).map((t) => t.stop()));
});

afterEach(() => setClock(null));

function setNow(ms: number): void {
  simNow = ms;
  setClock(fixedClock(PreciseTime.fromEpochMicros(ms * 1000)));
}

async function poll(t: Target, overrides: Record<string, unknown> = {}): Promise<StatusResult> {
  const result = (await getStatus(t.event(overrides), lambdaContext())) as unknown as StatusResult;
  assertValidResult('get_status', result);
  return result;
}

/** `source` → {level, reason} of the expected entries. */
function expectedBySource(expected: Expected[]): Map<string, { level: number; reason: string }> {
  return new Map(
    expected.map((e) => [
      `${e.kind}/${e.id}`,
      { level: e.level, reason: e.causes.length === 0 ? 'healthy' : e.causes.join('; ') },
    ]),
  );
}

function actualBySource(result: StatusResult): Map<string, { level: number; reason: string }> {
  return new Map(result.status.map((s) => [s.source, { level: s.level, reason: s.reason }]));
}

describe.each(['nutanix', 'cloudtower'] as ProviderName[])('getStatus on the %s simulator', (provider) => {
  it('bulk: every cluster, host and VM at the ground-truth level, with every cause named', async () => {
    const t = target(provider);
    setNow(T0 + 1000);
    const result = await poll(t);
    expect(result.last_update).toBe(micros((T0 + 1000) * 1000));
    for (const s of result.status) expect(s.time).toBe(result.last_update);
    const expected = expectedBySource(t.expected());
    expect(actualBySource(result)).toEqual(expected);
    // The variety is really there: every level, and causes of every group.
    const levels = new Set(result.status.map((s) => s.level));
    expect([...levels].sort()).toEqual([0, 1, 2]);
    const reasons = result.status.map((s) => s.reason).join('\n');
    expect(reasons).toMatch(/^cluster /m);
    expect(reasons).toMatch(/^host .*maintenance/m);
    expect(reasons).toMatch(/CRITICAL alert /);
    expect(reasons).toMatch(/WARNING alert /);
    if (provider === 'cloudtower')
      expect(reasons).toMatch(/disk \S+ (UNHEALTHY|SMART_FAILED|SOFTWARE_RAID_FAILURE)/);
  });

  it('per resource: one entry with resource_id for a VM, a host and a cluster; none for a gone entity', async () => {
    const t = target(provider);
    setNow(T0 + 2000);
    const expected = t.expected();
    const pick = (kind: string) => expected.find((e) => e.kind === kind && e.level > 0)!;
    for (const [type, kind] of [
      ['server', 'vm'],
      ['host', 'host'],
      ['server', 'host'],
      ['compute_pool', 'cluster'],
    ] as const) {
      const e = pick(kind);
      const result = await poll(t, { resource: { id: RESOURCE_UUID, native_id: e.id, type } });
      expect(result.status, `${type} ${kind}`).toEqual([
        {
          level: e.level,
          time: result.last_update,
          source: `${kind}/${e.id}`,
          reason: e.causes.join('; '),
          resource_id: RESOURCE_UUID,
        },
      ]);
    }
    // Well-formed ids that name nothing (a malformed one is a validation error).
    const goneId =
      provider === 'nutanix' ? '0badc0de-0000-4000-8000-00000000a11e' : 'clnosuchvm00000000000000';
    const logs = captureLogs();
    let gone: StatusResult;
    try {
      gone = await poll(t, { resource: { id: RESOURCE_UUID, native_id: goneId, type: 'server' } });
    } finally {
      logs.stop();
    }
    expect(gone.status).toEqual([]);
    expect(logs.lines.some((l) => l.includes(`${goneId} no longer exists`))).toBe(true);
  });

  it('bulk reads are list pages (plus login and detection), never one request per VM', async () => {
    const t = target(provider);
    setNow(T0 + 3000);
    t.resetStats();
    const result = await poll(t);
    const vms = result.status.filter((s) => s.source.startsWith('vm/')).length;
    expect(vms).toBeGreaterThan(20);
    // Prism: login, version routes, clusters, hosts, VMs, open alerts (one page each at this size);
    // CloudTower: login, then a count and a page for clusters, hosts, disks, VMs and open alerts.
    expect(t.requests()).toBeLessThanOrEqual(provider === 'nutanix' ? 6 : 11);
  });
});

describe('getStatus when alerts cannot be read, and on other Prism flavours', () => {
  it.each(['nutanix', 'cloudtower'] as ProviderName[])(
    '%s: a 403 on alerts leaves the structural levels, with a warning',
    async (provider) => {
      const denied: FaultPlan = {
        rules: [
          { when: (req) => /alerts/.test(req.path), respond: { status: 403, body: { message: 'denied' } } },
        ],
      };
      const t = provider === 'nutanix' ? await prism({ faults: denied }, 'v4') : await tower(denied);
      try {
        setNow(T0 + 4000);
        const logs = captureLogs();
        let result: StatusResult;
        try {
          result = await poll(t);
        } finally {
          logs.stop();
        }
        const structural = t.expected().map((e) => {
          const causes = e.causes.filter((c) => !/^(CRITICAL|WARNING) alert /.test(c));
          return { ...e, causes, level: causes.length === 0 ? 0 : e.level };
        });
        // Levels recomputed from the structural causes alone.
        const expected = expectedBySource(structural);
        for (const [source, got] of actualBySource(result)) {
          expect(got.reason, source).toBe(expected.get(source)?.reason);
          expect(got.reason).not.toMatch(/ alert /);
        }
        expect(result.status.some((s) => s.level === 2)).toBe(true);
        // VMs have no structural state: without alerts every one is healthy.
        for (const s of result.status.filter((x) => x.source.startsWith('vm/'))) {
          expect(s).toMatchObject({ level: 0, reason: 'healthy' });
        }
        expect(logs.lines.some((l) => l.includes('alerts were not considered'))).toBe(true);
      } finally {
        await t.stop();
      }
    },
  );

  it.each([
    ['v3', { v3Only: true }, 'v3'],
    ['PE v2.0', { peOnly: true }, 'v2'],
  ] as const)('Prism %s: bulk levels equal ground truth', async (_name, options, flavour) => {
    const t = await prism(options, flavour);
    try {
      setNow(T0 + 5000);
      const result = await poll(t);
      expect(actualBySource(result)).toEqual(expectedBySource(t.expected()));
    } finally {
      await t.stop();
    }
  });
});
