/**
 * `npm run bench -- --write-docs`: the bench writes its own results into docs/performance.md, with when and
 * where it ran, so the published table is always one the code produced (never copied by hand or left over
 * from an older build). Only the block between the two markers is replaced; the prose around it is kept.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, release, totalmem, type } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The results block of docs/performance.md. */
export const RESULTS_BEGIN = '<!-- bench:results:begin (written by npm run bench -- --write-docs) -->';
export const RESULTS_END = '<!-- bench:results:end -->';

/** Where the bench writes. */
export const PERFORMANCE_DOC = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'docs',
  'performance.md',
);

/** When and where a run happened. */
export interface RunContext {
  startedAt: Date;
  durationMs: number;
  latencyMs: number;
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  os: string;
  /** 1-minute load average when the run started: how busy the (shared) machine was. */
  loadAtStart: number;
}

/** The machine this process runs on, and its load now. */
export function machine(): Pick<
  RunContext,
  'cpus' | 'cpuModel' | 'memoryGiB' | 'node' | 'os' | 'loadAtStart'
> {
  return {
    cpus: availableParallelism(),
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown CPU',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    os: `${type()} ${release()}`,
    loadAtStart: loadavg()[0] ?? 0,
  };
}

function minutes(ms: number): string {
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${s % 60} s`;
}

/** The block: one line of when and where, then the runner's table and notes as printed. */
export function resultsBlock(table: string, run: RunContext): string {
  const when = run.startedAt.toISOString().replace(/\.\d{3}Z$/, 'Z');
  return [
    RESULTS_BEGIN,
    '',
    `Latest run: ${when}, whole bench ${minutes(run.durationMs)}, ${run.latencyMs} ms added per request; ` +
      `${run.cpus} CPUs (${run.cpuModel}), ${run.memoryGiB} GiB RAM, Node.js ${run.node}, ${run.os}; ` +
      `load average ${run.loadAtStart.toFixed(1)} at the start.`,
    '',
    '```',
    table.trim(),
    '```',
    '',
    RESULTS_END,
  ].join('\n');
}

/** `doc` with its results block replaced; throws when the markers are missing or out of order. */
export function replaceResults(doc: string, block: string): string {
  const begin = doc.indexOf(RESULTS_BEGIN);
  const end = doc.indexOf(RESULTS_END);
  if (begin < 0 || end < begin) {
    throw new Error(`docs/performance.md has no results block (${RESULTS_BEGIN} … ${RESULTS_END})`);
  }
  return doc.slice(0, begin) + block + doc.slice(end + RESULTS_END.length);
}

/** Writes the block into docs/performance.md (or `path`). */
export function writeResultsDoc(table: string, run: RunContext, path = PERFORMANCE_DOC): void {
  writeFileSync(path, replaceResults(readFileSync(path, 'utf8'), resultsBlock(table, run)));
}
