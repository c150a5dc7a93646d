/**
 * Smoke test of the faults scenario at a tiny scale: under 10 % transient failures and a mid-run session
 * expiry each provider's inventory must still equal the clean run and the ground truth. This is the one
 * bench invariant that is also a correctness property, so the test asserts it. No timing is asserted.
 */
import { describe, expect, it } from 'vitest';
import { benchFaults, firstDifference, serverIdDifference } from '../bench/faults';

describe('bench: faults comparison', () => {
  it('finds a changed, missing or extra resource', () => {
    expect(firstDifference(['a', 'b'], ['a', 'b'])).toBeNull();
    expect(firstDifference(['a', 'b'], ['a', 'c'])).toMatch(/#1 differs/);
    expect(firstDifference(['a', 'b'], ['a'])).toMatch(/1 resources instead of 2/);
  });

  it('finds servers missing from, added to or duplicated against the ground truth', () => {
    expect(serverIdDifference(['x', 'y'], ['y', 'x'])).toBeNull();
    expect(serverIdDifference(['x', 'y'], ['x'])).toMatch(/1 missing/);
    expect(serverIdDifference(['x'], ['x', 'z'])).toMatch(/1 unexpected/);
    expect(serverIdDifference(['x', 'y'], ['x', 'x', 'y'])).toMatch(/1 duplicated/);
  });
});

describe.each(['prism', 'cloudtower'] as const)('bench: %s faults', (provider) => {
  it('still returns exactly the ground truth', async () => {
    // Act
    const results = await benchFaults({
      vms: 120,
      latencyMs: 0,
      quick: true,
      providers: [provider],
      stuckAfterMs: 15_000,
    });
    // Assess
    const truth = results.find((r) => r.name === `faults.inventory.10k.${provider}.matches-truth`);
    const time = results.find((r) => r.name === `faults.inventory.10k.${provider}.time`);
    expect(truth?.note ?? '').toBe('');
    expect(truth?.ok).toBe(true);
    // The run really was faulted: the simulator injected failures and the session expiry.
    expect(time?.note).toMatch(/expiry/);
    expect(time?.baseline).toBeGreaterThan(0);
  }, 60_000);
});
