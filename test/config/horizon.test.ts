/**
 * The backfill horizon: a `last_update` older than METRICS_BACKFILL_HORIZON_SECONDS (7 days) is moved to the
 * horizon with a warning naming the skipped range, so no upstream read spans the age of a stale
 * `last_update` (CloudTower can only look back from now) and catch-up does not take thousands of polls.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { handler as getMetrics } from '../../functions/get-metrics';
import { parseEvent } from '../../lib/config/event';
import { pollWindow } from '../../lib/config/window';
import { fixedClock, setClock } from '../../lib/connector-utils/time/clock';
import { PreciseTime } from '../../lib/connector-utils/time/precise';
import { pointsPerSeries, seriesPerCall } from '../../lib/providers/cloudtower/metric-streams';
import { captureLogs, lambdaContext, RESOURCE_UUID } from '../functions/harness';
import {
  CLOUDTOWER_SIM_CREDENTIALS,
  type RunningCloudTowerSimulator,
  startCloudTowerSimulator,
} from '../simulators/cloudtower';

const NOW = '2026-11-27T10:00:00.000000Z';
const TEN_YEARS_AGO = '2016-11-27T10:00:00.000000Z';

afterEach(() => {
  setClock(null);
  delete process.env.METRICS_BACKFILL_HORIZON_SECONDS;
});

function windowFor(lastUpdate: string) {
  const warnings: string[] = [];
  const w = pollWindow(parseEvent({ provider: 'cloudtower', poll_interval: 300, last_update: lastUpdate }), {
    info: () => undefined,
    warn: (m) => warnings.push(m),
  });
  return { start: w.start.toRfc3339Micros(), end: w.end.toRfc3339Micros(), warnings };
}

describe('pollWindow and the backfill horizon', () => {
  it('moves a last_update older than 7 days to the horizon, warning with the skipped range', () => {
    setClock(fixedClock(PreciseTime.parseIso(NOW)));
    const w = windowFor(TEN_YEARS_AGO);
    expect(w.start).toBe('2026-11-20T10:00:00.000000Z');
    expect(w.end).toBe('2026-11-21T10:00:00.000000Z'); // one capped day, as any catch-up window
    expect(w.warnings).toHaveLength(1);
    expect(w.warnings[0]).toContain(`from ${TEN_YEARS_AGO} to 2026-11-20T10:00:00.000000Z are skipped`);
  });

  it('keeps a last_update within the horizon: catch-up continues window by window', () => {
    setClock(fixedClock(PreciseTime.parseIso(NOW)));
    const w = windowFor('2026-11-21T08:00:00.000000Z');
    expect(w.start).toBe('2026-11-21T08:00:00.000000Z');
    expect(w.warnings).toEqual([]);
  });

  it('is configurable, and 0 turns it off', () => {
    setClock(fixedClock(PreciseTime.parseIso(NOW)));
    process.env.METRICS_BACKFILL_HORIZON_SECONDS = '3600';
    expect(windowFor('2026-11-27T08:00:00.000000Z').start).toBe('2026-11-27T09:00:00.000000Z');
    process.env.METRICS_BACKFILL_HORIZON_SECONDS = '0';
    expect(windowFor(TEN_YEARS_AGO).start).toBe(TEN_YEARS_AGO);
  });
});

describe('CloudTower calls are sized by points', () => {
  it('a normal poll keeps the full series budget; a week-old start gets fewer series per call', () => {
    expect(pointsPerSeries('7m')).toBe(14);
    expect(seriesPerCall(5000, '7m')).toBe(5000);
    expect(seriesPerCall(5000, '1440m')).toBe(5000);
    expect(pointsPerSeries('10080m')).toBe(336);
    expect(seriesPerCall(5000, '10080m')).toBe(4285);
  });
});

describe('a CloudTower metrics poll with last_update 10 years old', () => {
  let tower: RunningCloudTowerSimulator;
  const ranges: string[] = [];
  const now = Date.parse('2026-11-27T10:00:00Z');

  beforeAll(async () => {
    tower = await startCloudTowerSimulator({ seed: 13, vms: 6, now: () => now });
    tower.sim.server.use((req) => {
      const range = (req.body as { range?: unknown } | undefined)?.range;
      if (typeof range === 'string') ranges.push(range);
      return undefined;
    });
  });
  afterAll(() => tower?.stop());

  it('asks for at most the horizon (plus one window), not ten years, and warns once', async () => {
    setClock(fixedClock(PreciseTime.parseIso(NOW)));
    // A VM the Tower has series for: running, on a connected ELF cluster.
    const clusters = new Map(tower.truth.clusters.map((c) => [String(c.id), c]));
    const vm = tower.truth.vms.find((v) => {
      const c = clusters.get(String((v.cluster as { id: string }).id));
      return (
        v.status === 'RUNNING' &&
        !v.in_recycle_bin &&
        c?.connect_state === 'CONNECTED' &&
        c?.hypervisor === 'ELF'
      );
    });
    const logs = captureLogs();
    let out: { metrics: unknown[]; last_update: string };
    try {
      out = (await getMetrics(
        {
          provider: 'cloudtower',
          poll_interval: 300,
          last_update: TEN_YEARS_AGO,
          credentials: { endpoint: tower.baseUrl, ...CLOUDTOWER_SIM_CREDENTIALS },
          resource: { id: RESOURCE_UUID, native_id: String(vm?.id), type: 'server' },
        },
        lambdaContext(),
      )) as typeof out;
    } finally {
      logs.stop();
    }
    expect(out.last_update).toBe('2026-11-21T10:00:00.000000Z');
    expect(out.metrics.length).toBeGreaterThan(0);
    expect(ranges.length).toBeGreaterThan(0);
    for (const r of ranges) expect(Number(/^(\d+)m$/.exec(r)?.[1])).toBeLessThanOrEqual(7 * 24 * 60 + 1);
    expect(logs.lines.filter((l) => l.includes('backfill horizon'))).toHaveLength(1);
  });
});
