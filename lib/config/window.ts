/**
 * The poll window of getMetrics/getSpend, computed in one place with connector-utils' setupTimeInterval and
 * treated as half-open [start, end): the returned `last_update` is `end`, which is the next poll's `start`, so
 * consecutive polls neither repeat nor lose a sample.
 */
import { utcNow } from '../connector-utils/time/clock';
import { PreciseTime } from '../connector-utils/time/precise';
import { setupTimeInterval, type TimeWindow } from '../connector-utils/time/setup-time-interval';
import type { TimeWindow as DateWindow } from '../providers/provider';
import type { ConnectorEvent } from './event';

const DEFAULT_POLL_INTERVAL_S = 900;
const DEFAULT_SKEW_S = 60;
const DEFAULT_BACKFILL_S = 24 * 3600;
const DEFAULT_HORIZON_S = 7 * 24 * 3600;

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
export function pollWindow(
  event: ConnectorEvent,
  logger?: { info(message: string): void; warn?(message: string): void },
): TimeWindow {
  const pollInterval = event.pollInterval ?? event.resource?.pollInterval ?? DEFAULT_POLL_INTERVAL_S;
  return setupTimeInterval(
    { last_update: withinHorizon(event.lastUpdate, logger), poll_interval: pollInterval },
    {
      skew: envSeconds('METRICS_SKEW_SECONDS', DEFAULT_SKEW_S),
      backfillTime: envSeconds('METRICS_BACKFILL_SECONDS', DEFAULT_BACKFILL_S) || null,
      logger: logger ? { info: (m) => m && logger.info(m) } : null,
    },
  );
}

/**
 * `last_update`, or the backfill horizon (env METRICS_BACKFILL_HORIZON_SECONDS, default 7 days) before now
 * when it is older, with a warning naming the range that is skipped. Without it a poll after a long outage
 * would read from a time no upstream keeps at useful resolution (CloudTower can only look back from now, so
 * its read would span the whole age), and catching up one capped window per poll would take thousands of
 * polls. Within the horizon, catch-up continues window by window and no sample is lost.
 */
export function withinHorizon(
  lastUpdate: string | undefined,
  logger?: { warn?(message: string): void },
): string | null {
  if (lastUpdate === undefined) return null;
  const horizonS = envSeconds('METRICS_BACKFILL_HORIZON_SECONDS', DEFAULT_HORIZON_S);
  const last = PreciseTime.tryParseIso(lastUpdate);
  if (!last || horizonS <= 0) return lastUpdate;
  const floor = PreciseTime.fromEpochMicros(utcNow().epochMicros - Math.round(horizonS * 1e6));
  if (last.epochMicros >= floor.epochMicros) return lastUpdate;
  const clamped = floor.toRfc3339Micros();
  logger?.warn?.(
    `last_update ${lastUpdate} is older than the backfill horizon of ${horizonS} s: samples from ${lastUpdate} to ${clamped} are skipped`,
  );
  return clamped;
}

// Upstream stats APIs take whole seconds and some (Prism) report a sample stamped exactly at the
// requested start only when the start lies before it; one second of margin covers both.
const EDGE_MARGIN_MS = 1000;

/**
 * The window as Dates for providers, widened to whole seconds plus a margin at the start so no sample at
 * an edge is missed; the handler cuts the result back to the exact half-open window (metricPoints).
 */
export function windowToProviderDates(w: TimeWindow): DateWindow {
  const startMs = Math.floor(w.start.epochMicros / 1000) - EDGE_MARGIN_MS;
  const endMs = Math.ceil(w.end.epochMicros / 1000);
  return {
    start: new Date(Math.floor(startMs / 1000) * 1000),
    end: new Date(Math.ceil(endMs / 1000) * 1000),
  };
}
