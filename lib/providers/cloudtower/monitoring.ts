/**
 * CloudTower alerts and health, one reader each for getLogs and getStatus. Alerts come from `get-alerts`
 * (the client sends `content-language: en-US`), paged, with `where` filters for the window: creation is a
 * DateTime filter, `local_end_time` a String one compared as text (MONITORING.md §2.2), so the bound is
 * written in the server's own format, floored to the millisecond, and the exact window applied here.
 * Health is one pass over clusters, hosts, disks and VMs (not in the recycle bin).
 */
import {
  type AlertQuery,
  type AlertRecord,
  type AlertSeverity,
  type EntityScope,
  type HealthCause,
  type HealthEntity,
  isoMicros,
  relevant,
  renderTemplate,
} from '../monitoring';
import type { CloudTowerClient } from './client';
import { CloudTowerResponseError } from './client';

type Ref = { id: string; name?: string | null } | null | undefined;

interface CtAlert {
  id: string;
  severity?: unknown;
  ended?: unknown;
  message?: unknown;
  local_create_time?: unknown;
  local_end_time?: unknown;
  local_update_time?: unknown;
  cluster?: Ref;
  host?: Ref;
  disk?: Ref;
  vms?: { id: string; name?: string | null }[] | null;
}

const SEVERITIES: Record<string, AlertSeverity> = { CRITICAL: 'CRITICAL', NOTICE: 'WARNING', INFO: 'INFO' };

/** `YYYY-MM-DDTHH:MM:SS.mmmZ`, the format CloudTower writes its alert times in. */
function towerTime(micros: number): string {
  return new Date(Math.floor(micros / 1000)).toISOString();
}

/** The `where` of an alert query: the window (or the open set) and, with a scope, the entity. */
export function alertWhere(query: AlertQuery): Record<string, unknown> {
  const window =
    query.after === null
      ? { OR: [{ ended: false }, { local_end_time_gt: towerTime(query.until) }] }
      : {
          OR: [
            { local_create_time_gt: towerTime(query.after) },
            { local_end_time_gt: towerTime(query.after) },
          ],
        };
  const scope = query.scope;
  if (!scope) return window;
  const entity =
    scope.kind === 'cluster'
      ? { cluster: { id: scope.id } }
      : { OR: [{ host: { id: scope.id } }, { vms_some: { id: scope.id } }] };
  return { AND: [window, entity] };
}

/** A CloudTower alert → AlertRecord. */
export function parseTowerAlert(a: CtAlert): AlertRecord {
  if (typeof a.id !== 'string' || a.id === '') throw new CloudTowerResponseError('an alert without id');
  const raw = typeof a.severity === 'string' ? a.severity : String(a.severity);
  const severity = SEVERITIES[raw];
  const created = isoMicros(a.local_create_time);
  if (created === null) throw new CloudTowerResponseError(`alert ${a.id}: invalid local_create_time`);
  const resolved =
    a.ended === true ? (isoMicros(a.local_end_time) ?? isoMicros(a.local_update_time) ?? created) : null;
  const vms = (a.vms ?? []).filter((v) => v && typeof v.id === 'string');
  const host = a.host ?? null;
  const cluster = a.cluster ?? null;
  const name = (r: { id: string; name?: string | null }) => r.name || r.id;
  const source = a.disk
    ? { kind: 'disk' as const, id: a.disk.id, name: name(a.disk) }
    : vms[0]
      ? { kind: 'vm' as const, id: vms[0].id, name: name(vms[0]) }
      : host
        ? { kind: 'host' as const, id: host.id, name: name(host) }
        : cluster
          ? { kind: 'cluster' as const, id: cluster.id, name: name(cluster) }
          : null;
  return {
    id: a.id,
    severity: severity ?? 'INFO',
    ...(severity === undefined ? { unknownSeverity: raw } : {}),
    message: renderTemplate(typeof a.message === 'string' ? a.message : '', new Map()),
    source,
    sourcedOn:
      vms.length > 0
        ? vms.map((v) => ({ kind: 'vm' as const, id: v.id }))
        : host
          ? [{ kind: 'host', id: host.id }]
          : cluster
            ? [{ kind: 'cluster', id: cluster.id }]
            : [],
    hostName: host?.name || null,
    clusterName: cluster?.name || null,
    createdMicros: created,
    resolvedMicros: resolved,
  };
}

/** Alerts the query selects; for a VM source without a host on the alert, the VM's host is read. */
export async function readTowerAlerts(
  client: CloudTowerClient,
  query: AlertQuery,
  signal: AbortSignal,
): Promise<AlertRecord[]> {
  const rows = await client.listAll<CtAlert>('alerts', alertWhere(query), signal);
  const alerts = rows.map(parseTowerAlert).filter((a) => relevant(a, query));
  if (!query.names) return alerts;
  const vmIds = [
    ...new Set(alerts.filter((a) => a.source?.kind === 'vm' && !a.hostName).map((a) => a.source!.id)),
  ];
  if (vmIds.length === 0) return alerts;
  const vms = await client.call<{ id: string; host?: Ref }[]>(
    'get-vms',
    { where: { id_in: vmIds }, first: vmIds.length },
    signal,
  );
  if (!Array.isArray(vms)) throw new CloudTowerResponseError('get-vms did not answer an array');
  const hostOf = new Map(vms.map((v) => [v.id, v.host?.name || null]));
  for (const a of alerts)
    if (a.source?.kind === 'vm' && !a.hostName) a.hostName = hostOf.get(a.source.id) ?? null;
  return alerts;
}

// ---------------------------------------------------------------- health

