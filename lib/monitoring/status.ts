/**
 * getStatus' level rule, provider-neutral (docs/functions.md "getStatus"): an entity's level is
 * the highest of its structural causes (from the provider's health reader) and of the open alerts sourced
 * on it (CRITICAL → 2, WARNING/NOTICE → 1); `reason` names every cause, `; `-joined, in the order
 * cluster, host, disk, alerts, or `healthy`. No roll-up: each entity counts only what is its own.
 */
import type { AlertRecord, HealthCause, HealthEntity } from '../providers/monitoring';

/** A get_status.json entry. */
export interface StatusEntry {
  level: 0 | 1 | 2;
  time: string;
  source: string;
  reason: string;
  resource_id?: string;
}

const GROUP_ORDER: Record<HealthCause['group'], number> = { cluster: 0, host: 1, disk: 2 };

/** Open CRITICAL/WARNING alerts per `<kind>/<id>`, oldest first. */
function alertCausesByEntity(alerts: AlertRecord[]): Map<string, { level: 1 | 2; text: string }[]> {
  const out = new Map<string, { level: 1 | 2; text: string }[]>();
  const sorted = [...alerts].sort(
    (a, b) => a.createdMicros - b.createdMicros || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  for (const a of sorted) {
    if (a.severity === 'INFO' || a.resolvedMicros !== null) continue;
    const cause = {
      level: a.severity === 'CRITICAL' ? (2 as const) : (1 as const),
      text: `${a.severity} alert ${a.id}: ${a.message}`,
    };
    for (const e of a.sourcedOn) {
      const key = `${e.kind}/${e.id}`;
      const list = out.get(key);
      if (list) list.push(cause);
      else out.set(key, [cause]);
    }
  }
  return out;
}

/**
 * One entry per entity. `alerts` null = alerts could not be read (levels from structural states only).
 * `resourceId` is set on every entry (per-resource mode has exactly one).
 */
export function statusEntries(
  entities: HealthEntity[],
  alerts: AlertRecord[] | null,
  time: string,
  resourceId?: string,
): StatusEntry[] {
  const byEntity = alertCausesByEntity(alerts ?? []);
  return entities.map((e) => {
    const structural = [...e.causes].sort((a, b) => GROUP_ORDER[a.group] - GROUP_ORDER[b.group]);
    const causes = [...structural, ...(byEntity.get(`${e.kind}/${e.id}`) ?? [])];
    const level = Math.max(0, ...causes.map((c) => c.level)) as 0 | 1 | 2;
    return {
      level,
      time,
      source: `${e.kind}/${e.id}`,
      reason: causes.length === 0 ? 'healthy' : causes.map((c) => c.text).join('; '),
      ...(resourceId !== undefined ? { resource_id: resourceId } : {}),
    };
  });
}
