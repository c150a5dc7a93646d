/**
 * A point in time with microsecond precision, modelled on Python's `datetime`: the original's outputs carry
 * microseconds, which luxon and Date drop. The instant is an integer count of epoch microseconds (exact in a
 * double until year ~287396), naive (UTC wall-clock by convention) or with a fixed UTC offset in minutes; a
 * luxon DateTime is derived on demand.
 */
import { DateTime, FixedOffsetZone } from 'luxon';

const US_PER_SECOND = 1_000_000;
const US_PER_MS = 1_000;

// YYYY-MM-DD[T ]HH:MM[:SS[.f{1,6}]][Z|±HH[:]MM]
const ISO_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/;

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** Rounds half to even, as Python's round() and timedelta do. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  // Math.round rounds .5 up; pull exact halves back to the even neighbour.
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Thrown for a naive/aware mix, mirroring Python's TypeError for the same operation. */
function mixError(op: string): TypeError {
  return new TypeError(`can't ${op} offset-naive and offset-aware datetimes`);
}

/** Fields of a calendar time used to build a PreciseTime. */
export interface PreciseTimeParts {
  year: number;
  month: number;
  day: number;
  hour?: number;
  minute?: number;
  second?: number;
  /** 0–999999. */
  microsecond?: number;
}

/** An immutable instant with microsecond precision, naive (offset null) or with a fixed UTC offset. */
export class PreciseTime {
  /** Microseconds since 1970-01-01T00:00:00 UTC (for naive values: of the wall-clock time read as UTC). */
  readonly epochMicros: number;
  /** UTC offset in minutes, or null for a naive value. */
  readonly offsetMinutes: number | null;

  private constructor(epochMicros: number, offsetMinutes: number | null) {
    if (!Number.isSafeInteger(epochMicros))
      throw new RangeError(`invalid epoch microseconds: ${epochMicros}`);
    this.epochMicros = epochMicros;
    this.offsetMinutes = offsetMinutes;
  }

  /** Builds a value from an epoch-microsecond count and an optional fixed offset (null = naive). */
  static fromEpochMicros(epochMicros: number, offsetMinutes: number | null = null): PreciseTime {
    return new PreciseTime(epochMicros, offsetMinutes);
  }

  /** Builds a value from wall-clock fields; with an offset, the fields are local time at that offset. */
  static fromParts(parts: PreciseTimeParts, offsetMinutes: number | null = null): PreciseTime {
    const micro = parts.microsecond ?? 0;
    if (!Number.isInteger(micro) || micro < 0 || micro > 999_999) {
      throw new RangeError(`microsecond must be in 0..999999, got ${micro}`);
    }
    const dt = DateTime.fromObject(
      {
        year: parts.year,
        month: parts.month,
        day: parts.day,
        hour: parts.hour ?? 0,
        minute: parts.minute ?? 0,
        second: parts.second ?? 0,
      },
      { zone: 'utc' },
    );
    if (!dt.isValid) throw new RangeError(`invalid date/time: ${dt.invalidExplanation ?? dt.invalidReason}`);
    const wallMicros = dt.toMillis() * US_PER_MS + micro;
    return new PreciseTime(wallMicros - (offsetMinutes ?? 0) * 60 * US_PER_SECOND, offsetMinutes);
  }

  /**
   * Parses ISO 8601 (`T` or space separator, 1–6 fraction digits, optional `Z`/`±HH:MM`, date-only allowed).
   * Without an offset the result is naive. Throws RangeError on anything else.
   */
  static parseIso(text: string): PreciseTime {
    const t = PreciseTime.tryParseIso(text);
    if (!t) throw new RangeError(`not an ISO 8601 date-time: ${JSON.stringify(text)}`);
    return t;
  }

  /** Like parseIso but returns null instead of throwing. */
  static tryParseIso(text: string): PreciseTime | null {
    const m = ISO_RE.exec(text);
    if (!m) return null;
    const [, y, mo, d, h, mi, s, frac, zone] = m;
    let offset: number | null = null;
    if (zone === 'Z') offset = 0;
    else if (zone) {
      const sign = zone.startsWith('-') ? -1 : 1;
      const digits = zone.slice(1).replace(':', '');
      offset = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0'));
    }
    try {
      return PreciseTime.fromParts(
        {
          year: Number(y),
          month: Number(mo),
          day: Number(d),
          hour: Number(h ?? 0),
          minute: Number(mi ?? 0),
          second: Number(s ?? 0),
          microsecond: frac ? Number(frac.padEnd(6, '0')) : 0,
        },
        offset,
      );
    } catch {
      return null;
    }
  }

  /** Wraps a JS Date (millisecond precision) as an aware UTC value, like a tz-aware Python datetime. */
  static fromDate(date: Date): PreciseTime {
    const ms = date.getTime();
    if (Number.isNaN(ms)) throw new RangeError('invalid Date');
    return new PreciseTime(ms * US_PER_MS, 0);
  }

  /**
   * Wraps a luxon DateTime, keeping its fixed offset (aware). `extraMicros` (0–999) adds precision below
   * the millisecond that luxon cannot hold.
   */
  static fromDateTime(dt: DateTime, extraMicros = 0): PreciseTime {
    if (!dt.isValid) throw new RangeError(`invalid DateTime: ${dt.invalidReason}`);
    return new PreciseTime(dt.toMillis() * US_PER_MS + extraMicros, dt.offset);
  }

