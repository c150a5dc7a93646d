/**
 * The CloudTower provider against the simulator: at 10,000 VMs exact equality with the ground truth, no
 * duplicates and the request counts paging promises; on a smaller estate read in many pages, the fault
 * behaviour (transient failures and token expiry still give the exact result; a permanent failure gives a
 * typed error and no partial list; a change between pages is re-read, never mixed).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthenticationError, TransientError, UpstreamError } from '../../../lib/errors';
import { createCloudTowerProvider } from '../../../lib/providers/cloudtower/index';
import type { Inventory } from '../../../lib/providers/provider';
import {
  CLOUDTOWER_SIM_PASSWORD,
  type CloudTowerGroundTruth,
  type RunningCloudTowerSimulator,
  startCloudTowerSimulator,
} from '../../simulators/cloudtower/index';
import { towerSimCredentials } from '../sim-credentials';
import { expectedInventory, projectInventory as project } from './expected';

const VMS = 10_000;
const PAGE = 500;
const FAST_RETRY = { maxAttempts: 6, baseDelayMs: 1, maxDelayMs: 5 };
const signal = () => new AbortController().signal;

function byId<T extends { id: string }>(list: T[]): T[] {
  return [...list].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** One `-connection` count and ⌈n/page⌉ list pages per kind (a kind with no rows still costs one page). */
function expectRequestsPerKind(
  byRoute: Record<string, number>,
  truth: CloudTowerGroundTruth,
  page: number,
): void {
  const sizes: Record<string, number> = {
    clusters: truth.clusters.length,
    hosts: truth.hosts.length,
    datacenters: truth.datacenters.length,
    vms: truth.vms.filter((v) => !v.in_recycle_bin).length,
    'vm-disks': truth['vm-disks'].length,
    'vm-volumes': truth['vm-volumes'].length,
    'vm-nics': truth['vm-nics'].length,
    vlans: truth.vlans.length,
    vdses: truth.vdses.length,
  };
  for (const [plural, n] of Object.entries(sizes)) {
    expect(byRoute[`POST /v2/api/get-${plural}`], plural).toBe(Math.max(1, Math.ceil(n / page)));
    expect(byRoute[`POST /v2/api/get-${plural}-connection`], plural).toBe(1);
  }
}

function expectMatchesTruth(inv: Inventory, truth: CloudTowerGroundTruth): void {
  const got = project(inv);
  const want = expectedInventory(truth);
  for (const kind of ['servers', 'hosts', 'volumes', 'networks', 'computePools'] as const) {
    const ids = got[kind].map((r) => r.id);
    expect(new Set(ids).size, `${kind} has duplicate ids`).toBe(ids.length);
    expect(byId(got[kind] as { id: string }[]), kind).toEqual(byId(want[kind] as { id: string }[]));
  }
}

describe('CloudTower provider inventory at 10,000 VMs', () => {
  let run: RunningCloudTowerSimulator;

  beforeAll(async () => {
    run = await startCloudTowerSimulator({ seed: 42, vms: VMS });
  });
  afterAll(() => run.stop());

  it('equals the ground truth exactly, with ⌈N/page⌉ list requests per kind and one login', async () => {
    // Prepare
    run.sim.server.resetStats();
    const languages = new Set<string>();
    run.sim.server.use((req) => {
      languages.add(req.headers['content-language'] ?? '(none)');
      return undefined;
    });
    const provider = createCloudTowerProvider(towerSimCredentials(run.baseUrl), { concurrency: 4 });
    // Act
    const inv = await provider.inventory(signal());
    // Assess (nothing changes the estate during this test, so the live view is the ground truth)
    const truth = run.sim.truthView();
    expectMatchesTruth(inv, truth);
    expect(inv.servers.length).toBe(truth.vms.filter((v) => !v.in_recycle_bin).length);
    expect(inv.servers.length).toBeGreaterThan(9_000);
    const stats = run.sim.server.stats;
    expect(stats.unexpected).toEqual([]);
    expectRequestsPerKind(stats.byRoute, truth, PAGE);
    expect(stats.byRoute['POST /v2/api/login']).toBe(1);
    expect(provider.client.logins).toBe(1);
    expect([...languages]).toEqual(['en-US']);
  });
});

/**
 * Faults and churn do not depend on the estate's size, only on a read spanning many pages: 1,500 VMs read
 * in pages of 100 give ~100 list requests — as many as the 10,000-VM read in pages of 500 — so transient
 * failures, a mid-read token expiry and a change between pages all land inside multi-page reads, in a
 * fraction of the time (the 10,000-VM exact read above stays, once).
 */
