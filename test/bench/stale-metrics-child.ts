/**
 * The `metrics.stale-last-update` child: one CloudTower metrics poll of every VM the parent names, with the
 * window the handlers compute from `last_update` (lib/config/window: skew, backfill cap, horizon), then its
 * peak RSS, wall time and sample count. Bundled by the parent so no TypeScript loader is resident.
 */
import { readFileSync } from 'node:fs';
import { parseEvent } from '../../lib/config/event';
import { pollWindow, windowToProviderDates } from '../../lib/config/window';
import { createCloudTowerProvider } from '../../lib/providers/cloudtower';
import type { MetricSubject } from '../../lib/providers/provider';
import { reportPeak } from './memory-probe';

const credentials = JSON.parse(process.env.BENCH_PROVIDER_CREDENTIALS ?? 'null');
const ids = JSON.parse(readFileSync(process.env.BENCH_VM_IDS_FILE ?? '', 'utf8')) as string[];
const lastUpdate = process.env.BENCH_LAST_UPDATE || undefined;
let warnings = 0;
const window = pollWindow(
  parseEvent({
    provider: 'cloudtower',
    poll_interval: 300,
    ...(lastUpdate ? { last_update: lastUpdate } : {}),
  }),
  { info: () => undefined, warn: () => warnings++ },
);
const provider = createCloudTowerProvider(credentials, { concurrency: 4 });
const subjects = ids.map((nativeId): MetricSubject => ({ nativeId, kind: 'server' }));
const started = performance.now();
const samples = await provider.metrics(subjects, windowToProviderDates(window), new AbortController().signal);
const ms = performance.now() - started;
reportPeak({
  samples: samples.length,
  ms: Math.round(ms),
  requests: provider.client.http.stats.requests,
  warnings,
  windowStart: window.start.toRfc3339Micros(),
});
