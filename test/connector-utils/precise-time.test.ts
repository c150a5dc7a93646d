import fc from 'fast-check';
import { DateTime } from 'luxon';
import { afterEach, describe, expect, it } from 'vitest';
import { fixedClock, PreciseTime, setClock, utcNow } from '../../lib/connector-utils/index';

describe('PreciseTime', () => {
  it('parses ISO with 1–6 fraction digits, offsets and date-only', () => {
    expect(PreciseTime.parseIso('2018-10-04T11:00:00.5Z').toRfc3339()).toBe('2018-10-04T11:00:00.500000Z');
    expect(PreciseTime.parseIso('2018-10-04T11:00:00.000001').microsecond).toBe(1);
    expect(PreciseTime.parseIso('2018-10-04T23:30:00-05:00').toRfc3339()).toBe('2018-10-05T04:30:00Z');
    expect(PreciseTime.parseIso('2018-10-04').toIsoMicros()).toBe('2018-10-04T00:00:00.000000');
    expect(PreciseTime.parseIso('2018-10-04T11:00:00Z').isNaive).toBe(false);
    expect(PreciseTime.parseIso('2018-10-04 11:00:00').isNaive).toBe(true);
  });

  it('rejects what is not ISO, including 7 fraction digits and impossible dates', () => {
    expect(PreciseTime.tryParseIso('2018-10-04T11:00:00.1234567')).toBeNull();
    expect(PreciseTime.tryParseIso('2018-02-30')).toBeNull();
    expect(() => PreciseTime.parseIso('yesterday')).toThrow(RangeError);
  });

  it('adds float seconds rounded to the microsecond half-to-even, like timedelta', () => {
    const t = PreciseTime.parseIso('2018-10-04T12:00:00');
    expect(t.plusSeconds(0.0000005).microsecond).toBe(0);
    expect(t.plusSeconds(0.0000015).microsecond).toBe(2);
    expect(t.plusSeconds(-900.25).toIsoMicros()).toBe('2018-10-04T11:44:59.750000');
    expect(() => t.plusSeconds(Number.NaN)).toThrow(TypeError);
  });

  it('diffs in seconds and refuses to mix naive and aware values', () => {
    const a = PreciseTime.parseIso('2018-10-04T12:00:00.123456');
    const b = PreciseTime.parseIso('2018-10-04T11:00:00');
    expect(a.diffSeconds(b)).toBe(3600.123456);
    expect(() => a.diffSeconds(PreciseTime.parseIso('2018-10-04T11:00:00Z'))).toThrow(TypeError);
  });

  it('formats like Python str() and rfc3339, dropping the fraction only where the original does', () => {
    const t = PreciseTime.parseIso('2018-10-04T12:00:00');
    expect(t.toRfc3339()).toBe('2018-10-04T12:00:00Z');
    expect(t.toRfc3339Micros()).toBe('2018-10-04T12:00:00.000000Z');
    expect(t.toPythonString()).toBe('2018-10-04 12:00:00');
    expect(PreciseTime.parseIso('2018-10-04T12:00:00.25+05:30').toPythonString()).toBe(
      '2018-10-04 12:00:00.250000+05:30',
    );
  });

  it('wraps Date and luxon DateTime as aware values', () => {
    expect(PreciseTime.fromDate(new Date('2018-10-04T12:00:00.123Z')).toRfc3339()).toBe(
      '2018-10-04T12:00:00.123000Z',
    );
    const dt = DateTime.fromISO('2018-10-04T14:00:00', { zone: 'UTC+2' });
    expect(PreciseTime.fromDateTime(dt, 7).toRfc3339()).toBe('2018-10-04T12:00:00.000007Z');
  });

  it('round-trips any microsecond timestamp through toIsoMicros/parseIso', () => {
    fc.assert(
      fc.property(fc.integer({ min: -2_000_000_000_000_000, max: 4_000_000_000_000_000 }), (us) => {
        const t = PreciseTime.fromEpochMicros(us);
        expect(PreciseTime.parseIso(t.toIsoMicros()).epochMicros).toBe(us);
      }),
    );
  });
});

describe('clock', () => {
  afterEach(() => setClock(null));

  it('can be frozen and restored', () => {
    setClock(fixedClock('2018-10-04T12:00:00.123456'));
    expect(utcNow().toIsoMicros()).toBe('2018-10-04T12:00:00.123456');
    setClock(null);
    expect(Math.abs(utcNow().epochMicros / 1000 - Date.now())).toBeLessThan(5_000);
  });

  it('freezes at naive UTC even when given an offset', () => {
    setClock(fixedClock('2018-10-04T14:00:00+02:00'));
    expect(utcNow().isNaive).toBe(true);
    expect(utcNow().toIsoMicros()).toBe('2018-10-04T12:00:00.000000');
  });
});
