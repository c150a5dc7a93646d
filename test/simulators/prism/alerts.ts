/**
 * Alerts and health for the Prism simulator: an alert book on a clock the tests move (raise and resolve
 * alerts between polls), served as v4 `monitoring` (envelope, `$filter` with the 400s MONITORING.md §2
 * describes: time filters rejected on alerts v4.0), v3 `alerts/list` (FIQL `resolved!=true`,
 * `severity==critical`, `;` and `,`) and PE v2.0 `alerts` (`resolved`, `page`+`count`); single-VM reads
 * for the names a log line shows; health variety on the model (a host in maintenance, a disconnected
 * host, a degraded host, a cluster below its fault tolerance); and ground truth of the expected log
 * lines' parts and of every entity's level and causes.
 */
import { Rng } from '../common/rng';
import type { SimResponse, SimServer } from '../common/server';
import type { PrismWorld } from './model';
import { renderVmV2 } from './render-v2';
import { renderVmV3, v3Error } from './render-v3';
import { listMetadata, obj, renderVm, v4Error, v4ValidationError } from './render-v4';

export type AlertSeverity = 'CRITICAL' | 'WARNING' | 'INFO';
type SourceType = 'vm' | 'node' | 'cluster';

export interface SimAlertParam {
  name: string;
  kind: 'string' | 'int' | 'bool';
  /** Text of the value (integers as exact digits, possibly beyond 2^53). */
  value: string;
}

export interface SimAlert {
  id: string;
  alertType: string;
  severity: AlertSeverity;
  title: string;
  /** Template with `{name}` placeholders. */
  message: string;
  params: SimAlertParam[];
  source: { type: SourceType; id: string; name: string };
  clusterId: string;
  createdMicros: number;
  resolvedMicros: number | null;
  acknowledged: boolean;
}

/** Health flavour of the API a deployment is read with (decides which causes exist). */
export type HealthFlavour = 'v4' | 'v3' | 'v2';

/** The expected getStatus entry of one entity. */
export interface ExpectedStatus {
  kind: 'cluster' | 'host' | 'vm';
  id: string;
  level: 0 | 1 | 2;
  causes: string[];
}

/** Time filters the alert list accepts per version: v4.0 rejects them (DD's fallback). */
function acceptsTimeFilter(version: string): boolean {
  return version !== 'v4.0';
}

const BIG_PARAM = '1046537006312362520';
const BIG_MARK = '\u0000bigint:';

/** Renders a template as the connector must: parameters present (even empty) fill, missing ones leave the bare name. */
export function renderAlertText(alert: SimAlert): string {
  const params = new Map(alert.params.map((p) => [p.name, p.value]));
  return alert.message.replace(/\{([^{}]*)\}/g, (_, n: string) => params.get(n) ?? n);
}

/** Applies the health variety to a freshly built world (first clusters and hosts). */
export function applyHealthVariety(world: PrismWorld): void {
  const real = world.clusters.filter((c) => !c.isPrismCentral);
  const first = real[0]!;
  first.faultTolerance = { current: 0, desired: 1 };
  const hostsOf = (id: string) => world.hosts.filter((h) => h.clusterId === id);
  const [maint, down] = hostsOf(first.extId);
  if (maint) {
    maint.hypervisorState = 'ENTERED_MAINTENANCE_MODE';
    maint.maintenanceState = 'entered_maintenance';
    maint.inMaintenance = true;
  }
  if (down) down.connectionState = 'DISCONNECTED';
  const second = real[1];
  const degraded = second ? hostsOf(second.extId)[2] : hostsOf(first.extId)[2];
  if (degraded) degraded.isDegraded = true;
}

/** An alert's source and cluster: a VM's or host's own cluster, or the cluster itself. */
function sourceOf(
  type: SourceType,
  entity: { extId: string; name: string; clusterId?: string },
): Pick<SimAlert, 'source' | 'clusterId'> {
  return {
    source: { type, id: entity.extId, name: entity.name },
    clusterId: entity.clusterId ?? entity.extId,
  };
}

/** The alert book: alerts over time, on the simulator's clock. */
export class PrismAlertBook {
  alerts: SimAlert[] = [];
  private readonly rng: Rng;
  private serial = 0;

