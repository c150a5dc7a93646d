/** Unit and property tests of setupTimeInterval: contiguous windows, strptime, clock injection. */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { fixedClock, setClock } from '../../lib/connector-utils/time/clock';
import { PreciseTime } from '../../lib/connector-utils/time/precise';
import {
  setupTimeInterval,
  strptime,
  windowToDates,
} from '../../lib/connector-utils/time/setup-time-interval';

afterEach(() => setClock(null));

const BASE = PreciseTime.parseIso('2018-10-04T12:00:00').epochMicros;

describe('setupTimeInterval: consecutive polls', () => {
  it('windows neither overlap nor leave gaps (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10 * 365 * 86_400_000_000 }), // first poll time offset, µs
        fc.array(fc.integer({ min: 0, max: 3 * 86_400_000_000 }), { minLength: 1, maxLength: 12 }), // µs between polls
        fc.integer({ min: 1, max: 86_400 }), // poll interval, s
        fc.integer({ min: 0, max: 600 }), // skew, s
        fc.option(fc.integer({ min: 1, max: 7 * 86_400 }), { nil: null }), // backfill, s
        fc.integer({ min: 0, max: 3600 }), // initial interval, s
        (offset, gaps, pollInterval, skew, backfillTime, initialInterval) => {
          let now = BASE + offset;
          const options = { skew, backfillTime, initialInterval };
          const event: Record<string, unknown> = { resource: { poll_interval: pollInterval } };
          let prev = setupTimeInterval(event, {
            ...options,
            clock: fixedClock(PreciseTime.fromEpochMicros(now)),
          });
          expect(prev.end.epochMicros - prev.start.epochMicros).toBe((pollInterval + initialInterval) * 1e6);
          for (const gap of gaps) {
            now += gap;
            // The next poll carries the previous end as last_update, in the wire format.
            event.last_update = prev.end.toRfc3339Micros();
            expect(event.last_update).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
            const next = setupTimeInterval(event, {
              ...options,
              clock: fixedClock(PreciseTime.fromEpochMicros(now)),
            });
            expect(next.start.epochMicros).toBe(prev.end.epochMicros); // no gap, no overlap
            expect(next.end.compare(next.start)).toBeGreaterThanOrEqual(0);
            if (backfillTime !== null) {
              expect(next.end.epochMicros - next.start.epochMicros).toBeLessThanOrEqual(backfillTime * 1e6);
            }
            prev = next;
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('setupTimeInterval', () => {
  it('uses the shared clock when none is passed', () => {
    setClock(fixedClock('2018-10-04T12:00:00.250001'));
    const w = setupTimeInterval({ resource: { poll_interval: 60 } });
    expect(w.start.toIsoMicros()).toBe('2018-10-04T11:59:00.250001');
    expect(w.end.toIsoMicros()).toBe('2018-10-04T12:00:00.250001');
    expect(windowToDates(w).end.toISOString()).toBe('2018-10-04T12:00:00.250Z');
  });

  it('logs the backfill cap with Python formatting', () => {
    const calls: string[] = [];
    setupTimeInterval(
      { last_update: '2018-10-04T06:00:00.000001Z', resource: {} },
      { backfillTime: 36, clock: fixedClock('2018-10-04T12:00:00'), logger: { info: (m) => calls.push(m) } },
    );
    expect(calls).toEqual([
      'Backfilling start_time 2018-10-04 06:00:00.000001 end_time 2018-10-04 06:00:36.000001\nMax backfill time is 0.01 hours',
    ]);
  });

  it('an aware custom format fails like Python (naive minus aware)', () => {
    expect(() =>
      setupTimeInterval(
        { last_update: '2018-10-04T11:00:00+0100', resource: {} },
        { timeFormat: '%Y-%m-%dT%H:%M:%S%z', clock: fixedClock('2018-10-04T12:00:00') },
      ),
    ).toThrow(TypeError);
  });
});

describe('strptime', () => {
  const F = '%Y-%m-%dT%H:%M:%S.%fZ';
  it('accepts 1–6 fraction digits and Python single-digit fields', () => {
    expect(strptime('2018-10-04T11:00:00.5Z', F).toIsoMicros()).toBe('2018-10-04T11:00:00.500000');
    expect(strptime('2018-10-04T11:00:00.123456Z', F).toIsoMicros()).toBe('2018-10-04T11:00:00.123456');
    expect(strptime('2018-1-4T1:2:3.1z', F).toIsoMicros()).toBe('2018-01-04T01:02:03.100000');
  });

  it('rejects with Python messages', () => {
    expect(() => strptime('2018-10-04T11:00:00.1234567Z', F)).toThrow(
      "time data '2018-10-04T11:00:00.1234567Z' does not match format '%Y-%m-%dT%H:%M:%S.%fZ'",
    );
    expect(() => strptime('2018-02-30 00:00:00', '%Y-%m-%d %H:%M:%S')).toThrow(
      'day is out of range for month',
    );
    expect(() => strptime('2018-10-04 x', '%Y-%m-%d')).toThrow('unconverted data remains:  x');
    expect(() => strptime('2018', '%Q')).toThrow("'Q' is a bad directive in format '%Q'");
  });
});
