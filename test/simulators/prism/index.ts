/**
 * A Prism Central simulator: a real loopback HTTP server generated from a seed and a scale, speaking v4
 * (version routes, `$page`/`$limit` lists, bulk VM stats, cluster/host stats) and v3 (`POST …/list`,
 * `groups`), with basic auth + session cookie, the real error bodies, the common fault plan (latency,
 * 429/503/500, resets, slow responses, session expiry) and Prism-specific faults (entities added/removed
 * between pages, a silently short page, a repeated page). `groundTruth()` returns the estate as it is now.
 *
 * Usable from a script: `const sim = await startPrismSimulator({ seed: 1, vms: 60 })`.
 */
import { type FaultPlan, SessionStore, type SimRequest, type SimResponse, SimServer } from '../common';
import { Rng } from '../common/rng';
import { applyHealthVariety, installAlertRoutes, PrismAlertBook } from './alerts';
import { buildWorld, makeVm, type PrismWorld, removeVm, type SimVm } from './model';
import {
  listV2Body,
  renderClusterV2,
  renderHostV2,
  renderNetworkV2,
  renderVmV2,
  renderVolumeGroupV2,
} from './render-v2';
import {
  renderClusterV3,
  renderEmptyHostV3,
  renderHostV3,
  renderSubnetV3,
  renderVmV3,
  renderVolumeGroupV3,
  v3Error,
} from './render-v3';
import {
  arr,
  listMetadata,
  type NicLayout,
  obj,
  renderCluster,
  renderHost,
  renderSubnet,
  renderVm,
  renderVolumeDisk,
  renderVolumeGroup,
  v4Error,
  v4ValidationError,
} from './render-v4';
import {
  clusterSeries,
  hostSeries,
  sampleTimes,
  V1_STAT_NAMES,
  VM_STAT_FIELDS,
  vmMetricTuples,
} from './stats';

/** Default simulator credentials (test-only, not a secret). */
export const PRISM_SIM_USERNAME = 'admin';
export const PRISM_SIM_PASSWORD = 'Sim-Prism-Pass/1';
/** A valid account without permission to list anything (→ 403). */
export const PRISM_SIM_VIEWER = { username: 'no-access', password: 'Sim-NoAccess-Pass/1' };
/** The session cookie Prism Central sets. */
export const PRISM_SESSION_COOKIE = 'NTNX_IAM_SESSION';

/** The small, realistic estate of the default `npm start` run. */
export const PRISM_DEMO_SCALE = { seed: 7, vms: 60, clusters: 3 } as const;

/** Prism-specific faults, on top of the common FaultPlan. */
export interface PrismFaults {
  /** After this many VM-list pages have been served, remove `remove` VMs near the start and add `add`. */
  churn?: { afterVmPages: number; add: number; remove: number };
  /** Page `page` of the VM list silently drops its last item, `times` times (default 1). */
  shortPage?: { page: number; times?: number };
  /** Page `page` of the VM list answers with the previous page's content, `times` times (default 1). */
  repeatPage?: { page: number; times?: number };
}

export interface PrismSimulatorOptions {
  seed: number;
  vms: number;
  clusters?: number;
  /** Offer only v3 (the version-routes probe answers 404). */
  v3Only?: boolean;
  /**
   * A lone Prism Element: one cluster, no Prism Central. Serves PE v2.0 (`/PrismGateway/services/rest/v2.0`
   * and its `/api/nutanix/v2.0` alias) and v1 stats; the PC-only routes (version routes, v3 lists, `groups`,
   * `prism_central`) answer 404.
   */
  peOnly?: boolean;
  /** With peOnly: `GET /api/nutanix/v3/users/me` still answers (and sets a session cookie) on the PE. */
  peV3Login?: boolean;
  /** v4 versions offered on every namespace (default v4.0 + v4.0.b1, as on pc.2024.3). */
  v4Versions?: string[];
  /** Versions of the `monitoring` namespace (default v4.0 + v4.2; v4.0 rejects time filters on alerts). */
  monitoringVersions?: string[];
  /** The alert book's clock, epoch ms (default Date.now). */
  alertClock?: () => number;
  /** Leave every host and cluster healthy (default: the variety of ./alerts applyHealthVariety). */
  noHealthVariety?: boolean;
  faults?: FaultPlan;
  prismFaults?: PrismFaults;
  port?: number;
  username?: string;
  password?: string;
}

export interface StartedPrismSimulator {
  baseUrl: string;
  /** The underlying server: stats, setFaults, resetStats. */
  sim: SimServer;
  prism: PrismSimulator;
  /** The estate as it is now (a copy). */
  truth(): PrismWorld;
  stop(): Promise<void>;
}

const V4_NAMESPACES = ['vmm', 'clustermgmt', 'networking', 'volumes', 'prism'];
const V4_LIMIT_MAX = 100;
const V4_LIMIT_DEFAULT = 50;
const V3_LENGTH_MAX = 500;
const V3_LENGTH_DEFAULT = 20;
/** PE v2.0 `count` limits [unverified: API.md gives no defaults or maximum]. */
const V2_COUNT_MAX = 500;
const V2_COUNT_DEFAULT = 20;

