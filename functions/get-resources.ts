/** getResources: the provider's complete inventory as serialized nflex resources (get_resources.json). */
import type { SerializedResource } from '../lib/connector-utils/resources';
import { connectorHandler } from '../lib/middleware/handler';
import { markSizeChecked } from '../lib/middleware/result-size';
import {
  type ConnectorContext,
  type ConnectorRuntime,
  providerFor,
  runtimeOf,
  withDeadline,
} from '../lib/middleware/runtime';
import type { Inventory } from '../lib/providers/provider';
import { inventoryCounts, inventorySize, serializedResources } from '../lib/providers/to-nflex';
import { collectWithinLimit } from '../lib/result/size';

/** The complete inventory (all or an error, never a partial list), counted per kind for the closing log line. */
export async function readInventory(rt: ConnectorRuntime): Promise<Inventory> {
  const provider = providerFor(rt);
  const inv = await withDeadline(rt, 'listing the inventory', (signal) => provider.inventory(signal));
  Object.assign(rt.counts, inventoryCounts(inv));
  return inv;
}

/** Lists every resource kind of RESOURCE_KINDS, within MAX_RESPONSE_BYTES. */
export async function getResources(
  _event: unknown,
  context: ConnectorContext,
): Promise<SerializedResource[]> {
  const rt = runtimeOf(context);
  const inv = await readInventory(rt);
  // Counted as it is serialized: an estate over MAX_RESPONSE_BYTES stops at the record that passes it.
  const { list, bytes } = collectWithinLimit('getResources', serializedResources(inv), {
    records: inventorySize(inv),
  });
  rt.counts.result_bytes = bytes;
  return markSizeChecked(list);
}

export const handler = connectorHandler('getResources', getResources);
