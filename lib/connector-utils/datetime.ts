/**
 * convert_datetime: any date-ish value → the RFC 3339 UTC string the nflex platform expects, or null.
 * Strings are read liberally, in the spirit of python-dateutil's parser, because connectors feed it whatever
 * the upstream API returns.
 */
import { DateTime } from 'luxon';
import { pyTypeName } from './py-compat';
import { AttributeError, ParserError } from './py-errors';
import { utcNow } from './time/clock';
import { PreciseTime } from './time/precise';

/** Everything convertDatetime accepts. */
export type DateInput = string | Date | DateTime | PreciseTime | null | undefined;

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH_NAMES = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];
const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
const FILLER = new Set(['at', 'on', 'of', 'the', 'and', 't']);

/** Month number (1–12) for an English month name or its 3/4-letter abbreviation, else 0. */
function monthOf(word: string): number {
  const w = word.replace(/\.$/, '');
  if (w === 'sept') return 9;
  const i = w.length === 3 ? MONTHS.indexOf(w) : MONTH_NAMES.indexOf(w);
  return i + 1;
}

/** True for an English weekday name or its 3-letter abbreviation (dateutil ignores them). */
function isWeekday(word: string): boolean {
  const w = word.replace(/\.$/, '');
  return WEEKDAYS.some((d) => d === w || (w.length === 3 && d.startsWith(w)));
}

/** A two-digit year lands in the century that puts it within 50 years of now, as dateutil does. */
function expandYear(y: number, digits: number): number {
  if (digits > 2) return y;
  const now = utcNow().dt.year;
  let year = y + Math.floor(now / 100) * 100;
  if (year >= now + 50) year -= 100;
  else if (year < now - 50) year += 100;
  return year;
}

interface Fields {
  year?: number;
  month?: number;
  day?: number;
  hour?: number;
  minute?: number;
  second?: number;
  micro?: number;
  offset?: number | null;
  ampm?: 'am' | 'pm';
}

/** Reads `H:MM[:SS[.ffffff…]]` (fraction truncated to microseconds, as dateutil does). */
function readClock(token: string, f: Fields): boolean {
  const m = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?$/.exec(token);
  if (!m || f.hour !== undefined) return false;
  f.hour = Number(m[1]);
  f.minute = Number(m[2]);
  f.second = Number(m[3] ?? 0);
  f.micro = m[4] ? Number(m[4].slice(0, 6).padEnd(6, '0')) : 0;
  return true;
}