/** The Prism simulator's state and request handlers. */
export class PrismSimulator {
  world: PrismWorld;
  readonly sessions = new SessionStore();
  /** Which user each session cookie belongs to. */
  private readonly sessionUsers = new Map<string, string>();
  /** Served requests by logical endpoint ('v4 vms', 'v3 vms', 'v4 vm-stats', …) — faults not counted. */
  readonly served: Record<string, number> = {};
  private vmPagesServed = 0;
  /** Serialised VMs by NIC layout and id: VMs never change in place (churn replaces them), so this is safe. */
  private readonly vmJson = new Map<string, string>();
  /**
   * Whole VM-list response bodies, UTF-8-encoded, by layout, page, limit and host. A 10k-VM inventory is
   * ~47 MB of JSON; assembling and encoding it again on every run made the simulator, not the collector,
   * the thing being measured.
   * Cleared whenever the VM list changes (churn); pages altered by a fault are never cached.
   */
  private readonly vmPageText = new Map<string, Buffer>();
  /** VM index for the per-VM stats routes (a PE's metrics are one request per VM); rebuilt after churn. */
  private vmIndex: Map<string, SimVm> | null = null;
  private churned = false;
  private shortLeft: number;
  private repeatLeft: number;
  private readonly churnRng: Rng;
  private readonly base = Date.UTC(2025, 0, 6, 8, 0, 0);
  /** Alerts over time (raise/resolve between polls) and their ground truth. */
  readonly alerts: PrismAlertBook;

  constructor(readonly options: PrismSimulatorOptions) {
    this.world = buildWorld({
      seed: options.seed,
      vms: options.vms,
      clusters: options.clusters,
      peOnly: options.peOnly,
    });
    if (!options.noHealthVariety) applyHealthVariety(this.world);
    this.alerts = new PrismAlertBook(this.world, options.seed, options.alertClock ?? Date.now);
    this.shortLeft = options.prismFaults?.shortPage?.times ?? 1;
    this.repeatLeft = options.prismFaults?.repeatPage?.times ?? 1;
    this.churnRng = new Rng(options.seed).fork('churn');
  }

  /** The estate as it is now (deep copy, safe to keep). */
  groundTruth(): PrismWorld {
    return structuredClone(this.world);
  }

  get v4Versions(): string[] {
    return this.options.v3Only || this.options.peOnly ? [] : (this.options.v4Versions ?? ['v4.0', 'v4.0.b1']);
  }

  get monitoringVersions(): string[] {
    return this.v4Versions.length === 0 ? [] : (this.options.monitoringVersions ?? ['v4.0', 'v4.2']);
  }

  private count(key: string): void {
    this.served[key] = (this.served[key] ?? 0) + 1;
  }