  constructor(
    private readonly world: PrismWorld,
    seed: number,
    /** Epoch ms. */
    readonly now: () => number,
  ) {
    this.rng = new Rng(seed).fork('alerts');
    this.seed();
  }

  private nowMicros(): number {
    // A sub-millisecond part so six-digit times are exercised; strictly increasing per alert.
    return this.now() * 1000 + (++this.serial % 997);
  }

  private uuid(): string {
    return this.rng.uuid();
  }

  /** The initial alerts: every source kind and severity, parameters of every kind, one resolved, one acknowledged. */
  private seed(): void {
    const w = this.world;
    const real = w.clusters.filter((c) => !c.isPrismCentral);
    const c0 = real[0]!;
    const c1 = real[1] ?? c0;
    const hostsOf = (id: string) => w.hosts.filter((h) => h.clusterId === id);
    const downHost = hostsOf(c0.extId)[1] ?? hostsOf(c0.extId)[0]!;
    const warnHost = hostsOf(c1.extId)[0]!;
    const vms = w.vms.filter((v) => !v.isAgentVm);
    const vmA = vms[1] ?? vms[0]!;
    const vmB = vms[2] ?? vms[0]!;
    const t = this.now() * 1000;
    const str = (name: string, value: string): SimAlertParam => ({ name, kind: 'string', value });
    const int = (name: string, value: string): SimAlertParam => ({ name, kind: 'int', value });
    const add = (
      severity: AlertSeverity,
      source: Pick<SimAlert, 'source' | 'clusterId'>,
      text: { title: string; message: string; params: SimAlertParam[] },
      createdMicros: number,
      more: { resolvedMicros?: number; acknowledged?: boolean } = {},
    ) =>
      this.alerts.push({
        id: this.uuid(),
        alertType: `A${1000 + this.alerts.length}`,
        severity,
        ...text,
        ...source,
        createdMicros,
        resolvedMicros: more.resolvedMicros ?? null,
        acknowledged: more.acknowledged ?? false,
      });
    const host = (h: { extId: string; name: string; clusterId: string }) => sourceOf('node', h);
    const vm = (v: { extId: string; name: string; clusterId: string }) => sourceOf('vm', v);
    const cluster = (c: { extId: string; name: string }) => sourceOf('cluster', c);
    add(
      'CRITICAL',
      host(downHost),
      {
        title: 'Host {host_name} is disconnected',
        message: 'Host {host_name} lost its connection to the cluster {cluster_name}.',
        params: [str('host_name', downHost.name), str('cluster_name', c0.name)],
      },
      t - 3_600_000_000 + 123_456,
    );
    add(
      'WARNING',
      vm(vmA),
      {
        title: 'VM {vm_name} disk usage high',
        message:
          'Disk usage of {vm_name} exceeded {threshold}% (arithmos id {arithmos_id}){detail} on {entity}.',
        params: [
          str('vm_name', vmA.name),
          int('threshold', '75'),
          int('arithmos_id', BIG_PARAM),
          str('detail', ''),
        ],
      },
      t - 1_800_000_000 + 654_321,
    );
    add(
      'INFO',
      cluster(c1),
      {
        title: 'Cluster {cluster_name} license expires soon',
        message: 'The license of cluster {cluster_name} expires in {days} days (auto renew {auto_renew}).',
        params: [
          str('cluster_name', c1.name),
          int('days', '30'),
          { name: 'auto_renew', kind: 'bool', value: 'false' },
        ],
      },
      t - 7_200_000_000 + 1,
    );
    add(
      'WARNING',
      host(warnHost),
      {
        title: 'Host CPU usage high',
        message: 'CPU usage of host {host_name} is {usage}%.',
        params: [str('host_name', warnHost.name), int('usage', '91')],
      },
      t - 900_000_000 + 42,
    );
    add(
      'CRITICAL',
      vm(vmB),
      {
        title: 'VM {vm_name} is unresponsive',
        message: 'VM {vm_name} stopped answering heartbeats.',
        params: [str('vm_name', vmB.name)],
      },
      t - 600_000_000 + 7,
    );
    const clusterText = (title: string, message: string, c: { name: string }) => ({
      title,
      message,
      params: [str('cluster_name', c.name)],
    });
    add(
      'WARNING',
      cluster(c0),
      clusterText(
        'Cluster {cluster_name} resiliency',
        'Cluster {cluster_name} cannot tolerate a node failure.',
        c0,
      ),
      t - 5_000_000_000 + 5,
      { acknowledged: true },
    );
    add(
      'CRITICAL',
      cluster(c1),
      clusterText('Old outage', 'Cluster {cluster_name} was unreachable.', c1),
      t - 86_400_000_000,
      { resolvedMicros: t - 80_000_000_000 },
    );
  }

