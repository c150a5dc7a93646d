/**
 * The injectable wall clock shared by every part of connector-utils that asks for "now"
 * (Resource `last_seen_at`, setupTimeInterval). Tests freeze it with `setClock(fixedClock(...))`, the way the
 * golden vectors were produced with a frozen Python clock; `setClock(null)` restores the system clock.
 */
import { PreciseTime } from './precise';

/** A source of the current time. */
export interface Clock {
  /** The current time as a naive UTC PreciseTime (Python `datetime.utcnow()`). */
  now(): PreciseTime;
}

/** The real clock. JS offers only milliseconds of wall time, so the microsecond is a multiple of 1000. */
export const systemClock: Clock = {
  now: () => PreciseTime.fromEpochMicros(Date.now() * 1000),
};

let current: Clock = systemClock;

/** Replaces the clock used by utcNow(); null restores the system clock. */
export function setClock(c: Clock | null): void {
  current = c ?? systemClock;
}

/** The current time in UTC as a naive PreciseTime, from the injected clock. */
export function utcNow(): PreciseTime {
  return current.now();
}

/** A clock frozen at one time; accepts a PreciseTime or an ISO string (an offset is converted to naive UTC). */
export function fixedClock(at: PreciseTime | string): Clock {
  const t = (typeof at === 'string' ? PreciseTime.parseIso(at) : at).toUtcNaive();
  return { now: () => t };
}