  /** Installs auth, routes and the session-expiry hook on a server. */
  install(sim: SimServer): void {
    const username = this.options.username ?? PRISM_SIM_USERNAME;
    const password = this.options.password ?? PRISM_SIM_PASSWORD;
    sim.onSessionExpiry(() => this.sessions.expireAll());
    sim.use((req) => this.authenticate(req, username, password));
    // A PE has no Prism Central routes; a PC serves no PE v2.0/v1 routes (as far as this simulator goes).
    sim.use((req) => {
      const peRoute = /^\/(PrismGateway\/services\/rest|api\/nutanix)\/(v2\.0|v1)\//.test(req.path);
      const pcOnly =
        req.path.startsWith('/api/nutanix/v3/') &&
        !(this.options.peV3Login && req.path === '/api/nutanix/v3/users/me');
      if (this.options.peOnly ? pcOnly : peRoute) {
        this.count('not found');
        return { status: 404, text: 'Not Found', headers: { 'content-type': 'text/plain' } };
      }
      return undefined;
    });

    sim.route('GET', '/api/actuator/versionroutes', () => {
      this.count('versionroutes');
      if (this.v4Versions.length === 0)
        return { status: 404, text: 'Not Found', headers: { 'content-type': 'text/plain' } };
      return {
        status: 200,
        body: [
          ...V4_NAMESPACES.map((namespace) => ({
            namespace,
            versionRoutes: this.v4Versions.map((version) => ({
              version,
              routes: [`/${namespace}/${version}/config`, `/${namespace}/${version}/stats`],
            })),
          })),
          ...(this.monitoringVersions.length > 0
            ? [
                {
                  namespace: 'monitoring',
                  versionRoutes: this.monitoringVersions.map((version) => ({
                    version,
                    routes: [`/monitoring/${version}/serviceability`],
                  })),
                },
              ]
            : []),
        ],
      };
    });
    sim.route('GET', '/api/nutanix/v3/users/me', (req) => {
      this.count('v3 users/me');
      const token = this.sessions.issue();
      this.sessionUsers.set(token, this.basicUser(req, username, password) ?? username);
      return {
        status: 200,
        headers: {
          'set-cookie': `${PRISM_SESSION_COOKIE}=${token}; Max-Age=900; Path=/; Secure; HttpOnly; SameSite=Lax`,
        },
        body: {
          status: { name: username, resources: { display_name: username }, state: 'COMPLETE' },
          metadata: { kind: 'user', uuid: '00000000-0000-0000-0000-000000000000' },
        },
      };
    });
    sim.route('GET', '/api/nutanix/v3/prism_central', () => {
      this.count('v3 prism_central');
      const pc = this.world.clusters.find((c) => c.isPrismCentral)!;
      return {
        status: 200,
        body: { resources: { version: this.world.pcVersion, type: 'PC', cluster_uuid: pc.extId } },
      };
    });

    installAlertRoutes(sim, {
      world: () => this.world,
      book: this.alerts,
      monitoringVersions: () => this.monitoringVersions,
      v4Versions: () => this.v4Versions,
      peOnly: this.options.peOnly === true,
      count: (key) => this.count(key),
    });

    const v4 = (ns: string, rest: string) => new RegExp(`^/api/${ns}/(?<ver>v4[^/]*)/${rest}$`);
    sim.route('GET', v4('vmm', 'ahv/config/vms'), (req) =>
      this.v4Route(req, 'vmm', 'v4 vms', () =>
        this.v4List(
          req,
          'vmm.v4.ahv.config.ListVmsApiResponse',
          this.vmListView(),
          (vm) => renderVm(vm, this.nicLayout(req)),
          '',
          (vm) => {
            const key = `${this.nicLayout(req)}:${vm.extId}`;
            let json = this.vmJson.get(key);
            if (json === undefined) {
              json = JSON.stringify(renderVm(vm, this.nicLayout(req)));
              this.vmJson.set(key, json);
            }
            return json;
          },
          this.nicLayout(req),
        ),
      ),
    );
    sim.route('GET', v4('clustermgmt', 'config/clusters'), (req) =>
      this.v4Route(req, 'clustermgmt', 'v4 clusters', () =>
        this.v4List(req, 'clustermgmt.v4.config.ListClustersApiResponse', this.world.clusters, (c) =>
          renderCluster(c, this.world),
        ),
      ),
    );
    sim.route('GET', v4('clustermgmt', 'config/hosts'), (req) =>
      this.v4Route(req, 'clustermgmt', 'v4 hosts', () => {
        const filter = req.query.get('$filter');
        let hosts = this.world.hosts;
        if (filter !== null) {
          // The one filter the simulator understands (a single-host lookup); anything else fails loudly.
          const m = /^extId eq '([0-9a-f-]{36})'$/.exec(filter);
          if (!m)
            return {
              status: 400,
              body: v4ValidationError('clustermgmt', req.path, '$filter', `unsupported filter ${filter}`),
            };
          hosts = hosts.filter((h) => h.extId === m[1]);
        }
        return this.v4List(req, 'clustermgmt.v4.config.ListHostsApiResponse', hosts, (h) =>
          renderHost(h, this.world),
        );
      }),
    );
    sim.route('GET', v4('networking', 'config/subnets'), (req) =>
      this.v4Route(req, 'networking', 'v4 subnets', () =>
        this.v4List(req, 'networking.v4.config.ListSubnetsApiResponse', this.world.subnets, renderSubnet),
      ),
    );
    sim.route('GET', v4('prism', 'config/categories'), (req) =>
      this.v4Route(req, 'prism', 'v4 categories', () =>
        this.v4List(req, 'prism.v4.config.ListCategoriesApiResponse', this.world.categories, (c) =>
          obj('prism.v4.config.Category', { extId: c.extId, key: c.key, value: c.value, type: 'USER' }),
        ),
      ),
    );
    sim.route('GET', v4('volumes', 'config/volume-groups'), (req) =>
      this.v4Route(req, 'volumes', 'v4 volume-groups', () =>
        this.v4List(
          req,
          'volumes.v4.config.ListVolumeGroupsApiResponse',
          this.world.volumeGroups,
          renderVolumeGroup,
        ),
      ),
    );
    sim.route('GET', v4('volumes', 'config/volume-groups/(?<id>[^/]+)/disks'), (req) =>
      this.v4Route(req, 'volumes', 'v4 volume-group disks', () => {
        const vg = this.world.volumeGroups.find((g) => g.extId === req.params.id);
        if (!vg)
          return {
            status: 404,
            body: v4Error('volumes', 'VOL-10004', `Volume group ${req.params.id} not found`),
          };
        return this.v4List(req, 'volumes.v4.config.ListVolumeDisksApiResponse', vg.disks, renderVolumeDisk);
      }),
    );
    sim.route('GET', v4('volumes', 'config/volume-groups/(?<id>[^/]+)/vm-attachments'), (req) =>
      this.v4Route(req, 'volumes', 'v4 volume-group vm-attachments', () => {
        const vg = this.world.volumeGroups.find((g) => g.extId === req.params.id);
        if (!vg)
          return {
            status: 404,
            body: v4Error('volumes', 'VOL-10004', `Volume group ${req.params.id} not found`),
          };
        const attachments = vg.attachedVmIds.map((extId, index) => ({ extId, index }));
        return this.v4List(req, 'volumes.v4.config.ListVmAttachmentsApiResponse', attachments, (a) =>
          obj('volumes.v4.config.VmAttachment', a),
        );
      }),
    );
    sim.route('GET', v4('vmm', 'ahv/stats/vms'), (req) =>
      this.v4Route(req, 'vmm', 'v4 vm-stats', () => this.vmStatsList(req)),
    );
    sim.route('GET', v4('vmm', 'ahv/stats/vms/(?<id>[^/]+)'), (req) =>
      this.v4Route(req, 'vmm', 'v4 vm-stats by id', () => this.vmStatsOne(req)),
    );
    sim.route('GET', v4('clustermgmt', 'stats/clusters/(?<id>[^/]+)'), (req) =>
      this.v4Route(req, 'clustermgmt', 'v4 cluster-stats', () => this.clusterStats(req)),
    );
    sim.route('GET', v4('clustermgmt', 'stats/clusters/(?<cid>[^/]+)/hosts/(?<id>[^/]+)'), (req) =>
      this.v4Route(req, 'clustermgmt', 'v4 host-stats', () => this.hostStats(req)),
    );

    for (const kind of ['vm', 'cluster', 'host', 'subnet', 'volume_group'] as const) {
      sim.route('POST', `/api/nutanix/v3/${kind}s/list`, (req) => this.v3List(req, kind));
    }
    sim.route('POST', '/api/nutanix/v3/groups', (req) => this.v3Groups(req));
    this.installPe(sim);
  }

