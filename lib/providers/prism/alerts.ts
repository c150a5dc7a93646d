/**
 * Prism alerts for getLogs and getStatus: v4 `monitoring` (its own version), v3 `alerts/list` when v3 is in use
 * or monitoring offers no GA v4, PE v2.0 `alerts` on a Prism Element; bodies parsed with exact integers (ids
 * beyond 2^53). v4 filters by time on the server; v3 and PE document no such filter, so there (and when a v4
 * version rejects it, MONITORING.md §2) every alert is read and the window applied here.
 */
import { UpstreamError } from '../../errors';
import { HttpStatusError, mapLimit } from '../../http';
import {
  type AlertQuery,
  type AlertRecord,
  type AlertSource,
  isoMicros,
  paramText,
  prismSeverity,
  relevant,
  renderTemplate,
  type StatusEntityKind,
} from '../monitoring';
import type { Page } from '../paging';
import { PE_V2_BASE, type PrismApi, type PrismClient } from './client';
import { readPrismDirectory, readPrismVm } from './health';
import { collectPrismPages } from './pages';
import { asObject, bool, type Json, list, num, requireStr, str } from './read';
import { toV4Page, V4_PAGE_SIZE } from './v4';

const V3_ALERT_PAGE = 500;
const V2_ALERT_PAGE = 500;

/** A typed parameter value (one `…Value` / `…_value` key) as text; '' when it holds none. */
function typedParamText(typed: unknown): string {
  const value = asObject(typed);
  return (
    (value &&
      Object.values(value)
        .map(paramText)
        .find((v) => v !== undefined)) ??
    ''
  );
}

/** Which alerts API serves this deployment. */
export type AlertsApi = { kind: 'v4'; version: string } | { kind: 'v3' } | { kind: 'v2' };

/** The alerts API for the API in use: PE → v2.0; v4 with a GA monitoring version → it; else v3. */
export function alertsApi(api: PrismApi): AlertsApi {
  if (api.kind === 'v2') return { kind: 'v2' };
  if (api.kind === 'v4' && api.monitoring) return { kind: 'v4', version: api.monitoring };
  return { kind: 'v3' };
}

/** ISO time as v4 `$filter` takes it: unquoted, UTC, microseconds. */
function filterTime(micros: number): string {
  const ms = Math.floor(micros / 1000);
  const frac = String(micros - Math.floor(micros / 1e6) * 1e6).padStart(6, '0');
  return `${new Date(ms).toISOString().slice(0, 19)}.${frac}Z`;
}

/** The v4 `$filter` for a query: changes after `after`, or (first poll) open now or resolved after `until`. */
export function v4AlertFilter(query: AlertQuery): string {
  if (query.after === null) return `isResolved eq false or resolvedTime gt ${filterTime(query.until)}`;
  const t = filterTime(query.after);
  return `creationTime gt ${t} or resolvedTime gt ${t}`;
}

/** Alerts the query selects (in scope, in its window), names resolved when asked. */
export async function readPrismAlerts(
  client: PrismClient,
  api: PrismApi,
  alerts: AlertsApi,
  query: AlertQuery,
  signal: AbortSignal,
  state: { timeFilterRejected?: boolean } = {},
): Promise<AlertRecord[]> {
  let parsed: ParsedAlert[];
  if (alerts.kind === 'v4') parsed = await readV4(client, alerts.version, query, signal, state);
  else if (alerts.kind === 'v3') parsed = await readV3(client, query, signal);
  else parsed = await readV2(client, query, signal);
  const kept = parsed.filter((p) => relevant(p.alert, query));
  if (query.names && kept.length > 0) await resolveNames(client, api, kept, signal);
  return kept.map((p) => p.alert);
}

/**
 * Fills the names a line shows: the source's name where the alert gave none, the cluster name, and the
 * host of a source VM (one read per distinct VM; a VM gone since falls back to its cluster's name).
 */
