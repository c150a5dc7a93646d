/**
 * Smoke test of the memory scenario at a tiny scale: the bundled children run under plain node, list
 * exactly the ground truth's servers (the child checks this) and report a peak RSS above bare node's.
 */
import { describe, expect, it } from 'vitest';
import { benchMemory } from '../bench/memory';

describe('bench: memory', () => {
  it('measures the inventory child of each provider against a bare node measured the same way', async () => {
    // Act
    const results = await benchMemory({ vms: 40, latencyMs: 0, quick: true });
    // Assess
    expect(results.map((r) => r.name)).toEqual([
      'memory.inventory.10k.prism',
      'memory.inventory.10k.cloudtower',
    ]);
    for (const r of results) {
      expect(r.unit).toBe('MB');
      expect(r.baseline).toBeGreaterThan(0);
      // Loading a provider and listing an estate cannot take less memory than an empty node.
      expect(r.value).toBeGreaterThan(r.baseline ?? Number.POSITIVE_INFINITY);
      expect(r.ok).toBe((r.value ?? 0) - (r.baseline ?? 0) <= 200);
      expect(r.note).toMatch(/servers/);
    }
  }, 60_000);
});