  /** PE v2.0 lists and v1 stats, under both base paths. */
  private installPe(sim: SimServer): void {
    const v2 = (rest: string) => new RegExp(`^/(?:PrismGateway/services/rest|api/nutanix)/v2\\.0/${rest}/?$`);
    const v1 = (rest: string) => new RegExp(`^/(?:PrismGateway/services/rest|api/nutanix)/v1/${rest}/?$`);
    const pe = () => this.world.clusters.find((c) => !c.isPrismCentral)!;
    sim.route('GET', v2('cluster'), () => {
      this.count('v2 cluster');
      const cluster = pe();
      const usage = clusterSeries(
        this.options.seed,
        cluster,
        this.base - 300_000,
        this.base,
        300,
      ).storageUsageBytes;
      return { status: 200, body: renderClusterV2(cluster, this.world, usage?.at(-1)?.value ?? -1) };
    });
    sim.route('GET', v2('hosts'), (req) =>
      this.v2List(
        req,
        'v2 hosts',
        this.world.hosts.filter((h) => h.clusterId === pe().extId),
        (h) => renderHostV2(h, this.world),
      ),
    );
    sim.route('GET', v2('vms'), (req) => {
      const include = {
        disks: req.query.get('include_vm_disk_config') === 'true',
        nics: req.query.get('include_vm_nic_config') === 'true',
      };
      return this.v2List(req, 'v2 vms', this.vmListView(), (vm) => renderVmV2(vm, include), true);
    });
    sim.route('GET', v2('networks'), (req) =>
      this.v2List(
        req,
        'v2 networks',
        this.world.subnets.filter((s) => s.clusterId === pe().extId),
        renderNetworkV2,
      ),
    );
    sim.route('GET', v2('volume_groups'), (req) =>
      this.v2List(req, 'v2 volume_groups', this.world.volumeGroups, renderVolumeGroupV2),
    );
    sim.route('GET', v1('(?<kind>vms|clusters|hosts)/(?<id>[^/]+)/stats'), (req) => this.v1Stats(req));
  }

  /** A v2.0 list: `page` 1-based, `count` ≤ V2_COUNT_MAX [unverified limits], envelope with totals. */
  private v2List<T>(
    req: SimRequest,
    key: string,
    items: T[],
    render: (item: T) => Record<string, unknown>,
    isVmList = false,
  ): SimResponse {
    const page = Number(req.query.get('page') ?? 1);
    const count = Number(req.query.get('count') ?? V2_COUNT_DEFAULT);
    if (
      !Number.isInteger(page) ||
      page < 1 ||
      !Number.isInteger(count) ||
      count < 1 ||
      count > V2_COUNT_MAX
    ) {
      return {
        status: 400,
        body: {
          message: `page must be ≥ 1 and count between 1 and ${V2_COUNT_MAX}`,
          error_code: { code: 1202 },
        },
      };
    }
    this.count(key);
    const slice = this.slice(items, page - 1, (page - 1) * count, count, isVmList).items;
    return { status: 200, body: listV2Body(slice.map(render), items.length, page, count) };
  }

  /** PE v1 stats of one VM or the cluster: `{statsSpecificResponses:[{metric, startTimeInUsecs, intervalInSecs, values}]}`. */
  private v1Stats(req: SimRequest): SimResponse {
    const metrics = (req.query.get('metrics') ?? '').split(',').filter(Boolean);
    const start = Number(req.query.get('startTimeInUsecs')) / 1000;
    const end = Number(req.query.get('endTimeInUsecs')) / 1000;
    const interval = Number(req.query.get('intervalInSecs') ?? 30);
    const kind = req.params.kind as 'vms' | 'clusters' | 'hosts';
    const known = V1_STAT_NAMES[kind === 'vms' ? 'vm' : kind === 'hosts' ? 'host' : 'cluster'];
    const unknown = metrics.filter((m) => !(m in known));
    if (
      metrics.length === 0 ||
      unknown.length > 0 ||
      !Number.isFinite(start) ||
      !Number.isFinite(end) ||
      end <= start ||
      !Number.isInteger(interval) ||
      interval < 30
    ) {
      return { status: 400, body: { message: `bad stats query (${unknown.join(',') || 'window'})` } };
    }
    const times = sampleTimes(start, end, interval);
    const fromSeries =
      (series: Record<string, { timestamp: string; value: number }[]>) => (field: string) => {
        const byTime = new Map((series[field] ?? []).map((p) => [Date.parse(p.timestamp), p.value]));
        return times.map((t) => byTime.get(t) ?? -1);
      };
    let valuesOf: (field: string) => number[];
    if (kind === 'vms') {
      const vm = this.vmById(req.params.id);
      if (!vm) return { status: 404, body: { message: `VM ${req.params.id} not found` } };
      this.count('v1 vm stats');
      const tuples = new Map(
        vmMetricTuples(this.options.seed, vm, start, end, interval).map((t) => [
          Date.parse(t.timestamp as string),
          t,
        ]),
      );
      valuesOf = (field) => times.map((t) => (tuples.get(t)?.[field] as number | undefined) ?? -1);
    } else if (kind === 'hosts') {
      const host = this.world.hosts.find((h) => h.extId === req.params.id);
      if (!host) return { status: 404, body: { message: `host ${req.params.id} not found` } };
      this.count('v1 host stats');
      valuesOf = fromSeries(hostSeries(this.options.seed, host, start, end, interval));
    } else {
      const cluster = this.world.clusters.find((c) => c.extId === req.params.id && !c.isPrismCentral);
      if (!cluster) return { status: 404, body: { message: `cluster ${req.params.id} not found` } };
      this.count('v1 cluster stats');
      valuesOf = fromSeries(clusterSeries(this.options.seed, cluster, start, end, interval));
    }
    return {
      status: 200,
      body: {
        statsSpecificResponses: metrics.map((metric) => ({
          startTimeInUsecs: (times[0] ?? start) * 1000,
          intervalInSecs: interval,
          metric,
          values: valuesOf(known[metric]!),
        })),
      },
    };
  }

