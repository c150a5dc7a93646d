/**
 * serializeInventory (what getResources returns) must equal serializing inventoryToResources' objects, item
 * for item and in order, on both simulators' estates; it trades the intermediate objects for memory only.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { serializeList } from '../../lib/connector-utils/resources';
import { fixedClock, setClock } from '../../lib/connector-utils/time/clock';
import { createCloudTowerProvider } from '../../lib/providers/cloudtower';
import { createPrismProvider } from '../../lib/providers/prism';
import type { Inventory } from '../../lib/providers/provider';
import { inventoryToResources, serializeInventory } from '../../lib/providers/to-nflex';
import { startCloudTowerSimulator } from '../simulators/cloudtower';
import { startPrismSimulator } from '../simulators/prism';
import { prismSimCredentials, towerSimCredentials } from './sim-credentials';

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  setClock(null);
  for (const stop of stops.splice(0)) await stop();
});

const signal = () => new AbortController().signal;

/** Both conversions of the same inventory, under one fixed clock so `last_seen_at` agrees. */
function bothWays(inv: Inventory) {
  setClock(fixedClock('2026-01-02T03:04:05.678901Z'));
  const reference = serializeList(inventoryToResources(structuredClone(inv)));
  const counts = [
    inv.servers.length,
    inv.hosts.length,
    inv.volumes.length,
    inv.networks.length,
    inv.computePools.length,
  ];
  const streamed = serializeInventory(inv);
  return { reference, streamed, counts };
}

describe('serializeInventory', () => {
  it('matches the resource objects serialized, on the Prism estate', async () => {
    // Prepare
    const sim = await startPrismSimulator({ seed: 5, vms: 300, clusters: 3 });
    stops.push(() => sim.stop());
    const provider = createPrismProvider(prismSimCredentials(sim.baseUrl), { concurrency: 4 });
    const inv = await provider.inventory(signal());
    // Act
    const { reference, streamed, counts } = bothWays(inv);
    // Assess
    expect(counts[0]).toBe(300);
    expect(JSON.stringify(streamed)).toBe(JSON.stringify(reference));
    expect(streamed).toHaveLength(counts.reduce((a, b) => a + b, 0));
  });

  it('matches the resource objects serialized, on the CloudTower estate', async () => {
    // Prepare
    const sim = await startCloudTowerSimulator({ seed: 5, vms: 300 });
    stops.push(() => sim.stop());
    const provider = createCloudTowerProvider(towerSimCredentials(sim.baseUrl), { concurrency: 4 });
    const inv = await provider.inventory(signal());
    // Act
    const { reference, streamed, counts } = bothWays(inv);
    // Assess
    expect(counts[0]).toBeGreaterThan(0);
    expect(JSON.stringify(streamed)).toBe(JSON.stringify(reference));
  });

  it('empties the inventory it consumed, so its records can be collected', () => {
    // Prepare
    const inv: Inventory = {
      servers: [],
      hosts: [],
      volumes: [],
      networks: [
        {
          id: 'n1',
          name: 'net',
          createdAt: null,
          portalLink: 'https://pc/n1',
          metadata: [],
          clusterId: null,
        },
      ],
      computePools: [],
    };
    // Act
    const out = serializeInventory(inv);
    // Assess
    expect(out.map((r) => r.id)).toEqual(['n1']);
    expect(inv.networks).toEqual([]);
  });
});
