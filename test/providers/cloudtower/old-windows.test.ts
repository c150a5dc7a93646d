/**
 * CloudTower metrics of old windows. The API takes only a look-back range ending now and the server picks
 * the step from it (API.md §5: 2h → 30 s, 24h → 5 min, 7d → 30 min, 30d → 1 day), so what a poll reads is
 * bounded by its window only through the step table and through dropping, while parsing, every point
 * outside the window: a window at the 7-day horizon must not cost more points than a one-day catch-up.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCloudTowerProvider } from '../../../lib/providers/cloudtower/index';
import { pointsInWindow, pointsPerSeries, rangeFor } from '../../../lib/providers/cloudtower/metric-streams';
import type { MetricSubject, Sample } from '../../../lib/providers/provider';
import {
  metricValue,
  type RunningCloudTowerSimulator,
  startCloudTowerSimulator,
  stepForRangeMs,
} from '../../simulators/cloudtower/index';
import { towerSimCredentials } from '../sim-credentials';

const NOW = Date.UTC(2026, 10, 27, 10, 0, 7);
const MIN = 60_000;
const DAY = 86_400_000;
const signal = () => new AbortController().signal;

describe('the step table', () => {
  it('the simulator picks the real server steps, and the provider budgets calls with the same table', () => {
    const cases: [number, number][] = [
      [10 * MIN, 30_000],
      [2 * 3_600_000, 30_000],
      [24 * 3_600_000, 300_000],
      [24 * 3_600_000 + MIN, 1_800_000],
      [7 * DAY, 1_800_000],
      [7 * DAY + MIN, DAY],
      [30 * DAY, DAY],
    ];
    for (const [rangeMs, step] of cases) {
      expect(stepForRangeMs(rangeMs), `${rangeMs / MIN} min`).toBe(step);
      expect(pointsPerSeries(`${rangeMs / MIN}m`)).toBe(Math.ceil(rangeMs / step));
    }
  });

  it('points outside the window or without a value are dropped while the body is parsed', () => {
    const body = JSON.stringify([
      {
        data: {
          unit: 'PERCENT',
          sample_streams: [
            {
              labels: { _vm: 'a' },
              points: [
                { t: 100, v: 1 },
                { t: 200, v: 2 },
                { t: 250, v: null },
                { t: 299, v: 3 },
                { t: 300, v: 4 },
              ],
            },
          ],
        },
      },
    ]);
    const parsed = JSON.parse(body, pointsInWindow(200, 300)) as {
      data: { sample_streams: { points: { t: number; v: number }[] }[] };
    }[];
    const points = parsed[0]!.data.sample_streams[0]!.points;
    // Dropped entries are holes: nothing of them is kept.
    expect(Object.values(points)).toEqual([
      { t: 200, v: 2 },
      { t: 299, v: 3 },
    ]);
  });
});

describe('CloudTower metrics of a window at the backfill horizon', () => {
  let run: RunningCloudTowerSimulator;
  let servers: MetricSubject[];

  beforeAll(async () => {
    run = await startCloudTowerSimulator({ seed: 13, vms: 120, vmClusters: 2, now: () => NOW });
    servers = run.sim.world.vms
      .filter((v) => !v.in_recycle_bin)
      .map((v) => ({ nativeId: v.id as string, kind: 'server' as const }));
  });
  afterAll(() => run.stop());

  async function poll(start: number): Promise<{ points: number; samples: Sample[]; range: string }> {
    const window = { start: new Date(start), end: new Date(start + DAY) };
    run.sim.metricCalls.length = 0;
    const provider = createCloudTowerProvider(towerSimCredentials(run.baseUrl), { now: () => NOW });
    const samples = await provider.metrics(servers, window, signal());
    return {
      points: run.sim.metricCalls.reduce((n, c) => n + c.points, 0),
      samples,
      range: rangeFor(window, NOW),
    };
  }

  it('reads no more points than a one-day catch-up, and every sample it keeps is in the window', async () => {
    const dayBehind = await poll(NOW - DAY - MIN);
    const horizonStart = NOW - 7 * DAY - 1000;
    const atHorizon = await poll(horizonStart);
    expect(atHorizon.range).toBe('10081m');
    expect(dayBehind.points).toBeGreaterThan(0);
    expect(atHorizon.points).toBeLessThanOrEqual(dayBehind.points);
    expect(atHorizon.samples.length).toBeGreaterThan(0);
    const localIds = new Map(run.sim.world.vms.map((v) => [v.id as string, v.local_id as string]));
    for (const s of atHorizon.samples) {
      const t = Date.parse(s.time);
      expect(t).toBeGreaterThanOrEqual(horizonStart);
      expect(t).toBeLessThan(horizonStart + DAY);
      // The coarse step: one point a day, on the day boundary.
      expect(t % DAY).toBe(0);
    }
    const cpu = atHorizon.samples.find((s) => s.metric.startsWith('elf_vm_cpu_overall_usage_percent'))!;
    expect(cpu.value).toBe(
      metricValue(13, 'elf_vm_cpu_overall_usage_percent', localIds.get(cpu.subjectId)!, Date.parse(cpu.time)),
    );
  });
});