  private authenticate(req: SimRequest, username: string, password: string): SimResponse | undefined {
    const unauthorized: SimResponse = {
      status: 401,
      text: 'Authentication required',
      headers: { 'content-type': 'text/plain', 'www-authenticate': 'Basic realm="Intent Gateway"' },
    };
    const cookie = req.headers.cookie;
    const session = cookie ? new RegExp(`${PRISM_SESSION_COOKIE}=([^;\\s]+)`).exec(cookie)?.[1] : undefined;
    let user: string | undefined;
    if (session !== undefined) {
      if (!this.sessions.valid(session)) return unauthorized;
      user = this.sessionUsers.get(session) ?? username;
    } else {
      user = this.basicUser(req, username, password);
      if (!user) return unauthorized;
    }
    if (
      user === PRISM_SIM_VIEWER.username &&
      !['/api/nutanix/v3/users/me', '/api/actuator/versionroutes'].includes(req.path)
    ) {
      return req.path.startsWith('/api/nutanix/v3')
        ? {
            status: 403,
            body: v3Error(
              403,
              'vm',
              'ACCESS_DENIED',
              'User does not have permission to perform this operation',
            ),
          }
        : {
            status: 403,
            body: v4Error('iam', 'IAM-40301', 'Access denied: missing permission for this operation'),
          };
    }
    return undefined;
  }

  /** The user named by a valid Basic Authorization header, if any. */
  private basicUser(req: SimRequest, username: string, password: string): string | undefined {
    const auth = req.headers.authorization ?? '';
    if (!auth.startsWith('Basic ')) return undefined;
    const decoded = Buffer.from(auth.slice(6), 'base64').toString('utf8');
    if (decoded === `${username}:${password}`) return username;
    if (decoded === `${PRISM_SIM_VIEWER.username}:${PRISM_SIM_VIEWER.password}`)
      return PRISM_SIM_VIEWER.username;
    return undefined;
  }

  /** Runs a v4 handler if its version is offered on this namespace, else 404 like an unknown route. */
  private v4Route(req: SimRequest, ns: string, key: string, handler: () => SimResponse): SimResponse {
    if (!this.v4Versions.includes(req.params.ver ?? '')) {
      return {
        status: 404,
        body: v4Error(ns, `${ns.toUpperCase()}-40400`, `No route for version ${req.params.ver}`),
      };
    }
    this.count(key);
    return handler();
  }

  private nicLayout(req: SimRequest): NicLayout {
    const ver = req.params.ver ?? 'v4.0';
    return /^v4\.0(\.|$)/.test(ver) ? 'v4.0' : 'v4.1';
  }

  /** The VM list as the next page sees it: counts the page and applies churn once its time has come. */
  private vmListView(): SimVm[] {
    const churn = this.options.prismFaults?.churn;
    this.vmPagesServed++;
    if (churn && !this.churned && this.vmPagesServed > churn.afterVmPages) {
      this.churned = true;
      this.applyChurn(churn.add, churn.remove);
      this.vmPageText.clear();
      this.vmIndex = null;
    }
    return this.world.vms;
  }

  private vmById(id: string | undefined): SimVm | undefined {
    this.vmIndex ??= new Map(this.world.vms.map((v) => [v.extId, v]));
    return id === undefined ? undefined : this.vmIndex.get(id);
  }

  private applyChurn(add: number, remove: number): void {
    for (let i = 0; i < remove && this.world.vms.length > 2; i++) {
      // Remove near the start so every later page shifts: the classic missed-entity case.
      const victim = this.world.vms[1 + this.churnRng.int(0, Math.min(10, this.world.vms.length - 2))]!;
      removeVm(this.world, victim.extId);
    }
    for (let i = 0; i < add; i++) {
      const vm = makeVm(this.world, this.churnRng, 900_000 + i, this.base);
      // Insert near the start as well (lists are ordered by something the client does not control).
      this.world.vms.splice(this.churnRng.int(0, 5), 0, vm);
    }
  }

  /** Page-slice helper with the VM-list faults (short page, repeated page). */
  private slice<T>(
    items: T[],
    pageIndex: number,
    start: number,
    size: number,
    isVmList: boolean,
  ): { items: T[]; faulted: boolean } {
    const faults = this.options.prismFaults ?? {};
    if (
      isVmList &&
      faults.repeatPage &&
      faults.repeatPage.page === pageIndex &&
      this.repeatLeft > 0 &&
      pageIndex > 0
    ) {
      this.repeatLeft--;
      return { items: items.slice(start - size, start), faulted: true };
    }
    const page = items.slice(start, start + size);
    if (
      isVmList &&
      faults.shortPage &&
      faults.shortPage.page === pageIndex &&
      this.shortLeft > 0 &&
      page.length > 1
    ) {
      this.shortLeft--;
      return { items: page.slice(0, -1), faulted: true };
    }
    return { items: page, faulted: false };
  }

