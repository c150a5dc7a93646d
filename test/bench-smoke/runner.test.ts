/**
 * Smoke test of the bench runner (test/bench/run.ts) with stand-in scenarios: flag parsing, selection, the
 * JSON shape, and the exit-status rules (a missed target is not a failure; a crash or a broken must-hold
 * result is). No timing is asserted.
 */

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  PERFORMANCE_DOC,
  RESULTS_BEGIN,
  RESULTS_END,
  type RunContext,
  replaceResults,
  resultsBlock,
} from '../bench/docs-table';
import { ScenarioUnavailable } from '../bench/harness';
import {
  type BenchIo,
  fromModule,
  parseArgs,
  runBench,
  SCENARIOS,
  type ScenarioDefinition,
  type ScenarioFunction,
  selectScenarios,
} from '../bench/run';
import type { BenchResult } from '../bench/types';

const FIELDS = ['baseline', 'name', 'ok', 'ratio', 'target', 'unit', 'value'];

function result(name: string, ok: boolean, value: number | null = 1): BenchResult {
  return {
    name,
    value,
    unit: 'ms',
    baseline: 2,
    ratio: value === null ? null : value / 2,
    target: '≤ 2 ms',
    ok,
  };
}

function scenario(
  name: string,
  run: (args: unknown) => Promise<BenchResult[]>,
  extra: Partial<ScenarioDefinition> = {},
): ScenarioDefinition {
  return { name, load: async () => run as unknown as ScenarioFunction, args: (s) => s, ...extra };
}

function capture(): BenchIo & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    stdout: (t: string) => {
      io.out += t;
    },
    stderr: (t: string) => {
      io.err += t;
    },
  };
  return io;
}

describe('bench runner flags', () => {
  it('parses every flag, in both spellings of a value', () => {
    // Act
    const a = parseArgs(['--json', '--latency', '20', '--only', 'bundle, mapping.eval', '--quick']);
    const b = parseArgs(['--latency=0', '--only=faults']);
    // Assess
    expect(a).toEqual({
      json: true,
      latencyMs: 20,
      quick: true,
      only: ['bundle', 'mapping.eval'],
      writeDocs: false,
    });
    expect(b).toEqual({ json: false, latencyMs: 0, quick: false, only: ['faults'], writeDocs: false });
    expect(parseArgs([])).toEqual({ json: false, latencyMs: 50, quick: false, only: null, writeDocs: false });
    expect(parseArgs(['--write-docs']).writeDocs).toBe(true);
  });

  it('rejects unknown flags and bad latencies', () => {
    expect(() => parseArgs(['--fast'])).toThrow(/unknown argument --fast/);
    expect(() => parseArgs(['--latency', '-5'])).toThrow(/--latency/);
    expect(() => parseArgs(['--latency'])).toThrow(/needs a value/);
    // A partial or tiny-N table must not replace the published one.
    expect(() => parseArgs(['--write-docs', '--quick'])).toThrow(/--write-docs needs a full run/);
    expect(() => parseArgs(['--write-docs', '--only', 'bundle'])).toThrow(/--write-docs needs a full run/);
  });

  it('selects scenarios by full name or dotted prefix, and names the unknown ones', () => {
    const names = (only: string[]) => selectScenarios(SCENARIOS, only).map((s) => s.name);
    expect(names(['cloudtower'])).toEqual(['cloudtower.inventory.10k', 'cloudtower.metrics.10k']);
    expect(names(['bundle', 'prism.metrics.10k'])).toEqual(['prism.metrics.10k', 'bundle']);
    expect(() => names(['prism.inv'])).toThrow(/no scenario named prism.inv/);
  });

  it('registers every scenario exactly once', () => {
    expect(SCENARIOS.map((s) => s.name)).toEqual([
      'prism.inventory.10k',
      'cloudtower.inventory.10k',
      'prism.metrics.10k',
      'cloudtower.metrics.10k',
      'metrics.stale-last-update',
      'memory.inventory.10k',
      'memory.stream.10k',
      'memory.stream.50k',
      'bundle',
      'mapping.eval',
      'e2e.poll',
      'status.requests',
      'faults.inventory.10k',
    ]);
  });
});