interface CtHealthCluster {
  id: string;
  name?: string;
  connect_state?: string;
}
interface CtHealthHost {
  id: string;
  name?: string;
  cluster?: Ref;
  status?: string;
  host_state?: { state?: string | null } | null;
}
interface CtHealthDisk {
  id: string;
  name?: string;
  health_status?: string | null;
  host?: Ref;
}

const HOST_STATUS_ERROR = new Set(['CONNECTED_ERROR', 'CONNECTING', 'INITIALIZING', 'SESSION_EXPIRED']);
const HOST_MAINTENANCE = new Set(['ENTERING_MAINTENANCE_MODE', 'MAINTENANCE_MODE']);
const DISK_ERROR = new Set(['UNHEALTHY', 'SMART_FAILED', 'SOFTWARE_RAID_FAILURE']);

/** Causes of a CloudTower cluster (connect_state). */
export function towerClusterCauses(c: CtHealthCluster): HealthCause[] {
  const s = c.connect_state ?? '';
  if (s === 'DISCONNECTED' || s === 'REMOVING')
    return [{ level: 2, group: 'cluster', text: `cluster connect_state ${s}` }];
  if (s === 'INITIALIZING') return [{ level: 1, group: 'cluster', text: `cluster connect_state ${s}` }];
  return [];
}

/** Causes of a CloudTower host (status, maintenance) and of the disks on it. */
export function towerHostCauses(h: CtHealthHost, disks: CtHealthDisk[]): HealthCause[] {
  const causes: HealthCause[] = [];
  const status = h.status ?? '';
  if (HOST_STATUS_ERROR.has(status)) causes.push({ level: 2, group: 'host', text: `host status ${status}` });
  else if (status === 'CONNECTED_WARNING')
    causes.push({ level: 1, group: 'host', text: `host status ${status}` });
  const state = h.host_state?.state ?? '';
  if (HOST_MAINTENANCE.has(state))
    causes.push({ level: 1, group: 'host', text: `host in maintenance (${state})` });
  for (const d of disks) {
    const health = d.health_status ?? '';
    const level = DISK_ERROR.has(health) ? 2 : health === 'SUBHEALTHY' ? 1 : 0;
    if (level > 0)
      causes.push({ level: level as 1 | 2, group: 'disk', text: `disk ${d.name || d.id} ${health}` });
  }
  return causes;
}

function disksByHost(disks: CtHealthDisk[]): Map<string, CtHealthDisk[]> {
  const out = new Map<string, CtHealthDisk[]>();
  for (const d of disks) {
    const hostId = d.host?.id;
    if (!hostId) continue;
    const list = out.get(hostId);
    if (list) list.push(d);
    else out.set(hostId, [d]);
  }
  for (const list of out.values()) list.sort((a, b) => (a.name ?? a.id).localeCompare(b.name ?? b.id));
  return out;
}

/** What getStatus needs of a VM: whole rows must not outlive their page (./rows). */
interface CtHealthVm {
  id: string;
  name?: string;
  cluster?: Ref;
}
const pickVm = (r: CtHealthVm): CtHealthVm => ({
  id: r.id,
  name: r.name,
  cluster: r.cluster && { id: r.cluster.id },
});

/** Clusters, hosts (with their disks' causes) and VMs not in the recycle bin; with a scope, that one entity. */
export async function readTowerHealth(
  client: CloudTowerClient,
  scope: EntityScope | null,
  signal: AbortSignal,
): Promise<HealthEntity[]> {
  const cluster = (c: CtHealthCluster): HealthEntity => ({
    kind: 'cluster',
    id: c.id,
    name: c.name ?? '',
    causes: towerClusterCauses(c),
    clusterId: c.id,
  });
  const host = (h: CtHealthHost, disks: CtHealthDisk[]): HealthEntity => ({
    kind: 'host',
    id: h.id,
    name: h.name ?? '',
    causes: towerHostCauses(h, disks),
    clusterId: h.cluster?.id ?? null,
  });
  const vm = (v: CtHealthVm): HealthEntity => ({
    kind: 'vm',
    id: v.id,
    name: v.name ?? '',
    causes: [],
    clusterId: v.cluster?.id ?? null,
  });
  if (!scope) {
    const [clusters, hosts, disks, vms] = await Promise.all([
      client.listAll<CtHealthCluster>('clusters', undefined, signal),
      client.listAll<CtHealthHost>('hosts', undefined, signal),
      client.listAll<CtHealthDisk>('disks', undefined, signal),
      client.listAll<CtHealthVm>('vms', { in_recycle_bin: false }, signal, pickVm),
    ]);
    const byHost = disksByHost(disks);
    return [...clusters.map(cluster), ...hosts.map((h) => host(h, byHost.get(h.id) ?? [])), ...vms.map(vm)];
  }
  const one = async <T>(op: string, where: unknown): Promise<T | undefined> => {
    const rows = await client.call<T[]>(op, { where, first: 1 }, signal);
    if (!Array.isArray(rows)) throw new CloudTowerResponseError(`${op} did not answer an array`);
    return rows[0];
  };
  if (scope.kind === 'cluster') {
    const c = await one<CtHealthCluster>('get-clusters', { id: scope.id });
    return c ? [cluster(c)] : [];
  }
  const h = await one<CtHealthHost>('get-hosts', { id: scope.id });
  if (h) {
    const disks = await client.listAll<CtHealthDisk>('disks', { host: { id: scope.id } }, signal);
    return [host(h, disksByHost(disks).get(h.id) ?? [])];
  }
  const v = await one<CtHealthVm>('get-vms', { id: scope.id, in_recycle_bin: false });
  return v ? [vm(v)] : [];
}
