/** getLogs: alert state changes since `last_update` as nflex log lines (get_logs.json). */
import { utcNow } from '../lib/connector-utils/time/clock';
import { connectorHandler, invocationOf, wholeResult } from '../lib/middleware/handler';
import { type ConnectorContext, withDeadline } from '../lib/middleware/runtime';
import { alertLineStream, type LogLine, logsSkewSeconds, logWindow } from '../lib/monitoring/logs';
import { entityScope } from '../lib/monitoring/scope';

/** The get_logs result. */
export interface GetLogsResult {
  logs: LogLine[];
  last_update: string;
}

const SERVICE = { nutanix: 'nutanix.alerts', cloudtower: 'cloudtower.alerts' } as const;

/**
 * One line per alert raised or resolved in (`last_update`, read start − LOGS_SKEW_SECONDS]; without
 * `last_update`, the alerts open at that instant. With `event.resource`, only alerts sourced on it.
 */
export const getLogs = wholeResult<'logs', LogLine>('logs', logsOfWindow);

/**
 * getLogs' result with its lines still to be built, one at a time as they are read (getLogsStream writes
 * them so): the alerts are read complete first.
 */
export async function logsOfWindow(
  context: ConnectorContext,
): Promise<{ logs: Iterable<LogLine>; last_update: string }> {
  const { rt, event, provider: providerOf, outsideScope } = invocationOf(context);
  const scope = entityScope(event.resource);
  const provider = providerOf();
  const warn = (m: string) => rt.log.warn(m);
  const window = logWindow(event.lastUpdate, utcNow(), logsSkewSeconds(), warn);
  if (window.after !== null && window.after >= window.until)
    return { logs: [], last_update: window.lastUpdate };
  if (scope && (await outsideScope(scope))) return { logs: [], last_update: window.lastUpdate };
  const alerts = await withDeadline(rt, 'reading alerts', (signal) =>
    provider.alerts(
      { after: window.after, until: window.until, names: true, ...(scope ? { scope } : {}) },
      signal,
    ),
  );
  rt.counts.alerts = alerts.length;
  return {
    logs: alertLineStream(alerts, window, SERVICE[event.provider], warn, scope),
    last_update: window.lastUpdate,
  };
}

export const handler = connectorHandler('getLogs', getLogs);
