/**
 * Contract tests: the Prism provider against the Prism simulator over real loopback HTTP. The collected
 * inventory must equal the simulator's ground truth exactly (derived independently in ./expected).
 */
import { describe, expect, it } from 'vitest';
import { AuthenticationError, PermissionError, TransientError } from '../../../lib/errors';
import { PagingError } from '../../../lib/providers/paging';
import { createPrismProvider } from '../../../lib/providers/prism';
import { stoppedAfterEach } from '../../helpers/per-test';
import { PRISM_SIM_VIEWER, startPrismSimulator } from '../../simulators/prism';
import { prismSimCredentials } from '../sim-credentials';
import { expectedInventory, projectInventory } from './expected';

const start = stoppedAfterEach(startPrismSimulator);

const fastRetry = { retry: { baseDelayMs: 1, maxDelayMs: 5 } };
const signal = () => new AbortController().signal;

describe('Prism provider inventory (v4)', () => {
  it('collects exactly the ground truth of 10,000 VMs with ⌈N/100⌉ VM-list requests', async () => {
    // Prepare
    const sim = await start({ seed: 11, vms: 10_000, clusters: 4 });
    const provider = createPrismProvider(prismSimCredentials(sim.baseUrl), { concurrency: 8 });
    // Act
    const inventory = await provider.inventory(signal());
    // Assess
    const truth = sim.truth();
    expect(projectInventory(inventory)).toEqual(expectedInventory(truth, 'v4'));
    expect(inventory.servers).toHaveLength(10_000);
    expect(sim.prism.served['v4 vms']).toBe(Math.ceil(10_000 / 100));
    expect(sim.prism.served['v4 volume-group disks']).toBe(truth.volumeGroups.length);
    expect(sim.prism.served['v4 volume-group vm-attachments']).toBe(truth.volumeGroups.length);
    expect(sim.prism.served['v4 clusters']).toBe(1);
    expect(sim.prism.served['v4 subnets']).toBe(1);
    expect(sim.prism.served['v3 vms']).toBeUndefined();
    expect(sim.sim.stats.unexpected).toEqual([]);
    // Every disk that is not a CD-ROM and not VG-backed is a volume; CD-ROMs never are.
    const cdromIds = new Set(
      truth.vms.flatMap((v) => v.disks.filter((d) => d.kind === 'cdrom').map((d) => d.extId)),
    );
    expect(cdromIds.size).toBeGreaterThan(0);
    expect(inventory.volumes.filter((v) => cdromIds.has(v.id))).toEqual([]);
    // The PC pseudo-cluster is not a compute pool; the disconnected cluster is.
    expect(inventory.computePools).toHaveLength(4);
    expect(
      inventory.computePools.map((p) => p.metadata.find((m) => m.key === 'connect_state')?.value),
    ).toContain('DISCONNECTED');
  });

  it('reads the v4.1 NIC layout when only v4.1 is offered', async () => {
    const sim = await start({ seed: 3, vms: 250, v4Versions: ['v4.1', 'v4.2', 'v4.0.b1'] });
    const provider = createPrismProvider(prismSimCredentials(sim.baseUrl));
    const inventory = await provider.inventory(signal());
    expect(await provider.api(signal())).toMatchObject({ kind: 'v4', version: 'v4.1' });
    expect(projectInventory(inventory)).toEqual(expectedInventory(sim.truth(), 'v4'));
    expect(inventory.servers.some((s) => s.ipAddresses.length > 0)).toBe(true);
  });

  it('survives 10 % transient failures and a session expiry mid-run with exactly the ground truth', async () => {
    const sim = await start({
      seed: 5,
      vms: 2_000,
      faults: {
        transientRate: 0.1,
        transientKinds: ['429', '503', '500', 'reset'],
        retryAfterSeconds: 0,
        expireSessionsAfter: 15,
      },
    });
    const provider = createPrismProvider(prismSimCredentials(sim.baseUrl), { ...fastRetry, concurrency: 4 });
    const inventory = await provider.inventory(signal());
    expect(projectInventory(inventory)).toEqual(expectedInventory(sim.truth(), 'v4'));
    const injected = sim.sim.stats.injected;
    expect(
      (injected['429'] ?? 0) + (injected['503'] ?? 0) + (injected['500'] ?? 0) + (injected.reset ?? 0),
    ).toBeGreaterThan(3);
    expect(injected.expiry).toBe(1);
    expect(provider.client.http.stats.reauths).toBeGreaterThanOrEqual(1);
    expect(provider.client.http.stats.retries).toBeGreaterThan(3);
  });

  it('logs in again after a session expiry even when every request slot waits for that login', async () => {
    // At concurrency 1 the one request that sees the 401 holds the only slot: the re-login must not need one.
    const sim = await start({ seed: 6, vms: 600, faults: { expireSessionsAfter: 12 } });
    const provider = createPrismProvider(prismSimCredentials(sim.baseUrl), {
      concurrency: 1,
      requestTimeoutMs: 5_000,
    });
    const inventory = await provider.inventory(signal());
    expect(projectInventory(inventory)).toEqual(expectedInventory(sim.truth(), 'v4'));
    expect(sim.sim.stats.injected.expiry).toBe(1);
    expect(provider.client.http.stats.reauths).toBe(1);
  }, 20_000);

  it('re-reads the VM list when VMs are added and removed between pages', async () => {
    const sim = await start({
      seed: 9,
      vms: 1_000,
      prismFaults: { churn: { afterVmPages: 3, add: 2, remove: 3 } },
    });
    const provider = createPrismProvider(prismSimCredentials(sim.baseUrl), { concurrency: 2 });
    const inventory = await provider.inventory(signal());
    const truth = sim.truth();
    expect(truth.vms).toHaveLength(999);
    expect(projectInventory(inventory)).toEqual(expectedInventory(truth, 'v4'));
    expect(provider.collections.vms?.attempts).toBe(2);
  });

  it('detects a silently short page and re-reads', async () => {
    const sim = await start({ seed: 2, vms: 500, prismFaults: { shortPage: { page: 2, times: 1 } } });
    const provider = createPrismProvider(prismSimCredentials(sim.baseUrl));
    const inventory = await provider.inventory(signal());
    expect(projectInventory(inventory)).toEqual(expectedInventory(sim.truth(), 'v4'));
    expect(provider.collections.vms?.attempts).toBe(2);
  });

  it('fails with PagingError, never a partial list, when a page keeps repeating', async () => {
    const sim = await start({ seed: 2, vms: 500, prismFaults: { repeatPage: { page: 3, times: 100 } } });
    const provider = createPrismProvider(prismSimCredentials(sim.baseUrl));
    await expect(provider.inventory(signal())).rejects.toBeInstanceOf(PagingError);
  });

  it('fails with a typed transient error when one page fails permanently', async () => {
    const sim = await start({
      seed: 4,
      vms: 800,
      faults: {
        rules: [
          {
            when: (req) => req.path.endsWith('/ahv/config/vms') && req.query.get('$page') === '5',
            respond: { status: 503, body: { message: 'down' }, headers: { 'retry-after': '0' } },
          },
        ],
      },
    });
    const provider = createPrismProvider(prismSimCredentials(sim.baseUrl), fastRetry);
    const err = await provider.inventory(signal()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransientError);
  });

  it('maps bad credentials to AuthenticationError and a account without rights to PermissionError', async () => {
    const sim = await start({ seed: 1, vms: 20 });
    const bad = createPrismProvider(prismSimCredentials(sim.baseUrl, { password: 'wrong-password' }));
    const badErr = await bad.validate(signal()).catch((e: unknown) => e);
    expect(badErr).toBeInstanceOf(AuthenticationError);
    expect(String((badErr as Error).message)).not.toContain('wrong-password');
    const viewer = createPrismProvider(prismSimCredentials(sim.baseUrl, PRISM_SIM_VIEWER));
    await expect(viewer.validate(signal())).rejects.toBeInstanceOf(PermissionError);
    await expect(viewer.inventory(signal())).rejects.toBeInstanceOf(PermissionError);
  });
});

