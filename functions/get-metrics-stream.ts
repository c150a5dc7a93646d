/**
 * getMetricsStream: getMetrics' result through Lambda response streaming (no 6 MB limit), for bulk polls of
 * large estates. Samples are read complete first; then each point is built and written in turn.
 */
import { streamingHandler } from '../lib/result/stream';
import { metricsOfWindow } from './get-metrics';

/** The same event, middlewares, errors and JSON as getMetrics, streamed point by point. */
export const handler = streamingHandler(
  'getMetricsStream',
  (_event, context) => metricsOfWindow(context),
  'metrics',
);
