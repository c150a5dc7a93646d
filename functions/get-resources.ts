/** getResources: the provider's complete inventory as serialized nflex resources (get_resources.json). */
import type { SerializedResource } from '../lib/connector-utils/resources';
import { connectorHandler, invocationOf } from '../lib/middleware/handler';
import { markSizeChecked } from '../lib/middleware/result-size';
import { type ConnectorContext, withDeadline } from '../lib/middleware/runtime';
import { draining, inventoryCounts, inventorySize, serializedResources } from '../lib/providers/to-nflex';
import { collectWithinLimit } from '../lib/result/size';

/** Lists every resource kind of RESOURCE_KINDS, within MAX_RESPONSE_BYTES. */
export async function getResources(
  _event: unknown,
  context: ConnectorContext,
): Promise<SerializedResource[]> {
  const { rt, provider } = invocationOf(context);
  const inv = await withDeadline(rt, 'listing the inventory', (signal) => provider().inventory(signal));
  Object.assign(rt.counts, inventoryCounts(inv));
  // Counted as it is serialized: an estate over MAX_RESPONSE_BYTES stops at the record that passes it.
  const { list, bytes } = collectWithinLimit('getResources', serializedResources(draining(inv)), {
    records: inventorySize(inv),
  });
  rt.counts.result_bytes = bytes;
  return markSizeChecked(list);
}

export const handler = connectorHandler('getResources', getResources);