  /** Raises an alert now on a VM, host or cluster; returns it. */
  raise(options: { severity: AlertSeverity; source: { type: SourceType; id: string } }): SimAlert {
    const w = this.world;
    const { type, id } = options.source;
    const entity =
      type === 'vm'
        ? w.vms.find((v) => v.extId === id)
        : type === 'node'
          ? w.hosts.find((h) => h.extId === id)
          : w.clusters.find((c) => c.extId === id);
    if (!entity) throw new Error(`no ${type} ${id}`);
    const alert: SimAlert = {
      id: this.uuid(),
      alertType: `A${2000 + this.alerts.length}`,
      severity: options.severity,
      title: 'Raised by the test',
      message: `Check {check} failed on {entity_name} (value {value}).`,
      params: [
        { name: 'check', kind: 'string', value: `check-${this.alerts.length}` },
        { name: 'entity_name', kind: 'string', value: entity.name },
        { name: 'value', kind: 'int', value: String(this.rng.int(1, 100)) },
      ],
      ...sourceOf(type, entity),
      createdMicros: this.nowMicros(),
      resolvedMicros: null,
      acknowledged: false,
    };
    this.alerts.push(alert);
    return alert;
  }

  /** Resolves an open alert now. */
  resolve(id: string): SimAlert {
    const alert = this.alerts.find((a) => a.id === id);
    if (!alert || alert.resolvedMicros !== null) throw new Error(`no open alert ${id}`);
    alert.resolvedMicros = this.nowMicros();
    return alert;
  }

  /** A copy of every alert. */
  truth(): SimAlert[] {
    return structuredClone(this.alerts);
  }

  /**
   * Expected getStatus entries at `atMicros` for the API flavour: structural causes in the order cluster,
   * host, then open CRITICAL/WARNING alerts sourced on the entity (by creation time).
   */
  expectedStatus(flavour: HealthFlavour, atMicros: number): ExpectedStatus[] {
    const w = this.world;
    const open = this.alerts
      .filter(
        (a) => a.createdMicros <= atMicros && (a.resolvedMicros === null || a.resolvedMicros > atMicros),
      )
      .filter((a) => a.severity !== 'INFO')
      .sort((a, b) => a.createdMicros - b.createdMicros || (a.id < b.id ? -1 : 1));
    const alertCauses = (kind: SourceType, id: string) =>
      open
        .filter((a) => a.source.type === kind && a.source.id === id)
        .map((a) => ({
          level: a.severity === 'CRITICAL' ? 2 : 1,
          text: `${a.severity} alert ${a.id}: ${renderAlertText(a)}`,
        }));
    const entry = (
      kind: ExpectedStatus['kind'],
      id: string,
      causes: { level: number; text: string }[],
    ): ExpectedStatus => ({
      kind,
      id,
      level: Math.max(0, ...causes.map((c) => c.level)) as 0 | 1 | 2,
      causes: causes.map((c) => c.text),
    });
    const out: ExpectedStatus[] = [];
    for (const c of w.clusters.filter((x) => !x.isPrismCentral)) {
      const causes: { level: number; text: string }[] = [];
      if (flavour !== 'v2' && !c.isAvailable)
        causes.push({ level: 2, text: 'cluster unreachable (isAvailable false)' });
      if (c.faultTolerance && flavour === 'v4') {
        causes.push({
          level: 1,
          text: `cluster fault tolerance ${c.faultTolerance.current} below desired ${c.faultTolerance.desired}`,
        });
      }
      if (c.faultTolerance && flavour === 'v2') {
        causes.push({
          level: 1,
          text: `cluster redundancy factor ${c.faultTolerance.current + 1} below desired ${c.faultTolerance.desired + 1}`,
        });
      }
      out.push(entry('cluster', c.extId, [...causes, ...alertCauses('cluster', c.extId)]));
    }
    for (const h of w.hosts) {
      const causes: { level: number; text: string }[] = [];
      if (flavour !== 'v3') {
        if (h.connectionState === 'DISCONNECTED')
          causes.push({
            level: 2,
            text: `host disconnected (${flavour === 'v2' ? 'kDisconnected' : 'DISCONNECTED'})`,
          });
        if (h.isDegraded) causes.push({ level: 2, text: 'host degraded' });
        if (h.inMaintenance)
          causes.push({
            level: 1,
            text: flavour === 'v2' ? 'host in maintenance' : `host in maintenance (${h.hypervisorState})`,
          });
      }
      out.push(entry('host', h.extId, [...causes, ...alertCauses('node', h.extId)]));
    }
    for (const v of w.vms) out.push(entry('vm', v.extId, alertCauses('vm', v.extId)));
    return out;
  }
}

