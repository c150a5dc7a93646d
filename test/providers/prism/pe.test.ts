/**
 * Contract tests for a lone Prism Element (no Prism Central): detection picks PE v2.0 from what API.md
 * documents about telling PC from PE, the inventory equals the simulator's ground truth exactly, request
 * counts are O(pages), the [unverified] v2.0 paging and include-flag guesses fail loudly when wrong, and
 * metrics come from the v1 stats calls (one per VM: API.md documents no bulk VM series on a PE).
 */
import { describe, expect, it } from 'vitest';
import { AuthenticationError, UpstreamError } from '../../../lib/errors';
import { HttpStatusError } from '../../../lib/http';
import { createPrismProvider } from '../../../lib/providers/prism';
import type { MetricSubject, TimeWindow } from '../../../lib/providers/provider';
import { stoppedAfterEach } from '../../helpers/per-test';
import { type PrismSimulatorOptions, startPrismSimulator } from '../../simulators/prism';
import { prismSimCredentials } from '../sim-credentials';
import { expectedInventory, projectInventory } from './expected';

const startAny = stoppedAfterEach(startPrismSimulator);
const start = (options: Omit<PrismSimulatorOptions, 'peOnly'>) => startAny({ ...options, peOnly: true });

const signal = () => new AbortController().signal;
const V2 = '/PrismGateway/services/rest/v2.0';