async function resolveNames(
  client: PrismClient,
  api: PrismApi,
  parsed: ParsedAlert[],
  signal: AbortSignal,
): Promise<void> {
  const vmIds = [...new Set(parsed.map((p) => p.refs.vmId).filter((v): v is string => v !== undefined))];
  const [dir, vms] = await Promise.all([
    readPrismDirectory(client, api, signal),
    mapLimit(vmIds, client.concurrency, (id, _i, s) => readPrismVm(client, api, id, s), signal),
  ]);
  const vmHost = new Map(vmIds.map((id, i) => [id, vms[i]?.hostId ?? null]));
  for (const { alert, refs } of parsed) {
    const hostId = refs.hostId ?? (refs.vmId ? vmHost.get(refs.vmId) : null) ?? null;
    const host = hostId ? dir.hosts.get(hostId) : undefined;
    alert.hostName = alert.hostName || host?.name || null;
    const clusterId = refs.clusterId ?? host?.clusterId ?? null;
    alert.clusterName ||= (clusterId ? dir.clusters.get(clusterId) : undefined) || null;
    const source = alert.source;
    if (source && !source.name) {
      source.name =
        (source.kind === 'cluster'
          ? dir.clusters.get(source.id)
          : source.kind === 'host'
            ? dir.hosts.get(source.id)?.name
            : source.kind === 'vm'
              ? vms[vmIds.indexOf(source.id)]?.name
              : undefined) || source.id;
    }
  }
}

// ---------------------------------------------------------------- v4

async function readV4(
  client: PrismClient,
  version: string,
  query: AlertQuery,
  signal: AbortSignal,
  state: { timeFilterRejected?: boolean },
): Promise<ParsedAlert[]> {
  const path = `/api/monitoring/${version}/serviceability/alerts`;
  const list = (filter: string | undefined) =>
    collectJsonPages(client, `alerts (monitoring ${version})`, V4_PAGE_SIZE, signal, async (req, s) =>
      toV4Page(
        await client.get<unknown>(
          path,
          { ...(filter ? { $filter: filter } : {}), $page: req.index, $limit: req.limit },
          `list alerts (monitoring ${version})`,
          s,
          { exactIntegers: true },
        ),
        'alerts',
      ),
    );
  let items: Json[];
  if (state.timeFilterRejected) items = await list(undefined);
  else {
    try {
      items = await list(v4AlertFilter(query));
    } catch (err) {
      if (!(err instanceof HttpStatusError && err.status === 400)) throw err;
      state.timeFilterRejected = true;
      client.warn(
        `monitoring ${version} rejected the time filter on alerts (HTTP 400): reading all alerts and filtering by time here`,
      );
      items = await list(undefined);
    }
  }
  return items.map(parseAlertV4);
}

/** A v4 Alert → AlertRecord (names of VM hosts are resolved later). */
export function parseAlertV4(a: Json): ParsedAlert {
  const id = requireStr(a, 'extId', 'alert');
  const params = new Map<string, string>();
  for (const p of list(a, 'parameters', `alert ${id}`)) {
    const name = str(p, 'paramName');
    // Some parameters arrive without a name (MONITORING.md §8): nothing can refer to them.
    if (!name) continue;
    params.set(name, typedParamText(asObject(p)?.paramValue));
  }
  const sev = prismSeverity(str(a, 'severity') ?? '');
  const created = isoMicros(str(a, 'creationTime'));
  if (created === null) throw new UpstreamError(`alert ${id}: missing or invalid creationTime`);
  const resolved =
    bool(a, 'isResolved') === true
      ? (isoMicros(str(a, 'resolvedTime')) ?? isoMicros(str(a, 'lastUpdatedTime')) ?? created)
      : null;
  const clusterId = str(a, 'clusterUUID') ?? str(a, 'originatingClusterUUID');
  const src = entityOf(asObject(a.sourceEntity), 'extId');
  const affected = list(a, 'affectedEntities', `alert ${id}`).map((e) => entityOf(asObject(e), 'extId'));
  const source = src ?? clusterRef(clusterId);
  const { names, refs } = namesAndRefs(source, affected, clusterId, str(a, 'clusterName'));
  const text = renderTemplate(str(a, 'message') ?? str(a, 'title') ?? '', params);
  return parsedAlert(id, sev, text, source, src, { names, refs }, created, resolved);
}

// ---------------------------------------------------------------- v3

async function readV3(client: PrismClient, query: AlertQuery, signal: AbortSignal): Promise<ParsedAlert[]> {
  // Only the open set has a documented FIQL filter; a change feed needs every alert.
  const filter = query.after === null && !query.names ? 'resolved!=true' : undefined;
  const items = await collectJsonPages(client, 'alerts (v3)', V3_ALERT_PAGE, signal, async (req, s) => {
    const body = await client.post<unknown>(
      '/api/nutanix/v3/alerts/list',
      { kind: 'alert', offset: req.offset, length: req.limit, ...(filter ? { filter } : {}) },
      'list alerts (v3)',
      s,
      { exactIntegers: true },
    );
    if (!asObject(body)) throw new UpstreamError('list alerts (v3): response is not a JSON object');
    return {
      items: list(body, 'entities', 'alerts').map((e) => asObject(e) ?? {}),
      total: num(body, 'metadata.total_matches') ?? undefined,
    };
  });
  return items.map(parseAlertV3);
}

