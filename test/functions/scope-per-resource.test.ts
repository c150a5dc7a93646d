/**
 * Per-resource calls of a scoped account: a resource of a cluster outside `credentials.clusters` is not read
 * (no metrics, status, alerts or usage of it): every per-resource function answers its empty result and one
 * warning naming the id and the scope, the same on both providers; a resource inside the scope is read.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler as getLogs } from '../../functions/get-logs';
import { handler as getMetrics } from '../../functions/get-metrics';
import { handler as getSpend } from '../../functions/get-spend';
import { handler as getStatus } from '../../functions/get-status';
import { fixedClock, setClock } from '../../lib/connector-utils/time/clock';
import { CLOUDTOWER_SIM_CREDENTIALS, startCloudTowerSimulator } from '../simulators/cloudtower';
import { PRISM_SIM_PASSWORD, PRISM_SIM_USERNAME, startPrismSimulator } from '../simulators/prism';
import { captureLogs, lambdaContext, RESOURCE_UUID } from './harness';

type Json = Record<string, unknown>;
type Handler = (event: unknown, context: unknown) => Promise<unknown>;

interface Target {
  provider: 'nutanix' | 'cloudtower';
  baseUrl: string;
  login: { username: string; password: string };
  /** A running VM and its cluster, and another cluster. */
  vm: string;
  vmCluster: string;
  otherCluster: string;
  /** Metrics and alert reads served so far. */
  reads(): number;
  stop(): Promise<void>;
}

const targets = {} as Record<'nutanix' | 'cloudtower', Target>;
let logs: ReturnType<typeof captureLogs>;

beforeAll(async () => {
  logs = captureLogs();
  setClock(fixedClock(new Date(Date.now() - 60_000).toISOString().replace('Z', '000')));
  const prism = await startPrismSimulator({ seed: 9, vms: 30, clusters: 2 });
  const world = prism.truth();
  const real = new Set(world.clusters.filter((c) => !c.isPrismCentral).map((c) => c.extId));
  const pvm = world.vms.find((v) => v.powerState === 'ON' && real.has(v.clusterId))!;
  const served = prism.prism.served;
  targets.nutanix = {
    provider: 'nutanix',
    baseUrl: prism.baseUrl,
    login: { username: PRISM_SIM_USERNAME, password: PRISM_SIM_PASSWORD },
    vm: pvm.extId,
    vmCluster: pvm.clusterId,
    otherCluster: [...real].find((id) => id !== pvm.clusterId)!,
    reads: () =>
      Object.entries(served)
        .filter(([k]) => /stats|alerts/.test(k))
        .reduce((n, [, v]) => n + v, 0),
    stop: prism.stop,
  };
  const tower = await startCloudTowerSimulator({ seed: 9, vms: 30, vmClusters: 2 });
  // A VM with metrics: running, on a connected ELF cluster.
  const live = new Set(
    tower.truth.clusters
      .filter((c) => c.connect_state === 'CONNECTED' && c.hypervisor === 'ELF')
      .map((c) => String(c.id)),
  );
  const tvm = tower.truth.vms.find(
    (v) => !v.in_recycle_bin && v.status === 'RUNNING' && live.has(String((v.cluster as Json).id)),
  )!;
  const tvmCluster = String((tvm.cluster as Json).id);
  const byRoute = tower.sim.server.stats.byRoute;
  targets.cloudtower = {
    provider: 'cloudtower',
    baseUrl: tower.baseUrl,
    login: CLOUDTOWER_SIM_CREDENTIALS,
    vm: String(tvm.id),
    vmCluster: tvmCluster,
    otherCluster: String(tower.truth.clusters.find((c) => c.id !== tvmCluster)!.id),
    reads: () =>
      Object.entries(byRoute)
        .filter(([k]) => /metrics|alerts/.test(k))
        .reduce((n, [, v]) => n + v, 0),
    stop: tower.stop,
  };
});

afterAll(async () => {
  logs.stop();
  setClock(null);
  for (const t of Object.values(targets)) await t.stop();
});

function event(t: Target, clusters: string[], type: string, nativeId = t.vm): Json {
  return {
    account_id: 'scoped',
    provider: t.provider,
    poll_interval: 300,
    credentials: {
      endpoint: t.baseUrl,
      username: t.login.username,
      password: t.login.password,
      clusters,
    },
    resource: { id: RESOURCE_UUID, native_id: nativeId, type },
  };
}

const warnings = () =>
  logs.lines
    .map((l) => JSON.parse(l) as Json)
    .filter((l) => l.level === 'warn')
    .map((l) => String(l.message));

const CALLS: [string, Handler, string][] = [
  ['getMetrics', getMetrics as Handler, 'metrics'],
  ['getStatus', getStatus as Handler, 'status'],
  ['getLogs', getLogs as Handler, 'logs'],
  ['getSpend', getSpend as Handler, 'items'],
];

describe.each(['nutanix', 'cloudtower'] as const)('%s: a scoped account polls one resource', (provider) => {
  it.each(CALLS)(
    '%s of a VM outside the scope: empty, one warning naming it, nothing of it read',
    async (_n, call, key) => {
      const t = targets[provider];
      const before = { reads: t.reads(), warned: warnings().length };
      const result = (await call(event(t, [t.otherCluster], 'server'), lambdaContext())) as Json;
      expect(result[key]).toEqual([]);
      expect(t.reads()).toBe(before.reads);
      expect(warnings().slice(before.warned)).toEqual([
        `server ${t.vm} is outside the scoped clusters (credentials.clusters): nothing is read for it`,
      ]);
    },
  );

  it('a cluster outside the scope: getMetrics and getStatus answer empty with the warning', async () => {
    const t = targets[provider];
    for (const [call, key] of [
      [getMetrics, 'metrics'],
      [getStatus, 'status'],
    ] as const) {
      const warned = warnings().length;
      const result = (await (call as Handler)(
        event(t, [t.vmCluster], 'compute_pool', t.otherCluster),
        lambdaContext(),
      )) as Json;
      expect(result[key]).toEqual([]);
      expect(warnings().slice(warned)).toEqual([
        `compute_pool ${t.otherCluster} is outside the scoped clusters (credentials.clusters): nothing is read for it`,
      ]);
    }
  });

  it('the same VM inside the scope is read', async () => {
    const t = targets[provider];
    const metrics = (await getMetrics(event(t, [t.vmCluster], 'server'), lambdaContext())) as unknown as {
      metrics: Json[];
    };
    expect(metrics.metrics.length).toBeGreaterThan(0);
    const status = (await getStatus(event(t, [t.vmCluster], 'server'), lambdaContext())) as unknown as {
      status: Json[];
    };
    expect(status.status.map((s) => s.source)).toEqual([`vm/${t.vm}`]);
    const spend = (await getSpend(event(t, [t.vmCluster], 'server'), lambdaContext())) as unknown as {
      items: Json[];
    };
    expect(spend.items.map((i) => i.remote_id)).toEqual([t.vm]);
  });
});
