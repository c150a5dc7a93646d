/** Smoke test: the mapping benchmark runs with tiny N and returns well-formed results (no timing asserted). */
import { describe, expect, it } from 'vitest';
import { benchMappingEval } from '../bench/mapping-eval';

describe('benchMappingEval (quick)', () => {
  it('returns one well-formed result per measurement', async () => {
    const results = await benchMappingEval({ quick: true });
    expect(results.map((r) => r.name)).toEqual([
      'mapping.eval.divide',
      'mapping.eval.ternary',
      'mapping.compile',
    ]);
    for (const r of results) {
      expect(Object.keys(r).sort()).toEqual(['baseline', 'name', 'ok', 'ratio', 'target', 'unit', 'value']);
      expect(r.value).toBeGreaterThan(0);
      expect(r.baseline).toBeGreaterThan(0);
      expect(r.ratio).toBeCloseTo(r.value! / r.baseline!, 1);
      expect(typeof r.ok).toBe('boolean');
      expect(r.target).toMatch(/^≥ \d+ /);
    }
  });
});
