/**
 * A CloudTower v2 REST API over loopback HTTP, on the shared SimServer (fault injection, stats):
 * login → token, raw `Authorization: <token>` on every other call, `POST /v2/api/get-<plural>` returning bare
 * arrays with Prisma-1 paging, `-connection` counts, and the metrics operations with `local_id`-keyed labels.
 */

import { type FaultPlan, SessionStore, type SimRequest, type SimResponse, SimServer } from '../common';
import { addDisksAndHostHealth, TowerAlertBook } from './alerts';
import {
  convertForUnit,
  METRIC_DEFS,
  type MetricDef,
  metricValue,
  OPTIONAL_METRICS,
  parseRange,
  stepForRangeMs,
} from './metrics';
import { type CloudTowerWorld, type Collection, generateWorld, type Row, type WorldBuilder } from './model';
import { BadRequest, type ListBody, parseListBody, runQuery } from './query';

/** Default simulator login (a test fixture, not a secret). */
export const CLOUDTOWER_SIM_USERNAME = 'collector';
/** Default simulator password (a test fixture, not a secret). */
export const CLOUDTOWER_SIM_PASSWORD = 'sim-tower-password';
/** The API version the simulator reports from `get-version`. */
export const CLOUDTOWER_SIM_VERSION = '4.6.0';

const API = '/v2/api';
const JSON_TYPE = { 'content-type': 'application/json' } as const;

/** Where-input type names per collection (used in 400 messages like the real validation errors). */
const WHERE_TYPES: Record<Collection, string> = {
  organizations: 'OrganizationWhereInput',
  datacenters: 'DatacenterWhereInput',
  clusters: 'ClusterWhereInput',
  hosts: 'HostWhereInput',
  vms: 'VmWhereInput',
  'vm-disks': 'VmDiskWhereInput',
  'vm-volumes': 'VmVolumeWhereInput',
  'vm-nics': 'VmNicWhereInput',
  vdses: 'VdsWhereInput',
  vlans: 'VlanWhereInput',
  alerts: 'AlertWhereInput',
  disks: 'DiskWhereInput',
};

/** Entities added/removed while a client pages (once, after `afterListRequests` list pages of `kind`). */
export interface ChurnPlan {
  afterListRequests: number;
  /** Which list op's pages are counted (default 'vms'). */
  kind?: Collection;
  addVms: number;
  removeVms: number;
}

export interface CloudTowerSimOptions {
  seed: number;
  vms: number;
  /** Clusters that host VMs (default scales with `vms`; at least 3). */
  vmClusters?: number;
  faults?: FaultPlan;
  username?: string;
  password?: string;
  /** API keys accepted as `Authorization` without login. */
  apiKeys?: string[];
  /** Login `source`s the user exists in (default LOCAL only), e.g. ['LDAP'] for a directory user. */
  loginSources?: string[];
  /** HTTP status of a rejected login (the real one is unverified: 400 or 401). Default 400. */
  loginFailureStatus?: 400 | 401;
  /** Serve cluster_cpu_usage_percent (a Tower may; the catalogue does not list it). */
  clusterCpuMetric?: boolean;
  /** Report these metrics in another unit than their canonical one (e.g. cpu as RATIO). */
  metricUnits?: Record<string, string>;
  /**
   * Series one metrics response may carry; beyond it the series are truncated and `dropped: true` is set.
   * API.md §5 documents `dropped` on each response element but no number: 5000 is this simulator's
   * assumption, the same one the provider sizes its calls from (DEFAULT_MAX_SERIES). Default 5000.
   */
  maxSeries?: number;
  /**
   * What `maxSeries` bounds: the series of each metric name (`per-metric`, default — `dropped` is reported
   * per response element) or of the whole call summed over its names (`per-call`, the stricter reading).
   */
  seriesLimit?: 'per-metric' | 'per-call';
  /** Clock for metrics (epoch ms). */
  now?: () => number;
  churn?: ChurnPlan;
  /** Leave every host and disk healthy (default: the variety of ./alerts). */
  noHealthVariety?: boolean;
}

