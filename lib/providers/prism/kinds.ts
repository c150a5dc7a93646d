/** The Prism kind registry: one mapper module per resource kind, run over one snapshot. */
import type { Inventory } from '../provider';
import { collectComputePools } from './compute-pools';
import { type KindContext, kindContext } from './kind-context';
import { collectNetworks } from './networks';
import { collectServers } from './servers';
import type { PrismSnapshot } from './snapshot';
import { collectVolumes } from './volumes';

/** The explicit registry: every kind the Prism provider produces, and how. */
export const PRISM_KINDS = {
  servers: collectServers,
  volumes: collectVolumes,
  networks: collectNetworks,
  computePools: collectComputePools,
} as const satisfies { [K in keyof Inventory]: (ctx: KindContext) => Inventory[K] };

/** Runs every registered kind over a snapshot. */
export function inventoryFromSnapshot(snapshot: PrismSnapshot): Inventory {
  const ctx = kindContext(snapshot);
  return {
    servers: PRISM_KINDS.servers(ctx),
    volumes: PRISM_KINDS.volumes(ctx),
    networks: PRISM_KINDS.networks(ctx),
    computePools: PRISM_KINDS.computePools(ctx),
  };
}
