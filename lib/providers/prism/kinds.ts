/** Prism's run of the kind registry: every kind's Prism mapper over one snapshot. */
import type { Inventory } from '../provider';
import { mapInventory } from '../to-nflex';
import { kindContext } from './kind-context';
import type { PrismSnapshot } from './snapshot';

/** Runs every registered kind over a snapshot. */
export function inventoryFromSnapshot(snapshot: PrismSnapshot): Inventory {
  return mapInventory('prism', kindContext(snapshot));
}
