/**
 * Golden serialized inventories: a small estate of each provider, read through the provider and serialized
 * as getResources returns it, equals the checked-in JSON in test/fixtures/golden/. Any change to what the
 * connector outputs shows in review as a diff of those files. After a deliberate change:
 *   UPDATE_GOLDEN=1 npx vitest run test/providers/golden-inventory.test.ts
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fixedClock, setClock } from '../../lib/connector-utils/time/clock';
import { createCloudTowerProvider } from '../../lib/providers/cloudtower';
import { createPrismProvider } from '../../lib/providers/prism';
import type { Provider } from '../../lib/providers/provider';
import { serializeInventory } from '../../lib/providers/to-nflex';
import { startCloudTowerSimulator } from '../simulators/cloudtower';
import { startPrismSimulator } from '../simulators/prism';
import { prismSimCredentials, towerSimCredentials } from './sim-credentials';

const GOLDEN = join(import.meta.dirname, '../fixtures/golden');
const UPDATE = process.env.UPDATE_GOLDEN === '1';
const NOW = '2026-12-01T12:00:00.000000Z';
// Simulators listen on ephemeral ports: links are stored against a fixed origin.
const ORIGIN = 'https://golden.example:9440';

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  setClock(null);
  for (const stop of stops.splice(0)) await stop();
});

/** The provider's inventory serialized, with the simulator's origin replaced by a fixed one. */
async function serialized(provider: Provider, baseUrl: string): Promise<string> {
  setClock(fixedClock(NOW));
  const inv = await provider.inventory(new AbortController().signal);
  const text = JSON.stringify(serializeInventory(inv), null, 2);
  return `${text.split(baseUrl).join(ORIGIN)}\n`;
}

function compareWithGolden(name: string, actual: string): void {
  const file = join(GOLDEN, name);
  if (UPDATE || !existsSync(file)) {
    if (!UPDATE) throw new Error(`${file} is missing: run with UPDATE_GOLDEN=1 and review it`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, actual);
  }
  expect(JSON.parse(actual)).toEqual(JSON.parse(readFileSync(file, 'utf8')));
}

describe('golden serialized inventories', () => {
  it('Prism (v4, 2 clusters, 8 VMs)', async () => {
    const sim = await startPrismSimulator({ seed: 7, vms: 8, clusters: 2 });
    stops.push(() => sim.stop());
    const provider = createPrismProvider(prismSimCredentials(sim.baseUrl));
    compareWithGolden('prism-inventory.json', await serialized(provider, sim.baseUrl));
  });

  it('CloudTower (8 VMs)', async () => {
    const sim = await startCloudTowerSimulator({ seed: 7, vms: 8, now: () => Date.parse(NOW) });
    stops.push(() => sim.stop());
    const provider = createCloudTowerProvider(towerSimCredentials(sim.baseUrl));
    compareWithGolden('cloudtower-inventory.json', await serialized(provider, sim.baseUrl));
  });
});