/** A v3 alert entity → AlertRecord. */
export function parseAlertV3(e: Json): ParsedAlert {
  const id = requireStr(e, 'metadata.uuid', 'alert');
  const r = asObject(asObject(e.status)?.resources) ?? {};
  const params = new Map<string, string>();
  for (const [name, v] of Object.entries(asObject(r.parameters) ?? {})) params.set(name, typedParamText(v));
  const sev = prismSeverity(str(r, 'severity') ?? '');
  const created = isoMicros(str(r, 'creation_time')) ?? isoMicros(str(e, 'metadata.creation_time'));
  if (created === null) throw new UpstreamError(`alert ${id}: missing or invalid creation_time`);
  const resolved =
    bool(r, 'resolution_status.is_true') === true
      ? (isoMicros(str(r, 'resolution_status.time')) ?? isoMicros(str(r, 'last_update_time')) ?? created)
      : null;
  const affected = list(r, 'affected_entity_list', `alert ${id}`).map((x) => entityOf(asObject(x), 'uuid'));
  const clusterId = str(r, 'source_entity.cluster_uuid') ?? params.get('cluster_uuid') ?? null;
  const first = affected.find((x): x is Entity => x !== null && x.kind !== 'disk') ?? null;
  const source = entityOf(asObject(at(r, 'source_entity')?.entity), 'uuid') ?? first ?? clusterRef(clusterId);
  const { names, refs } = namesAndRefs(source, affected, clusterId, null);
  const text = renderTemplate(str(r, 'default_message') ?? str(r, 'title') ?? '', params);
  return parsedAlert(id, sev, text, source, first, { names, refs }, created, resolved);
}

// ---------------------------------------------------------------- PE v2.0

async function readV2(client: PrismClient, query: AlertQuery, signal: AbortSignal): Promise<ParsedAlert[]> {
  const open = query.after === null && !query.names;
  const items = await collectJsonPages(client, 'alerts (v2.0)', V2_ALERT_PAGE, signal, async (req, s) => {
    const page = req.index + 1;
    const body = await client.get<unknown>(
      `${PE_V2_BASE}/alerts`,
      { ...(open ? { resolved: 'false' } : {}), page, count: req.limit },
      'list alerts (v2.0)',
      s,
      { exactIntegers: true },
    );
    if (!asObject(body)) throw new UpstreamError('list alerts (v2.0): response is not a JSON object');
    return {
      items: list(body, 'entities', 'alerts').map((e) => asObject(e) ?? {}),
      total: num(body, 'metadata.total_entities') ?? num(body, 'metadata.grand_total_entities') ?? undefined,
    };
  });
  return items.map(parseAlertV2);
}

/** A PE v2.0 alert → AlertRecord. */
export function parseAlertV2(a: Json): ParsedAlert {
  const id = requireStr(a, 'id', 'alert');
  const types = list(a, 'context_types', `alert ${id}`);
  const values = list(a, 'context_values', `alert ${id}`);
  const params = new Map<string, string>();
  types.forEach((n, i) => {
    if (typeof n === 'string') params.set(n, paramText(values[i]) ?? '');
  });
  const sev = prismSeverity(str(a, 'severity') ?? '');
  const created = usecs(a.created_time_stamp_in_usecs);
  if (created === null) throw new UpstreamError(`alert ${id}: missing created_time_stamp_in_usecs`);
  const resolved = bool(a, 'resolved') === true ? (usecs(a.resolved_time_stamp_in_usecs) ?? created) : null;
  const affected = list(a, 'affected_entities', `alert ${id}`).map((x) => {
    const o = asObject(x);
    const kind = kindOf(str(o, 'entity_type'));
    const eid = str(o, 'uuid') ?? str(o, 'id');
    return kind && eid ? { kind, id: eid, name: str(o, 'entity_name') ?? '' } : null;
  });
  const clusterId = str(a, 'cluster_uuid');
  const first = affected.find((x): x is Entity => x !== null && x.kind !== 'disk') ?? null;
  const source = affected.find((x): x is Entity => x !== null) ?? clusterRef(clusterId);
  const node = str(a, 'node_uuid');
  const withNode: (Entity | null)[] =
    node && !affected.some((x) => x?.kind === 'host')
      ? [...affected, { kind: 'host', id: node, name: '' }]
      : affected;
  const { names, refs } = namesAndRefs(source, withNode, clusterId, null);
  const text = renderTemplate(str(a, 'message') ?? str(a, 'alert_title') ?? '', params);
  return parsedAlert(id, sev, text, source, first, { names, refs }, created, resolved);
}

