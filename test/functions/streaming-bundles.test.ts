/**
 * The streaming functions as deployed: `serverless package` output (the zips Lambda would run), loaded under
 * the emulated Lambda Node.js streaming runtime (scripts/lib/lambda-streaming.ts) and invoked against the
 * simulators. Each streamed body parses to the buffered function's result (its packaged bundle, same
 * simulator); at 10,000 VMs the streamed inventory equals the simulator's ground truth.
 */
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invokeStreaming, loadStreamingHandler } from '../../scripts/lib/lambda-streaming';
import { type PackagedFunctions, packageFunctions } from '../../scripts/lib/package';
import { assertValidResult } from '../helpers/schemas';
import { projectExpected, projectSerialized, withoutSeenAt } from '../helpers/serialized';
import { simCredentials } from '../helpers/sim-events';
import { expectedInventory as expectedTower } from '../providers/cloudtower/expected';
import { expectedInventory as expectedPrism } from '../providers/prism/expected';
import { CLOUDTOWER_SMALL, startCloudTowerSimulator } from '../simulators/cloudtower';
import { startPrismSimulator } from '../simulators/prism';

type Provider = 'nutanix' | 'cloudtower';
type Json = Record<string, unknown>;
type Buffered = (event: unknown, context: unknown) => Promise<unknown>;

let pkg: PackagedFunctions;
const buffered: Record<string, Buffered> = {};
const streaming: Record<string, ReturnType<typeof loadStreamingHandler>> = {};
const endpoints = new Map<Provider, string>();
const stops: (() => Promise<void>)[] = [];

function event(provider: Provider, extra: Json = {}, endpoint = endpoints.get(provider) ?? ''): Json {
  return {
    account_id: `stream-${provider}`,
    customer_id: 'stream-customer',
    provider,
    poll_interval: 300,
    credentials: simCredentials(provider, endpoint),
    ...extra,
  };
}

function context(name: string): Json {
  const endsAt = Date.now() + 120_000;
  return {
    functionName: name,
    awsRequestId: `req-${name}-${Date.now()}`,
    getRemainingTimeInMillis: () => endsAt - Date.now(),
  };
}

async function stream(fn: string, ev: unknown) {
  const run = await invokeStreaming(streaming[fn] as never, ev, { functionName: fn, timeoutMs: 120_000 });
  if (run.error) throw new Error(`${fn} failed: ${run.error.errorType}: ${run.error.errorMessage}`);
  return { value: JSON.parse(run.body ?? '') as unknown, bytes: run.bytes };
}

beforeAll(async () => {
  process.env.LOG_LEVEL = 'error';
  pkg = await packageFunctions([
    'getResources',
    'getMetrics',
    'getLogs',
    'getResourcesStream',
    'getMetricsStream',
    'getLogsStream',
  ]);
  const load = createRequire(import.meta.url);
  for (const fn of ['getResources', 'getMetrics', 'getLogs'])
    buffered[fn] = (load(pkg.bundle(fn)) as { handler: Buffered }).handler;
  for (const fn of ['getResourcesStream', 'getMetricsStream', 'getLogsStream'])
    streaming[fn] = loadStreamingHandler(pkg.bundle(fn));
  const prism = await startPrismSimulator({ seed: 7, vms: 60, clusters: 3 });
  const tower = await startCloudTowerSimulator({ ...CLOUDTOWER_SMALL });
  endpoints.set('nutanix', prism.baseUrl);
  endpoints.set('cloudtower', tower.baseUrl);
  stops.push(prism.stop, tower.stop);
}, 240_000);

afterAll(async () => {
  delete process.env.LOG_LEVEL;
  for (const stop of stops) await stop();
  pkg?.remove();
});

