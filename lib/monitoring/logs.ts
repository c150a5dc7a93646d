/**
 * getLogs' incremental contract, provider-neutral: the watermark window and one log line per alert state
 * change. A poll covers changes with time in (`last_update`, W], W = read start − LOGS_SKEW_SECONDS, and
 * returns W, so chained polls see every change exactly once; the skew leaves room for changes the upstream
 * stamps slightly before they become visible. Without `last_update` the alerts open at W are emitted once,
 * as raised, and no history.
 */
import { PreciseTime } from '../connector-utils/time/precise';
import {
  type AlertRecord,
  type AlertSeverity,
  type EntityScope,
  inScope,
  inWindow,
  openAt,
} from '../providers/monitoring';

/** A get_logs.json line. */
export interface LogLine {
  message: string;
  severity: AlertSeverity;
  time: string;
  service: string;
  source_host?: string;
}

/** The window of one poll (epoch µs) and the `last_update` it returns. */
export interface LogWindow {
  /** Exclusive lower bound; null on a first poll. */
  after: number | null;
  until: number;
  lastUpdate: string;
}

const DEFAULT_SKEW_S = 30;
/** How far back one poll reads at most. */
export const MAX_LOOKBACK_S = 7 * 24 * 3600;

/** LOGS_SKEW_SECONDS (non-negative seconds) or the default 30. */
export function logsSkewSeconds(): number {
  const raw = process.env.LOGS_SKEW_SECONDS;
  const n = Number(raw);
  return raw !== undefined && raw !== '' && Number.isFinite(n) && n >= 0 ? n : DEFAULT_SKEW_S;
}

/** Six fraction digits + Z. */
export function microsToRfc3339(micros: number): string {
  return PreciseTime.fromEpochMicros(micros).toRfc3339Micros();
}

/**
 * The window for a poll that started reading at `readStart`. A `last_update` older than 7 days is
 * clamped (with a warning); one at or after W yields an empty window and is returned unchanged.
 */
export function logWindow(
  lastUpdate: string | undefined,
  readStart: PreciseTime,
  skewSeconds: number,
  warn: (message: string) => void,
): LogWindow {
  const until = readStart.toUtcNaive().epochMicros - Math.round(skewSeconds * 1e6);
  if (lastUpdate === undefined) return { after: null, until, lastUpdate: microsToRfc3339(until) };
  const given = PreciseTime.parseIso(lastUpdate).toUtcNaive().epochMicros;
  if (given >= until) return { after: given, until: given, lastUpdate: microsToRfc3339(given) };
  const floor = until - MAX_LOOKBACK_S * 1e6;
  if (given < floor) {
    warn(
      `last_update ${lastUpdate} is more than 7 days before ${microsToRfc3339(until)}: reading changes since ${microsToRfc3339(floor)} only`,
    );
    return { after: floor, until, lastUpdate: microsToRfc3339(until) };
  }
  return { after: given, until, lastUpdate: microsToRfc3339(until) };
}

/** ` (<kind> <name>) [alert <id>]`: what every line of the alert ends with. */
function suffix(alert: AlertRecord): string {
  const source = alert.source ? ` (${alert.source.kind} ${alert.source.name})` : '';
  return `${source} [alert ${alert.id}]`;
}

/**
 * The lines of the window, ordered by time (raised before resolved at the same instant, then by id).
 * Unknown severities become INFO with one warning naming them. The state changes are selected, warned about
 * and ordered now, as references to their alerts; each line (its message text) is built when it is read, so
 * a streamed result never holds them all.
 */
export function alertLineStream(
  alerts: AlertRecord[],
  window: LogWindow,
  service: string,
  warn: (message: string) => void,
  scope?: EntityScope,
): Generator<LogLine> {
  const changes: { alert: AlertRecord; resolved: boolean; at: number }[] = [];
  const unknown = new Set<string>();
  const push = (alert: AlertRecord, resolved: boolean, at: number) => {
    if (!resolved && alert.unknownSeverity !== undefined) unknown.add(alert.unknownSeverity);
    changes.push({ alert, resolved, at });
  };
  const seen = new Set<string>();
  for (const alert of alerts) {
    if (seen.has(alert.id) || !inScope(alert, scope)) continue;
    seen.add(alert.id);
    if (window.after === null) {
      if (openAt(alert, window.until)) push(alert, false, alert.createdMicros);
      continue;
    }
    if (inWindow(alert.createdMicros, window.after, window.until)) push(alert, false, alert.createdMicros);
    if (inWindow(alert.resolvedMicros, window.after, window.until)) push(alert, true, alert.resolvedMicros);
  }
  if (unknown.size > 0) {
    warn(`alerts with unknown severity ${[...unknown].sort().join(', ')} reported as INFO`);
  }
  // Raised (0) before resolved (1) at the same instant, then by alert id.
  const order = (c: { resolved: boolean }) => (c.resolved ? 1 : 0);
  changes.sort(
    (a, b) =>
      a.at - b.at || order(a) - order(b) || (a.alert.id < b.alert.id ? -1 : a.alert.id > b.alert.id ? 1 : 0),
  );
  return (function* () {
    for (const { alert, resolved, at } of changes) {
      const host = alert.hostName ?? alert.clusterName;
      yield {
        message: `${resolved ? 'Resolved: ' : ''}${alert.message}${suffix(alert)}`,
        severity: resolved ? 'INFO' : alert.severity,
        time: microsToRfc3339(at),
        service,
        ...(host ? { source_host: host } : {}),
      };
    }
  })();
}
