/**
 * getResourcesStream: getResources' result through Lambda response streaming (no 6 MB limit). The inventory is
 * read complete first; then each record is serialized and written in turn.
 */
import type { Readable } from 'node:stream';
import middy from '@middy/core';
import { type ConnectorContext, runtimeOf } from '../lib/middleware/runtime';
import { connectorMiddlewares, MIDDY_PLUGIN } from '../lib/middleware/stack';
import { serializedResources } from '../lib/providers/to-nflex';
import { jsonResponseStream } from '../lib/result/stream';
import { readInventory } from './get-resources';

/** The same event, middlewares, errors and JSON as getResources, streamed. */
export async function getResourcesStream(_event: unknown, context: ConnectorContext): Promise<Readable> {
  const rt = runtimeOf(context);
  const inv = await readInventory(rt);
  return jsonResponseStream(rt, serializedResources(inv));
}

export const handler = middy(getResourcesStream, { ...MIDDY_PLUGIN, streamifyResponse: true }).use(
  connectorMiddlewares('getResourcesStream'),
);
