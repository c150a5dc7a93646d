/**
 * getLogsStream: getLogs' result through Lambda response streaming (no 6 MB limit), for accounts whose alert
 * changes per poll pass the buffered limit. Alerts are read complete first; then each line is built and written in turn.
 */
import { streamingHandler } from '../lib/result/stream';
import { logsOfWindow } from './get-logs';

/** The same event, middlewares, errors and JSON as getLogs, streamed line by line. */
export const handler = streamingHandler('getLogsStream', (_event, context) => logsOfWindow(context), 'logs');