describe('CloudTower provider inventory under faults and churn (1,500 VMs, pages of 100)', () => {
  const SMALL_VMS = 1_500;
  const SMALL_PAGE = 100;
  let run: RunningCloudTowerSimulator;

  beforeAll(async () => {
    run = await startCloudTowerSimulator({ seed: 43, vms: SMALL_VMS });
  });
  afterAll(() => run.stop());

  it('survives 10 % transient failures and a token expiry with the exact result (one re-login)', async () => {
    // Prepare
    run.sim.server.setFaults({
      transientRate: 0.1,
      expireSessionsAfter: 40,
      exempt: (req) => req.path === '/v2/api/login',
    });
    run.sim.server.resetStats();
    const provider = createCloudTowerProvider(towerSimCredentials(run.baseUrl), {
      concurrency: 8,
      pageSize: SMALL_PAGE,
      retry: FAST_RETRY,
    });
    // Act
    const inv = await provider.inventory(signal());
    // Assess
    run.sim.server.setFaults({});
    const truth = run.sim.groundTruth();
    expectMatchesTruth(inv, truth);
    // The read really was many pages per kind (the expiry at request 40 fell in the middle of it).
    expect(run.sim.server.stats.requests).toBeGreaterThan(80);
    const injected = run.sim.server.stats.injected;
    expect(
      (injected['429'] ?? 0) + (injected['503'] ?? 0) + (injected['500'] ?? 0) + (injected.reset ?? 0),
    ).toBeGreaterThan(5);
    expect(injected.expiry).toBe(1);
    expect(provider.client.http.stats.retries).toBeGreaterThan(5);
    expect(provider.client.logins).toBe(2);
  });

  it('a permanent failure is a typed error, never a partial list', async () => {
    run.sim.server.setFaults({
      rules: [
        {
          when: (req) => req.path === '/v2/api/get-vm-nics' && (req.body as { skip?: number })?.skip === 1000,
          respond: { status: 503, body: { path: '/get-vm-nics', status: 503, message: 'unavailable' } },
        },
      ],
    });
    const provider = createCloudTowerProvider(towerSimCredentials(run.baseUrl), {
      pageSize: SMALL_PAGE,
      retry: FAST_RETRY,
    });
    const outcome = await provider.inventory(signal()).then(
      (inv) => ({ inv }),
      (err: unknown) => ({ err }),
    );
    run.sim.server.setFaults({});
    expect('inv' in outcome).toBe(false);
    const err = (outcome as { err: Error }).err;
    expect(err).toBeInstanceOf(TransientError);
    expect(err.message).toContain('get-vm-nics');
    expect(err.message).not.toContain(CLOUDTOWER_SIM_PASSWORD);
  });

  it('re-reads a kind that changed between pages and never mixes two states', async () => {
    // Prepare: VMs added and removed after the second page of VMs, while other kinds may be mid-read too.
    const before = expectedInventory(run.sim.groundTruth());
    run.sim.setChurn({ afterListRequests: 2, kind: 'vms', addVms: 5, removeVms: 4 });
    const warnings: string[] = [];
    const logger = { info: () => {}, warn: (m: string) => warnings.push(m), error: () => {} };
    const provider = createCloudTowerProvider(towerSimCredentials(run.baseUrl), {
      logger,
      pageSize: SMALL_PAGE,
    });
    // Act
    const inv = await provider.inventory(signal());
    // Assess: the VM read spanned the change, so VMs are re-read and are the new state exactly; every
    // other kind is wholly the old or wholly the new state.
    const after = expectedInventory(run.sim.groundTruth());
    expect(after.servers.map((s) => s.id)).not.toEqual(before.servers.map((s) => s.id));
    const got = project(inv);
    // Servers' ids are exactly the new state (their disks/NICs may have been read before or after).
    expect(byId(got.servers).map((s) => s.id)).toEqual(byId(after.servers).map((s) => s.id));
    for (const kind of ['volumes', 'networks', 'computePools'] as const) {
      const ids = got[kind].map((r) => r.id).sort();
      const options = [before[kind].map((r) => r.id).sort(), after[kind].map((r) => r.id).sort()];
      expect(
        options.some((o) => JSON.stringify(o) === JSON.stringify(ids)),
        kind,
      ).toBe(true);
    }
    expect(
      warnings.some((w) => /re-reading vms/.test(w)),
      warnings.join('\n'),
    ).toBe(true);
  });
});

