/**
 * Scenario `bundle`: the size of each function's esbuild bundle and its cold import time in a fresh
 * `node` process, next to a bare `node -e 0` measured in the same run.
 *
 * The bundles are built exactly as serverless-esbuild builds them at deploy time: the settings are read
 * from serverless.yml (`custom.esbuild`, with the plugin's defaults under them and its own keys removed),
 * so there is one place that says how functions are bundled, not a copy here that could drift.
 */
import { existsSync, mkdtempSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from 'js-yaml';
import {
  type AnnotatedResult,
  median,
  REPO_ROOT,
  ratioOf,
  round,
  runNode,
  ScenarioUnavailable,
} from './harness';

const MB = 1024 * 1024;
const SIZE_LIMIT_B = 1.5 * MB;
const IMPORT_OVERHEAD_LIMIT_MS = 150;

// serverless-esbuild's defaults (its DEFAULT_BUILD_OPTIONS) that matter for the output, under serverless.yml's.
const PLUGIN_DEFAULTS: Record<string, unknown> = {
  bundle: true,
  target: 'node18',
  platform: 'node',
  external: [],
  exclude: ['aws-sdk'],
  outputFileExtension: '.js',
};

// Keys serverless-esbuild consumes itself and removes before calling esbuild.
const PLUGIN_ONLY_KEYS = [
  'concurrency',
  'zipConcurrency',
  'exclude',
  'nativeZip',
  'packager',
  'packagePath',
  'watch',
  'keepOutputDirectory',
  'packagerOptions',
  'installExtraArgs',
  'outputFileExtension',
  'outputBuildFolder',
  'outputWorkFolder',
  'nodeExternals',
  'skipBuild',
  'skipRebuild',
  'skipBuildExcludeFns',
  'stripEntryResolveExtensions',
  'disposeContext',
  'config',
];

/** One function as serverless.yml declares it. */
export interface FunctionEntry {
  /** serverless.yml key, e.g. `getResources`. */
  name: string;
  /** Repository-relative source file, e.g. `functions/get-resources.ts`. */
  source: string;
  /** Exported handler name, e.g. `handler`. */
  exportName: string;
}

/** What serverless.yml says about bundling and running the functions. */
export interface ServerlessBuildConfig {
  functions: FunctionEntry[];
  /** esbuild options as serverless-esbuild passes them (minus entryPoints/outdir). */
  esbuildOptions: Record<string, unknown>;
  /** Output extension of each bundle (`.cjs` here). */
  outputFileExtension: string;
  /** NODE_OPTIONS the functions run with (provider.environment), e.g. `--enable-source-maps`. */
  nodeOptions: string;
  /** Patterns packaged next to the bundles (e.g. `mappings/**`). */
  packagePatterns: string[];
}

/** Reads serverless.yml and derives the esbuild options and function list the deploy uses. */
export async function readServerlessBuildConfig(root = REPO_ROOT): Promise<ServerlessBuildConfig> {
  const doc = load(await readFile(join(root, 'serverless.yml'), 'utf8')) as Record<string, unknown>;
  const custom = (doc.custom ?? {}) as Record<string, unknown>;
  const merged: Record<string, unknown> = { ...PLUGIN_DEFAULTS, ...((custom.esbuild ?? {}) as object) };
  const exclude = asStrings(merged.exclude);
  const outputFileExtension = String(merged.outputFileExtension);
  const esbuildOptions: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(merged))
    if (!PLUGIN_ONLY_KEYS.includes(key)) esbuildOptions[key] = value;
  esbuildOptions.external = [...asStrings(merged.external), ...(exclude.includes('*') ? [] : exclude)];
  if (outputFileExtension !== '.js') esbuildOptions.outExtension = { '.js': outputFileExtension };
  const unresolved = JSON.stringify(esbuildOptions).match(/\$\{[^}]*\}/);
  if (unresolved)
    throw new Error(`serverless.yml custom.esbuild uses ${unresolved[0]}, which the bench cannot resolve`);

  const functions: FunctionEntry[] = [];
  for (const [name, def] of Object.entries((doc.functions ?? {}) as Record<string, { handler?: string }>)) {
    const handler = def.handler ?? '';
    const dot = handler.lastIndexOf('.');
    if (dot <= 0)
      throw new Error(`serverless.yml function ${name}: handler ${handler} is not <file>.<export>`);
    functions.push({ name, source: `${handler.slice(0, dot)}.ts`, exportName: handler.slice(dot + 1) });
  }
  const provider = (doc.provider ?? {}) as { environment?: Record<string, unknown> };
  const nodeOptions = String(provider.environment?.NODE_OPTIONS ?? '');
  const pkg = (doc.package ?? {}) as { patterns?: unknown };
  return {
    functions,
    esbuildOptions,
    outputFileExtension,
    nodeOptions: nodeOptions.includes('${') ? '' : nodeOptions,
    packagePatterns: asStrings(pkg.patterns),
  };
}

