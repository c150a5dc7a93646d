/**
 * setup_time_interval of the original (SPEC §4): decides a poll's time window from the event's
 * `last_update`, the poll interval, an optional backfill cap and a clock skew. Times are naive-UTC
 * PreciseTime values (microseconds, like Python datetimes); the clock is injectable (clock.ts or
 * `options.clock`) so tests can freeze "now".
 */
import { pyFloatRepr, pyRepr, pyTypeName } from '../parser/python';
import { AttributeError, KeyError, ValueError } from '../py-errors';
import { type Clock, utcNow } from './clock';
import { PreciseTime } from './precise';

/** Receives the backfill diagnostic; only `info` is used (the original's Logger has the same method). */
export interface IntervalLogger {
  info(message: string): void;
}

/** Options of setupTimeInterval (the original's keyword arguments, camel-cased). */
export interface SetupTimeIntervalOptions {
  /** Max window length in seconds when catching up from an old last_update; 0/null disable the cap. */
  backfillTime?: number | null;
  /** Extra seconds added to the first window (no last_update). Default 0. */
  initialInterval?: number;
  /** Seconds subtracted from "now" for the window end (negative pushes it into the future). Default 0. */
  skew?: number;
  /** Python strptime format of last_update. Default `%Y-%m-%dT%H:%M:%S.%fZ`. */
  timeFormat?: string;
  /** Gets exactly one `info` call when last_update was present ('' when no backfill cap applied). */
  logger?: IntervalLogger | null;
  /** Overrides the shared clock (clock.ts) for this call. */
  clock?: Clock;
}

/** A poll window: naive UTC times with microsecond precision. */
export interface TimeWindow {
  start: PreciseTime;
  end: PreciseTime;
}

/** The default `time_format` of the original. */
export const DEFAULT_TIME_FORMAT = '%Y-%m-%dT%H:%M:%S.%fZ';

// Python's _strptime patterns for the directives we support (alternation order matters, as in Python).
const DIRECTIVES: Record<string, string> = {
  Y: '(?<Y>\\d\\d\\d\\d)',
  y: '(?<y>\\d\\d)',
  m: '(?<m>1[0-2]|0[1-9]|[1-9])',
  d: '(?<d>3[01]|[12]\\d|0[1-9]|[1-9]| [1-9])',
  H: '(?<H>2[0-3]|[0-1]\\d|\\d)',
  M: '(?<M>[0-5]\\d|\\d)',
  S: '(?<S>6[0-1]|[0-5]\\d|\\d)',
  f: '(?<f>[0-9]{1,6})',
  z: '(?<z>[+-]\\d\\d:?[0-5]\\d|Z)',
  j: '(?<j>36[0-6]|3[0-5]\\d|[12]\\d\\d|0[1-9]\\d|00[1-9]|[1-9]\\d|0[1-9]|[1-9])',
  '%': '%',
};

const formatCache = new Map<string, RegExp>();

function compileFormat(fmt: string): RegExp {
  const cached = formatCache.get(fmt);
  if (cached) return cached;
  let src = '';
  const seen = new Set<string>();
  for (let i = 0; i < fmt.length; i++) {
    const c = fmt[i]!;
    if (c === '%') {
      const d = fmt[i + 1];
      const pat = d === undefined ? undefined : DIRECTIVES[d];
      if (pat === undefined) {
        if (d === undefined) throw new ValueError(`stray % in format ${pyRepr(fmt)}`);
        throw new ValueError(`'${d}' is a bad directive in format ${pyRepr(fmt)}`);
      }
      // A repeated directive in Python becomes a backreference; a named group cannot repeat in JS.
      src += seen.has(d!) && d !== '%' ? `\\k<${d}>` : pat;
      seen.add(d!);
      i++;
    } else if (/\s/.test(c)) {
      while (i + 1 < fmt.length && /\s/.test(fmt[i + 1]!)) i++;
      src += '\\s+';
    } else {
      src += c.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
    }
  }
  const re = new RegExp(`^(?:${src})`, 'i');
  formatCache.set(fmt, re);
  return re;
}

/**
 * Python `datetime.strptime(value, fmt)` for %Y %y %m %d %H %M %S %f %z %j %% and literals (matched
 * case-insensitively, whitespace runs match any whitespace), with Python's error messages.
 */
