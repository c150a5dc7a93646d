/**
 * getSpend for one resource, against the simulators with their request counts: the resource's type decides
 * what is priced (a VM's server item, a volume's item, nothing for a host), only that resource is read
 * upstream (never the VM list), a resource that is gone answers no items and a warning naming it the same way
 * on both providers, and a malformed id or an unpriced type is a validation error naming the field.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler as getSpend } from '../../functions/get-spend';
import { fixedClock, setClock } from '../../lib/connector-utils/time/clock';
import { CLOUDTOWER_SIM_CREDENTIALS, startCloudTowerSimulator } from '../simulators/cloudtower';
import { PRISM_SIM_PASSWORD, PRISM_SIM_USERNAME, startPrismSimulator } from '../simulators/prism';
import { captureLogs, lambdaContext, rejection } from './harness';

type Json = Record<string, unknown>;
interface Item {
  remote_id: string;
  resource_type: string;
  amount: number;
}

interface Target {
  provider: 'nutanix' | 'cloudtower';
  baseUrl: string;
  username: string;
  password: string;
  hostId: string;
  /** Requests that page the VM list (or count it), since the simulator started. */
  vmListReads(): number;
  requests(): number;
  stop(): Promise<void>;
}

const targets: Record<string, Target> = {};
let logs: ReturnType<typeof captureLogs>;

beforeAll(async () => {
  logs = captureLogs();
  setClock(fixedClock(new Date(Date.now() - 60_000).toISOString().replace('Z', '000')));
  for (const [name, options] of [
    ['prism v4', {}],
    ['prism v3', { v3Only: true }],
    ['prism element', { peOnly: true }],
  ] as const) {
    const prism = await startPrismSimulator({ seed: 5, vms: 30, clusters: 2, ...options });
    const served = prism.prism.served;
    targets[name] = {
      provider: 'nutanix',
      baseUrl: prism.baseUrl,
      username: PRISM_SIM_USERNAME,
      password: PRISM_SIM_PASSWORD,
      hostId: prism.truth().hosts[0]!.extId,
      vmListReads: () => (served['v4 vms'] ?? 0) + (served['v3 vms'] ?? 0) + (served['v2 vms'] ?? 0),
      requests: () => prism.sim.stats.requests,
      stop: prism.stop,
    };
  }
  const tower = await startCloudTowerSimulator({ seed: 5, vms: 30, vmClusters: 2 });
  const byRoute = tower.sim.server.stats.byRoute;
  targets.cloudtower = {
    provider: 'cloudtower',
    baseUrl: tower.baseUrl,
    username: CLOUDTOWER_SIM_CREDENTIALS.username,
    password: CLOUDTOWER_SIM_CREDENTIALS.password,
    hostId: String(tower.truth.hosts[0]!.id),
    vmListReads: () => byRoute['POST /v2/api/get-vms-connection'] ?? 0,
    requests: () => tower.sim.server.stats.requests,
    stop: tower.stop,
  };
});

afterAll(async () => {
  logs.stop();
  setClock(null);
  for (const t of Object.values(targets)) await t.stop();
});

function spendEvent(t: Target, resource?: Json): Json {
  return {
    account_id: 'spend-one',
    provider: t.provider,
    poll_interval: 3600,
    credentials: { endpoint: t.baseUrl, username: t.username, password: t.password },
    ...(resource ? { resource } : {}),
  };
}

async function spend(t: Target, resource?: Json): Promise<Item[]> {
  return ((await getSpend(spendEvent(t, resource), lambdaContext())) as { items: Item[] }).items;
}

const warnings = () =>
  logs.lines
    .map((l) => JSON.parse(l) as Json)
    .filter((l) => l.level === 'warn')
    .map((l) => String(l.message));

describe.each(['prism v4', 'prism v3', 'prism element', 'cloudtower'])(
  '%s: getSpend for one resource',
  (name) => {
    it('a server is its VM item, read without the VM list; a host (server or host) has no items', async () => {
      const t = targets[name]!;
      const all = await spend(t);
      const vm = all.find((i) => i.resource_type === 'server')!;
      const before = { list: t.vmListReads(), requests: t.requests() };
      expect(await spend(t, { native_id: vm.remote_id, type: 'server' })).toEqual([vm]);
      expect(await spend(t, { native_id: vm.remote_id })).toEqual([vm]);
      expect(t.vmListReads() - before.list).toBe(0);
      // A warm session: each call is a handful of requests, not a listing.
      expect(t.requests() - before.requests).toBeLessThanOrEqual(8);

      const warned = warnings().length;
      expect(await spend(t, { native_id: t.hostId, type: 'server' })).toEqual([]);
      expect(await spend(t, { native_id: t.hostId, type: 'host' })).toEqual([]);
      expect(t.vmListReads() - before.list).toBe(0);
      expect(warnings().slice(warned)).toEqual([]);
    });

    it('a volume is that volume item', async () => {
      const t = targets[name]!;
      const all = await spend(t);
      const volume = all.find((i) => i.resource_type === 'volume')!;
      expect(volume).toBeDefined();
      expect(await spend(t, { native_id: volume.remote_id, type: 'volume' })).toEqual([volume]);
    });

    it('a resource that is gone: no items and a warning naming its id', async () => {
      const t = targets[name]!;
      const gone =
        t.provider === 'nutanix' ? '0badc0de-0000-4000-8000-000000000001' : 'clgone000000000000000001';
      for (const type of ['server', 'volume']) {
        const warned = warnings().length;
        expect(await spend(t, { native_id: gone, type })).toEqual([]);
        expect(warnings().slice(warned)).toEqual([
          `${type} ${gone} no longer exists upstream: no spend for it`,
        ]);
      }
    });

    it('an unpriced type or a malformed id is a validation error naming the field', async () => {
      const t = targets[name]!;
      const pool = await rejection(
        getSpend(spendEvent(t, { native_id: t.hostId, type: 'compute_pool' }), lambdaContext()),
      );
      expect(pool.name).toBe('ValidationError');
      expect(pool.message).toBe('resource.type: expected "server", "host" or "volume", got "compute_pool"');
      const before = t.requests();
      const bad = await rejection(
        getSpend(spendEvent(t, { native_id: '../clusters', type: 'server' }), lambdaContext()),
      );
      expect(bad.name).toBe('ValidationError');
      expect(bad.message).toMatch(/^resource\.native_id: expected /);
      expect(t.requests()).toBe(before);
    });
  },
);