describe('Prism Element v2.0 (no Prism Central)', () => {
  it('detects the PE and collects exactly the ground truth of 1,200 VMs in O(pages) requests', async () => {
    // Prepare
    const sim = await start({ seed: 51, vms: 1_200 });
    const provider = createPrismProvider(prismSimCredentials(sim.baseUrl), { concurrency: 4 });
    // Act
    const inventory = await provider.inventory(signal());
    // Assess
    expect(await provider.api(signal())).toEqual({ kind: 'v2' });
    const truth = sim.truth();
    expect(projectInventory(inventory)).toEqual(expectedInventory(truth, 'v2'));
    expect(inventory.servers).toHaveLength(1_200);
    expect(inventory.computePools).toHaveLength(1);
    expect(truth.volumeGroups.length).toBeGreaterThan(0);
    // The shapes an independent PE answers without disk_address.vmdisk_uuid are in the estate.
    const disks = truth.vms.flatMap((v) => v.disks);
    expect(disks.some((d) => d.kind === 'vg')).toBe(true);
    expect(disks.some((d) => d.kind === 'cdrom' && d.sizeBytes === null)).toBe(true);
    expect(inventory.servers.some((s) => s.providerState === 'on' && s.state === 'running')).toBe(true);
    // Detection: login (absent on this PE), version routes and prism_central (PC-only, 404), the v2.0 probe.
    expect(sim.prism.served).toEqual({
      'not found': 2,
      versionroutes: 1,
      'v2 cluster': 2,
      'v2 hosts': 1,
      'v2 vms': Math.ceil(1_200 / 500),
      'v2 networks': 1,
      'v2 volume_groups': 1,
    });
    expect(sim.sim.stats.requests).toBe(11);
    expect(sim.sim.stats.unexpected).toEqual([]);
  });

  it('still detects the PE when it answers the v3 login (prism_central is what tells PC from PE)', async () => {
    const sim = await start({ seed: 52, vms: 300, peV3Login: true });
    const provider = createPrismProvider(prismSimCredentials(sim.baseUrl));
    const inventory = await provider.inventory(signal());
    expect(await provider.api(signal())).toEqual({ kind: 'v2' });
    expect(projectInventory(inventory)).toEqual(expectedInventory(sim.truth(), 'v2'));
    expect(sim.prism.served['v3 users/me']).toBe(1);
  });

  it('survives 10 % transient failures and a session expiry with exactly the ground truth', async () => {
    const sim = await start({
      seed: 60,
      vms: 1_000,
      peV3Login: true,
      faults: {
        transientRate: 0.1,
        transientKinds: ['429', '503', '500', 'reset'],
        retryAfterSeconds: 0,
        expireSessionsAfter: 6,
      },
    });
    const provider = createPrismProvider(prismSimCredentials(sim.baseUrl), {
      retry: { baseDelayMs: 1, maxDelayMs: 5 },
      concurrency: 2,
    });
    const inventory = await provider.inventory(signal());
    expect(projectInventory(inventory)).toEqual(expectedInventory(sim.truth(), 'v2'));
    expect(sim.sim.stats.injected.expiry).toBe(1);
    expect(provider.client.http.stats.reauths).toBeGreaterThanOrEqual(1);
    expect(provider.client.http.stats.retries).toBeGreaterThan(0);
  });

  it('does not mistake a v3-only Prism Central for a PE', async () => {
    const running = await startAny({ seed: 53, vms: 50, v3Only: true });
    const provider = createPrismProvider(prismSimCredentials(running.baseUrl));
    expect(await provider.api(signal())).toEqual({ kind: 'v3' });
    expect(running.prism.served['v3 prism_central']).toBe(1);
    expect(running.prism.served['v2 cluster']).toBeUndefined();
  });

  it('validate reports v2.0 and the PE cluster; bad credentials are AuthenticationError', async () => {
    const sim = await start({ seed: 54, vms: 20 });
    const info = await createPrismProvider(prismSimCredentials(sim.baseUrl)).validate(signal());
    expect(info.api).toBe('v2.0');
    const cluster = sim.truth().clusters[0]!;
    expect(info.clusters).toEqual([{ id: cluster.extId, name: cluster.name }]);
    const bad = createPrismProvider(prismSimCredentials(sim.baseUrl, { password: 'wrong-password' }));
    const err = await bad.validate(signal()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthenticationError);
    expect(String((err as Error).message)).not.toContain('wrong-password');
  });

  it('fails loudly when credentials.api forces v3 or v4 on a PE', async () => {
    const sim = await start({ seed: 55, vms: 20 });
    await expect(
      createPrismProvider(prismSimCredentials(sim.baseUrl, { api: 'v3' })).inventory(signal()),
    ).rejects.toBeInstanceOf(HttpStatusError);
    await expect(
      createPrismProvider(prismSimCredentials(sim.baseUrl, { api: 'v4' })).inventory(signal()),
    ).rejects.toThrow(/404/);
  });

  it('fails loudly when the server answers another page than asked (pages are not 1-based)', async () => {
    const sim = await start({ seed: 56, vms: 1_100 });
    sim.sim.setFaults({
      rules: [
        {
          when: (req) => req.path === `${V2}/vms` && req.query.get('page') === '2',
          respond: {
            status: 200,
            body: { metadata: { total_entities: 1_100, page: 3 }, entities: [] },
          },
        },
      ],
    });
    const err = await createPrismProvider(prismSimCredentials(sim.baseUrl))
      .inventory(signal())
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpstreamError);
    expect(String(err)).toMatch(/asked for page 2.*answered page 3/);
  });

  it('fails loudly when the server ignores `count` and returns more than a page', async () => {
    const sim = await start({ seed: 57, vms: 20 });
    const tooMany = Array.from({ length: 501 }, (_, i) => ({
      uuid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    }));
    sim.sim.setFaults({
      rules: [
        {
          when: (req) => req.path === `${V2}/hosts`,
          respond: { status: 200, body: { metadata: { total_entities: 501 }, entities: tooMany } },
        },
      ],
    });
    await expect(createPrismProvider(prismSimCredentials(sim.baseUrl)).inventory(signal())).rejects.toThrow(
      /ignores `count`/,
    );
  });

  it('fails loudly when the include flags are ignored (no VM carries disks or NICs)', async () => {
    const sim = await start({ seed: 58, vms: 40 });
    sim.sim.setFaults({
      rules: [
        {
          when: (req) => req.path === `${V2}/vms`,
          respond: {
            status: 200,
            body: {
              metadata: { total_entities: 1, page: 1 },
              entities: [{ uuid: sim.truth().vms[0]!.extId, name: 'x', num_vcpus: 1, memory_mb: 1024 }],
            },
          },
        },
      ],
    });
    await expect(createPrismProvider(prismSimCredentials(sim.baseUrl)).inventory(signal())).rejects.toThrow(
      /no VM carries vm_disk_info/,
    );
  });

  it('metrics: one v1 stats call per VM and per host, one for the cluster', async () => {
    // The values are the provider contract's (../provider-contract.ts); what is particular to a PE is the cost.
    const sim = await start({ seed: 59, vms: 40 });
    const truth = sim.truth();
    const window: TimeWindow = {
      start: new Date('2026-11-27T10:00:00Z'),
      end: new Date('2026-11-27T10:05:00Z'),
    };
    const cluster = truth.clusters[0]!;
    const subjects: MetricSubject[] = [
      ...truth.vms.map((v) => ({ nativeId: v.extId, kind: 'server' as const, clusterId: v.clusterId })),
      { nativeId: cluster.extId, kind: 'compute_pool' },
      ...truth.hosts.map((h) => ({ nativeId: h.extId, kind: 'host' as const })),
    ];
    const samples = await createPrismProvider(prismSimCredentials(sim.baseUrl)).metrics(
      subjects,
      window,
      signal(),
    );
    expect(samples.length).toBeGreaterThan(500);
    // Nothing bulk is documented for a PE.
    expect(sim.prism.served['v1 vm stats']).toBe(truth.vms.length);
    expect(sim.prism.served['v1 host stats']).toBe(truth.hosts.length);
    expect(sim.prism.served['v1 cluster stats']).toBe(1);
  });
});