// ---------------------------------------------------------------- rendering

function isoMicros(micros: number): string {
  const s = new Date(Math.floor(micros / 1000)).toISOString().slice(0, 19);
  return `${s}.${String(micros % 1_000_000).padStart(6, '0')}Z`;
}

/** A parameter's typed value; v4 spells the keys `intValue`, v3 `int_value`. */
function paramValue(p: SimAlertParam, keys: 'camel' | 'snake'): Record<string, unknown> {
  const key = (kind: string) => (keys === 'camel' ? `${kind}Value` : `${kind}_value`);
  if (p.kind === 'int') return { [key('int')]: `${BIG_MARK}${p.value}` };
  if (p.kind === 'bool') return { [key('bool')]: p.value === 'true' };
  return { [key('string')]: p.value };
}

/** JSON text with marked integers written as bare number literals (exact digits, as the real API sends them). */
function jsonWithIntegers(value: unknown): string {
  return JSON.stringify(value).replace(/"\\u0000bigint:(-?\d+)"/g, '$1');
}

function renderAlertV4(a: SimAlert, world: PrismWorld, version: string): Record<string, unknown> {
  const cluster = world.clusters.find((c) => c.extId === a.clusterId);
  const entity = obj('monitoring.v4.serviceability.AlertEntityReference', {
    extId: a.source.id,
    name: a.source.name,
    type: a.source.type,
  });
  return obj('monitoring.v4.serviceability.Alert', {
    extId: a.id,
    alertType: a.alertType,
    severity: a.severity,
    title: a.title,
    message: a.message,
    isResolved: a.resolvedMicros !== null,
    isAutoResolved: false,
    isAcknowledged: a.acknowledged,
    isUserDefined: false,
    creationTime: isoMicros(a.createdMicros),
    lastUpdatedTime: isoMicros(a.resolvedMicros ?? a.createdMicros),
    ...(a.resolvedMicros !== null ? { resolvedTime: isoMicros(a.resolvedMicros) } : {}),
    sourceEntity: entity,
    affectedEntities: [entity],
    clusterUUID: a.clusterId,
    originatingClusterUUID: a.clusterId,
    ...(version >= 'v4.2' && cluster ? { clusterName: cluster.name } : {}),
    classifications: ['Cluster'],
    impactTypes: ['AVAILABILITY'],
    severityTrails: [{ severity: a.severity, severityChangeTime: isoMicros(a.createdMicros) }],
    parameters: [
      // A parameter without a name, as real alerts carry (MONITORING.md §8): it must be skipped.
      { paramValue: { stringValue: 'unnamed' } },
      ...a.params.map((p) => ({ paramName: p.name, paramValue: paramValue(p, 'camel') })),
    ],
  });
}

function renderAlertV3(a: SimAlert): Record<string, unknown> {
  const type = a.source.type === 'node' ? 'host' : a.source.type;
  const entity = { type, name: a.source.name, uuid: a.source.id };
  return {
    metadata: {
      kind: 'alert',
      uuid: a.id,
      creation_time: isoMicros(a.createdMicros),
      last_update_time: isoMicros(a.resolvedMicros ?? a.createdMicros),
    },
    status: {
      resources: {
        type: a.alertType,
        severity: a.severity.toLowerCase(),
        title: a.title,
        default_message: a.message,
        parameters: {
          ...Object.fromEntries(a.params.map((p) => [p.name, paramValue(p, 'snake')])),
          cluster_uuid: { string_value: a.clusterId },
        },
        resolution_status: {
          is_true: a.resolvedMicros !== null,
          is_auto_resolved: false,
          ...(a.resolvedMicros !== null ? { time: isoMicros(a.resolvedMicros) } : {}),
        },
        acknowledged_status: { is_true: a.acknowledged },
        creation_time: isoMicros(a.createdMicros),
        last_update_time: isoMicros(a.resolvedMicros ?? a.createdMicros),
        latest_occurrence_time: isoMicros(a.createdMicros),
        source_entity: { cluster_uuid: a.clusterId, entity },
        affected_entity_list: [entity],
        classification_list: ['Cluster'],
        impact_type_list: ['Availability'],
      },
    },
  };
}

