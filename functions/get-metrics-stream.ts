/**
 * getMetricsStream: getMetrics' result through Lambda response streaming (no 6 MB limit), for bulk polls of
 * large estates. Samples are read complete first; then the points are written one by one.
 */
import type { Readable } from 'node:stream';
import middy from '@middy/core';
import { type ConnectorContext, runtimeOf } from '../lib/middleware/runtime';
import { connectorMiddlewares, MIDDY_PLUGIN } from '../lib/middleware/stack';
import { jsonResponseStream } from '../lib/result/stream';
import { getMetrics } from './get-metrics';

/** The same event, middlewares, errors and JSON as getMetrics, streamed. */
export async function getMetricsStream(event: unknown, context: ConnectorContext): Promise<Readable> {
  const result = await getMetrics(event, context);
  return jsonResponseStream(runtimeOf(context), result);
}

export const handler = middy(getMetricsStream, { ...MIDDY_PLUGIN, streamifyResponse: true }).use(
  connectorMiddlewares('getMetricsStream'),
);
