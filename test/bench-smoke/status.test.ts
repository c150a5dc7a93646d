/**
 * Smoke test of the `status.requests` scenario at a tiny scale: the bulk read stays within its bound of
 * list pages and uses fewer requests than the per-entity baseline. No timing is asserted.
 */
import { describe, expect, it } from 'vitest';
import { measureStatus, statusResults } from '../bench/status';

describe.each(['prism', 'cloudtower'] as const)('bench: %s status', (provider) => {
  it('reads every entity in list pages, far under one status read per entity', async () => {
    // Act
    const m = await measureStatus(provider, { vms: 120, latencyMs: 0, quick: true });
    const [result] = statusResults(m);
    // Assess
    expect(m.byKind.vm).toBeGreaterThan(100);
    expect(m.byKind.cluster).toBeGreaterThan(0);
    expect(m.byKind.host).toBeGreaterThan(0);
    expect(m.requests).toBeLessThanOrEqual(m.bound);
    expect(m.requests * 5).toBeLessThan(m.baselineRequests);
    expect(result?.ok).toBe(true);
    expect(result?.target).toContain(String(m.bound));
  });
});
