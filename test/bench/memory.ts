/**
 * Scenario `memory.inventory.10k`: peak RSS of a fresh Node process doing the full inventory (10,000 VMs)
 * and its nflex serialization, next to a bare Node process measured the same way in the same run.
 *
 * Both children are esbuild bundles run with plain `node`, so neither carries tsx's transpiler; the
 * simulator runs in this (the parent) process and does not count. Peak RSS is what a Lambda's memory size
 * has to cover.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROVIDER_MODULES, type ProviderName, startEstate } from './estates';
import {
  type AnnotatedResult,
  median,
  missingFiles,
  REPO_ROOT,
  round,
  runNode,
  type ScenarioSettings,
  ScenarioUnavailable,
} from './harness';
import { CREDENTIALS_ENV } from './memory-child';

const MIB = 1024;
const LIMIT_ABOVE_BARE_MIB = 200;

/** What one child reported. */
export interface ChildReport {
  peakRssKib: number;
  servers?: number;
  volumes?: number;
  networks?: number;
  computePools?: number;
  jsonBytes?: number;
  /** Heap + external bytes still reachable after a full GC at the end (KiB), with --expose-gc. */
  liveAfterGcKib?: number | null;
  /** Peak RSS so far (KiB) after the inventory, after serializing, and after JSON.stringify. */
  stagesKib?: { inventory: number; serialized: number; json: number };
}

/** Which path a child measures: the buffered result (list + JSON.stringify) or the streamed body. */
export type ChildMode = 'buffered' | 'stream';

/** Bundles the bare probe and one inventory child per provider into `outDir`. */
export async function buildMemoryChildren(
  outDir: string,
  providers: readonly ProviderName[],
  mode: ChildMode = 'buffered',
): Promise<{ bare: string; children: Record<string, string> }> {
  const esbuild = await import('esbuild');
  const common = {
    bundle: true,
    platform: 'node' as const,
    format: 'esm' as const,
    target: 'node20',
    logLevel: 'silent' as const,
    absWorkingDir: REPO_ROOT,
    // Some bundled CommonJS packages call require(); give the ESM bundle one.
    banner: {
      js: "import { createRequire as __benchCreateRequire } from 'node:module';const require=__benchCreateRequire(import.meta.url);",
    },
  };
  const bare = join(outDir, 'memory-bare.mjs');
  await esbuild.build({
    ...common,
    entryPoints: [join(REPO_ROOT, 'test/bench/memory-bare.ts')],
    outfile: bare,
  });
  const children: Record<string, string> = {};
  for (const name of providers) {
    const { path, factory } = PROVIDER_MODULES[name];
    const missing = missingFiles([`${path}.ts`]);
    if (missing.length > 0) throw new ScenarioUnavailable(`${path}.ts has not landed`);
    const outfile = join(outDir, `memory-child-${mode}-${name}.mjs`);
    const run = mode === 'stream' ? 'runStreamChild' : 'runInventoryChild';
    // The entry is generated so the provider is chosen here, by path, and bundled statically.
    await esbuild.build({
      ...common,
      stdin: {
        contents:
          `import { ${factory} } from './${path}';\n` +
          `import { ${run} } from './test/bench/memory-child';\n` +
          `await ${run}(${factory});\n`,
        resolveDir: REPO_ROOT,
        sourcefile: `memory-child-${mode}-${name}.ts`,
        loader: 'ts',
      },
      outfile,
    });
    children[name] = outfile;
  }
  return { bare, children };
}

/** Runs a bundled child with plain node and parses the JSON line it prints last. */
export async function runChild(
  file: string,
  env: NodeJS.ProcessEnv = {},
  flags: string[] = [],
): Promise<ChildReport> {
  const base = { ...process.env };
  delete base.NODE_OPTIONS;
  const run = await runNode([...flags, file], { env: { ...base, ...env }, timeoutMs: 180_000 });
  if (run.code !== 0) throw new Error(`memory child ${file} exited ${run.code}: ${run.stderr.slice(0, 600)}`);
  const last = run.stdout.trim().split('\n').at(-1) ?? '';
  const report = JSON.parse(last) as ChildReport;
  if (!(report.peakRssKib > 0)) throw new Error(`memory child ${file} reported no peak RSS: ${last}`);
  return report;
}