describe('Prism provider inventory (v3)', () => {
  it('collects exactly the ground truth of 1,200 VMs from a v3-only Prism Central', async () => {
    const sim = await start({ seed: 21, vms: 1_200, v3Only: true });
    const provider = createPrismProvider(prismSimCredentials(sim.baseUrl));
    const inventory = await provider.inventory(signal());
    expect(await provider.api(signal())).toEqual({ kind: 'v3' });
    expect(projectInventory(inventory)).toEqual(expectedInventory(sim.truth(), 'v3'));
    expect(sim.prism.served['v3 vms']).toBe(Math.ceil(1_200 / 500));
    expect(sim.prism.served['v4 vms']).toBeUndefined();
    expect(sim.sim.stats.unexpected).toEqual([]);
  });

  it('uses v3 when forced by credentials.api even though v4 is offered', async () => {
    const sim = await start({ seed: 22, vms: 300 });
    const provider = createPrismProvider(prismSimCredentials(sim.baseUrl, { api: 'v3' }));
    const inventory = await provider.inventory(signal());
    expect(projectInventory(inventory)).toEqual(expectedInventory(sim.truth(), 'v3'));
    expect(sim.prism.served.versionroutes).toBeUndefined();
  });

  it('fails loudly when v4 is forced but not offered', async () => {
    const sim = await start({ seed: 22, vms: 10, v3Only: true });
    await expect(
      createPrismProvider(prismSimCredentials(sim.baseUrl, { api: 'v4' })).inventory(signal()),
    ).rejects.toThrow(/404/);
  });
});
