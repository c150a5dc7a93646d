/**
 * `npm run bench` — runs every benchmark scenario against the loopback simulators and prints each
 * measurement next to a baseline measured in the same run (absolute times on shared machines mean little
 * alone). Flags:
 *
 *   --json            one JSON array of {name, value, unit, baseline, ratio, target, ok} on stdout
 *                     (the table then goes to stderr, so one run gives both)
 *   --latency <ms>    latency the simulators add to every response (default 50)
 *   --only a,b        run only these scenarios (a name, or a prefix such as `prism`)
 *   --quick           tiny N, few repetitions: checks the wiring, the numbers mean nothing
 *   --write-docs      also write the table, with when and where it ran, into docs/performance.md (a full
 *                     run only: no --only, no --quick; not written when a scenario crashed)
 *
 * Exit status: 0 when every scenario ran (missed targets are reported as `ok: false`, not as a failure),
 * 1 when a scenario crashed or a result that must hold did not (the faults run differing from ground
 * truth), 2 on bad arguments.
 */
import { pathToFileURL } from 'node:url';
import { machine, writeResultsDoc } from './docs-table';
import {
  type AnnotatedResult,
  notAvailable,
  round,
  type ScenarioSettings,
  ScenarioUnavailable,
} from './harness';
import type { BenchResult } from './types';

/** A scenario function as the modules export it. */
export type ScenarioFunction = (args: never) => Promise<BenchResult[] | BenchResult>;

/** One named scenario: how to load its function, what to call it with, which results must hold. */
export interface ScenarioDefinition {
  name: string;
  /** Loads the scenario function; throws {@link ScenarioUnavailable} when something it needs is missing. */
  load(): Promise<ScenarioFunction>;
  /** The argument object the function is called with. */
  args(settings: ScenarioSettings): unknown;
  /** Results whose `ok: false` fails the whole bench (e.g. the faults run not equal to ground truth). */
  mustHold?(result: BenchResult): boolean;
  /** The target shown when the scenario cannot run. */
  target?: string;
  /** Longest this scenario may run, when it needs more than the default (ms). */
  limitMs?: number;
}

/** Longest a scenario may run before it counts as crashed (the whole bench must stay under 5 minutes). */
const SCENARIO_LIMIT_MS = 180_000;
const QUICK_SCENARIO_LIMIT_MS = 60_000;

/** The scenario in progress, for the message when the event loop drains under it. */
let running: string | null = null;

/** VMs per scenario at full scale; quick runs use a few hundred so the wiring is exercised in seconds. */
const FULL_VMS = 10_000;
const QUICK_VMS = 200;

/** Loads `export` from the scenario module `file` (relative to this folder, no extension). */
export function fromModule(file: string, exportName: string): () => Promise<ScenarioFunction> {
  return async () => {
    let mod: Record<string, unknown>;
    try {
      // A computed specifier: modules that have not landed must not break loading the runner itself.
      const specifier = `./${file}`;
      mod = (await import(/* @vite-ignore */ specifier)) as Record<string, unknown>;
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      if (e.code === 'ERR_MODULE_NOT_FOUND' || /Cannot find module/.test(e.message ?? '')) {
        const what =
          /Cannot find (?:module|package) '([^']+)'/.exec(e.message)?.[1] ?? `test/bench/${file}.ts`;
        const missing = relativeName(what);
        throw new ScenarioUnavailable(
          missing.startsWith(`test/bench/${file}`)
            ? `test/bench/${file}.ts has not landed`
            : `${missing} has not landed (needed by test/bench/${file}.ts)`,
          { cause: err },
        );
      }
      throw err;
    }
    const fn = mod[exportName];
    if (typeof fn !== 'function')
      throw new ScenarioUnavailable(`test/bench/${file}.ts does not export ${exportName}() yet`);
    return fn as ScenarioFunction;
  };
}

