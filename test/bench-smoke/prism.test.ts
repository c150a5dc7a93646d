/** Smoke test: the Prism inventory benchmark runs end to end with tiny N (no timing asserted). */
import { describe, expect, it } from 'vitest';
import { benchPrismInventory } from '../bench/prism-inventory';

describe('benchPrismInventory (quick)', () => {
  it('returns c4, c8, the sequential baseline and the speed-up, well formed', async () => {
    const results = await benchPrismInventory({ vms: 250, latencyMs: 1, quick: true });
    expect(results.map((r) => r.name)).toEqual([
      'prism.inventory.10k.c4',
      'prism.inventory.10k.c8',
      'prism.inventory.10k.sequential',
      'prism.inventory.10k.speedup-c8',
    ]);
    for (const r of results) {
      expect(r.value).toBeGreaterThan(0);
      expect(typeof r.ok).toBe('boolean');
      expect(r.unit).toMatch(/^(ms|×)$/);
    }
    // The bound is ⌈requests / c⌉ × latency, so it shrinks as concurrency grows.
    expect((results[1]?.baseline ?? 0) < (results[0]?.baseline ?? 0)).toBe(true);
  });
});
