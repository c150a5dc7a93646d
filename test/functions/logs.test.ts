/**
 * getLogs against both simulators, in process: chained polls see every alert state change exactly once
 * (first poll = the open alerts; raise 2 + resolve 1 = 3 lines; nothing changed = none), an old
 * `last_update` is clamped to 7 days with a warning, per-resource polls return only their entity's
 * alerts, and a Prism whose alerts endpoint rejects the time filter yields the very same lines. Expected
 * lines come from the simulators' ground truth (./monitoring-truth).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { handler as getLogs } from '../../functions/get-logs';
import { fixedClock, setClock } from '../../lib/connector-utils/time/clock';
import { PreciseTime } from '../../lib/connector-utils/time/precise';
import type { ProviderName } from '../../lib/providers/provider';
import { assertValidResult } from '../helpers/schemas';
import { simEvent } from '../helpers/sim-events';
import { type Row, startCloudTowerSimulator } from '../simulators/cloudtower';
import { type StartedPrismSimulator, startPrismSimulator } from '../simulators/prism';
import { captureLogs, lambdaContext } from './harness';
import { expectedLines, micros, prismTruth, type TruthAlert, towerTruth } from './monitoring-truth';

const T0 = Date.parse('2026-11-27T10:00:00Z');
let simNow = T0;

interface Target {
  event(overrides?: Record<string, unknown>): Record<string, unknown>;
  truth(): TruthAlert[];
  service: string;
  /** Raises an alert on a VM (severity 1) and a host (severity 2); returns their ids. */
  raiseTwo(): string[];
  /** Resolves one open alert that was open before the first poll. */
  resolveOne(): string;
  entities(): { vm: string; host: string; cluster: string };
  stop(): Promise<void>;
}

interface LogsResult {
  logs: { message: string; severity: string; time: string; service: string; source_host?: string }[];
  last_update: string;
}

const targets = {} as Record<ProviderName, Target>;
const target = (p: ProviderName): Target => targets[p] as Target;
let prismSim: StartedPrismSimulator;

function prismTarget(sim: StartedPrismSimulator): Target {
  return {
    event: (o = {}) => simEvent('nutanix', sim.baseUrl, o),
    truth: () => prismTruth(sim.prism.alerts.truth(), sim.truth()),
    service: 'nutanix.alerts',
    raiseTwo: () => {
      const w = sim.truth();
      const vm = w.vms[5]!;
      const host = w.hosts.at(-1)!;
      return [
        sim.prism.alerts.raise({ severity: 'WARNING', source: { type: 'vm', id: vm.extId } }).id,
        sim.prism.alerts.raise({ severity: 'CRITICAL', source: { type: 'node', id: host.extId } }).id,
      ];
    },
    resolveOne: () => {
      const open = sim.prism.alerts.alerts.find((a) => a.resolvedMicros === null && a.severity === 'INFO')!;
      return sim.prism.alerts.resolve(open.id).id;
    },
    entities: () => {
      const book = sim.prism.alerts.alerts;
      const of = (t: string) => book.find((a) => a.source.type === t && a.resolvedMicros === null)!.source.id;
      return { vm: of('vm'), host: of('node'), cluster: of('cluster') };
    },
    stop: sim.stop,
  };
}

beforeAll(async () => {
  prismSim = await startPrismSimulator({ seed: 21, vms: 30, clusters: 3, alertClock: () => simNow });
  targets.nutanix = prismTarget(prismSim);
  const tower = await startCloudTowerSimulator({ seed: 21, vms: 30, now: () => simNow });
  const rows = () => tower.sim.world.alerts;
  targets.cloudtower = {
    event: (o = {}) => simEvent('cloudtower', tower.baseUrl, o),
    truth: () => towerTruth(JSON.parse(JSON.stringify(rows())) as Row[], tower.sim.world.vms),
    service: 'cloudtower.alerts',
    raiseTwo: () => {
      const vm = tower.sim.world.vms.find((v) => !v.in_recycle_bin && v.host)!;
      const host = tower.sim.world.hosts.at(-1)!;
      return [
        tower.sim.alerts.raise('NOTICE', { vm: vm.id as string }).id as string,
        tower.sim.alerts.raise('CRITICAL', { host: host.id as string }).id as string,
      ];
    },
    resolveOne: () => {
      const open = rows().find((a) => !a.ended && a.severity === 'INFO')!;
      return tower.sim.alerts.resolve(open.id as string).id as string;
    },
    entities: () => {
      const open = rows().filter((a) => !a.ended);
      const vm = open.find((a) => (a.vms as Row[]).length > 0)!;
      const host = open.find((a) => (a.vms as Row[]).length === 0 && a.host && !a.disk)!;
      const cluster = open.find((a) => (a.vms as Row[]).length === 0 && !a.host)!;
      return {
        vm: ((vm.vms as Row[])[0] as Row).id as string,
        host: (host.host as Row).id as string,
        cluster: (cluster.cluster as Row).id as string,
      };
    },
    stop: tower.stop,
  };
});