  private v4Paging(req: SimRequest, ns: string): { page: number; limit: number } | SimResponse {
    const rawLimit = req.query.get('$limit');
    const rawPage = req.query.get('$page');
    const limit = rawLimit === null ? V4_LIMIT_DEFAULT : Number(rawLimit);
    const page = rawPage === null ? 0 : Number(rawPage);
    if (!Number.isInteger(limit) || limit < 1 || limit > V4_LIMIT_MAX) {
      return {
        status: 400,
        body: v4ValidationError(ns, req.path, '$limit', `$limit must be between 1 and ${V4_LIMIT_MAX}`),
      };
    }
    if (!Number.isInteger(page) || page < 0) {
      return {
        status: 400,
        body: v4ValidationError(ns, req.path, '$page', '$page must be a non-negative integer'),
      };
    }
    return { page, limit };
  }

  private v4List<T>(
    req: SimRequest,
    objectType: string,
    items: T[],
    render: (item: T) => Record<string, unknown>,
    extraQuery = '',
    /** Pre-serialised items (large lists): the page is assembled as text, not re-serialised. */
    renderJson?: (item: T) => string,
    /** With renderJson: whole page bodies are cached under this key (+ page, limit, host). */
    pageCacheKey?: string,
  ): SimResponse {
    const ns = objectType.split('.')[0]!;
    const paging = this.v4Paging(req, ns);
    if ('status' in paging) return paging;
    if (req.query.has('$filter') && !/\/(stats\/vms|config\/hosts)$/.test(req.path)) {
      return {
        status: 400,
        body: v4ValidationError(ns, req.path, '$filter', 'unsupported $filter in simulator'),
      };
    }
    const { page, limit } = paging;
    const isVmList = objectType === 'vmm.v4.ahv.config.ListVmsApiResponse';
    const { items: slice, faulted } = this.slice(items, page, page * limit, limit, isVmList);
    const cacheKey =
      renderJson && pageCacheKey !== undefined && !faulted
        ? `${pageCacheKey}|${page}|${limit}|${req.headers.host ?? ''}|${extraQuery}`
        : undefined;
    const cached = cacheKey === undefined ? undefined : this.vmPageText.get(cacheKey);
    if (cached !== undefined)
      return { status: 200, bytes: cached, headers: { 'content-type': 'application/json' } };
    const total = items.length;
    const lastPage = Math.max(0, Math.ceil(total / limit) - 1);
    const href = (p: number) =>
      `https://${req.headers.host ?? 'prism'}${req.path}?$page=${p}&$limit=${limit}${extraQuery}`;
    const links = [
      { href: href(page), rel: 'self' },
      ...(page < lastPage ? [{ href: href(page + 1), rel: 'next' }] : []),
      { href: href(lastPage), rel: 'last' },
      { href: href(0), rel: 'first' },
    ];
    const body: Record<string, unknown> = { $objectType: objectType, $reserved: { $fv: 'v4.r1' } };
    // An empty page has no `data` at all.
    if (renderJson) {
      const data = slice.length > 0 ? `,"data":[${slice.map(renderJson).join(',')}]` : '';
      const head = JSON.stringify(body).slice(0, -1);
      const text = `${head}${data},"metadata":${JSON.stringify(listMetadata(links, total))}}`;
      if (cacheKey !== undefined) {
        const bytes = Buffer.from(text, 'utf8');
        this.vmPageText.set(cacheKey, bytes);
        return { status: 200, bytes, headers: { 'content-type': 'application/json' } };
      }
      return { status: 200, text, headers: { 'content-type': 'application/json' } };
    }
    if (slice.length > 0) body.data = slice.map(render);
    body.metadata = listMetadata(links, total);
    return { status: 200, body };
  }

  private statsWindow(
    req: SimRequest,
    ns: string,
  ): { start: number; end: number; interval: number } | SimResponse {
    for (const p of ['$startTime', '$endTime']) {
      if (!req.query.get(p))
        return { status: 400, body: v4ValidationError(ns, req.path, p, `${p} is required`) };
    }
    if (!req.query.get('$select')) {
      // Some builds fail without $select (VMM-30102); the simulator insists on it so the client sends it.
      return { status: 400, body: v4Error(ns, 'VMM-30102', 'Failed to fetch stats: $select is required') };
    }
    const start = Date.parse(req.query.get('$startTime')!);
    const end = Date.parse(req.query.get('$endTime')!);
    const interval = Number(req.query.get('$samplingInterval') ?? 30);
    if (
      !Number.isFinite(start) ||
      !Number.isFinite(end) ||
      end <= start ||
      !Number.isInteger(interval) ||
      interval < 30
    ) {
      return {
        status: 400,
        body: v4ValidationError(ns, req.path, '$startTime', 'invalid stats window or sampling interval'),
      };
    }
    const statType = req.query.get('$statType');
    if (statType && !['AVG', 'MIN', 'MAX', 'LAST', 'SUM', 'COUNT'].includes(statType)) {
      return {
        status: 400,
        body: v4ValidationError(ns, req.path, '$statType', `invalid $statType ${statType}`),
      };
    }
    return { start, end, interval };
  }

  private renderVmStats(vm: SimVm, start: number, end: number, interval: number): Record<string, unknown> {
    const tuples: Record<string, unknown>[] = [
      // Sparse tuples: configuration-ish facts stamped at creation, outside any recent window.
      obj('vmm.v4.ahv.stats.VmStatsTuple', {
        timestamp: vm.createTime,
        cluster: vm.clusterId,
        hypervisorType: 'kKvm',
      }),
      { timestamp: vm.updateTime, memoryReservedBytes: vm.memorySizeBytes },
      ...vmMetricTuples(this.options.seed, vm, start, end, interval),
    ];
    return obj('vmm.v4.ahv.stats.VmStats', { extId: vm.extId, stats: arr(tuples) });
  }

