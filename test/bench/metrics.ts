/**
 * Scenarios `prism.metrics.10k` and `cloudtower.metrics.10k`: one bulk poll of every VM's (and cluster's)
 * metrics, as the getMetrics handler does it in bulk mode, against a one-request-per-VM baseline (what
 * LPAR2RRD-style collectors do) run at the same concurrency in the same process.
 *
 * The baseline runs on a 1,000-VM sample of the same estate: its request count at full scale is exact (one
 * per VM, plus a login), its time is the sample's time scaled by VMs / sample and labelled as extrapolated.
 * Requests are counted on the simulator's side, so retries and re-logins count too.
 */
import { HttpClient, mapLimit } from '../../lib/http';
import type { TimeWindow } from '../../lib/providers/provider';
import { METRIC_DEFS } from '../simulators/cloudtower/index';
import { bulkSubjects, type Estate, noAbort, type ProviderName, startEstate } from './estates';
import { type AnnotatedResult, round, type ScenarioSettings, timed } from './harness';

/** Pages in flight: the providers' default, used for the collector and the baseline alike. */
const CONCURRENCY = 4;
/** VMs the per-VM baseline really polls at full scale. */
const BASELINE_SAMPLE = 1000;
const QUICK_BASELINE_SAMPLE = 40;
/** Largest list page of each API (Prism v4 `$limit`, CloudTower `first` as the provider pages): the "pages" of the target. */
export const INVENTORY_PAGE_SIZE: Record<ProviderName, number> = { prism: 100, cloudtower: 500 };
/** The poll window: the last five minutes, the default poll interval. */
const WINDOW_MS = 5 * 60_000;

/** What one metrics measurement found. */
export interface MetricsMeasurement {
  provider: ProviderName;
  vms: number;
  /** Requests the simulator served during the bulk metrics call. */
  requests: number;
  ms: number;
  samples: number;
  /** Servers with at least one sample. */
  serversWithSamples: number;
  servers: number;
  /** Servers the ground truth says the inventory must list. */
  truthServers: number;
  /** Σ over clusters of ⌈VMs in the cluster / page size⌉. */
  pages: number;
  clusters: number;
  /** Hosts that are metric subjects (inventory hosts). */
  hosts: number;
  /** Requests the API needs per host subject: Prism v4 serves host stats one host at a time; CloudTower's
   * ride on the clusters' host-metrics calls. */
  requestsPerHost: number;
  /** One-request-per-VM baseline: VMs it really polled, its requests, its wall time. */
  baselineSample: number;
  baselineSampleRequests: number;
  baselineSampleMs: number;
  /** Baseline requests at full scale (exact: one per VM, plus the fixed login). */
  baselineRequests: number;
  /** Baseline time at full scale (extrapolated from the sample). */
  baselineMs: number;
}

/** The last complete five minutes, aligned to 30 s (Prism's sampling interval). */
export function benchWindow(now = Date.now()): TimeWindow {
  const end = Math.floor(now / 30_000) * 30_000;
  return { start: new Date(end - WINDOW_MS), end: new Date(end) };
}

/** Measures one bulk metrics poll and the per-VM baseline on one estate. */
export async function measureMetrics(
  name: ProviderName,
  options: { vms: number; latencyMs: number; quick?: boolean },
): Promise<MetricsMeasurement> {
  const estate = await startEstate(name, { vms: options.vms, latencyMs: options.latencyMs });
  try {
    const provider = estate.provider({ concurrency: CONCURRENCY });
    // The handler lists the subjects first; that read is the inventory scenario's business, not counted
    // or timed here, so it runs without the injected latency to keep the bench short.
    estate.server.setFaults({});
    const inv = await provider.inventory(noAbort());
    estate.server.setFaults({ latencyMs: options.latencyMs });
    const subjects = bulkSubjects(inv);
    const window = benchWindow();

    estate.server.resetStats();
    const { ms, value: samples } = await timed(() => provider.metrics(subjects, window, noAbort()));
    const requests = estate.server.stats.requests;
    const withSamples = new Set(samples.filter((s) => s.subjectKind === 'server').map((s) => s.subjectId));

    const sampleSize = Math.min(options.quick ? QUICK_BASELINE_SAMPLE : BASELINE_SAMPLE, inv.servers.length);
    const sampleIds = inv.servers.slice(0, sampleSize).map((s) => s.id);
    estate.server.resetStats();
    const baseline = await timed(() => perVmBaseline(estate, sampleIds, window));
    const baselineSampleRequests = estate.server.stats.requests;
    const fixed = baseline.value.fixedRequests;
    if (baselineSampleRequests !== sampleSize + fixed)
      throw new Error(
        `the per-VM baseline made ${baselineSampleRequests} requests for ${sampleSize} VMs (expected ${sampleSize + fixed})`,
      );
    const perCluster = estate.vmsPerCluster();
    const pageSize = INVENTORY_PAGE_SIZE[name];
    const pages = [...perCluster.values()].reduce((sum, n) => sum + Math.ceil(n / pageSize), 0);
    return {
      provider: name,
      vms: options.vms,
      requests,
      ms,
      samples: samples.length,
      serversWithSamples: withSamples.size,
      servers: inv.servers.length,
      truthServers: estate.truthServerIds().length,
      pages,
      clusters: estate.clusterCount(),
      hosts: inv.hosts.length,
      requestsPerHost: name === 'prism' ? 1 : 0,
      baselineSample: sampleSize,
      baselineSampleRequests,
      baselineSampleMs: baseline.ms,
      baselineRequests: inv.servers.length + fixed,
      baselineMs: sampleSize === 0 ? 0 : (baseline.ms * inv.servers.length) / sampleSize,
    };
  } finally {
    await estate.stop();
  }
}