  /** True when no offset is attached (Python: tzinfo is None). */
  get isNaive(): boolean {
    return this.offsetMinutes === null;
  }

  /** Microseconds since the epoch of the wall-clock reading (local time at the offset). */
  private get wallMicros(): number {
    return this.epochMicros + (this.offsetMinutes ?? 0) * 60 * US_PER_SECOND;
  }

  /** Microsecond within the second of the wall-clock reading (0–999999), Python's `.microsecond`. */
  get microsecond(): number {
    const r = this.wallMicros % US_PER_SECOND;
    return r < 0 ? r + US_PER_SECOND : r;
  }

  /** The instant as a luxon DateTime (millisecond precision) in the value's own offset, UTC when naive. */
  get dt(): DateTime {
    const zone = this.offsetMinutes === null ? 'utc' : FixedOffsetZone.instance(this.offsetMinutes);
    return DateTime.fromMillis(Math.floor(this.epochMicros / US_PER_MS), { zone });
  }

  /** The same instant as a naive UTC value (Python: `astimezone(utc).replace(tzinfo=None)`); naive stays. */
  toUtcNaive(): PreciseTime {
    return this.offsetMinutes === null ? this : new PreciseTime(this.epochMicros, null);
  }

  /**
   * Adds (float) seconds, rounded to the microsecond half-to-even like Python's `timedelta(seconds=x)`.
   * Throws TypeError for a non-finite amount, as Python does.
   */
  plusSeconds(seconds: number): PreciseTime {
    if (typeof seconds !== 'number' || !Number.isFinite(seconds)) {
      throw new TypeError(`unsupported seconds value: ${String(seconds)}`);
    }
    const whole = Math.trunc(seconds);
    const micros = whole * US_PER_SECOND + roundHalfEven((seconds - whole) * US_PER_SECOND);
    return new PreciseTime(this.epochMicros + micros, this.offsetMinutes);
  }

  /** `this - other` in seconds (Python `timedelta.total_seconds()`); TypeError when naive meets aware. */
  diffSeconds(other: PreciseTime): number {
    if (this.isNaive !== other.isNaive) throw mixError('subtract');
    return (this.epochMicros - other.epochMicros) / US_PER_SECOND;
  }

  /** Compares instants: negative, zero or positive; TypeError when naive meets aware. */
  compare(other: PreciseTime): number {
    if (this.isNaive !== other.isNaive) throw mixError('compare');
    return this.epochMicros - other.epochMicros;
  }

  /** Wall-clock fields (local time at the offset, or the naive reading). */
  private parts(): { date: string; time: string } {
    const dt = DateTime.fromMillis(Math.floor(this.wallMicros / US_PER_MS), { zone: 'utc' });
    return {
      date: `${pad(dt.year, 4)}-${pad(dt.month, 2)}-${pad(dt.day, 2)}`,
      time: `${pad(dt.hour, 2)}:${pad(dt.minute, 2)}:${pad(dt.second, 2)}`,
    };
  }

  /** `YYYY-MM-DDTHH:MM:SS.ffffff` of the wall-clock reading, always six fraction digits, no offset. */
  toIsoMicros(): string {
    const { date, time } = this.parts();
    return `${date}T${time}.${pad(this.microsecond, 6)}`;
  }

  /**
   * RFC 3339 in UTC as the original's convert_datetime renders it: `YYYY-MM-DDTHH:MM:SS.ffffffZ`, or
   * `YYYY-MM-DDTHH:MM:SSZ` when the microsecond is 0. Naive values are taken to be UTC already.
   */
  toRfc3339(): string {
    const utc = this.toUtcNaive();
    const { date, time } = utc.parts();
    const micro = utc.microsecond;
    return micro === 0 ? `${date}T${time}Z` : `${date}T${time}.${pad(micro, 6)}Z`;
  }

  /** `YYYY-MM-DDTHH:MM:SS.ffffffZ` in UTC, six digits even at .000000 (the `last_update` wire form). */
  toRfc3339Micros(): string {
    return `${this.toUtcNaive().toIsoMicros()}Z`;
  }

  /** Python `str(datetime)`: `YYYY-MM-DD HH:MM:SS[.ffffff][+HH:MM]` (fraction only when non-zero). */
  toPythonString(): string {
    const { date, time } = this.parts();
    const micro = this.microsecond;
    let s = micro === 0 ? `${date} ${time}` : `${date} ${time}.${pad(micro, 6)}`;
    if (this.offsetMinutes !== null) s += this.offsetSuffix();
    return s;
  }

  /** `±HH:MM` of the offset ('' when naive). */
  private offsetSuffix(): string {
    if (this.offsetMinutes === null) return '';
    const off = Math.abs(this.offsetMinutes);
    return `${this.offsetMinutes < 0 ? '-' : '+'}${pad(Math.floor(off / 60), 2)}:${pad(off % 60, 2)}`;
  }

  /** ISO form with six fraction digits plus the offset when aware, so logs show the exact value. */
  toString(): string {
    return `${this.toIsoMicros()}${this.offsetSuffix()}`;
  }
}