  private vmStatsList(req: SimRequest): SimResponse {
    const window = this.statsWindow(req, 'vmm');
    if ('status' in window) return window;
    const filter = req.query.get('$filter');
    let vms = this.world.vms;
    if (filter !== null) {
      // [unverified syntax] The simulator accepts exactly this form; anything else fails loudly.
      const m = /^stats\/cluster eq '([0-9a-f-]{36})'$/.exec(filter);
      if (!m)
        return {
          status: 400,
          body: v4ValidationError('vmm', req.path, '$filter', `unsupported filter ${filter}`),
        };
      vms = vms.filter((v) => v.clusterId === m[1]);
    }
    const q = `&$startTime=${req.query.get('$startTime')}&$endTime=${req.query.get('$endTime')}`;
    return this.v4List(
      req,
      'vmm.v4.ahv.stats.ListVmStatsApiResponse',
      vms,
      (vm) => this.renderVmStats(vm, window.start, window.end, window.interval),
      q,
    );
  }

  private vmStatsOne(req: SimRequest): SimResponse {
    const window = this.statsWindow(req, 'vmm');
    if ('status' in window) return window;
    const vm = this.vmById(req.params.id);
    if (!vm) return { status: 404, body: v4Error('vmm', 'VMM-20005', `VM ${req.params.id} not found`) };
    return {
      status: 200,
      body: obj('vmm.v4.ahv.stats.GetVmStatsApiResponse', {
        data: this.renderVmStats(vm, window.start, window.end, window.interval),
        metadata: listMetadata([{ href: `https://${req.headers.host}${req.path}`, rel: 'self' }], 1, false),
      }),
    };
  }

  private seriesBody(
    type: string,
    extId: string,
    series: Record<string, { timestamp: string; value: number }[]>,
    select: string,
  ) {
    const wanted = select === '*' ? null : new Set(select.split(',').map((s) => s.trim()));
    const data: Record<string, unknown> = { extId };
    for (const [field, points] of Object.entries(series)) {
      if (wanted && !wanted.has(field)) continue;
      data[field] = arr(points.map((p) => obj('clustermgmt.v4.stats.TimeValuePair', p)));
    }
    return obj(type, data);
  }

  private clusterStats(req: SimRequest): SimResponse {
    const window = this.statsWindow(req, 'clustermgmt');
    if ('status' in window) return window;
    const cluster = this.world.clusters.find((c) => c.extId === req.params.id);
    if (!cluster)
      return { status: 404, body: v4Error('clustermgmt', 'CLU-10005', `Cluster ${req.params.id} not found`) };
    const series = cluster.isPrismCentral
      ? {}
      : clusterSeries(this.options.seed, cluster, window.start, window.end, window.interval);
    return {
      status: 200,
      body: obj('clustermgmt.v4.stats.ClusterStatsApiResponse', {
        data: this.seriesBody(
          'clustermgmt.v4.stats.ClusterStats',
          cluster.extId,
          series,
          req.query.get('$select')!,
        ),
        metadata: listMetadata(
          [{ href: `https://${req.headers.host}${req.path}`, rel: 'self' }],
          undefined,
          false,
        ),
      }),
    };
  }

  private hostStats(req: SimRequest): SimResponse {
    const window = this.statsWindow(req, 'clustermgmt');
    if ('status' in window) return window;
    const host = this.world.hosts.find((h) => h.extId === req.params.id && h.clusterId === req.params.cid);
    if (!host)
      return { status: 404, body: v4Error('clustermgmt', 'CLU-10006', `Host ${req.params.id} not found`) };
    const series = hostSeries(this.options.seed, host, window.start, window.end, window.interval);
    return {
      status: 200,
      body: obj('clustermgmt.v4.stats.HostStatsApiResponse', {
        data: this.seriesBody(
          'clustermgmt.v4.stats.HostStats',
          host.extId,
          series,
          req.query.get('$select')!,
        ),
        metadata: listMetadata(
          [{ href: `https://${req.headers.host}${req.path}`, rel: 'self' }],
          undefined,
          false,
        ),
      }),
    };
  }

  private v3List(req: SimRequest, kind: 'vm' | 'cluster' | 'host' | 'subnet' | 'volume_group'): SimResponse {
    const body = (req.body ?? {}) as { kind?: string; offset?: number; length?: number };
    if (body.kind !== undefined && body.kind !== kind) {
      return { status: 422, body: v3Error(422, kind, 'INVALID_REQUEST', `kind must be ${kind}`) };
    }
    const offset = body.offset ?? 0;
    const length = Math.min(body.length ?? V3_LENGTH_DEFAULT, V3_LENGTH_MAX);
    if (!Number.isInteger(offset) || offset < 0 || !Number.isInteger(length) || length < 1) {
      return { status: 422, body: v3Error(422, kind, 'INVALID_REQUEST', 'offset/length out of range') };
    }
    this.count(`v3 ${kind}s`);
    const w = this.world;
    let entities: Record<string, unknown>[];
    let total: number;
    if (kind === 'vm') {
      const vms = this.vmListView();
      total = vms.length;
      entities = this.slice(vms, Math.floor(offset / length), offset, length, true).items.map((v) =>
        renderVmV3(v, w),
      );
    } else {
      const all: Record<string, unknown>[] =
        kind === 'cluster'
          ? w.clusters.map((c) => renderClusterV3(c, w))
          : kind === 'host'
            ? [
                ...w.hosts.map((h) => renderHostV3(h, w)),
                renderEmptyHostV3(w.clusters.at(-1)!.extId.replace(/^.{8}/, 'cccccccc')),
              ]
            : kind === 'subnet'
              ? w.subnets.map((s) => renderSubnetV3(s, w))
              : w.volumeGroups.map((g) => renderVolumeGroupV3(g, w));
      total = all.length;
      entities = all.slice(offset, offset + length);
    }
    // clusters/list omits offset and length in its metadata (see the ListCluster recording).
    const metadata: Record<string, unknown> =
      kind === 'cluster'
        ? { kind, total_matches: total }
        : { kind, offset, length: entities.length, total_matches: total };
    return { status: 200, body: { api_version: '3.1', metadata, entities } };
  }