/** Shortens an absolute module path from an import error to a repository-relative one. */
function relativeName(path: string): string {
  const at = path.search(/\/(test|lib|functions|scripts)\//);
  return at >= 0 ? path.slice(at + 1) : path;
}

const vmsFor = (s: ScenarioSettings) => (s.quick ? QUICK_VMS : FULL_VMS);

/** Every scenario of issue 7, in the order they run. */
export const SCENARIOS: ScenarioDefinition[] = [
  {
    name: 'prism.inventory.10k',
    load: fromModule('prism-inventory', 'benchPrismInventory'),
    args: (s) => ({ vms: vmsFor(s), latencyMs: s.latencyMs, quick: s.quick }),
    target: '≤ 1.3× bound; ≥ 5× sequential at c8',
  },
  {
    name: 'cloudtower.inventory.10k',
    load: fromModule('cloudtower-inventory', 'benchCloudTowerInventory'),
    args: (s) => ({ vms: vmsFor(s), latencyMs: s.latencyMs, quick: s.quick }),
    target: '≤ 1.3× bound; ≥ 5× sequential at c8',
  },
  {
    name: 'prism.metrics.10k',
    load: fromModule('metrics', 'benchPrismMetrics'),
    args: (s) => ({ vms: vmsFor(s), latencyMs: s.latencyMs, quick: s.quick }),
    target: 'requests ≤ pages + clusters + hosts',
  },
  {
    name: 'cloudtower.metrics.10k',
    load: fromModule('metrics', 'benchCloudTowerMetrics'),
    args: (s) => ({ vms: vmsFor(s), latencyMs: s.latencyMs, quick: s.quick }),
    target: 'requests ≤ pages + clusters',
  },
  {
    name: 'metrics.stale-last-update',
    load: fromModule('stale-metrics', 'benchStaleMetrics'),
    args: (s) => ({ vms: s.quick ? 200 : 3000, latencyMs: s.latencyMs, quick: s.quick }),
    target: '≤ 3× a one-day catch-up poll; peak RSS ≤ it + 100 MB',
  },
  {
    name: 'memory.inventory.10k',
    load: fromModule('memory', 'benchMemory'),
    args: (s) => ({ vms: vmsFor(s), latencyMs: s.latencyMs, quick: s.quick }),
    target: '≤ 200 MB above bare node',
  },
  {
    name: 'memory.stream.10k',
    load: fromModule('memory-stream', 'benchMemoryStream'),
    args: (s) => ({
      vms: vmsFor(s),
      latencyMs: s.latencyMs,
      quick: s.quick,
      label: '10k',
      limitMib: 120,
      resultBytes: true,
    }),
    target: '≤ baseline + 120 MB',
  },
  {
    name: 'memory.stream.50k',
    load: fromModule('memory-stream', 'benchMemoryStream'),
    // Memory does not depend on the simulator latency; without it the six 50k inventories take less time.
    args: (s) => ({ vms: s.quick ? 400 : 50_000, latencyMs: 0, quick: s.quick, label: '50k', limitMib: 350 }),
    target: '≤ baseline + 350 MB',
    // Six 50k-VM inventories (3 runs per provider) take 3–6 minutes on a shared 2-core machine.
    limitMs: 480_000,
  },
  {
    name: 'bundle',
    load: fromModule('bundle', 'benchBundle'),
    args: (s) => ({ quick: s.quick }),
    target: '≤ 1.5 MB; ≤ 150 ms import overhead',
  },
  {
    name: 'mapping.eval',
    load: fromModule('mapping-eval', 'benchMappingEval'),
    args: (s) => ({ quick: s.quick }),
    target: '≥ 5 M evals/s; ≥ 50 k compiles/s',
  },
  {
    name: 'e2e.poll',
    load: fromModule('e2e-poll', 'benchE2ePoll'),
    args: (s) => ({ vms: s.quick ? 50 : 1000, latencyMs: s.latencyMs, quick: s.quick }),
  },
  {
    name: 'status.requests',
    load: fromModule('status', 'benchStatus'),
    args: (s) => ({ vms: s.quick ? 200 : 2000, latencyMs: s.latencyMs, quick: s.quick }),
    target: '≤ login/detection + list pages',
  },
  {
    name: 'faults.inventory.10k',
    load: fromModule('faults', 'benchFaults'),
    args: (s) => ({ vms: vmsFor(s), latencyMs: s.latencyMs, quick: s.quick }),
    mustHold: (r) => r.name.endsWith('.matches-truth'),
    target: 'result equals ground truth',
  },
];

/** Parsed command line. */
export interface BenchOptions extends ScenarioSettings {
  json: boolean;
  only: string[] | null;
  writeDocs: boolean;
}

/** Parses the runner's flags; throws a RangeError naming the bad flag. */
export function parseArgs(argv: readonly string[]): BenchOptions {
  const options: BenchOptions = { json: false, latencyMs: 50, quick: false, only: null, writeDocs: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const [flag, inline] =
      arg.startsWith('--') && arg.includes('=') ? arg.split(/=(.*)/s, 2) : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') throw new RangeError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--json':
        options.json = true;
        break;
      case '--quick':
        options.quick = true;
        break;
      case '--write-docs':
        options.writeDocs = true;
        break;
      case '--latency': {
        const raw = value();
        const ms = Number(raw);
        if (!Number.isFinite(ms) || ms < 0)
          throw new RangeError(`--latency: expected milliseconds ≥ 0, got ${raw}`);
        options.latencyMs = ms;
        break;
      }
      case '--only':
        options.only = value()
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s !== '');
        break;
      default:
        throw new RangeError(
          `unknown argument ${arg} (flags: --json, --latency <ms>, --only <a,b>, --quick, --write-docs)`,
        );
    }
  }
  if (options.writeDocs && (options.quick || options.only)) {
    // A partial or tiny-N table would replace the published full one.
    throw new RangeError('--write-docs needs a full run: drop --only and --quick');
  }
  return options;
}

