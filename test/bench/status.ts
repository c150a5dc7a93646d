/**
 * Scenario `status.requests`: one bulk getStatus read (health of every cluster, host, disk and VM, plus the
 * open alerts), as the handler does it, against a per-entity baseline — a poller asking the status of each
 * entity on its own (one per-resource read per cluster, host and VM), run on a sample of the entities of
 * the same estate and scaled to all of them (labelled extrapolated). Requests are counted on the
 * simulator's side. The bound is login/detection plus the list pages of clusters, hosts, VMs, disks
 * (CloudTower) and open alerts, with CloudTower's `*-connection` count per list.
 */
import { mapLimit } from '../../lib/http';
import type { EntityScope, HealthEntity } from '../../lib/providers/monitoring';
import type { Provider } from '../../lib/providers/provider';
import { noAbort, type ProviderName, startEstate } from './estates';
import { type AnnotatedResult, round, type ScenarioSettings, timed } from './harness';

const CONCURRENCY = 4;
const BASELINE_SAMPLE = 200;
const QUICK_BASELINE_SAMPLE = 20;
/** Largest list page per API (Prism v4 `$limit`, the CloudTower provider's `first`). */
const PAGE: Record<ProviderName, number> = { prism: 100, cloudtower: 500 };

/** What one status measurement found. */
export interface StatusMeasurement {
  provider: ProviderName;
  entities: number;
  byKind: Record<string, number>;
  openAlerts: number;
  disks: number;
  requests: number;
  bound: number;
  ms: number;
  baselineSample: number;
  baselineSampleRequests: number;
  baselineRequests: number;
}

/** The bulk read getStatus makes. */
async function bulkRead(
  provider: Provider,
  now: number,
): Promise<{ entities: HealthEntity[]; alerts: number }> {
  const [entities, alerts] = await Promise.all([
    provider.health(null, noAbort()),
    provider.alerts({ after: null, until: now * 1000, names: false }, noAbort()),
  ]);
  return { entities, alerts: alerts.length };
}

/** Measures the bulk read and the per-entity baseline on one estate. */
export async function measureStatus(
  name: ProviderName,
  options: { vms: number; latencyMs: number; quick?: boolean },
): Promise<StatusMeasurement> {
  const estate = await startEstate(name, { vms: options.vms, latencyMs: options.latencyMs });
  try {
    estate.server.resetStats();
    const { ms, value } = await timed(() =>
      bulkRead(estate.provider({ concurrency: CONCURRENCY }), Date.now()),
    );
    const requests = estate.server.stats.requests;
    const byKind: Record<string, number> = {};
    for (const e of value.entities) byKind[e.kind] = (byKind[e.kind] ?? 0) + 1;
    const disks = name === 'cloudtower' ? await countDisks(estate.baseUrl, estate.credentials) : 0;
    const pages = (n: number) => Math.max(1, Math.ceil(n / PAGE[name]));
    const lists = [
      byKind.cluster ?? 0,
      byKind.host ?? 0,
      byKind.vm ?? 0,
      value.alerts,
      ...(name === 'cloudtower' ? [disks] : []),
    ];
    // Prism: its login and the version-routes probe; CloudTower: its login, and a count beside every list.
    const bound =
      name === 'prism'
        ? 2 + lists.reduce((s, n) => s + pages(n), 0)
        : 1 + lists.reduce((s, n) => s + 1 + pages(n), 0);

    // The baseline: each entity's status on its own, with a fresh session per entity as a poller would.
    const sampleSize = Math.min(
      options.quick ? QUICK_BASELINE_SAMPLE : BASELINE_SAMPLE,
      value.entities.length,
    );
    const step = Math.max(1, Math.floor(value.entities.length / sampleSize));
    const sample = value.entities.filter((_, i) => i % step === 0).slice(0, sampleSize);
    estate.server.resetStats();
    await mapLimit(sample, CONCURRENCY, async (e) => {
      const scope: EntityScope = { kind: e.kind === 'cluster' ? 'cluster' : 'server', id: e.id };
      const provider = estate.provider({ concurrency: 1 });
      await Promise.all([
        provider.health(scope, noAbort()),
        provider.alerts({ after: null, until: Date.now() * 1000, names: false, scope }, noAbort()),
      ]);
    });
    const baselineSampleRequests = estate.server.stats.requests;
    return {
      provider: name,
      entities: value.entities.length,
      byKind,
      openAlerts: value.alerts,
      disks,
      requests,
      bound,
      ms,
      baselineSample: sample.length,
      baselineSampleRequests,
      baselineRequests: Math.round(
        (baselineSampleRequests / Math.max(1, sample.length)) * value.entities.length,
      ),
    };
  } finally {
    await estate.stop();
  }
}

/** The disk count of a CloudTower simulator (its list pages count towards the bound). */
async function countDisks(
  baseUrl: string,
  credentials: { username?: string; password?: string },
): Promise<number> {
  const login = await fetch(`${baseUrl}/v2/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: credentials.username, password: credentials.password, source: 'LOCAL' }),
  });
  const token = ((await login.json()) as { data: { token: string } }).data.token;
  const res = await fetch(`${baseUrl}/v2/api/get-disks-connection`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: token },
    body: '{}',
  });
  return ((await res.json()) as { aggregate: { count: number } }).aggregate.count;
}

/** BenchResults of one measurement. */
export function statusResults(m: StatusMeasurement): AnnotatedResult[] {
  const ok = m.requests <= m.bound;
  const kinds = Object.entries(m.byKind)
    .map(([k, n]) => `${n} ${k}s`)
    .join(', ');
  return [
    {
      name: `status.requests.${m.provider}`,
      value: m.requests,
      unit: 'requests',
      baseline: m.baselineRequests,
      ratio: m.baselineRequests > 0 ? round(m.requests / m.baselineRequests, 4) : null,
      target: `≤ ${m.bound} (login/detection + list pages)`,
      ok,
      note:
        `${kinds}, ${m.openAlerts} open alerts${m.provider === 'cloudtower' ? `, ${m.disks} disks` : ''}; ` +
        `bulk read ${round(m.ms, 1)} ms; baseline = one per-resource status read per entity, ` +
        `EXTRAPOLATED from ${m.baselineSample} entities (${m.baselineSampleRequests} requests)`,
    },
  ];
}

/** Scenario `status.requests`: both providers. */
export async function benchStatus(options: { vms: number } & ScenarioSettings): Promise<AnnotatedResult[]> {
  return [
    ...statusResults(await measureStatus('prism', options)),
    ...statusResults(await measureStatus('cloudtower', options)),
  ];
}