function renderAlertV2(a: SimAlert): Record<string, unknown> {
  const type = a.source.type === 'node' ? 'host' : a.source.type;
  return {
    id: a.id,
    alert_type_uuid: a.alertType,
    check_id: `${a.clusterId}::${a.alertType.slice(1)}`,
    severity: `k${a.severity[0]}${a.severity.slice(1).toLowerCase()}`,
    alert_title: a.title,
    message: a.message,
    detailed_message: '',
    context_types: a.params.map((p) => p.name),
    context_values: a.params.map((p) => p.value),
    resolved: a.resolvedMicros !== null,
    auto_resolved: false,
    acknowledged: a.acknowledged,
    user_defined: false,
    created_time_stamp_in_usecs: a.createdMicros,
    last_occurrence_time_stamp_in_usecs: a.createdMicros,
    resolved_time_stamp_in_usecs: a.resolvedMicros ?? 0,
    acknowledged_time_stamp_in_usecs: 0,
    cluster_uuid: a.clusterId,
    originating_cluster_uuid: a.clusterId,
    affected_entities: [
      { entity_type: type, entity_name: a.source.name, uuid: a.source.id, id: a.source.id },
    ],
    classifications: ['Cluster'],
    impact_types: ['Availability'],
    operation_type: 'kCreate',
    possible_causes: [],
  };
}

// ---------------------------------------------------------------- filters

type Pred = (a: SimAlert) => boolean;

const V4_TIME_FIELDS = new Set(['creationTime', 'resolvedTime', 'lastUpdatedTime']);

/** An OData `$filter` of `or`-joined `and`-groups of `<field> <op> <value>`; throws a message on anything else. */
function parseV4Filter(text: string, version: string): Pred {
  const groups = text.split(/\s+or\s+/).map((g) =>
    g.split(/\s+and\s+/).map((atom): Pred => {
      const m = /^\(?\s*(\w+)\s+(eq|ne|gt|ge|lt|le)\s+(.+?)\s*\)?$/.exec(atom.trim());
      if (!m) throw new Error(`cannot parse "${atom}"`);
      const [, field, op, raw] = m as unknown as [string, string, string, string];
      if (V4_TIME_FIELDS.has(field)) {
        if (!acceptsTimeFilter(version)) throw new Error(`filtering on ${field} is not supported`);
        const t = Date.parse(raw);
        if (!Number.isFinite(t)) throw new Error(`invalid time ${raw}`);
        const frac = /\.(\d{1,6})/.exec(raw)?.[1] ?? '';
        const micros = Math.floor(t / 1000) * 1_000_000 + Number(frac.padEnd(6, '0'));
        const get = (a: SimAlert) =>
          field === 'creationTime'
            ? a.createdMicros
            : field === 'resolvedTime'
              ? a.resolvedMicros
              : (a.resolvedMicros ?? a.createdMicros);
        return (a) => {
          const v = get(a);
          if (v === null) return false;
          return compare(v, micros, op);
        };
      }
      if (field === 'isResolved' || field === 'isAcknowledged') {
        if (raw !== 'true' && raw !== 'false') throw new Error(`${field} takes true or false`);
        const want = raw === 'true';
        const get = (a: SimAlert) => (field === 'isResolved' ? a.resolvedMicros !== null : a.acknowledged);
        if (op !== 'eq' && op !== 'ne') throw new Error(`${op} on a boolean`);
        return (a) => (get(a) === want) === (op === 'eq');
      }
      if (field === 'severity') {
        const sm = /^Monitoring\.Common\.Severity'(\w+)'$/.exec(raw);
        if (!sm) throw new Error('severity needs a qualified enum literal');
        return (a) => (a.severity === sm[1]) === (op === 'eq');
      }
      throw new Error(`unknown field ${field}`);
    }),
  );
  return (a) => groups.some((g) => g.every((p) => p(a)));
}

