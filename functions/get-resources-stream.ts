/**
 * getResourcesStream: getResources' result through Lambda response streaming (no 6 MB limit). The inventory is
 * read complete first; then each record is serialized and written in turn.
 */
import { runtimeOf } from '../lib/middleware/runtime';
import { serializedResources } from '../lib/providers/to-nflex';
import { streamingHandler } from '../lib/result/stream';
import { readInventory } from './get-resources';

/** The same event, middlewares, errors and JSON as getResources, streamed record by record. */
export const handler = streamingHandler('getResourcesStream', async (_event, context) =>
  serializedResources(await readInventory(runtimeOf(context))),
);
