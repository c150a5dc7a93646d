/** Golden replay of setup_time_interval.json: frozen clock, every branch including the errors. */
import { expect } from 'vitest';
import { fixedClock } from '../../../lib/connector-utils/time/clock';
import { PreciseTime } from '../../../lib/connector-utils/time/precise';
import {
  type SetupTimeIntervalOptions,
  setupTimeInterval,
} from '../../../lib/connector-utils/time/setup-time-interval';
import type { GoldenCase, GoldenRunner } from './types';

/** Turns tagged golden inputs (`$datetime`) into port values. */
function untag(v: unknown): unknown {
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    const o = v as Record<string, unknown>;
    const dt = o.$datetime as { iso: string; utcoffset_minutes: number | null } | undefined;
    if (dt) {
      const naive = PreciseTime.parseIso(dt.iso);
      return dt.utcoffset_minutes === null
        ? naive
        : PreciseTime.fromEpochMicros(
            naive.epochMicros - dt.utcoffset_minutes * 60_000_000,
            dt.utcoffset_minutes,
          );
    }
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, untag(x)]));
  }
  return v;
}

/** Maps the original's snake_case keyword arguments onto our options object. */
function toOptions(kwargs: Record<string, unknown>): SetupTimeIntervalOptions {
  const names: Record<string, keyof SetupTimeIntervalOptions> = {
    backfill_time: 'backfillTime',
    initial_interval: 'initialInterval',
    skew: 'skew',
    time_format: 'timeFormat',
  };
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(kwargs)) {
    const name = names[k];
    if (!name) throw new Error(`golden kwarg ${k} has no mapping`);
    out[name] = v;
  }
  return out as SetupTimeIntervalOptions;
}

export const runner: GoldenRunner = {
  run(c: GoldenCase) {
    const { now, event, kwargs, with_logger } = c.input as {
      now: string;
      event: Record<string, unknown>;
      kwargs: Record<string, unknown>;
      with_logger: boolean;
    };
    const calls: string[] = [];
    const options: SetupTimeIntervalOptions = {
      ...toOptions(kwargs),
      clock: fixedClock(now),
      logger: with_logger ? { info: (m) => calls.push(m) } : null,
    };
    const ev = untag(event) as Record<string, unknown>;
    if (c.error) {
      let thrown: unknown;
      try {
        setupTimeInterval(ev, options);
      } catch (e) {
        thrown = e;
      }
      expect(thrown, 'setupTimeInterval should throw').toBeInstanceOf(Error);
      const err = thrown as Error;
      expect(err.name).toBe(c.error.type);
      if (c.error.type === 'ValueError' || c.error.type === 'KeyError')
        expect(err.message).toBe(c.error.message);
      expect(calls).toEqual(c.error.logger_info_calls ?? []);
      return;
    }
    const w = setupTimeInterval(ev, options);
    expect({
      start_time: w.start.toIsoMicros(),
      end_time: w.end.toIsoMicros(),
      logger_info_calls: with_logger ? calls : null,
    }).toEqual(c.expected);
  },
};
