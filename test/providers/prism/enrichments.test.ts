/**
 * Optional enrichments degrade: a Prism Central whose v3 `groups` endpoint (capacity) or v4 categories
 * endpoint answers 404, 403 or 501 still gives the complete inventory, with those fields null and one
 * warning naming the feature. What the function exists to return is not an enrichment: other failures
 * still fail.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createPrismProvider } from '../../../lib/providers/prism';
import type { StartedPrismSimulator } from '../../simulators/prism';
import { startPrismSimulator } from '../../simulators/prism';
import { prismSimCredentials } from '../sim-credentials';

let sim: StartedPrismSimulator | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

async function inventoryWith(options: { v3Only: boolean }, path: string, status: number) {
  sim = await startPrismSimulator({ seed: 17, vms: 30, clusters: 2, v3Only: options.v3Only });
  sim.sim.use((req) =>
    req.path === path
      ? { status, body: { message_list: [{ message: 'not here' }], state: 'ERROR' } }
      : undefined,
  );
  const warnings: string[] = [];
  const provider = createPrismProvider(prismSimCredentials(sim.baseUrl), {
    logger: { info: () => undefined, warn: (m: string) => warnings.push(m), error: () => undefined },
  });
  const inv = await provider.inventory(new AbortController().signal);
  return {
    inv,
    warnings,
    truthVms: sim
      .truth()
      .vms.map((v) => v.extId)
      .sort(),
  };
}

describe('optional enrichments', () => {
  it.each([404, 403, 501])(
    'v3 groups answering %i: complete inventory, capacity null, one warning',
    async (status) => {
      const { inv, warnings, truthVms } = await inventoryWith(
        { v3Only: true },
        '/api/nutanix/v3/groups',
        status,
      );
      expect(inv.servers.map((s) => s.id).sort()).toEqual(truthVms);
      expect(inv.computePools.length).toBeGreaterThan(0);
      for (const p of inv.computePools) expect(p.storageB).toBeNull();
      expect(warnings.filter((w) => w.includes('cluster storage capacity'))).toHaveLength(1);
      expect(warnings[0]).toContain(`HTTP ${status}`);
    },
  );

  it('v4 categories answering 404: complete inventory without category metadata, one warning', async () => {
    const { inv, warnings, truthVms } = await inventoryWith(
      { v3Only: false },
      '/api/prism/v4.0/config/categories',
      404,
    );
    expect(inv.servers.map((s) => s.id).sort()).toEqual(truthVms);
    expect(warnings.filter((w) => w.includes('category names'))).toHaveLength(1);
  });

  it('any other failure of groups (a 400) is still an error', async () => {
    await expect(inventoryWith({ v3Only: true }, '/api/nutanix/v3/groups', 400)).rejects.toThrow(/HTTP 400/);
  });
});