/** Free-text reader for what the ISO fast path rejects ("Jan 5 2017 3pm", "5/1/2017 10:00 +0100", …). */
function parseLoose(original: string): PreciseTime {
  const fail = (): never => {
    throw new ParserError(`Unknown string format: ${original}`);
  };
  const tokens = original
    .toLowerCase()
    // Split glued parts dateutil also separates: "3pm", "2017-01-01T12:00", "12:00:00Z".
    .replace(/(\d)(am|pm|a\.m\.|p\.m\.)(?=\s|,|$)/g, '$1 $2')
    .replace(/(\d)t(\d)/g, '$1 $2')
    .replace(/(\d)z(?=\s|,|$)/g, '$1 z')
    .split(/[\s,]+/)
    .filter((t) => t !== '');
  if (tokens.length === 0) throw new ParserError(`String does not contain a date: ${original}`);
  const f: Fields = {};
  const pendingNumbers: number[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const next = tokens[i + 1];
    if (FILLER.has(t) || isWeekday(t)) continue;
    if (t === 'am' || t === 'a.m.' || t === 'pm' || t === 'p.m.') {
      if (f.hour === undefined || f.ampm) fail();
      f.ampm = t.startsWith('a') ? 'am' : 'pm';
      continue;
    }
    if (t === 'utc' || t === 'gmt' || t === 'z') {
      f.offset = 0;
      continue;
    }
    const month = monthOf(t);
    if (month > 0) {
      if (f.month !== undefined) fail();
      f.month = month;
      continue;
    }
    if (readClock(t, f)) continue;
    let m = /^[+-](\d{2}):?(\d{2})$/.exec(t);
    if (m && f.hour !== undefined) {
      f.offset = (t.startsWith('-') ? -1 : 1) * (Number(m[1]) * 60 + Number(m[2]));
      continue;
    }
    m = /^(\d{4})[/.-](\d{1,2})[/.-](\d{1,2})$/.exec(t);
    if (m && f.year === undefined) {
      [f.year, f.month, f.day] = [Number(m[1]), Number(m[2]), Number(m[3])];
      continue;
    }
    // dateutil's default reads numeric dates month first.
    m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$/.exec(t);
    if (m && f.year === undefined) {
      [f.month, f.day, f.year] = [Number(m[1]), Number(m[2]), expandYear(Number(m[3]), m[3]!.length)];
      continue;
    }
    m = /^(\d+)(?:st|nd|rd|th)?$/.exec(t);
    if (m) {
      const n = Number(m[1]);
      const isAmPm = next !== undefined && /^(am|pm|a\.m\.|p\.m\.)$/.test(next);
      if (isAmPm && f.hour === undefined && m[1]!.length <= 2) {
        [f.hour, f.minute, f.second, f.micro] = [n, 0, 0, 0];
      } else if (m[1]!.length === 4 && f.year === undefined) f.year = n;
      else if (m[1]!.length <= 2) pendingNumbers.push(n);
      else fail();
      continue;
    }
    fail();
  }
  // Bare numbers: day first, then a two-digit year.
  for (const n of pendingNumbers) {
    if (f.day === undefined) f.day = n;
    else if (f.year === undefined) f.year = expandYear(n, 2);
    else fail();
  }
  if (f.ampm && f.hour !== undefined) {
    if (f.hour > 12) fail();
    if (f.ampm === 'pm' && f.hour < 12) f.hour += 12;
    if (f.ampm === 'am' && f.hour === 12) f.hour = 0;
  }
  if (f.year === undefined && f.month === undefined && f.day === undefined && f.hour === undefined) fail();
  // dateutil fills missing date parts from today's date.
  const today = utcNow().dt;
  try {
    return PreciseTime.fromParts(
      {
        year: f.year ?? today.year,
        month: f.month ?? today.month,
        day: f.day ?? today.day,
        hour: f.hour ?? 0,
        minute: f.minute ?? 0,
        second: f.second ?? 0,
        microsecond: f.micro ?? 0,
      },
      f.offset ?? null,
    );
  } catch (err) {
    throw new ParserError(`${err instanceof Error ? err.message : String(err)}: ${original}`, { cause: err });
  }
}

/**
 * Parses a date/time string like dateutil's `parse`: ISO 8601 in its usual forms first, then free text.
 * Naive unless the text carries an offset. Throws ParserError when nothing sensible can be read.
 */
export function parseDatetime(text: string): PreciseTime {
  // More than six fraction digits: keep the microseconds, like dateutil.
  const iso = PreciseTime.tryParseIso(text.trim().replace(/(\.\d{6})\d+/, '$1'));
  return iso ?? parseLoose(text);
}

/**
 * Converts a date-ish value to `YYYY-MM-DDTHH:MM:SS[.ffffff]Z` in UTC (fraction only when non-zero), or null
 * for null/undefined/''. Naive values are taken to be UTC already. Other types raise AttributeError, as the
 * original fails on them.
 */
export function convertDatetime(dt: DateInput): string | null {
  if (dt === null || dt === undefined || dt === '') return null;
  if (typeof dt === 'string') return parseDatetime(dt).toRfc3339();
  if (dt instanceof PreciseTime) return dt.toRfc3339();
  if (dt instanceof Date) return PreciseTime.fromDate(dt).toRfc3339();
  if (DateTime.isDateTime(dt)) return PreciseTime.fromDateTime(dt).toRfc3339();
  throw new AttributeError(`'${pyTypeName(dt)}' object has no attribute 'tzinfo'`);
}
