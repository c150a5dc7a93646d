/** Prism's run of the kind registry: every kind's Prism mapper over one snapshot. */
import type { LazyInventory } from '../provider';
import { lazyInventory } from '../to-nflex';
import { kindContext } from './kind-context';
import type { PrismSnapshot } from './snapshot';

/** Every registered kind over a snapshot, each mapped as it is read. */
export function inventoryFromSnapshot(snapshot: PrismSnapshot): LazyInventory {
  return lazyInventory('prism', kindContext(snapshot));
}