  /** v3 `groups` stats query [unverified: undocumented public contract; shape from general knowledge]. */
  private v3Groups(req: SimRequest): SimResponse {
    const body = (req.body ?? {}) as {
      entity_type?: string;
      group_member_attributes?: { attribute: string }[];
      group_member_count?: number;
      group_member_offset?: number;
      filter_criteria?: string;
      interval_start_ms?: number;
      interval_end_ms?: number;
      downsampling_interval?: number;
    };
    const type = body.entity_type;
    if (type !== 'mh_vm' && type !== 'cluster' && type !== 'host') {
      return {
        status: 422,
        body: v3Error(422, 'groups', 'INVALID_REQUEST', `unsupported entity_type ${type}`),
      };
    }
    const attrs = (body.group_member_attributes ?? []).map((a) => a.attribute);
    const known = V1_STAT_NAMES[type === 'mh_vm' ? 'vm' : type];
    const unknown = attrs.filter((a) => a !== 'cluster' && !(a in known));
    const start = body.interval_start_ms;
    const end = body.interval_end_ms;
    const interval = body.downsampling_interval ?? 30;
    if (unknown.length > 0 || start === undefined || end === undefined || end <= start || interval < 30) {
      return {
        status: 422,
        body: v3Error(422, 'groups', 'INVALID_REQUEST', `bad groups query (${unknown.join(',')})`),
      };
    }
    const count = body.group_member_count ?? 20;
    const offset = body.group_member_offset ?? 0;
    if (count < 1 || count > V3_LENGTH_MAX) {
      return {
        status: 422,
        body: v3Error(422, 'groups', 'INVALID_REQUEST', 'group_member_count out of range'),
      };
    }
    this.count(`v3 groups ${type}`);
    let filterCluster: string | undefined;
    if (body.filter_criteria) {
      const m = /^cluster==([0-9a-f-]{36})$/.exec(body.filter_criteria);
      if (!m)
        return {
          status: 422,
          body: v3Error(422, 'groups', 'INVALID_REQUEST', 'unsupported filter_criteria'),
        };
      filterCluster = m[1];
    }
    const seed = this.options.seed;
    const series = (field: string, values: { t: number; v: number }[]) => ({
      name: field,
      values: values.map(({ t, v }) => ({ values: [String(v)], time: t * 1000 })),
    });
    let results: { entity_id: string; data: unknown[] }[];
    let total: number;
    if (type === 'mh_vm') {
      const vms = this.world.vms.filter((v) => !filterCluster || v.clusterId === filterCluster);
      total = vms.length;
      results = vms.slice(offset, offset + count).map((vm) => {
        const tuples = vmMetricTuples(seed, vm, start, end, interval);
        return {
          entity_id: vm.extId,
          data: attrs.map((a) =>
            a === 'cluster'
              ? { name: 'cluster', values: [{ values: [vm.clusterId], time: end * 1000 }] }
              : series(
                  a,
                  tuples
                    .filter((t) => typeof t[known[a]!] === 'number')
                    .map((t) => ({ t: Date.parse(t.timestamp as string), v: t[known[a]!] as number })),
                ),
          ),
        };
      });
    } else {
      const entities: { id: string; series: () => Record<string, { timestamp: string; value: number }[]> }[] =
        type === 'cluster'
          ? this.world.clusters
              .filter((c) => !c.isPrismCentral && (!filterCluster || c.extId === filterCluster))
              .map((c) => ({ id: c.extId, series: () => clusterSeries(seed, c, start, end, interval) }))
          : this.world.hosts
              .filter((h) => !filterCluster || h.clusterId === filterCluster)
              .map((h) => ({ id: h.extId, series: () => hostSeries(seed, h, start, end, interval) }));
      total = entities.length;
      results = entities.slice(offset, offset + count).map((e) => {
        const s = e.series();
        return {
          entity_id: e.id,
          data: attrs.map((a) =>
            series(
              a,
              (s[known[a]!] ?? []).map((p) => ({ t: Date.parse(p.timestamp), v: p.value })),
            ),
          ),
        };
      });
    }
    return {
      status: 200,
      body: {
        entity_type: type,
        filtered_entity_count: total,
        total_entity_count: total,
        filtered_group_count: 1,
        total_group_count: 1,
        group_results: [{ entity_results: results, total_entity_count: total }],
      },
    };
  }
}

/** Starts a Prism simulator on 127.0.0.1 (ephemeral port unless `port` is given). */
export async function startPrismSimulator(options: PrismSimulatorOptions): Promise<StartedPrismSimulator> {
  const prism = new PrismSimulator(options);
  const sim = new SimServer({ name: 'prism', seed: options.seed, faults: options.faults });
  prism.install(sim);
  const baseUrl = await sim.start(options.port ?? 0);
  return {
    baseUrl,
    sim,
    prism,
    truth: () => prism.groundTruth(),
    stop: () => sim.stop(),
  };
}

export type { PrismWorld } from './model';
export { VM_STAT_FIELDS };
