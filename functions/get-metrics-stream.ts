/**
 * getMetricsStream: getMetrics' result through Lambda response streaming (no 6 MB limit), for bulk polls of
 * large estates. Samples are read complete first; then the points are written one by one.
 */
import { streamingHandler } from '../lib/result/stream';
import { getMetrics } from './get-metrics';

/** The same event, middlewares, errors and JSON as getMetrics, streamed. */
export const handler = streamingHandler('getMetricsStream', getMetrics);