describe('bench runner', () => {
  it('prints one JSON array of exactly the BenchResult fields and exits 0 when a target is only missed', async () => {
    // Prepare
    const io = capture();
    const seen: unknown[] = [];
    const scenarios = [
      scenario('a.fast', async (args) => {
        seen.push(args);
        return [result('a.fast.time', true)];
      }),
      scenario('b.slow', async () => [
        { ...result('b.slow.time', false, 9), note: 'because' } as BenchResult,
      ]),
    ];
    // Act
    const code = await runBench(['--json', '--latency', '7', '--quick'], scenarios, io);
    // Assess
    expect(code).toBe(0);
    const json = JSON.parse(io.out) as Record<string, unknown>[];
    expect(json.map((r) => r.name)).toEqual(['a.fast.time', 'b.slow.time']);
    for (const r of json) expect(Object.keys(r).sort()).toEqual(FIELDS);
    expect(json[1]).toMatchObject({ ok: false, value: 9 });
    expect(seen).toEqual([{ latencyMs: 7, quick: true }]);
    // The table (stderr under --json) marks the miss and carries the note.
    expect(io.err).toMatch(/b\.slow\.time.*MISSED/);
    expect(io.err).toContain('because');
  });

  it('reports a scenario whose pieces have not landed as ok:false "not available", without failing', async () => {
    const io = capture();
    const scenarios: ScenarioDefinition[] = [
      {
        name: 'x.missing',
        load: async () => {
          throw new ScenarioUnavailable('lib/providers/x has not landed');
        },
        args: () => ({}),
        target: '≥ 1',
      },
    ];
    const code = await runBench(['--json'], scenarios, io);
    expect(code).toBe(0);
    expect(JSON.parse(io.out)).toEqual([
      { name: 'x.missing', value: null, unit: '', baseline: null, ratio: null, target: '≥ 1', ok: false },
    ]);
    expect(io.err).toContain('not available: lib/providers/x has not landed');
  });

  it('loads scenario modules lazily and names a missing module or export', async () => {
    await expect(fromModule('does-not-exist', 'benchX')()).rejects.toThrow(
      new ScenarioUnavailable('test/bench/does-not-exist.ts has not landed'),
    );
    await expect(fromModule('harness', 'benchNothing')()).rejects.toThrow(/does not export benchNothing/);
    await expect(fromModule('bundle', 'benchBundle')()).resolves.toBeTypeOf('function');
  });

  it('exits 1 when a scenario throws, and keeps the other results', async () => {
    const io = capture();
    const scenarios = [
      scenario('a.boom', async () => {
        throw new Error('simulator refused');
      }),
      scenario('b.fine', async () => [result('b.fine.time', true)]),
    ];
    const code = await runBench(['--json'], scenarios, io);
    expect(code).toBe(1);
    const json = JSON.parse(io.out) as BenchResult[];
    expect(json.map((r) => [r.name, r.ok])).toEqual([
      ['a.boom', false],
      ['b.fine.time', true],
    ]);
    expect(io.err).toContain('crashed: Error: simulator refused');
  });

  it('exits 1 when a must-hold result fails (the faults run differing from ground truth)', async () => {
    const io = capture();
    const faults = scenario(
      'faults.x',
      async () => [result('faults.x.time', false), result('faults.x.matches-truth', false)],
      { mustHold: (r) => r.name.endsWith('.matches-truth') },
    );
    expect(await runBench([], [faults], io)).toBe(1);
    expect(io.err).toContain('faults.x.matches-truth');
    // The same miss on a result that need not hold is only reported.
    const io2 = capture();
    const lenient = scenario('faults.y', async () => [result('faults.y.time', false)], {
      mustHold: (r) => r.name.endsWith('.matches-truth'),
    });
    expect(await runBench([], [lenient], io2)).toBe(0);
  });

  it('exits 2 on bad arguments without running anything', async () => {
    const io = capture();
    let ran = false;
    const s = scenario('a', async () => {
      ran = true;
      return [result('a', true)];
    });
    expect(await runBench(['--only', 'nope'], [s], io)).toBe(2);
    expect(ran).toBe(false);
    expect(io.err).toMatch(/no scenario named nope/);
  });

  it('publishes the table with when and where it ran (--write-docs), but not after a crash', async () => {
    const written: Array<{ table: string; run: RunContext }> = [];
    const io = Object.assign(capture(), {
      writeDocs: (table: string, run: RunContext) => written.push({ table, run }),
    });
    expect(await runBench(['--write-docs'], [scenario('a', async () => [result('a.time', false)])], io)).toBe(
      0,
    );
    expect(written).toHaveLength(1);
    expect(written[0]?.table).toMatch(/a\.time .* MISSED/);
    expect(written[0]?.run.cpus).toBeGreaterThan(0);
    const crashIo = Object.assign(capture(), {
      writeDocs: (table: string, run: RunContext) => written.push({ table, run }),
    });
    const crash = scenario('b', async () => {
      throw new Error('boom');
    });
    expect(await runBench(['--write-docs'], [crash], crashIo)).toBe(1);
    expect(written).toHaveLength(1);
    expect(crashIo.err).toMatch(/not written/);
  });
});

describe('docs/performance.md results block', () => {
  const run: RunContext = {
    startedAt: new Date('2026-12-03T10:20:00.000Z'),
    durationMs: 200_000,
    latencyMs: 50,
    cpus: 2,
    cpuModel: 'Some CPU',
    memoryGiB: 23,
    node: 'v20.0.0',
    os: 'Linux 6.0',
    loadAtStart: 3.25,
  };

  it('replaces only the block between the markers, saying when and where the run was', () => {
    const doc = `intro\n${RESULTS_BEGIN}\nold table\n${RESULTS_END}\nprose after`;
    const out = replaceResults(doc, resultsBlock('name value\nx 1', run));
    expect(out.startsWith('intro\n')).toBe(true);
    expect(out.endsWith('\nprose after')).toBe(true);
    expect(out).not.toContain('old table');
    expect(out).toContain(
      'Latest run: 2026-12-03T10:20:00Z, whole bench 3 min 20 s, 50 ms added per request',
    );
    expect(out).toContain('2 CPUs (Some CPU), 23 GiB RAM, Node.js v20.0.0, Linux 6.0; load average 3.3');
  });

  it('exists in the published page, and a page without it is refused', () => {
    const page = readFileSync(PERFORMANCE_DOC, 'utf8');
    expect(page).toContain(RESULTS_BEGIN);
    expect(page).toContain(RESULTS_END);
    expect(() => replaceResults('no markers', 'x')).toThrow(/no results block/);
  });
});