function compare(a: number, b: number, op: string): boolean {
  switch (op) {
    case 'eq':
      return a === b;
    case 'ne':
      return a !== b;
    case 'gt':
      return a > b;
    case 'ge':
      return a >= b;
    case 'lt':
      return a < b;
    default:
      return a <= b;
  }
}

/** FIQL: `;` (and) binds tighter than `,` (or); `attr==v` / `attr!=v` on resolved, acknowledged, severity. */
function parseFiql(text: string): Pred {
  const groups = text.split(',').map((g) =>
    g.split(';').map((atom): Pred => {
      const m = /^(\w+)(==|!=)(\w+)$/.exec(atom.trim());
      if (!m) throw new Error(`cannot parse "${atom}"`);
      const [, attr, op, value] = m as unknown as [string, string, string, string];
      let get: (a: SimAlert) => string;
      if (attr === 'resolved') get = (a) => String(a.resolvedMicros !== null);
      else if (attr === 'acknowledged') get = (a) => String(a.acknowledged);
      else if (attr === 'severity') get = (a) => a.severity.toLowerCase();
      else throw new Error(`unknown attribute ${attr}`);
      return (a) => (get(a) === value.toLowerCase()) === (op === '==');
    }),
  );
  return (a) => groups.some((g) => g.every((p) => p(a)));
}

// ---------------------------------------------------------------- routes

export interface AlertRouteHost {
  world: () => PrismWorld;
  book: PrismAlertBook;
  monitoringVersions: () => string[];
  /** The VMM v4 versions (single-VM route). */
  v4Versions: () => string[];
  peOnly: boolean;
  count(key: string): void;
}

const json = (status: number, text: string): SimResponse => ({
  status,
  text,
  headers: { 'content-type': 'application/json' },
});

