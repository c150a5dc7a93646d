/**
 * getResourcesStream: getResources' result through Lambda response streaming (no 6 MB limit). Every upstream
 * list is read complete first; then each record is made, serialized and written in turn.
 */
import { invocationOf } from '../lib/middleware/handler';
import { withDeadline } from '../lib/middleware/runtime';
import { serializedResources } from '../lib/providers/to-nflex';
import { streamingHandler } from '../lib/result/stream';

/** The same event, middlewares, errors and JSON as getResources, streamed record by record. */
export const handler = streamingHandler('getResourcesStream', async (_event, context) => {
  const { rt, provider } = invocationOf(context);
  const inv = await withDeadline(rt, 'listing the inventory', (signal) => provider().lazyInventory(signal));
  // Counted per kind as written, for the closing log line.
  return serializedResources(inv, rt.counts);
});