// ---------------------------------------------------------------- shared

/** The record every API's parser ends with; `sourcedOnEntity` is what its status counts for (a disk: nothing). */
function parsedAlert(
  id: string,
  sev: ReturnType<typeof prismSeverity>,
  message: string,
  source: Entity | null,
  sourcedOnEntity: Entity | null,
  named: { names: { hostName: string | null; clusterName: string | null }; refs: AlertRefs },
  created: number,
  resolved: number | null,
): ParsedAlert {
  const on = sourcedOnEntity && sourcedOnEntity.kind !== 'disk' ? sourcedOnEntity : null;
  const alert: AlertRecord = {
    id,
    severity: sev.severity,
    ...(sev.unknown !== undefined ? { unknownSeverity: sev.unknown } : {}),
    message,
    source,
    sourcedOn: on ? [{ kind: on.kind as StatusEntityKind, id: on.id }] : [],
    ...named.names,
    createdMicros: created,
    resolvedMicros: resolved,
  };
  return { alert, refs: named.refs };
}

type Entity = AlertSource;

/** Prism entity type spellings → the kinds a line names (`node` is a host). */
function kindOf(type: string | null): Entity['kind'] | null {
  const t = (type ?? '').toLowerCase();
  if (t === 'vm') return 'vm';
  if (t === 'node' || t === 'host') return 'host';
  if (t === 'cluster') return 'cluster';
  if (t === 'disk') return 'disk';
  return null;
}

function entityOf(o: Json | undefined, idKey: string): Entity | null {
  const kind = kindOf(str(o, 'type'));
  const id = str(o, idKey);
  return kind && id ? { kind, id, name: str(o, 'name') ?? '' } : null;
}

function clusterRef(id: string | null): Entity | null {
  return id ? { kind: 'cluster', id, name: '' } : null;
}

function at(o: Json, key: string): Json | undefined {
  return asObject(o[key]);
}

function usecs(v: unknown): number | null {
  const n = typeof v === 'string' ? Number(v) : v;
  return typeof n === 'number' && Number.isSafeInteger(n) && n > 0 ? n : null;
}

/** Ids the name pass resolves: the host a line names as `source_host`, the source VM, the cluster. */
export interface AlertRefs {
  hostId?: string;
  vmId?: string;
  clusterId?: string;
}

/** A parsed alert and the ids behind its names. */
export interface ParsedAlert {
  alert: AlertRecord;
  refs: AlertRefs;
}

function namesAndRefs(
  source: Entity | null,
  affected: (Entity | null)[],
  clusterId: string | null,
  clusterName: string | null,
): { names: { hostName: string | null; clusterName: string | null }; refs: AlertRefs } {
  const host =
    source?.kind === 'host'
      ? source
      : source?.kind === 'disk'
        ? (affected.find((e) => e?.kind === 'host') ?? null)
        : null;
  const cluster = clusterId ?? (source?.kind === 'cluster' ? source.id : null);
  return {
    names: { hostName: host?.name || null, clusterName: clusterName || null },
    refs: {
      ...(host ? { hostId: host.id } : {}),
      ...(source?.kind === 'vm' ? { vmId: source.id } : {}),
      ...(cluster ? { clusterId: cluster } : {}),
    },
  };
}

/** Collects a paged alert list whose ids are `extId` / `metadata.uuid` / `id`. */
async function collectJsonPages(
  client: PrismClient,
  what: string,
  pageSize: number,
  signal: AbortSignal,
  fetchPage: (req: { index: number; offset: number; limit: number }, s: AbortSignal) => Promise<Page<Json>>,
): Promise<Json[]> {
  const idOf = (e: Json) => str(e, 'extId') ?? str(e, 'metadata.uuid') ?? str(e, 'id') ?? '';
  return collectPrismPages(client, { what, pageSize, idOf, fetchPage }, signal);
}