/** Installs the alert and single-VM routes. */
export function installAlertRoutes(sim: SimServer, host: AlertRouteHost): void {
  sim.route('GET', /^\/api\/monitoring\/(?<ver>v4[^/]*)\/serviceability\/alerts$/, (req) => {
    const version = req.params.ver!;
    if (!host.monitoringVersions().includes(version)) {
      return {
        status: 404,
        body: v4Error('monitoring', 'MONITORING-40400', `No route for version ${version}`),
      };
    }
    const page = Number(req.query.get('$page') ?? 0);
    const limit = Number(req.query.get('$limit') ?? 50);
    if (!Number.isInteger(page) || page < 0 || !Number.isInteger(limit) || limit < 1 || limit > 100) {
      return {
        status: 400,
        body: v4ValidationError('monitoring', req.path, '$limit', '$limit must be 1..100'),
      };
    }
    let pred: Pred = () => true;
    const filter = req.query.get('$filter');
    if (filter) {
      try {
        pred = parseV4Filter(filter, version);
      } catch (err) {
        host.count('v4 alerts 400');
        return {
          status: 400,
          body: v4ValidationError('monitoring', req.path, '$filter', (err as Error).message),
        };
      }
    }
    host.count('v4 alerts');
    const all = host.book.alerts.filter(pred);
    const slice = all.slice(page * limit, page * limit + limit);
    const lastPage = Math.max(0, Math.ceil(all.length / limit) - 1);
    const href = (p: number) =>
      `https://${req.headers.host ?? 'prism'}${req.path}?$page=${p}&$limit=${limit}`;
    const body: Record<string, unknown> = {
      $objectType: 'monitoring.v4.serviceability.ListAlertsApiResponse',
      $reserved: { $fv: 'v4.r1' },
      ...(slice.length > 0 ? { data: slice.map((a) => renderAlertV4(a, host.world(), version)) } : {}),
      metadata: listMetadata(
        [
          { href: href(page), rel: 'self' },
          ...(page < lastPage ? [{ href: href(page + 1), rel: 'next' }] : []),
          { href: href(lastPage), rel: 'last' },
          { href: href(0), rel: 'first' },
        ],
        all.length,
      ),
    };
    return json(200, jsonWithIntegers(body));
  });

  sim.route('POST', '/api/nutanix/v3/alerts/list', (req) => {
    const body = (req.body ?? {}) as { kind?: string; offset?: number; length?: number; filter?: string };
    if (body.kind !== undefined && body.kind !== 'alert')
      return { status: 422, body: v3Error(422, 'alert', 'INVALID_REQUEST', 'kind must be alert') };
    const offset = body.offset ?? 0;
    const length = Math.min(body.length ?? 20, 500);
    if (!Number.isInteger(offset) || offset < 0 || !Number.isInteger(length) || length < 1)
      return { status: 422, body: v3Error(422, 'alert', 'INVALID_REQUEST', 'offset/length out of range') };
    let pred: Pred = () => true;
    if (body.filter) {
      try {
        pred = parseFiql(body.filter);
      } catch (err) {
        return { status: 400, body: v3Error(400, 'alert', 'INVALID_REQUEST', (err as Error).message) };
      }
    }
    host.count('v3 alerts');
    const all = host.book.alerts.filter(pred);
    const entities = all.slice(offset, offset + length).map(renderAlertV3);
    return json(
      200,
      jsonWithIntegers({
        api_version: '3.1',
        metadata: { kind: 'alert', offset, length: entities.length, total_matches: all.length },
        entities,
      }),
    );
  });

  sim.route('GET', /^\/(PrismGateway\/services\/rest|api\/nutanix)\/v2\.0\/alerts$/, (req) => {
    const page = Number(req.query.get('page') ?? 1);
    const count = Number(req.query.get('count') ?? 0);
    if (req.query.has('page') && !req.query.has('count'))
      return { status: 400, body: { message: 'count is required with page', error_code: { code: 1202 } } };
    if (!Number.isInteger(page) || page < 1 || !Number.isInteger(count) || count < 1 || count > 1000)
      return {
        status: 400,
        body: { message: 'page must be ≥ 1 and count 1..1000', error_code: { code: 1202 } },
      };
    const resolved = req.query.get('resolved');
    const start = Number(req.query.get('start_time_in_usecs') ?? 0);
    const end = Number(req.query.get('end_time_in_usecs') ?? Number.MAX_SAFE_INTEGER);
    host.count('v2 alerts');
    const all = host.book.alerts.filter(
      (a) =>
        (resolved === null || String(a.resolvedMicros !== null) === resolved) &&
        a.createdMicros >= start &&
        a.createdMicros <= end,
    );
    const entities = all.slice((page - 1) * count, page * count).map(renderAlertV2);
    return {
      status: 200,
      body: {
        metadata: {
          grand_total_entities: host.book.alerts.length,
          total_entities: all.length,
          count,
          page,
          start_index: (page - 1) * count + 1,
          end_index: (page - 1) * count + entities.length,
        },
        entities,
      },
    };
  });

  // Single VMs: the host of an alert's source VM.
  sim.route('GET', /^\/api\/vmm\/(?<ver>v4[^/]*)\/ahv\/config\/vms\/(?<id>[^/]+)$/, (req) => {
    if (!host.v4Versions().includes(req.params.ver!))
      return { status: 404, body: v4Error('vmm', 'VMM-40400', `No route for version ${req.params.ver}`) };
    const vm = host.world().vms.find((v) => v.extId === req.params.id);
    if (!vm) return { status: 404, body: v4Error('vmm', 'VMM-20005', `VM ${req.params.id} not found`) };
    host.count('v4 vm');
    return {
      status: 200,
      body: { $objectType: 'vmm.v4.ahv.config.GetVmApiResponse', data: renderVm(vm, 'v4.0') },
    };
  });
  sim.route('GET', /^\/api\/nutanix\/v3\/vms\/(?<id>[^/]+)$/, (req) => {
    const vm = host.world().vms.find((v) => v.extId === req.params.id);
    if (!vm)
      return { status: 404, body: v3Error(404, 'vm', 'ENTITY_NOT_FOUND', `VM ${req.params.id} not found`) };
    host.count('v3 vm');
    return { status: 200, body: renderVmV3(vm, host.world()) };
  });
  sim.route('GET', /^\/(PrismGateway\/services\/rest|api\/nutanix)\/v2\.0\/vms\/(?<id>[^/]+)$/, (req) => {
    const vm = host.world().vms.find((v) => v.extId === req.params.id);
    if (!vm) return { status: 404, body: { message: `VM ${req.params.id} not found` } };
    host.count('v2 vm');
    return { status: 200, body: renderVmV2(vm, { disks: false, nics: false }) };
  });
}
