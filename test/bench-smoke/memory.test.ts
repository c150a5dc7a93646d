/**
 * Smoke test of the memory scenario at a tiny scale: the bundled children run under plain node, list
 * exactly the ground truth's servers (the child checks this) and report a peak RSS above bare node's.
 */
import { describe, expect, it } from 'vitest';
import { benchMemory } from '../bench/memory';
import { benchMemoryStream } from '../bench/memory-stream';

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

describe('bench: memory.stream', () => {
  it('streams each provider’s inventory to a counting sink and reports the peak, MB per 1,000 VMs and the result size', async () => {
    // Act
    const results = await benchMemoryStream({
      vms: 40,
      latencyMs: 0,
      quick: true,
      label: '10k',
      limitMib: 120,
      resultBytes: true,
    });
    // Assess
    expect(results.map((r) => r.name)).toEqual([
      'memory.stream.10k.prism',
      'result.bytes.10k.prism',
      'memory.stream.10k.cloudtower',
      'result.bytes.10k.cloudtower',
    ]);
    for (const r of results.filter((x) => x.name.startsWith('memory'))) {
      expect(r.value).toBeGreaterThan(r.baseline ?? Number.POSITIVE_INFINITY);
      expect(r.note).toMatch(/MB per 1,000 VMs/);
    }
    for (const r of results.filter((x) => x.name.startsWith('result'))) {
      expect(r.value).toBeGreaterThan(0);
      expect(r.note).toMatch(/a buffered getResources returns at most ~[\d,]+ VMs/);
    }
  }, 60_000);
});