/** Runs a child `runs` times and keeps the report with the median peak (the runs vary by ±15 MB). */
export async function medianChild(runs: number, run: () => Promise<ChildReport>): Promise<ChildReport> {
  const reports: ChildReport[] = [];
  for (let i = 0; i < runs; i++) reports.push(await run());
  reports.sort((a, b) => a.peakRssKib - b.peakRssKib);
  return reports[Math.floor(reports.length / 2)] as ChildReport;
}

/** How much of the peak was still reachable at the end (an upper bound of the live data). */
function liveNote(r: ChildReport): string {
  return `still reachable after a full GC at the end: ${round((r.liveAfterGcKib ?? 0) / MIB, 1)} MB`;
}

/** The high-water mark after each stage, above bare node: which stage set the peak. */
function stagesNote(r: ChildReport, bareKib: number): string {
  const s = r.stagesKib;
  if (!s) return '';
  const above = (kib: number) => round((kib - bareKib) / MIB, 1);
  return `; peak above bare after inventory ${above(s.inventory)} MB, after serialize ${above(s.serialized)} MB, after JSON.stringify ${above(s.json)} MB`;
}

/** Scenario 4: peak RSS of the inventory child per provider vs bare node. */
export async function benchMemory(
  options: { vms: number } & ScenarioSettings & { providers?: ProviderName[] },
): Promise<AnnotatedResult[]> {
  const providers = options.providers ?? (['prism', 'cloudtower'] as ProviderName[]);
  const dir = mkdtempSync(join(tmpdir(), 'nflex-bench-memory-'));
  const results: AnnotatedResult[] = [];
  try {
    const available: ProviderName[] = [];
    for (const p of providers) {
      if (missingFiles([`${PROVIDER_MODULES[p].path}.ts`]).length === 0) available.push(p);
      else
        results.push({
          name: `memory.inventory.10k.${p}`,
          value: null,
          unit: 'MB',
          baseline: null,
          ratio: null,
          target: '≤ baseline + 200 MB',
          ok: false,
          note: `not available: ${PROVIDER_MODULES[p].path}.ts has not landed`,
        });
    }
    if (available.length === 0) return results;
    const built = await buildMemoryChildren(dir, available);
    const bareRuns: number[] = [];
    for (let i = 0; i < (options.quick ? 1 : 3); i++) bareRuns.push((await runChild(built.bare)).peakRssKib);
    const bareKib = median(bareRuns);

    for (const name of available) {
      const estate = await startEstate(name, { vms: options.vms, latencyMs: options.latencyMs });
      try {
        // --expose-gc only lets the child measure its live data after the peak has been read.
        const report = await medianChild(options.quick ? 1 : 3, () =>
          runChild(
            built.children[name] as string,
            { [CREDENTIALS_ENV]: JSON.stringify(estate.credentials) },
            ['--expose-gc'],
          ),
        );
        const expected = estate.truthServerIds().length;
        if (report.servers !== expected)
          throw new Error(`the ${name} child listed ${report.servers} servers, ground truth has ${expected}`);
        const aboveMib = (report.peakRssKib - bareKib) / MIB;
        const ok = aboveMib <= LIMIT_ABOVE_BARE_MIB;
        results.push({
          name: `memory.inventory.10k.${name}`,
          value: round(report.peakRssKib / MIB, 1),
          unit: 'MB',
          baseline: round(bareKib / MIB, 1),
          ratio: round(report.peakRssKib / bareKib, 2),
          target: '≤ baseline + 200 MB',
          ok,
          note:
            `${round(aboveMib, 1)} MB above bare node (median of ${options.quick ? 1 : 3} runs; ` +
            `${round(aboveMib / (report.servers / 1000), 1)} MB per 1,000 VMs) for ${report.servers} servers, ${report.volumes} volumes, ` +
            `${report.networks} networks, ${report.computePools} pools and ${round((report.jsonBytes ?? 0) / 2 ** 20, 1)} MB of JSON` +
            (report.liveAfterGcKib ? `; ${liveNote(report)}` : '') +
            stagesNote(report, bareKib) +
            (ok
              ? ''
              : ' — over target: what stays reachable is well under the peak, so the rest was garbage' +
                ' (raw page bodies, parsed pages, serialized copies) alive at once; map each page to records' +
                ' as it arrives and drop it, and build the result JSON from the records in one pass instead' +
                ' of records → resource objects → serialized objects → string.'),
        });
      } finally {
        await estate.stop();
      }
    }
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
