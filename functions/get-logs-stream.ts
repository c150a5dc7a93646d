/**
 * getLogsStream: getLogs' result through Lambda response streaming (no 6 MB limit), for accounts whose alert
 * changes per poll pass the buffered limit. Alerts are read complete first; then the lines are written one by one.
 */
import type { Readable } from 'node:stream';
import middy from '@middy/core';
import { type ConnectorContext, runtimeOf } from '../lib/middleware/runtime';
import { connectorMiddlewares, MIDDY_PLUGIN } from '../lib/middleware/stack';
import { jsonResponseStream } from '../lib/result/stream';
import { getLogs } from './get-logs';

/** The same event, middlewares, errors and JSON as getLogs, streamed. */
export async function getLogsStream(event: unknown, context: ConnectorContext): Promise<Readable> {
  const result = await getLogs(event, context);
  return jsonResponseStream(runtimeOf(context), result);
}

export const handler = middy(getLogsStream, { ...MIDDY_PLUGIN, streamifyResponse: true }).use(
  connectorMiddlewares('getLogsStream'),
);