describe.each(['nutanix', 'cloudtower'] as const)('%s: packaged streaming functions', (provider) => {
  it('getResourcesStream streams what getResources returns (valid against get_resources.json)', async () => {
    const expected = (await buffered.getResources?.(event(provider), context('getResources'))) as Json[];
    const streamed = await stream('getResourcesStream', event(provider));
    assertValidResult('get_resources', streamed.value);
    expect(expected.length).toBeGreaterThan(60);
    // last_seen_at is the time each call serialized the resource; everything else is identical.
    expect(withoutSeenAt(streamed.value as Json[])).toEqual(withoutSeenAt(expected));
    expect(streamed.bytes).toBe(Buffer.byteLength(JSON.stringify(streamed.value)));
  });

  it('getMetricsStream streams what getMetrics returns, in bulk and for one server', async () => {
    const lastUpdate = new Date(Date.now() - 20 * 60_000).toISOString().replace('Z', '000Z');
    const resources = (await buffered.getResources?.(event(provider), context('getResources'))) as Json[];
    const serverIds = new Set(resources.filter((r) => r.type === 'server').map((r) => r.id));
    let serverId: unknown;
    for (const bulk of [true, false]) {
      const resource = { id: '3f2c1a9e-8b7d-4c6e-9f01-23456789abcd', native_id: serverId, type: 'server' };
      const ev = event(provider, { last_update: lastUpdate, ...(bulk ? {} : { resource }) });
      const a = (await buffered.getMetrics?.(ev, context('getMetrics'))) as {
        metrics: Json[];
        last_update: string;
      };
      const b = (await stream('getMetricsStream', ev)).value as { metrics: Json[]; last_update: string };
      assertValidResult('get_metrics', b);
      // Each call's window ends at its own "now": compare the window both calls covered.
      const end = ([a.last_update, b.last_update].sort()[0] ?? '').replace('Z', '');
      const within = (m: Json[]) => m.filter((p) => String(p.time).replace('Z', '') < end);
      expect(within(b.metrics).length).toBeGreaterThan(0);
      expect(within(b.metrics)).toEqual(within(a.metrics));
      expect(Object.keys(b)).toEqual(Object.keys(a));
      // One server the bulk poll had samples for.
      serverId = a.metrics.find((p) => serverIds.has(p.provider_id))?.provider_id;
    }
  });

  it('getLogsStream streams what getLogs returns, first poll and incremental', async () => {
    for (const extra of [
      {},
      { last_update: new Date(Date.now() - 2 * 86_400_000).toISOString().replace('Z', '000Z') },
    ]) {
      const ev = event(provider, { poll_type: 'logs', ...extra });
      const a = (await buffered.getLogs?.(ev, context('getLogs'))) as { logs: Json[]; last_update: string };
      const b = (await stream('getLogsStream', ev)).value as { logs: Json[]; last_update: string };
      assertValidResult('get_logs', b);
      // Each call's window ends at its own read start: compare what both covered.
      const end = ([a.last_update, b.last_update].sort()[0] ?? '').replace('Z', '');
      const within = (l: Json[]) => l.filter((x) => String(x.time).replace('Z', '') <= end);
      expect(within(b.logs).length).toBeGreaterThan(0);
      expect(within(b.logs)).toEqual(within(a.logs));
      expect(Object.keys(b)).toEqual(Object.keys(a));
    }
  });
});

/** A VM's Server (hosts are Servers with is_virtual false). */
const isVm = (r: Json) =>
  r.type === 'server' && (r.details as { server: { is_virtual: boolean } }).server.is_virtual;

describe('streamed inventory at 10,000 VMs', () => {
  it('Prism: parses and equals the ground truth', async () => {
    const sim = await startPrismSimulator({ seed: 11, vms: 10_000, clusters: 4 });
    try {
      const streamed = await stream('getResourcesStream', event('nutanix', {}, sim.baseUrl));
      const resources = streamed.value as Json[];
      expect(resources.filter(isVm)).toHaveLength(10_000);
      expect(projectSerialized(resources)).toEqual(projectExpected(expectedPrism(sim.truth(), 'v4')));
    } finally {
      await sim.stop();
    }
  }, 240_000);

  it('CloudTower: parses and equals the ground truth', async () => {
    const sim = await startCloudTowerSimulator({ seed: 3, vms: 10_000 });
    try {
      const streamed = await stream('getResourcesStream', event('cloudtower', {}, sim.baseUrl));
      const resources = streamed.value as Json[];
      expect(resources.filter(isVm).length).toBeGreaterThan(9_000);
      expect(projectSerialized(resources)).toEqual(projectExpected(expectedTower(sim.truth)));
    } finally {
      await sim.stop();
    }
  }, 240_000);
});
