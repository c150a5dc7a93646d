/**
 * The streaming half of `npm start`'s cycle: serverless-offline cannot invoke streaming functions, so their
 * packaged bundles run here under the emulated response-streaming runtime, with the events the buffered
 * steps used, and each streamed size is printed next to its buffered twin's.
 */
import { invokeStreaming, loadStreamingHandler } from './lambda-streaming';
import { packageFunctions } from './package';
import type { CycleReport } from './poll-cycle';

/** Streaming function → the buffered step whose event and result it mirrors. */
const TWINS = [
  { stream: 'getResourcesStream', buffered: 'getResources' },
  { stream: 'getMetricsStream', buffered: 'getMetrics' },
  { stream: 'getLogsStream', buffered: 'getLogs' },
] as const;

/** One streamed invocation next to its buffered twin. */
export interface StreamComparison {
  provider: string;
  fn: string;
  ok: boolean;
  streamedBytes: number;
  bufferedBytes: number;
  /** Records in the streamed result (resources or metric points), or the error. */
  summary: string;
  durationMs: number;
}

/** Records in a get_resources (array), get_metrics (`metrics`) or get_logs (`logs`) result. */
function recordsOf(value: unknown): number {
  if (Array.isArray(value)) return value.length;
  const list =
    (value as { metrics?: unknown[]; logs?: unknown[] } | null)?.metrics ??
    (value as { logs?: unknown[] } | null)?.logs;
  return Array.isArray(list) ? list.length : 0;
}

/** Packages the streaming functions and runs each against every passed cycle's target. */
export async function compareStreamed(reports: CycleReport[]): Promise<StreamComparison[]> {
  const pkg = await packageFunctions(TWINS.map((t) => t.stream));
  // The bundles log like the offline handlers; only their warnings belong in npm start's summary.
  const logLevel = process.env.LOG_LEVEL;
  process.env.LOG_LEVEL = logLevel || 'warn';
  try {
    const out: StreamComparison[] = [];
    for (const { stream, buffered } of TWINS) {
      const handler = loadStreamingHandler(pkg.bundle(stream));
      for (const report of reports) {
        const step = report.steps.find((s) => s.fn === buffered);
        if (!step?.ok) continue;
        const { target } = report;
        const event = {
          ...target.event,
          provider: target.provider,
          poll_interval: 300,
          ...(buffered === 'getMetrics' ? { last_update: report.lastUpdate } : {}),
          ...(buffered === 'getLogs' ? { poll_type: 'logs' } : {}),
        };
        const run = await invokeStreaming(handler, event, { functionName: stream });
        const parsed = run.error ? null : (JSON.parse(run.body ?? '') as unknown);
        out.push({
          provider: target.provider,
          fn: stream,
          ok: run.error === null,
          streamedBytes: run.bytes,
          bufferedBytes: Buffer.byteLength(JSON.stringify(step.invocation.payload)),
          summary: run.error
            ? `${run.error.errorType}: ${run.error.errorMessage}`
            : `${recordsOf(parsed)} records (buffered: ${recordsOf(step.invocation.payload)})`,
          durationMs: run.durationMs,
        });
      }
    }
    return out;
  } finally {
    if (logLevel === undefined) delete process.env.LOG_LEVEL;
    else process.env.LOG_LEVEL = logLevel;
    pkg.remove();
  }
}
