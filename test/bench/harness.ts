/**
 * Small measuring tools shared by the benchmark scenarios written around the runner: wall-clock timing,
 * medians, fresh child processes, and the shapes for "not available" and annotated results.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchResult } from './types';

/** The repository root (two levels above this file). */
export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * A result with an optional closing note. The note is printed under the table (why a target was missed
 * and what would fix it, or what a number means); the JSON output carries only the BenchResult fields.
 */
export type AnnotatedResult = BenchResult & { note?: string };

/** Something a scenario needs (its module, a provider, a helper) has not landed yet. */
export class ScenarioUnavailable extends Error {
  override readonly name = 'ScenarioUnavailable';
}

/** Settings every scenario receives from the runner. */
export interface ScenarioSettings {
  /** Latency the simulators add to every response, in ms. */
  latencyMs: number;
  /** Small N and few repetitions: for smoke tests, numbers are meaningless. */
  quick: boolean;
}

/** Milliseconds elapsed while `fn` runs, with its value. */
export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}

/** Median of a non-empty list (mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of an empty list');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const upper = sorted[mid] as number;
  return sorted.length % 2 === 1 ? upper : ((sorted[mid - 1] as number) + upper) / 2;
}

/** `value / baseline`, or null when either is missing or the baseline is zero. */
export function ratioOf(value: number | null, baseline: number | null): number | null {
  if (value === null || baseline === null || baseline === 0 || !Number.isFinite(baseline)) return null;
  return value / baseline;
}

/** Rounds for display and JSON: keeps three significant decimals without trailing noise. */
export function round(value: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/**
 * The result reported when a scenario cannot run because something it needs has not landed: `ok: false`
 * and no number, never a made-up one.
 */
export function notAvailable(name: string, missing: string, target = ''): AnnotatedResult {
  return {
    name,
    value: null,
    unit: '',
    baseline: null,
    ratio: null,
    target,
    ok: false,
    note: `not available: ${missing}`,
  };
}

/** The repository-relative paths among `paths` that do not exist yet. */
export function missingFiles(paths: readonly string[]): string[] {
  return paths.filter((p) => !existsSync(join(REPO_ROOT, p)));
}

/** What a finished child process produced. */
export interface ChildRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Wall time from spawn to exit, in ms. */
  ms: number;
}

/** Runs `node <args>` in a fresh process and measures its wall time from spawn to exit. */
export function runNode(
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, args, {
      cwd: options.cwd ?? REPO_ROOT,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: performance.now() - start });
    });
  });
}
