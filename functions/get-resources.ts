/** getResources: the provider's complete inventory as serialized nflex resources (get_resources.json). */
import middy from '@middy/core';
import type { SerializedResource } from '../lib/connector-utils/resources';
import { type ConnectorContext, providerFor, runtimeOf, withDeadline } from '../lib/middleware/runtime';
import { connectorMiddlewares, MIDDY_PLUGIN } from '../lib/middleware/stack';
import { serializeInventory } from '../lib/providers/to-nflex';

/** Lists servers, volumes, networks and compute pools; all or an error, never a partial list. */
export async function getResources(
  _event: unknown,
  context: ConnectorContext,
): Promise<SerializedResource[]> {
  const rt = runtimeOf(context);
  const provider = providerFor(rt);
  const inv = await withDeadline(rt, 'listing the inventory', (signal) => provider.inventory(signal));
  Object.assign(rt.counts, {
    servers: inv.servers.length,
    volumes: inv.volumes.length,
    networks: inv.networks.length,
    compute_pools: inv.computePools.length,
  });
  // Serialized record by record, emptying the inventory as it goes: holding the records, ~30k resource
  // objects and their serialized copies at once was most of a 10k-VM call's peak memory.
  return serializeInventory(inv);
}

export const handler = middy(getResources, MIDDY_PLUGIN).use(connectorMiddlewares('getResources'));