/** The scenarios `only` selects (a full name, or a prefix ending at a dot); throws on a name matching none. */
export function selectScenarios(
  all: readonly ScenarioDefinition[],
  only: string[] | null,
): ScenarioDefinition[] {
  if (!only) return [...all];
  const picked = new Set<ScenarioDefinition>();
  for (const want of only) {
    const hits = all.filter((s) => s.name === want || s.name.startsWith(`${want}.`));
    if (hits.length === 0)
      throw new RangeError(
        `--only: no scenario named ${want} (scenarios: ${all.map((s) => s.name).join(', ')})`,
      );
    for (const h of hits) picked.add(h);
  }
  return all.filter((s) => picked.has(s));
}

/** What one scenario produced. */
export interface ScenarioOutcome {
  scenario: string;
  results: AnnotatedResult[];
  /** The scenario threw (not merely missed a target). */
  crashed: boolean;
  ms: number;
}

/** Runs one scenario; a missing dependency becomes a "not available" result, a throw a crashed one. */
export async function runScenario(
  def: ScenarioDefinition,
  settings: ScenarioSettings,
): Promise<ScenarioOutcome> {
  const start = performance.now();
  const done = (results: AnnotatedResult[], crashed: boolean): ScenarioOutcome => ({
    scenario: def.name,
    results,
    crashed,
    ms: performance.now() - start,
  });
  let fn: ScenarioFunction;
  try {
    fn = await def.load();
  } catch (err) {
    if (err instanceof ScenarioUnavailable)
      return done([notAvailable(def.name, err.message, def.target)], false);
    return done([crashedResult(def, err)], true);
  }
  try {
    running = def.name;
    const call = (fn as (args: unknown) => Promise<BenchResult[] | BenchResult>)(def.args(settings));
    const out = await withTimeout(
      call,
      settings.quick ? QUICK_SCENARIO_LIMIT_MS : (def.limitMs ?? SCENARIO_LIMIT_MS),
      def.name,
    );
    const results = (Array.isArray(out) ? out : [out]) as AnnotatedResult[];
    if (results.length === 0) return done([crashedResult(def, new Error('returned no results'))], true);
    return done(results, false);
  } catch (err) {
    if (err instanceof ScenarioUnavailable)
      return done([notAvailable(def.name, err.message, def.target)], false);
    return done([crashedResult(def, err)], true);
  } finally {
    running = null;
  }
}

/** Rejects when `promise` has not settled after `ms` (a hung scenario must not hang the bench). */
function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

function crashedResult(def: ScenarioDefinition, err: unknown): AnnotatedResult {
  const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return {
    name: def.name,
    value: null,
    unit: '',
    baseline: null,
    ratio: null,
    target: def.target ?? '',
    ok: false,
    note: `crashed: ${message}`,
  };
}

/** The JSON form: exactly the BenchResult fields, in a fixed order. */
export function toJson(results: readonly AnnotatedResult[]): BenchResult[] {
  return results.map(({ name, value, unit, baseline, ratio, target, ok }) => ({
    name,
    value,
    unit,
    baseline,
    ratio,
    target,
    ok,
  }));
}

function show(n: number | null | undefined): string {
  if (n === null || n === undefined || Number.isNaN(n)) return '—';
  if (!Number.isFinite(n)) return String(n);
  const abs = Math.abs(n);
  if (abs >= 1000) return Math.round(n).toLocaleString('en-US');
  if (abs >= 100) return round(n, 1).toString();
  if (abs >= 1) return round(n, 2).toString();
  return round(n, 3).toString();
}