afterAll(async () => {
  await Promise.all([targets.nutanix?.stop(), targets.cloudtower?.stop()]);
});

afterEach(() => setClock(null));

/** Moves the handler clock and the simulators' clock together. */
function setNow(ms: number): void {
  simNow = ms;
  setClock(fixedClock(PreciseTime.fromEpochMicros(ms * 1000)));
}

const SKEW_US = 30_000_000;

async function poll(t: Target, overrides: Record<string, unknown> = {}): Promise<LogsResult> {
  const result = (await getLogs(t.event(overrides), lambdaContext())) as unknown as LogsResult;
  assertValidResult('get_logs', result);
  return result;
}

describe.each(['nutanix', 'cloudtower'] as ProviderName[])('getLogs on the %s simulator', (provider) => {
  it('chained polls: open alerts once, then exactly the 3 changes, then nothing', async () => {
    const t = target(provider);
    setNow(T0);
    const first = await poll(t);
    const w1 = T0 * 1000 - SKEW_US;
    expect(first.last_update).toBe(micros(w1));
    const expectedFirst = expectedLines(t.truth(), t.service, null, w1);
    expect(expectedFirst.length).toBeGreaterThanOrEqual(4);
    expect(first.logs).toEqual(expectedFirst);
    for (const line of first.logs) {
      expect(line.message).not.toMatch(/[{}]/);
      expect(line.message).toMatch(/ \[alert [^\]]+\]$/);
      expect(line.time).toMatch(/\.\d{6}Z$/);
    }

    // Changes while "time" moves on: 2 raised, 1 resolved, then past the skew.
    setNow(T0 + 60_000);
    const raised = t.raiseTwo();
    const resolved = t.resolveOne();
    setNow(T0 + 120_000);
    const second = await poll(t, { last_update: first.last_update });
    const w2 = (T0 + 120_000) * 1000 - SKEW_US;
    expect(second.last_update).toBe(micros(w2));
    expect(second.logs).toEqual(expectedLines(t.truth(), t.service, w1, w2));
    expect(second.logs).toHaveLength(3);
    expect(second.logs.filter((l) => l.message.startsWith('Resolved: '))).toHaveLength(1);
    for (const id of [...raised, resolved])
      expect(second.logs.some((l) => l.message.endsWith(`[alert ${id}]`))).toBe(true);

    setNow(T0 + 180_000);
    const third = await poll(t, { last_update: second.last_update });
    expect(third.logs).toEqual([]);
    expect(third.last_update).toBe(micros((T0 + 180_000) * 1000 - SKEW_US));
  });

  it('a change stamped inside the skew (while a poll runs) is left for the next poll, then read once', async () => {
    const t = target(provider);
    setNow(T0 + 200_000);
    const base = await poll(t, { last_update: micros((T0 + 180_000) * 1000 - SKEW_US) });
    // Stamped 10 s before the next read start: after that poll's W, so not yet its business.
    simNow = T0 + 250_000;
    const [raised] = t.raiseTwo();
    setNow(T0 + 260_000);
    const during = await poll(t, { last_update: base.last_update });
    expect(during.logs.some((l) => l.message.endsWith(`[alert ${raised}]`))).toBe(false);
    setNow(T0 + 320_000);
    const after = await poll(t, { last_update: during.last_update });
    expect(after.logs.filter((l) => l.message.endsWith(`[alert ${raised}]`))).toHaveLength(1);
    expect(after.logs).toHaveLength(2);
  });

  it('a last_update 30 days old reads the clamped 7 days, with a warning', async () => {
    const t = target(provider);
    setNow(T0 + 340_000);
    const logs = captureLogs();
    let result: LogsResult;
    try {
      result = await poll(t, { last_update: micros((T0 - 30 * 86_400_000) * 1000) });
    } finally {
      logs.stop();
    }
    const until = (T0 + 340_000) * 1000 - SKEW_US;
    expect(result.logs).toEqual(expectedLines(t.truth(), t.service, until - 7 * 86_400_000_000, until));
    // The seeded history includes an alert raised and resolved a day ago: both lines, not just open ones.
    expect(result.logs.some((l) => l.message.startsWith('Resolved: '))).toBe(true);
    expect(logs.lines.some((l) => l.includes('more than 7 days'))).toBe(true);
  });

  it('per-resource polls return only the alerts sourced on that VM, host or cluster', async () => {
    const t = target(provider);
    setNow(T0 + 400_000);
    const until = (T0 + 400_000) * 1000 - SKEW_US;
    const e = t.entities();
    const cases = [
      { type: 'server', id: e.vm, kind: 'server' as const },
      { type: 'host', id: e.host, kind: 'server' as const },
      { type: 'compute_pool', id: e.cluster, kind: 'cluster' as const },
    ];
    for (const c of cases) {
      const result = await poll(t, {
        resource: { id: '3f2c1a9e-8b7d-4c6e-9f01-23456789abcd', native_id: c.id, type: c.type },
      });
      const expected = expectedLines(t.truth(), t.service, null, until, { kind: c.kind, id: c.id });
      expect(expected.length, c.type).toBeGreaterThan(0);
      expect(result.logs, c.type).toEqual(expected);
    }
  });
});