/**
 * The LPAR2RRD-style collector: one metrics request per VM, `CONCURRENCY` in flight, through the same
 * HTTP client (keep-alive, retries) the providers use. Returns the requests it makes besides the per-VM ones.
 */
async function perVmBaseline(
  estate: Estate,
  vmIds: string[],
  window: TimeWindow,
): Promise<{ fixedRequests: number }> {
  const creds = estate.credentials;
  const username = creds.username ?? '';
  const password = creds.password ?? '';
  if (estate.name === 'prism') {
    const basic = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
    const http = new HttpClient({
      baseUrl: estate.baseUrl,
      secrets: [password, basic],
      auth: { headers: () => ({ authorization: basic }) },
    });
    try {
      await mapLimit(vmIds, CONCURRENCY, (id, _i, signal) =>
        http.request({
          path: `/api/vmm/v4.0/ahv/stats/vms/${id}`,
          query: {
            $startTime: window.start.toISOString(),
            $endTime: window.end.toISOString(),
            $samplingInterval: 30,
            $statType: 'AVG',
            $select: '*',
          },
          signal,
          operation: 'vm stats (per VM)',
        }),
      );
    } finally {
      http.close();
    }
    return { fixedRequests: 0 };
  }
  // CloudTower: one login, then one get-vm-metrics per VM with every VM metric the Tower offers.
  const metrics = Object.entries(METRIC_DEFS)
    .filter(([, def]) => def.op === 'vm')
    .map(([metric]) => metric);
  let token = '';
  const http = new HttpClient({
    baseUrl: estate.baseUrl,
    secrets: [password],
    auth: { headers: () => ({ authorization: token }) },
  });
  try {
    const login = await http.request<{ data: { token: string } }>({
      method: 'POST',
      path: '/v2/api/login',
      body: { username, password, source: 'LOCAL' },
      auth: false,
      operation: 'login',
    });
    token = login.body.data.token;
    http.redactor.add(token);
    const range = `${Math.round((window.end.getTime() - window.start.getTime()) / 60_000)}m`;
    await mapLimit(vmIds, CONCURRENCY, (id, _i, signal) =>
      http.request({
        method: 'POST',
        path: '/v2/api/get-vm-metrics',
        body: { range, metrics, vms: { id_in: [id] } },
        signal,
        operation: 'vm metrics (per VM)',
      }),
    );
  } finally {
    http.close();
  }
  return { fixedRequests: 1 };
}

/** BenchResults of one measurement. */
export function metricsResults(m: MetricsMeasurement, scenario: string): AnnotatedResult[] {
  const bound = m.pages + m.clusters + m.hosts * m.requestsPerHost;
  const hostsTerm = m.requestsPerHost > 0 ? ` + ${m.hosts} hosts` : '';
  const extrapolated = m.baselineSample < m.servers;
  const ok = m.requests <= bound;
  return [
    {
      name: `${scenario}.requests`,
      value: m.requests,
      unit: 'requests',
      baseline: m.baselineRequests,
      ratio: round(m.requests / m.baselineRequests, 4),
      target: `≤ ${bound} (${m.pages} VM pages + ${m.clusters} clusters${hostsTerm})`,
      ok,
      note:
        `${m.samples.toLocaleString('en-US')} samples, ${m.serversWithSamples}/${m.servers} servers with data, ${m.hosts} hosts asked; ` +
        `baseline = one request per VM${m.provider === 'cloudtower' ? ' + 1 login' : ''} ` +
        `(exact count; it polled ${m.baselineSample} VMs with ${m.baselineSampleRequests} requests)` +
        (ok
          ? ''
          : ` — over target: the collector needs ${m.requests} requests where ${bound} would cover every VM page` +
            ' and cluster once; raise the objects per metrics call to what one response allows and ask for every' +
            ' operation of a batch in as few calls as the API permits.'),
    },
    {
      name: `${scenario}.time`,
      value: round(m.ms, 1),
      unit: 'ms',
      baseline: round(m.baselineMs, 1),
      ratio: m.baselineMs > 0 ? round(m.ms / m.baselineMs, 4) : null,
      target: 'reported (no target)',
      ok: true,
      note: extrapolated
        ? `baseline time EXTRAPOLATED: ${round(m.baselineSampleMs, 1)} ms measured on ${m.baselineSample} VMs × ` +
          `${round(m.servers / m.baselineSample, 2)}`
        : `baseline measured on all ${m.baselineSample} VMs`,
    },
  ];
}

/** Scenario 3, Prism. */
export async function benchPrismMetrics(
  options: { vms: number } & ScenarioSettings,
): Promise<AnnotatedResult[]> {
  return metricsResults(await measureMetrics('prism', options), 'prism.metrics.10k');
}

/** Scenario 3, CloudTower. */
export async function benchCloudTowerMetrics(
  options: { vms: number } & ScenarioSettings,
): Promise<AnnotatedResult[]> {
  return metricsResults(await measureMetrics('cloudtower', options), 'cloudtower.metrics.10k');
}
