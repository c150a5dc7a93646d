/**
 * One seeded simulator per provider, started the same way for every scenario written around the runner
 * (metrics, memory, faults), with a uniform face: base URL, the SimServer (stats and fault plan), ground
 * truth, and a factory for the real provider pointed at it.
 *
 * The provider modules are loaded by path at run time (and bundled from the same path by the memory
 * scenario), so a provider that has not landed yet turns into a "not available" result instead of
 * breaking every scenario; the Provider interface keeps the calls typed.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Deadline } from '../../lib/http';
import type {
  CloudTowerCredentials,
  PrismCredentials,
  Provider,
  ProviderOptions,
  ServerRecord,
} from '../../lib/providers/provider';
import type { FaultPlan, SimServer } from '../simulators/common';
import { missingFiles, REPO_ROOT, ScenarioUnavailable } from './harness';

export type ProviderName = 'prism' | 'cloudtower';

/** Where each provider's factory lives (repository-relative module path without extension, export name). */
export const PROVIDER_MODULES: Record<ProviderName, { path: string; factory: string }> = {
  prism: { path: 'lib/providers/prism/index', factory: 'createPrismProvider' },
  cloudtower: { path: 'lib/providers/cloudtower/index', factory: 'createCloudTowerProvider' },
};

/** Options the bench passes to a provider factory. */
export type BenchProviderOptions = ProviderOptions & { deadline?: Deadline };

/** A provider factory as both provider modules export it. */
export type ProviderFactory = (
  credentials: PrismCredentials | CloudTowerCredentials,
  options?: BenchProviderOptions,
) => Provider;

/** The seed every scenario uses, so the estates are the same ones run after run. */
export const BENCH_SEED = 42;

/** A running simulator with a provider pointed at it. */
export interface Estate {
  name: ProviderName;
  baseUrl: string;
  /** The loopback server: request statistics, fault plan. */
  server: SimServer;
  /** Credentials as lib/config would resolve them for this simulator. */
  credentials: PrismCredentials | CloudTowerCredentials;
  /** A fresh provider (fresh HTTP client, fresh session) against this simulator. */
  provider(options?: BenchProviderOptions): Provider;
  /** Native ids of every VM that must be a Server, from the simulator's ground truth. */
  truthServerIds(): string[];
  /** VM count per cluster id, from the ground truth (for the per-cluster page bound). */
  vmsPerCluster(): Map<string, number>;
  /** Clusters that are metric subjects (compute pools), from the ground truth. */
  clusterCount(): number;
  stop(): Promise<void>;
}

/** Loads a provider factory; ScenarioUnavailable when its module has not landed. */
export async function loadProviderFactory(name: ProviderName): Promise<ProviderFactory> {
  const { path, factory } = PROVIDER_MODULES[name];
  if (missingFiles([`${path}.ts`]).length > 0) throw new ScenarioUnavailable(`${path}.ts has not landed`);
  const mod = (await import(/* @vite-ignore */ pathToFileURL(join(REPO_ROOT, `${path}.ts`)).href)) as Record<
    string,
    unknown
  >;
  const fn = mod[factory];
  if (typeof fn !== 'function') throw new ScenarioUnavailable(`${path}.ts does not export ${factory}() yet`);
  return fn as ProviderFactory;
}

/** Starts the simulator for `name` with `vms` VMs and `latencyMs` on every response. */
export async function startEstate(
  name: ProviderName,
  options: { vms: number; latencyMs: number; faults?: FaultPlan; seed?: number },
): Promise<Estate> {
  const factory = await loadProviderFactory(name);
  const faults: FaultPlan = { latencyMs: options.latencyMs, ...options.faults };
  const seed = options.seed ?? BENCH_SEED;
  if (name === 'prism') {
    const { startPrismSimulator, PRISM_SIM_USERNAME, PRISM_SIM_PASSWORD } = await import(
      '../simulators/prism/index'
    );
    const started = await startPrismSimulator({ seed, vms: options.vms, faults });
    const credentials: PrismCredentials = {
      endpoint: started.baseUrl,
      verifySsl: true,
      username: PRISM_SIM_USERNAME,
      password: PRISM_SIM_PASSWORD,
      api: 'auto',
    };
    const vmClusters = () => started.truth().clusters.filter((c) => !c.isPrismCentral);
    return {
      name,
      baseUrl: started.baseUrl,
      server: started.sim,
      credentials,
      provider: (o) => factory(credentials, o),
      truthServerIds: () => started.truth().vms.map((v) => v.extId),
      vmsPerCluster: () => countBy(started.truth().vms.map((v) => v.clusterId)),
      clusterCount: () => vmClusters().length,
      stop: () => started.stop(),
    };
  }
  const { startCloudTowerSimulator, CLOUDTOWER_SIM_USERNAME, CLOUDTOWER_SIM_PASSWORD } = await import(
    '../simulators/cloudtower/index'
  );
  const started = await startCloudTowerSimulator({ seed, vms: options.vms, faults });
  const credentials: CloudTowerCredentials = {
    endpoint: started.baseUrl,
    verifySsl: true,
    username: CLOUDTOWER_SIM_USERNAME,
    password: CLOUDTOWER_SIM_PASSWORD,
    source: 'LOCAL',
  };
  const liveVms = () => started.sim.groundTruth().vms.filter((v) => v.in_recycle_bin !== true);
  return {
    name,
    baseUrl: started.baseUrl,
    server: started.sim.server,
    credentials,
    provider: (o) => factory(credentials, o),
    truthServerIds: () => liveVms().map((v) => String(v.id)),
    vmsPerCluster: () => countBy(liveVms().map((v) => clusterIdOf(v.cluster))),
    clusterCount: () => started.sim.groundTruth().clusters.length,
    stop: () => started.stop(),
  };
}

function clusterIdOf(ref: unknown): string {
  return typeof ref === 'object' && ref !== null ? String((ref as { id?: unknown }).id) : String(ref);
}

function countBy(keys: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
  return counts;
}

/** The metric subjects the getMetrics handler passes in bulk mode: every server and every compute pool. */
export function bulkSubjects(inv: {
  servers: ServerRecord[];
  computePools: { id: string }[];
  hosts: { id: string; clusterId: string | null }[];
}) {
  return [
    ...inv.servers.map((s) => ({ nativeId: s.id, kind: 'server' as const, clusterId: s.clusterId })),
    ...inv.computePools.map((p) => ({ nativeId: p.id, kind: 'compute_pool' as const, clusterId: p.id })),
    ...inv.hosts.map((h) => ({ nativeId: h.id, kind: 'host' as const, clusterId: h.clusterId })),
  ];
}

/** A never-aborting signal for calls the bench does not cut short. */
export function noAbort(): AbortSignal {
  return new AbortController().signal;
}