/** The human-readable table, closing notes included. */
export function formatTable(outcomes: readonly ScenarioOutcome[]): string {
  const rows: string[][] = [['name', 'value', 'unit', 'baseline', 'ratio', 'target', 'ok']];
  for (const o of outcomes)
    for (const r of o.results)
      rows.push([
        r.name,
        show(r.value),
        r.unit,
        show(r.baseline),
        r.ratio === null ? '—' : `${show(r.ratio)}×`,
        r.target,
        r.ok ? 'ok' : 'MISSED',
      ]);
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => (row[c] ?? '').length)));
  const numeric = new Set([1, 3, 4]);
  const line = (row: string[]) =>
    row
      .map((cell, c) => (numeric.has(c) ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
      .join('  ')
      .trimEnd();
  const out = [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  ')];
  for (const row of rows.slice(1)) out.push(line(row));

  const notes: string[] = [];
  for (const o of outcomes)
    for (const r of o.results) if (r.note) notes.push(`- ${r.name}${r.ok ? '' : ' (MISSED)'}: ${r.note}`);
  const missed = outcomes.flatMap((o) => o.results).filter((r) => !r.ok && !r.note);
  for (const r of missed)
    notes.push(`- ${r.name} (MISSED): ${show(r.value)} ${r.unit} against target ${r.target}`);
  if (notes.length > 0) out.push('', 'Notes:', ...notes);
  out.push(
    '',
    `Scenario wall times: ${outcomes.map((o) => `${o.scenario} ${(o.ms / 1000).toFixed(1)} s`).join(', ')}`,
  );
  return out.join('\n');
}

/** Where the runner writes; injectable so the smoke test can capture it. */
export interface BenchIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Publishes the table (--write-docs); the default writes docs/performance.md. */
  writeDocs?(table: string, run: Parameters<typeof writeResultsDoc>[1]): void;
}

const processIo: BenchIo = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  writeDocs: (table, run) => writeResultsDoc(table, run),
};

/** Runs the selected scenarios one after another and prints the results; returns the exit status. */
export async function runBench(
  argv: readonly string[],
  scenarios: readonly ScenarioDefinition[] = SCENARIOS,
  io: BenchIo = processIo,
): Promise<number> {
  let options: BenchOptions;
  let selected: ScenarioDefinition[];
  try {
    options = parseArgs(argv);
    selected = selectScenarios(scenarios, options.only);
  } catch (err) {
    io.stderr(`bench: ${(err as Error).message}\n`);
    return 2;
  }
  const settings: ScenarioSettings = { latencyMs: options.latencyMs, quick: options.quick };
  const startedAt = new Date();
  const where = machine();
  const progress = options.json ? io.stderr : io.stdout;
  progress(
    `bench: ${selected.length} scenario(s), latency ${settings.latencyMs} ms per request` +
      `${settings.quick ? ', QUICK (numbers meaningless)' : ''}\n`,
  );
  const outcomes: ScenarioOutcome[] = [];
  for (const def of selected) {
    progress(`  ${def.name} …`);
    const outcome = await runScenario(def, settings);
    outcomes.push(outcome);
    const state = outcome.crashed
      ? 'CRASHED'
      : outcome.results.every((r) => r.ok)
        ? 'ok'
        : 'some targets missed';
    progress(` ${state} (${(outcome.ms / 1000).toFixed(1)} s)\n`);
  }
  const table = formatTable(outcomes);
  const all = outcomes.flatMap((o) => o.results);
  if (options.json) {
    io.stderr(`\n${table}\n`);
    io.stdout(`${JSON.stringify(toJson(all), null, 2)}\n`);
  } else io.stdout(`\n${table}\n`);

  const crashed = outcomes.filter((o) => o.crashed).map((o) => o.scenario);
  const broken = outcomes.flatMap((o) => {
    const def = selected.find((d) => d.name === o.scenario);
    return o.results.filter((r) => !r.ok && def?.mustHold?.(r)).map((r) => r.name);
  });
  if (crashed.length > 0) io.stderr(`bench: crashed: ${crashed.join(', ')}\n`);
  if (options.writeDocs && crashed.length > 0)
    io.stderr('bench: docs/performance.md not written: a scenario crashed\n');
  else if (options.writeDocs) {
    const durationMs = Date.now() - startedAt.getTime();
    (io.writeDocs ?? processIo.writeDocs)?.(table, {
      ...where,
      startedAt,
      durationMs,
      latencyMs: settings.latencyMs,
    });
    io.stderr('bench: results written to docs/performance.md\n');
  }
  if (broken.length > 0) io.stderr(`bench: must-hold results failed: ${broken.join(', ')}\n`);
  return crashed.length > 0 || broken.length > 0 ? 1 : 0;
}

// Run only when executed as a script (the smoke test imports this module).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // A promise that can never settle (nothing left that could settle it) lets node exit silently with 0.
  process.on('beforeExit', () => {
    process.stderr.write(
      `\nbench: ${running ?? 'the runner'} stopped making progress: it awaits something nothing can settle ` +
        '(e.g. a request on a socket that was destroyed without an error) — treated as a crash\n',
    );
    process.exit(1);
  });
  // Exit explicitly: a scenario that leaked a socket or timer must not keep the bench alive.
  runBench(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`bench: ${(err as Error).stack ?? String(err)}\n`);
      process.exit(1);
    },
  );
}