function asStrings(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  return (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string');
}

/** One built bundle. */
export interface BuiltBundle extends FunctionEntry {
  /** Absolute path of the bundle file. */
  file: string;
  sizeB: number;
  /** Size of its source map (shipped too; read at start-up under --enable-source-maps). */
  mapB: number;
  /** The packages (or source folders) contributing the most bytes, largest first, e.g. `@aws-sdk/client-ssm 204 kB`. */
  largestInputs: string[];
}

/** Groups esbuild metafile inputs by npm package (or top-level source folder) and names the largest. */
export function largestPackages(inputs: Record<string, { bytesInOutput: number }>, count: number): string[] {
  const bytes = new Map<string, number>();
  for (const [path, { bytesInOutput }] of Object.entries(inputs)) {
    const at = path.lastIndexOf('node_modules/');
    let key: string;
    if (at >= 0) {
      const parts = path.slice(at + 'node_modules/'.length).split('/');
      key = (parts[0]?.startsWith('@') ? parts.slice(0, 2) : parts.slice(0, 1)).join('/');
    } else key = path.split('/').slice(0, 2).join('/');
    bytes.set(key, (bytes.get(key) ?? 0) + bytesInOutput);
  }
  return [...bytes.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([key, b]) => `${key} ${Math.round(b / 1024)} kB`);
}

/**
 * Builds every function into `outRoot/<dir of source>/` as serverless-esbuild would, and links the packaged
 * folders (mappings/) beside them as the Lambda zip has them.
 */
export async function buildBundles(config: ServerlessBuildConfig, outRoot: string): Promise<BuiltBundle[]> {
  const esbuild = await import('esbuild');
  const missing = config.functions.filter((f) => !existsSync(join(REPO_ROOT, f.source)));
  if (missing.length > 0)
    throw new ScenarioUnavailable(
      `${missing.map((f) => f.source).join(', ')} (serverless.yml handlers) not landed`,
    );
  for (const pattern of config.packagePatterns) {
    const top = pattern.split('/')[0] ?? '';
    if (top && !top.includes('*') && existsSync(join(REPO_ROOT, top)) && !existsSync(join(outRoot, top)))
      symlinkSync(join(REPO_ROOT, top), join(outRoot, top));
  }
  const built: BuiltBundle[] = [];
  for (const fn of config.functions) {
    const dir = fn.source.includes('/') ? fn.source.slice(0, fn.source.lastIndexOf('/')) : '.';
    // metafile only adds a report of what went in; the output is the same as the deploy's.
    const result = await esbuild.build({
      ...(config.esbuildOptions as object),
      absWorkingDir: REPO_ROOT,
      entryPoints: [fn.source],
      outdir: join(outRoot, dir),
      logLevel: 'silent',
      metafile: true,
    });
    const base = fn.source.slice(fn.source.lastIndexOf('/') + 1).replace(/\.ts$/, '');
    const file = join(outRoot, dir, `${base}${config.outputFileExtension}`);
    const mapFile = `${file}.map`;
    const output = Object.values(result.metafile.outputs).find((o) => o.entryPoint !== undefined);
    built.push({
      ...fn,
      file,
      sizeB: statSync(file).size,
      mapB: existsSync(mapFile) ? statSync(mapFile).size : 0,
      largestInputs: largestPackages(output?.inputs ?? {}, 3),
    });
  }
  return built;
}

/** Node flags from NODE_OPTIONS, as the runtime applies them. */
function nodeFlags(nodeOptions: string): string[] {
  return nodeOptions.split(/\s+/).filter((f) => f !== '');
}

/** An environment without the parent's loaders (tsx, vitest), so children start as Lambda's node does. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  return env;
}

/**
 * `require`s the bundle and checks its handler export; wall time of the whole fresh process. Streaming bundles
 * need the runtime's global `awslambda` at load; the stand-in only marks the handler, as the runtime does.
 */
export async function importOnce(bundle: BuiltBundle, nodeOptions: string, cwd: string): Promise<number> {
  const script =
    'globalThis.awslambda={streamifyResponse:(h)=>h,HttpResponseStream:{from:(s)=>s}};' +
    'const m=require(process.argv[1]);' +
    'if(typeof m[process.argv[2]]!=="function"){console.error("no handler export "+process.argv[2]);process.exit(3)}';
  const run = await runNode([...nodeFlags(nodeOptions), '-e', script, bundle.file, bundle.exportName], {
    cwd,
    env: cleanEnv(),
  });
  if (run.code !== 0)
    throw new Error(
      `importing the ${bundle.name} bundle failed (exit ${run.code}): ${run.stderr.slice(0, 400)}`,
    );
  return run.ms;
}

/** Wall time of a bare `node -e 0` with the same flags. */
export async function bareNodeOnce(nodeOptions: string, cwd: string): Promise<number> {
  const run = await runNode([...nodeFlags(nodeOptions), '-e', '0'], { cwd, env: cleanEnv() });
  if (run.code !== 0) throw new Error(`node -e 0 failed (exit ${run.code})`);
  return run.ms;
}

/** Scenario 5: bundle size per function and cold import time vs bare node. */
export async function benchBundle(
  options: { quick?: boolean; runs?: number } = {},
): Promise<AnnotatedResult[]> {
  const runs = options.runs ?? (options.quick ? 1 : 5);
  const config = await readServerlessBuildConfig();
  const outRoot = mkdtempSync(join(tmpdir(), 'nflex-bench-bundle-'));
  try {
    const bundles = await buildBundles(config, outRoot);
    // One warm-up of each so the first measured run does not pay for the page cache.
    await bareNodeOnce(config.nodeOptions, outRoot);
    for (const b of bundles) await importOnce(b, config.nodeOptions, outRoot);

    // Interleaved rounds: each round measures bare node and every bundle, so drift hits all alike.
    const bare: number[] = [];
    const times = new Map<string, number[]>(bundles.map((b) => [b.name, []]));
    for (let i = 0; i < runs; i++) {
      bare.push(await bareNodeOnce(config.nodeOptions, outRoot));
      for (const b of bundles) times.get(b.name)!.push(await importOnce(b, config.nodeOptions, outRoot));
    }
    const bareMs = median(bare);
    const results: AnnotatedResult[] = [];
    for (const b of bundles) {
      const sizeMb = b.sizeB / MB;
      results.push({
        name: `bundle.${b.name}.size`,
        value: round(sizeMb),
        unit: 'MB',
        baseline: null,
        ratio: null,
        target: '≤ 1.5 MB',
        ok: b.sizeB <= SIZE_LIMIT_B,
        ...(b.sizeB > SIZE_LIMIT_B
          ? {
              note:
                `${b.source} bundles to ${round(sizeMb, 2)} MB (+ ${round(b.mapB / MB, 2)} MB source map); ` +
                'see the esbuild metafile for the largest inputs (usually the AWS SDK) — import SSM lazily or ' +
                'keep it out of this function.',
            }
          : {}),
      });
      const importMs = median(times.get(b.name)!);
      const overhead = importMs - bareMs;
      results.push({
        name: `bundle.${b.name}.import`,
        value: round(importMs, 1),
        unit: 'ms',
        baseline: round(bareMs, 1),
        ratio: ratioOf(importMs, bareMs) === null ? null : round(importMs / bareMs, 2),
        target: '≤ baseline + 150 ms',
        ok: overhead <= IMPORT_OVERHEAD_LIMIT_MS,
        note:
          `import overhead ${round(overhead, 1)} ms (median of ${runs} fresh processes` +
          `${config.nodeOptions ? ` with ${config.nodeOptions}` : ''})` +
          `; largest inputs: ${b.largestInputs.join(', ')}` +
          (overhead > IMPORT_OVERHEAD_LIMIT_MS
            ? ' — over target: evaluating those at import is the cost; load the AWS SDK with a dynamic' +
              ' import() only when an SSM parameter is named (esbuild then defers its initialisation).'
            : ''),
      });
    }
    return results;
  } finally {
    rmSync(outRoot, { recursive: true, force: true });
  }
}
