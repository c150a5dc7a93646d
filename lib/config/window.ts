/**
 * The poll window of getMetrics/getSpend, computed in one place with connector-utils' setupTimeInterval and
 * treated as half-open [start, end): the returned `last_update` is `end`, which is the next poll's `start`, so
 * consecutive polls neither repeat nor lose a sample.
 */
import { setupTimeInterval, type TimeWindow } from '../connector-utils/time/setup-time-interval';
import type { TimeWindow as DateWindow } from '../providers/provider';
import type { ConnectorEvent } from './event';

const DEFAULT_POLL_INTERVAL_S = 900;
const DEFAULT_SKEW_S = 60;
const DEFAULT_BACKFILL_S = 24 * 3600;

/** A non-negative number of seconds from env, or the default. */
function envSeconds(name: string, fallback: number): number {
  const raw = process.env[name];
  const n = Number(raw);
  return raw !== undefined && raw !== '' && Number.isFinite(n) && n >= 0 ? n : fallback;
}

/**
 * The window for this poll. Skew (env METRICS_SKEW_SECONDS, default 60) keeps the end behind "now" so samples
 * the upstream has not published yet are not skipped; backfill (env METRICS_BACKFILL_SECONDS, default 1 day)
 * caps how far one poll catches up after an outage — the rest follows on the next polls.
 */
export function pollWindow(event: ConnectorEvent, logger?: { info(message: string): void }): TimeWindow {
  const pollInterval = event.pollInterval ?? event.resource?.pollInterval ?? DEFAULT_POLL_INTERVAL_S;
  return setupTimeInterval(
    { last_update: event.lastUpdate ?? null, poll_interval: pollInterval },
    {
      skew: envSeconds('METRICS_SKEW_SECONDS', DEFAULT_SKEW_S),
      backfillTime: envSeconds('METRICS_BACKFILL_SECONDS', DEFAULT_BACKFILL_S) || null,
      logger: logger ? { info: (m) => m && logger.info(m) } : null,
    },
  );
}

// Upstream stats APIs take whole seconds and some (Prism) report a sample stamped exactly at the
// requested start only when the start lies before it; one second of margin covers both.
const EDGE_MARGIN_MS = 1000;

/**
 * The window as Dates for providers, widened to whole seconds plus a margin at the start so no sample at
 * an edge is missed; the handler cuts the result back to the exact half-open window (samplesToMetrics).
 */
export function windowToProviderDates(w: TimeWindow): DateWindow {
  const startMs = Math.floor(w.start.epochMicros / 1000) - EDGE_MARGIN_MS;
  const endMs = Math.ceil(w.end.epochMicros / 1000);
  return {
    start: new Date(Math.floor(startMs / 1000) * 1000),
    end: new Date(Math.ceil(endMs / 1000) * 1000),
  };
}