export function strptime(value: string, fmt: string): PreciseTime {
  const m = compileFormat(fmt).exec(value);
  if (!m) throw new ValueError(`time data ${pyRepr(value)} does not match format ${pyRepr(fmt)}`);
  if (m[0].length !== value.length)
    throw new ValueError(`unconverted data remains: ${value.slice(m[0].length)}`);
  const g = m.groups ?? {};
  let year = 1900;
  if (g.Y !== undefined) year = Number(g.Y);
  else if (g.y !== undefined) year = Number(g.y) + (Number(g.y) <= 68 ? 2000 : 1900);
  let month = g.m !== undefined ? Number(g.m) : 1;
  let day = g.d !== undefined ? Number(g.d.trim()) : 1;
  if (g.j !== undefined && g.m === undefined && g.d === undefined) {
    const d = new Date(Date.UTC(year, 0, Number(g.j)));
    month = d.getUTCMonth() + 1;
    day = d.getUTCDate();
  }
  const second = g.S !== undefined ? Number(g.S) : 0;
  if (second > 59) throw new ValueError('second must be in 0..59');
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > daysInMonth) throw new ValueError('day is out of range for month');
  let offset: number | null = null;
  if (g.z !== undefined) {
    if (g.z.toUpperCase() === 'Z') offset = 0;
    else {
      const digits = g.z.slice(1).replace(':', '');
      offset = (g.z[0] === '-' ? -1 : 1) * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4)));
    }
  }
  return PreciseTime.fromParts(
    {
      year,
      month,
      day,
      hour: g.H !== undefined ? Number(g.H) : 0,
      minute: g.M !== undefined ? Number(g.M) : 0,
      second,
      microsecond: g.f !== undefined ? Number(g.f.padEnd(6, '0')) : 0,
    },
    offset,
  );
}

/** Python's name for the type of a value passed where a str or number was expected. */
function typeName(v: unknown): string {
  return v instanceof PreciseTime ? 'datetime.datetime' : pyTypeName(v);
}

/** Python `timedelta(seconds=x)` accepts ints, floats and bools only. */
function seconds(x: unknown): number {
  if (typeof x === 'number') return x;
  if (typeof x === 'boolean') return x ? 1 : 0;
  throw new TypeError(`unsupported type for timedelta seconds component: ${typeName(x)}`);
}

/** Python `a + b` for the poll interval and initial interval (numbers or bools; otherwise TypeError). */
function addSeconds(a: unknown, b: unknown): number {
  const num = (x: unknown) => typeof x === 'number' || typeof x === 'boolean';
  if (!num(a) || !num(b)) {
    throw new TypeError(`unsupported operand type(s) for +: '${typeName(a)}' and '${typeName(b)}'`);
  }
  return Number(a) + Number(b);
}

/** Python truthiness of the backfill option. */
function truthy(x: unknown): boolean {
  return x !== null && x !== undefined && x !== 0 && x !== false && x !== '';
}

/**
 * Computes the poll window `{start, end}` exactly like the original setup_time_interval: first poll
 * (no last_update) → `[now - skew - (pollInterval + initialInterval), now - skew]`; later polls →
 * `[last_update, now - skew]`, with the end capped at `start + backfillTime` when the gap is longer.
 * Throws KeyError('resource'), ValueError (bad last_update) and TypeError as the original did.
 */
export function setupTimeInterval(
  event: Readonly<Record<string, unknown>>,
  options: SetupTimeIntervalOptions = {},
): TimeWindow {
  const {
    backfillTime = null,
    initialInterval = 0,
    skew = 0,
    timeFormat = DEFAULT_TIME_FORMAT,
    logger,
  } = options;
  const lastUpdate = event.last_update;

  // The poll interval is read first, so an event without `resource` fails even when last_update is set.
  let pollInterval: unknown;
  if (Object.hasOwn(event, 'poll_interval')) pollInterval = event.poll_interval;
  else {
    if (!Object.hasOwn(event, 'resource')) throw new KeyError('resource');
    const resource = event.resource;
    if (resource === null || typeof resource !== 'object') {
      throw new AttributeError(`'${typeName(resource)}' object has no attribute 'get'`);
    }
    const r = resource as Record<string, unknown>;
    pollInterval = Object.hasOwn(r, 'poll_interval') ? r.poll_interval : 900;
  }

  const now = options.clock ? options.clock.now() : utcNow();
  let end = now.plusSeconds(-seconds(skew));

  if (lastUpdate === null || lastUpdate === undefined) {
    const start = end.plusSeconds(-addSeconds(pollInterval, initialInterval));
    return { start, end };
  }

  if (typeof lastUpdate !== 'string') {
    throw new TypeError(`strptime() argument 1 must be str, not ${typeName(lastUpdate)}`);
  }
  const start = strptime(lastUpdate, timeFormat);
  const diff = end.diffSeconds(start);
  let message = '';
  if (truthy(backfillTime) && diff > (backfillTime as number)) {
    const cap = backfillTime as number;
    end = start.plusSeconds(cap);
    message =
      `Backfilling start_time ${start.toPythonString()} end_time ${end.toPythonString()}\n` +
      `Max backfill time is ${pyFloatRepr(cap / 3600)} hours`;
  }
  if (logger) logger.info(message);
  return { start, end };
}

/** The window as JS Dates (millisecond precision; the microseconds below the millisecond are dropped). */
export function windowToDates(w: TimeWindow): { start: Date; end: Date } {
  return { start: w.start.dt.toJSDate(), end: w.end.dt.toJSDate() };
}
