/** getStatus: health levels 0/1/2 with their reason for clusters, hosts and VMs (get_status.json). */
import { checkResourceId } from '../lib/config/event';
import { utcNow } from '../lib/connector-utils/time/clock';
import { PermissionError } from '../lib/errors';
import { HttpStatusError } from '../lib/http';
import { connectorHandler, invocationOf } from '../lib/middleware/handler';
import { type ConnectorContext, withDeadline } from '../lib/middleware/runtime';
import { microsToRfc3339 } from '../lib/monitoring/logs';
import { entityScope } from '../lib/monitoring/scope';
import { type StatusEntry, statusEntries } from '../lib/monitoring/status';
import type { AlertRecord } from '../lib/providers/monitoring';

/** The get_status result. */
export interface GetStatusResult {
  status: StatusEntry[];
  last_update: string;
}

/**
 * Levels of every cluster, host and VM (bulk: one pass over each list and the open alerts), or of the
 * event's resource alone. Alerts that cannot be read (403/404) leave the structural levels, with a warning.
 */
export async function getStatus(_event: unknown, context: ConnectorContext): Promise<GetStatusResult> {
  const { rt, event, provider: providerOf, outsideScope } = invocationOf(context);
  const scope = entityScope(event.resource);
  const resourceId = event.resource?.id;
  if (scope) checkResourceId(resourceId, true);
  const provider = providerOf();
  const readStart = utcNow().toUtcNaive().epochMicros;
  const time = microsToRfc3339(readStart);
  if (scope && (await outsideScope(scope))) return { status: [], last_update: time };
  const [entities, alerts] = await withDeadline(rt, 'reading health and open alerts', (signal) =>
    Promise.all([
      provider.health(scope ?? null, signal),
      provider
        .alerts({ after: null, until: readStart, names: false, ...(scope ? { scope } : {}) }, signal)
        .catch((err: unknown): AlertRecord[] | null => {
          const denied = err instanceof PermissionError;
          if (!denied && !(err instanceof HttpStatusError && err.status === 404)) throw err;
          rt.log.warn(
            `alerts were not considered: the alerts endpoint answered ${denied ? '403 (no permission)' : '404'}; levels come from cluster, host and disk states only`,
          );
          return null;
        }),
    ]),
  );
  if (scope && entities.length === 0) {
    rt.log.warn(`${event.resource?.type ?? 'server'} ${scope.id} no longer exists: no status entry`);
  }
  const status = statusEntries(entities, alerts, time, scope ? resourceId : undefined);
  const levels = [0, 1, 2].map((l) => status.filter((s) => s.level === l).length);
  Object.assign(rt.counts, {
    entities: status.length,
    level0: levels[0]!,
    level1: levels[1]!,
    level2: levels[2]!,
  });
  return { status, last_update: time };
}

export const handler = connectorHandler('getStatus', getStatus);