/** Everything the simulator serves, as the API presents it (deep copies). */
export interface CloudTowerGroundTruth extends CloudTowerWorld {
  version: string;
}

const MESSAGES: Record<string, { en: string; zh: string }> = {
  unauthorized: { en: 'Unauthorized: the token is invalid or expired', zh: '未授权：令牌无效或已过期' },
  badLogin: { en: 'Incorrect username or password', zh: '用户名或密码错误' },
};

function lang(req: SimRequest): 'en' | 'zh' {
  return (req.headers['content-language'] ?? '').toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

function errorBody(req: SimRequest, status: number, message: string): SimResponse {
  return { status, body: { path: req.path.slice(API.length), status, message } };
}

/** The CloudTower simulator: owns the estate, the sessions and the routes. */
export class CloudTowerSimulator {
  readonly server: SimServer;
  readonly sessions = new SessionStore();
  private readonly builder: WorldBuilder;
  private readonly fieldsByCollection = new Map<Collection, Set<string>>();
  private readonly apiKeys: Set<string>;
  private readonly username: string;
  private readonly password: string;
  private churn: ChurnPlan | undefined;
  /** Serialised rows: a 10,000-VM estate is paged many times, each row need only be stringified once. */
  private rowJson = new WeakMap<Row, string>();
  /**
   * Filtered collections per (collection, where), and id → row per collection: every page of a read asks
   * the same filter, and metrics batches ask `id_in` — without these, each request scanned the whole
   * collection (10,000 VMs × 100 ids per metrics batch). Both are dropped whenever the estate changes.
   */
  private filtered = new Map<string, Row[]>();
  private byId = new Map<Collection, Map<string, Row>>();
  private nicsByVm: Map<string, Row[]> | undefined;
  /** Whole list pages as sent (UTF-8), per (collection, where, orderBy, skip, first, after). */
  private pageBytes = new Map<string, Buffer>();
  private listRequests = 0;
  private requestSerial = 0;
  /** Alerts over time (raise/resolve between polls) and the expected status per entity. */
  readonly alerts: TowerAlertBook;
  /**
   * Metrics requests seen, with the number of objects and names each asked for, the most series one name
   * produced, the series of the whole call, and whether any were dropped (for batching asserts).
   */
  readonly metricCalls: {
    op: string;
    objects: number;
    metrics: number;
    maxSeriesPerMetric: number;
    series: number;
    /** Points returned (nulls included): what the response's size follows. */
    points: number;
    dropped: boolean;
  }[] = [];

  constructor(readonly options: CloudTowerSimOptions) {
    this.builder = generateWorld({
      seed: options.seed,
      vms: options.vms,
      ...(options.vmClusters !== undefined ? { vmClusters: options.vmClusters } : {}),
    }).builder;
    if (!options.noHealthVariety) this.world.disks = addDisksAndHostHealth(this.world, options.seed);
    this.alerts = new TowerAlertBook(this.world, options.seed, options.now ?? Date.now, () =>
      this.invalidate(),
    );
    this.username = options.username ?? CLOUDTOWER_SIM_USERNAME;
    this.password = options.password ?? CLOUDTOWER_SIM_PASSWORD;
    this.apiKeys = new Set(options.apiKeys ?? []);
    this.churn = options.churn;
    this.server = new SimServer({
      name: 'cloudtower',
      seed: options.seed,
      ...(options.faults ? { faults: options.faults } : {}),
    });
    this.server.onSessionExpiry(() => this.sessions.expireAll());
    this.indexFields();
    this.registerRoutes();
  }

  /** The current estate. */
  get world(): CloudTowerWorld {
    return this.builder.world;
  }

  /** Deep copy of everything served right now (after any churn). */
  groundTruth(): CloudTowerGroundTruth {
    // A JSON round trip: the estate is plain JSON data, and this is twice as fast as structuredClone.
    return {
      ...(JSON.parse(JSON.stringify(this.world)) as CloudTowerWorld),
      version: CLOUDTOWER_SIM_VERSION,
    };
  }

  /**
   * The estate served right now, not a copy: for tests that only read it while nothing changes it (a
   * 10,000-VM {@link groundTruth} copy costs about a second). It is live — churn edits it in place.
   */
  truthView(): CloudTowerGroundTruth {
    return { ...this.world, version: CLOUDTOWER_SIM_VERSION };
  }

  /** Invalidates every login token (API keys stay valid unless revoked with `revokeApiKey`). */
  expireTokens(): void {
    this.sessions.expireAll();
  }

  /** Revokes one API key. */
  revokeApiKey(key: string): void {
    this.apiKeys.delete(key);
  }

  /** Schedules entity churn after `afterListRequests` more list-page requests. */
  setChurn(plan: ChurnPlan | undefined): void {
    this.churn = plan;
    this.listRequests = 0;
  }

  /** The value a metric point has (same function the routes use), for tests. */
  metricValue(metric: string, localId: string, t: number): number | null {
    return metricValue(this.options.seed, metric, localId, t);
  }

  private indexFields(): void {
    for (const key of Object.keys(this.world) as Collection[]) {
      const fields = new Set<string>();
      for (const row of this.world[key].slice(0, 50)) for (const f of Object.keys(row)) fields.add(f);
      // Fields the schema defines even when the sample rows happen not to show them.
      for (const f of ['id', 'name', 'local_id', 'cluster', 'vm']) fields.add(f);
      this.fieldsByCollection.set(key, fields);
    }
  }

  private registerRoutes(): void {
    const s = this.server;
    s.use((req) => this.authenticate(req));
    s.route('GET', `${API}/get-version`, () => ({ status: 200, body: CLOUDTOWER_SIM_VERSION }));
    s.route('POST', `${API}/login`, (req) => this.login(req));
    for (const key of Object.keys(this.world) as Collection[]) {
      s.route('POST', `${API}/get-${key}`, (req) => this.withErrors(req, () => this.list(key, req)));
      s.route('POST', `${API}/get-${key}-connection`, (req) =>
        this.withErrors(req, () => this.count(key, req)),
      );
    }
    const metricOps: [string, MetricDef['op'], string][] = [
      ['get-vm-metrics', 'vm', 'vms'],
      ['get-vm-network-metrics', 'vm-network', 'vms'],
      ['get-vm-volume-metrics', 'vm-volume', 'vmVolumes'],
      ['get-host-metrics', 'host', 'hosts'],
      ['get-cluster-metrics', 'cluster', 'clusters'],
    ];
    for (const [path, op, objectsKey] of metricOps) {
      s.route('POST', `${API}/${path}`, (req) =>
        this.withErrors(req, () => this.metrics(req, op, objectsKey)),
      );
    }
  }

  private withErrors(req: SimRequest, fn: () => SimResponse): SimResponse {
    try {
      const res = fn();
      return { ...res, headers: { 'x-tower-request-id': `sim-${++this.requestSerial}`, ...res.headers } };
    } catch (err) {
      if (err instanceof BadRequest) return errorBody(req, 400, err.message);
      throw err;
    }
  }

  private authenticate(req: SimRequest): SimResponse | undefined {
    // The supported languages (MONITORING.md §2.3); anything else is rejected before any other check.
    const language = req.headers['content-language'];
    if (language !== undefined && !['en-US', 'zh-CN', '*'].includes(language)) {
      return errorBody(req, 400, `unsupported content-language ${language}`);
    }
    if (req.path === `${API}/login` || req.path === `${API}/get-version`) return undefined;
    const raw = req.headers.authorization;
    // The server tolerates `Bearer <token>` (terraform sends it) as well as the raw token.
    const token = raw?.startsWith('Bearer ') ? raw.slice(7) : raw;
    if (token !== undefined && (this.sessions.valid(token) || this.apiKeys.has(token))) return undefined;
    return errorBody(req, 401, (MESSAGES.unauthorized as { en: string; zh: string })[lang(req)]);
  }

  private login(req: SimRequest): SimResponse {
    const body = req.body as Record<string, unknown> | undefined;
    const allowed = new Set(['username', 'password', 'source', 'auth_config_id', 'mfa_type']);
    if (!body || typeof body !== 'object' || Object.keys(body).some((k) => !allowed.has(k))) {
      return errorBody(req, 400, 'invalid LoginInput');
    }
    if (typeof body.username !== 'string' || typeof body.password !== 'string') {
      return errorBody(req, 400, 'username and password are required');
    }
    if (body.source !== undefined && !['LOCAL', 'LDAP', 'AUTHN', 'SSO'].includes(String(body.source))) {
      return errorBody(req, 400, `Value "${String(body.source)}" does not exist in "UserSource" enum.`);
    }
    const sources = this.options.loginSources ?? ['LOCAL'];
    // An absent source means LOCAL (the API's default).
    const sourceOk = sources.includes(body.source === undefined ? 'LOCAL' : String(body.source));
    if (body.username !== this.username || body.password !== this.password || !sourceOk) {
      return errorBody(
        req,
        this.options.loginFailureStatus ?? 400,
        (MESSAGES.badLogin as { en: string; zh: string })[lang(req)],
      );
    }
    return { status: 200, body: { task_id: null, data: { token: this.sessions.issue() } } };
  }

  private list(key: Collection, req: SimRequest): SimResponse {
    const body = parseListBody(req.body);
    this.maybeChurn(key);
    // A page asked again (every inventory asks the same pages) is served from its cached text.
    const pageKey =
      key === 'alerts'
        ? undefined
        : `${key}\n${JSON.stringify(body.where ?? null)}\n${body.orderBy}\n${body.skip}\n${body.first}\n${body.after}`;
    const cached = pageKey === undefined ? undefined : this.pageBytes.get(pageKey);
    if (cached !== undefined) return { status: 200, bytes: cached, headers: JSON_TYPE };
    const rows = this.query(key, body);
    if (key === 'alerts') return { status: 200, body: rows.map((r) => this.localiseAlert(r, req)) };
    const parts = rows.map((row) => {
      let json = this.rowJson.get(row);
      if (json === undefined) {
        json = JSON.stringify(row);
        this.rowJson.set(row, json);
      }
      return json;
    });
    // Encoded once: re-encoding ~44 MB of pages per 10k inventory was a good part of the child's CPU.
    const bytes = Buffer.from(`[${parts.join(',')}]`, 'utf8');
    if (pageKey !== undefined) this.pageBytes.set(pageKey, bytes);
    return { status: 200, bytes, headers: JSON_TYPE };
  }

  private count(key: Collection, req: SimRequest): SimResponse {
    const body = parseListBody(req.body);
    // A count ignores paging arguments other than `where` (Prisma aggregate over the filter).
    const rows = this.query(key, { where: body.where });
    return { status: 200, body: { aggregate: { count: rows.length } } };
  }

  private query(key: Collection, body: ListBody): Row[] {
    const fields = this.fieldsByCollection.get(key) ?? new Set<string>();
    const { where, ...paging } = body;
    const rows = this.filter(key, where, fields);
    // The where is applied (and validated) once per distinct filter; paging runs on the cached result.
    return runQuery(rows, paging, WHERE_TYPES[key], fields);
  }

  /** Rows of `key` matching `where`, in id order (cached; see `filtered`). */
  private filter(key: Collection, where: unknown, fields: Set<string>): Row[] {
    const all = this.world[key];
    if (where === undefined || where === null) return all;
    const ids = idInOnly(where);
    if (ids) {
      let index = this.byId.get(key);
      if (!index) {
        index = new Map(all.map((r) => [r.id as string, r]));
        this.byId.set(key, index);
      }
      const hits: Row[] = [];
      for (const id of new Set(ids)) {
        const row = index.get(id as string);
        if (row) hits.push(row);
      }
      return hits.sort((a, b) => ((a.id as string) < (b.id as string) ? -1 : 1));
    }
    const cacheKey = `${key}\n${JSON.stringify(where)}`;
    let rows = this.filtered.get(cacheKey);
    if (!rows) {
      rows = runQuery(all, { where }, WHERE_TYPES[key], fields);
      this.filtered.set(cacheKey, rows);
    }
    return rows;
  }

  /** NICs per VM id (cached until the estate changes). */
  private nicsOf(vmId: string): Row[] {
    if (!this.nicsByVm) {
      this.nicsByVm = new Map();
      for (const nic of this.world['vm-nics']) {
        const id = (nic.vm as Row).id as string;
        const list = this.nicsByVm.get(id);
        if (list) list.push(nic);
        else this.nicsByVm.set(id, [nic]);
      }
    }
    return this.nicsByVm.get(vmId) ?? [];
  }

  private maybeChurn(key: Collection): void {
    const plan = this.churn;
    if (!plan || key !== (plan.kind ?? 'vms')) return;
    this.listRequests++;
    if (this.listRequests <= plan.afterListRequests) return;
    this.churn = undefined;
    const running = this.world.vms.filter((v) => !v.in_recycle_bin);
    for (let i = 0; i < plan.removeVms && i < running.length; i++) {
      this.builder.removeVm((running[(i * 7919) % running.length] as Row).id as string);
    }
    for (let i = 0; i < plan.addVms; i++) this.builder.addVm();
    this.builder.finish();
    this.invalidate();
  }

  /** Forgets every cached serialisation, filter and index (after the estate or its alerts changed). */
  invalidate(): void {
    this.rowJson = new WeakMap();
    this.filtered = new Map();
    this.byId = new Map();
    this.nicsByVm = undefined;
    this.pageBytes = new Map();
  }

  private localiseAlert(alert: Row, req: SimRequest): Row {
    if (lang(req) !== 'zh') return alert;
    return { ...alert, message: `主机 ${(alert.host as Row | null)?.name ?? ''} 的内存使用率过高。` };
  }

  private metrics(req: SimRequest, op: MetricDef['op'], objectsKey: string): SimResponse {
    const body = req.body as Record<string, unknown> | undefined;
    if (!body || typeof body !== 'object') throw new BadRequest('request body must be a JSON object');
    const allowed = new Set(['range', 'metrics', objectsKey, ...(op === 'vm-network' ? ['nics'] : [])]);
    for (const k of Object.keys(body)) {
      if (!allowed.has(k)) throw new BadRequest(`should NOT have additional properties: "${k}"`);
    }
    const rangeMs = parseRange(body.range);
    if (rangeMs === undefined) throw new BadRequest(`invalid range ${JSON.stringify(body.range)}`);
    const names = body.metrics;
    if (!Array.isArray(names) || names.some((n) => typeof n !== 'string')) {
      throw new BadRequest('"metrics" must be an array of strings');
    }
    if (body[objectsKey] === undefined) throw new BadRequest(`"${objectsKey}" is required`);

    const step = stepForRangeMs(rangeMs);
    const now = (this.options.now ?? Date.now)();
    const times: number[] = [];
    for (let t = Math.ceil((now - rangeMs) / step) * step; t <= now; t += step) times.push(t);

    const subjects = this.metricSubjects(op, body[objectsKey], body.nics);
    const maxSeries = this.options.maxSeries ?? 5000;
    const perCall = this.options.seriesLimit === 'per-call';
    let budget = maxSeries; // what is left of a per-call limit
    let maxSeriesPerMetric = 0;
    let series = 0;
    let anyDropped = false;
    const out = (names as string[]).map((name) => {
      const def = METRIC_DEFS[name];
      const reported = this.options.metricUnits?.[name] ?? def?.unit ?? 'COUNT';
      let streams: Row[] = [];
      if (def && def.op === op && (!OPTIONAL_METRICS.has(name) || this.options.clusterCpuMetric)) {
        streams = subjects.series
          .filter((s) => s.accepts(name))
          .map((s) => ({
            labels: { ...s.labels, metric_name: name, __typename: 'MetricLabel' },
            points: times.map((t) => {
              const v = metricValue(this.options.seed, name, s.localId, t);
              return { t, v: v === null ? null : convertForUnit(v, def.unit, reported) };
            }),
            __typename: 'MetricStream',
          }));
      }
      maxSeriesPerMetric = Math.max(maxSeriesPerMetric, streams.length);
      series += streams.length;
      const allowed = perCall ? budget : maxSeries;
      const dropped = streams.length > allowed;
      if (perCall) budget = Math.max(0, budget - streams.length);
      anyDropped ||= dropped;
      return {
        task_id: null,
        data: {
          unit: reported,
          step,
          dropped,
          samples: null,
          sample_streams: dropped ? streams.slice(0, allowed) : streams,
          __typename: 'Metric',
        },
      };
    });
    this.metricCalls.push({
      op,
      objects: subjects.objectCount,
      metrics: names.length,
      maxSeriesPerMetric,
      series,
      points: out.reduce((n, r) => n + r.data.sample_streams.length, 0) * times.length,
      dropped: anyDropped,
    });
    return { status: 200, body: out };
  }

  /** The series a metrics op can produce for the selected objects (stopped/VMware/disconnected → none). */
  private metricSubjects(
    op: MetricDef['op'],
    where: unknown,
    nicWhere: unknown,
  ): { objectCount: number; series: { localId: string; labels: Row; accepts(name: string): boolean }[] } {
    const clusters = new Map(this.world.clusters.map((c) => [c.id as string, c]));
    const live = (clusterId: unknown) => {
      const c = clusters.get(clusterId as string);
      return c !== undefined && c.connect_state === 'CONNECTED';
    };
    const all = () => true;
    if (op === 'vm' || op === 'vm-network') {
      const vms = this.query('vms', { where });
      const elf = vms.filter(
        (v) =>
          v.status === 'RUNNING' &&
          live((v.cluster as Row).id) &&
          clusters.get((v.cluster as Row).id as string)?.hypervisor === 'ELF',
      );
      if (op === 'vm') {
        return {
          objectCount: vms.length,
          series: elf.map((v) => ({
            localId: v.local_id as string,
            labels: { _vm: v.local_id },
            accepts: all,
          })),
        };
      }
      const vmIds = new Map(elf.map((v) => [v.id as string, v]));
      // Without a NIC filter, the VMs' own NICs via the index (same rows, same id order, no full scan).
      const nics =
        nicWhere === undefined
          ? elf
              .flatMap((v) => this.nicsOf(v.id as string))
              .sort((a, b) => ((a.id as string) < (b.id as string) ? -1 : 1))
          : this.query('vm-nics', { where: nicWhere }).filter((n) => vmIds.has((n.vm as Row).id as string));
      return {
        objectCount: vms.length,
        series: nics.map((n) => ({
          localId: n.mac_address as string,
          labels: { _vm: vmIds.get((n.vm as Row).id as string)?.local_id, _mac: n.mac_address },
          accepts: all,
        })),
      };
    }
    if (op === 'host') {
      const hosts = this.query('hosts', { where });
      return {
        objectCount: hosts.length,
        series: hosts
          .filter((h) => live((h.cluster as Row).id))
          .map((h) => ({ localId: h.local_id as string, labels: { _host: h.local_id }, accepts: all })),
      };
    }
    if (op === 'cluster') {
      const cs = this.query('clusters', { where });
      return {
        objectCount: cs.length,
        series: cs
          .filter((c) => c.connect_state === 'CONNECTED')
          .map((c) => ({
            localId: c.local_id as string,
            labels: { _cluster: c.local_id },
            // Storage-only clusters have no compute metrics.
            accepts: (name: string) => c.type !== 'SMTX_ZBS' || name.startsWith('zbs_'),
          })),
      };
    }
    const vols = this.query('vm-volumes', { where });
    return {
      objectCount: vols.length,
      series: vols.map((v) => ({
        localId: v.local_id as string,
        labels: { _volume: v.local_id },
        accepts: all,
      })),
    };
  }
}

/** The id list when `where` is exactly `{ id_in: [...] }` (the metrics batches' filter), else undefined. */
function idInOnly(where: unknown): unknown[] | undefined {
  if (typeof where !== 'object' || where === null || Array.isArray(where)) return undefined;
  const keys = Object.keys(where);
  if (keys.length !== 1 || keys[0] !== 'id_in') return undefined;
  const ids = (where as { id_in: unknown }).id_in;
  return Array.isArray(ids) && ids.every((id) => typeof id === 'string') ? ids : undefined;
}
