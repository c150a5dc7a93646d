/**
 * Replays every golden vector generated from the original Python nflex-connector-utils 0.2.0.
 * Each `*.json` in test/fixtures/nflex-golden is one array of cases; the file's kind comes from the end
 * of its name, so extra vector files (e.g. `more.serialize.json`) can be dropped in without code changes.
 * One test per case, titled with the case name. Cases whose behaviour is a Python accident that cannot
 * be expressed in TypeScript are listed by each runner in `pythonOnly` with the reason, and counted.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { GoldenCase, GoldenRunner } from './golden/types';

const FIXTURES = join(import.meta.dirname, '../fixtures/nflex-golden');
const KINDS = ['metric_mapping', 'setup_time_interval', 'serialize', 'parser', 'misc'] as const;
type Kind = (typeof KINDS)[number];

const runners: Record<Kind, () => Promise<GoldenRunner>> = {
  serialize: async () => (await import('./golden/serialize')).runner,
  misc: async () => (await import('./golden/misc')).runner,
  parser: async () => (await import('./golden/parser')).runner,
  metric_mapping: async () => (await import('./golden/metric-mapping')).runner,
  setup_time_interval: async () => (await import('./golden/setup-time-interval')).runner,
};

function kindOf(file: string): Kind {
  const base = file.replace(/\.json$/, '');
  // Longest suffix first: "metric_mapping" must not be read as something shorter.
  const kind = [...KINDS]
    .sort((a, b) => b.length - a.length)
    .find((k) => base === k || base.endsWith(`.${k}`) || base.endsWith(`_${k}`) || base.endsWith(`-${k}`));
  if (!kind) throw new Error(`golden file ${file}: name must end with one of ${KINDS.join(', ')}`);
  return kind;
}

const files = readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.json'))
  .sort();
let pythonOnlyCount = 0;

for (const file of files) {
  const kind = kindOf(file);
  const cases = JSON.parse(readFileSync(join(FIXTURES, file), 'utf8')) as GoldenCase[];
  describe(`golden ${file} (${kind})`, async () => {
    const runner = await runners[kind]();
    for (const c of cases) {
      const reason = runner.pythonOnly?.[c.name];
      if (reason) {
        pythonOnlyCount++;
        // A documented, counted exception: the case exists only because of a Python accident.
        it(`${c.name} [python-only: ${reason}]`, async () => {
          await runner.checkPythonOnly?.(c);
        });
        continue;
      }
      it(c.name, async () => {
        await runner.run(c);
      });
    }
  });
}

describe('golden replay bookkeeping', () => {
  it('found vector files for every kind', () => {
    const kinds = new Set(files.map(kindOf));
    expect([...kinds].sort()).toEqual([...KINDS].sort());
  });
  it('dispatches misc cases by their name prefix, so a new input shape of a known kind still replays', async () => {
    const { miscAction, MISC_ACTIONS } = await import('./golden/misc');
    const misc = files.filter((f) => kindOf(f) === 'misc');
    for (const f of misc) {
      for (const c of JSON.parse(readFileSync(join(FIXTURES, f), 'utf8')) as GoldenCase[]) {
        expect(MISC_ACTIONS[c.name.split('/')[0] ?? ''], c.name).toBeDefined();
      }
    }
    // An errors/ case whose input also carries task_id is still an error case (shape sniffing would not be).
    const action = miscAction('errors/with_extra_fields');
    expect(await action({ class: 'SpendError', args: ['x'], task_id: 't' }, {} as never)).toMatchObject({
      message: 'x',
      is_exception: true,
    });
    expect(() => miscAction('tools/unknown')).toThrow('no action for the prefix "tools"');
  });

  it('reports the python-only exception count', () => {
    // Printed so the count is visible in CI logs; the list lives in each runner's `pythonOnly`.
    console.log(`golden: ${pythonOnlyCount} python-only case(s) documented`);
    expect(pythonOnlyCount).toBeLessThan(10);
  });
});
