/**
 * Scenario `metrics.stale-last-update`: a CloudTower metrics poll of 3,000 VMs whose `last_update` is ten
 * years old, against polls one window behind (a normal poll) and one day behind (the largest catch-up step),
 * each in a fresh Node process so its peak RSS is its own. The horizon moves the stale start to 7 days ago;
 * CloudTower can only look back from now, so that poll asks a 7-day range, whose calls are sized by points.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEstate } from './estates';
import { type AnnotatedResult, REPO_ROOT, round, runNode, type ScenarioSettings } from './harness';

interface PollReport {
  peakRssKib: number;
  samples: number;
  ms: number;
  requests: number;
  warnings: number;
  windowStart: string;
}

/** `YYYY-MM-DDTHH:MM:SS.ffffffZ` of an epoch-ms time. */
function lastUpdateOf(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

async function build(outDir: string): Promise<string> {
  const esbuild = await import('esbuild');
  const outfile = join(outDir, 'stale-metrics-child.mjs');
  await esbuild.build({
    entryPoints: [join(REPO_ROOT, 'test/bench/stale-metrics-child.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'silent',
    absWorkingDir: REPO_ROOT,
    banner: {
      js: "import { createRequire as __benchCreateRequire } from 'node:module';const require=__benchCreateRequire(import.meta.url);",
    },
  });
  return outfile;
}

async function poll(file: string, env: NodeJS.ProcessEnv): Promise<PollReport> {
  const base = { ...process.env };
  delete base.NODE_OPTIONS;
  const run = await runNode([file], { env: { ...base, ...env }, timeoutMs: 170_000 });
  if (run.code !== 0) throw new Error(`stale-metrics child exited ${run.code}: ${run.stderr.slice(0, 600)}`);
  return JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '') as PollReport;
}

/** Runs the three polls and reports the stale one's time and peak RSS against the one-day catch-up. */
export async function benchStaleMetrics(
  options: { vms: number } & ScenarioSettings,
): Promise<AnnotatedResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'nflex-bench-stale-'));
  const estate = await startEstate('cloudtower', { vms: options.vms, latencyMs: options.latencyMs });
  try {
    const file = await build(dir);
    const idsFile = join(dir, 'ids.json');
    writeFileSync(idsFile, JSON.stringify(estate.truthServerIds()));
    const env = (lastUpdate: string) => ({
      BENCH_PROVIDER_CREDENTIALS: JSON.stringify(estate.credentials),
      BENCH_VM_IDS_FILE: idsFile,
      BENCH_LAST_UPDATE: lastUpdate,
    });
    const now = Date.now();
    const normal = await poll(file, env(lastUpdateOf(now - 6 * 60_000)));
    const dayBehind = await poll(file, env(lastUpdateOf(now - 24 * 3_600_000 - 60_000)));
    const stale = await poll(file, env(lastUpdateOf(now - 10 * 365.25 * 24 * 3_600_000)));
    if (stale.warnings !== 1) throw new Error(`the stale poll warned ${stale.warnings} times, expected once`);
    const mb = (kib: number) => round(kib / 1024, 1);
    const timeOk = stale.ms <= 3 * Math.max(dayBehind.ms, normal.ms);
    const rssOk = stale.peakRssKib <= dayBehind.peakRssKib + 100 * 1024;
    const how =
      `${options.vms} VMs; window start moved to ${stale.windowStart}; ${stale.requests} requests and ` +
      `${stale.samples} samples (one window behind: ${normal.ms} ms, ${mb(normal.peakRssKib)} MB, ` +
      `${normal.requests} requests; one day behind: ${dayBehind.ms} ms, ${mb(dayBehind.peakRssKib)} MB, ` +
      `${dayBehind.requests} requests). Timings on a shared machine are noisy.`;
    return [
      {
        name: 'metrics.stale-last-update.ms',
        value: stale.ms,
        unit: 'ms',
        baseline: dayBehind.ms,
        ratio: round(stale.ms / Math.max(1, dayBehind.ms), 2),
        target: '≤ 3× a one-day catch-up poll',
        ok: timeOk,
        note: how,
      },
      {
        name: 'metrics.stale-last-update.peak-rss',
        value: mb(stale.peakRssKib),
        unit: 'MB',
        baseline: mb(dayBehind.peakRssKib),
        ratio: round(stale.peakRssKib / dayBehind.peakRssKib, 2),
        target: '≤ one-day catch-up + 100 MB',
        ok: rssOk,
        note: how,
      },
    ];
  } finally {
    await estate.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