describe('getLogs on Prism flavours', () => {
  it('a Prism whose alerts endpoint rejects the time filter yields the same lines', async () => {
    const rejecting = await startPrismSimulator({
      seed: 21,
      vms: 30,
      clusters: 3,
      alertClock: () => simNow,
      monitoringVersions: ['v4.0'],
    });
    const accepting = await startPrismSimulator({ seed: 21, vms: 30, clusters: 3, alertClock: () => simNow });
    try {
      const a = prismTarget(rejecting);
      const b = prismTarget(accepting);
      setNow(T0);
      const logs = captureLogs();
      let firstA: LogsResult;
      try {
        firstA = await poll(a);
      } finally {
        logs.stop();
      }
      const firstB = await poll(b);
      expect(firstA).toEqual(firstB);
      expect(rejecting.prism.served['v4 alerts 400']).toBeGreaterThan(0);
      expect(accepting.prism.served['v4 alerts 400']).toBeUndefined();
      expect(logs.lines.some((l) => l.includes('rejected the time filter'))).toBe(true);
      setNow(T0 + 60_000);
      a.raiseTwo();
      b.raiseTwo();
      a.resolveOne();
      b.resolveOne();
      setNow(T0 + 120_000);
      const secondA = await poll(a, { last_update: firstA.last_update });
      const secondB = await poll(b, { last_update: firstB.last_update });
      expect(secondA.logs).toHaveLength(3);
      expect(secondA).toEqual(secondB);
    } finally {
      await Promise.all([rejecting.stop(), accepting.stop()]);
    }
  });

  it.each([
    ['v3', { v3Only: true }],
    ['PE v2.0', { peOnly: true }],
  ])('on %s the first poll is every open alert, with exact big integers', async (_name, flavour) => {
    const sim = await startPrismSimulator({
      seed: 22,
      vms: 12,
      clusters: 2,
      alertClock: () => simNow,
      ...flavour,
    });
    try {
      const t = prismTarget(sim);
      setNow(T0);
      const result = await poll(t);
      expect(result.logs).toEqual(expectedLines(t.truth(), t.service, null, T0 * 1000 - SKEW_US));
      expect(result.logs.some((l) => l.message.includes('1046537006312362520'))).toBe(true);
    } finally {
      await sim.stop();
    }
  });
});
