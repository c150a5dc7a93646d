/**
 * getLogsStream: getLogs' result through Lambda response streaming (no 6 MB limit), for accounts whose alert
 * changes per poll pass the buffered limit. Alerts are read complete first; then the lines are written one by one.
 */
import { streamingHandler } from '../lib/result/stream';
import { getLogs } from './get-logs';

/** The same event, middlewares, errors and JSON as getLogs, streamed. */
export const handler = streamingHandler('getLogsStream', getLogs);