describe('CloudTower provider authentication', () => {
  let run: RunningCloudTowerSimulator;
  const signalNow = signal;

  beforeAll(async () => {
    run = await startCloudTowerSimulator({ seed: 5, vms: 40, vmClusters: 3, apiKeys: ['api-key-1'] });
  });
  afterAll(() => run.stop());

  it('a rejected login (400) is an AuthenticationError that does not echo the password', async () => {
    const provider = createCloudTowerProvider(
      towerSimCredentials(run.baseUrl, { password: 'wrong-password-123' }),
    );
    const err = await provider.inventory(signalNow()).catch((e: unknown) => e as Error);
    expect(err).toBeInstanceOf(AuthenticationError);
    expect((err as Error).message).not.toContain('wrong-password-123');
  });

  it('a rejected login answered with 401 is an AuthenticationError too', async () => {
    const strict = await startCloudTowerSimulator({
      seed: 5,
      vms: 5,
      vmClusters: 3,
      loginFailureStatus: 401,
    });
    try {
      const provider = createCloudTowerProvider(towerSimCredentials(strict.baseUrl, { password: 'nope' }));
      await expect(provider.validate(signalNow())).rejects.toBeInstanceOf(AuthenticationError);
    } finally {
      await strict.stop();
    }
  });

  it('a 401 that survives one re-login fails with AuthenticationError', async () => {
    run.sim.server.setFaults({
      rules: [
        {
          when: (req) => req.path === '/v2/api/get-clusters',
          respond: { status: 401, body: { message: 'no' } },
        },
      ],
    });
    const provider = createCloudTowerProvider(towerSimCredentials(run.baseUrl));
    const err = await provider.inventory(signalNow()).catch((e: unknown) => e as Error);
    run.sim.server.setFaults({});
    expect(err).toBeInstanceOf(AuthenticationError);
    expect(provider.client.logins).toBeGreaterThanOrEqual(2);
  });

  it('an API key skips login; a revoked key is an AuthenticationError', async () => {
    const keyCreds = towerSimCredentials(run.baseUrl, { token: 'api-key-1' });
    delete keyCreds.username;
    delete keyCreds.password;
    run.sim.server.resetStats();
    const provider = createCloudTowerProvider(keyCreds);
    const info = await provider.validate(signalNow());
    expect(info.clusters.length).toBe(run.sim.world.clusters.length);
    expect(info.version).toBe('4.6.0');
    expect(run.sim.server.stats.byRoute['POST /v2/api/login']).toBeUndefined();
    run.sim.revokeApiKey('api-key-1');
    await expect(createCloudTowerProvider(keyCreds).inventory(signalNow())).rejects.toBeInstanceOf(
      AuthenticationError,
    );
  });

  it('a non-LOCAL login source reaches the login as the Tower spells it; the wrong source is rejected', async () => {
    const ldap = await startCloudTowerSimulator({ seed: 5, vms: 5, vmClusters: 3, loginSources: ['LDAP'] });
    try {
      const sent: unknown[] = [];
      ldap.sim.server.use((req) => {
        if (req.path === '/v2/api/login') sent.push((req.body as { source?: unknown }).source);
        return undefined;
      });
      const info = await createCloudTowerProvider(
        towerSimCredentials(ldap.baseUrl, { source: 'ldap' }),
      ).validate(signalNow());
      expect(info.clusters.length).toBeGreaterThan(0);
      await expect(
        createCloudTowerProvider(towerSimCredentials(ldap.baseUrl, { source: 'LOCAL' })).validate(
          signalNow(),
        ),
      ).rejects.toBeInstanceOf(AuthenticationError);
      expect(sent).toEqual(['LDAP', 'LOCAL']);
    } finally {
      await ldap.stop();
    }
  });

  it('UpstreamError is what a 400 on a list call becomes (not an auth error)', async () => {
    run.sim.server.setFaults({
      rules: [
        {
          when: (req) => req.path === '/v2/api/get-vlans',
          respond: { status: 400, body: { message: 'bad' } },
        },
      ],
    });
    const err = await createCloudTowerProvider(towerSimCredentials(run.baseUrl))
      .inventory(signalNow())
      .catch((e: unknown) => e);
    run.sim.server.setFaults({});
    expect(err).toBeInstanceOf(UpstreamError);
  });
});
