/**
 * Smoke test of the e2e poll scenario at a tiny scale: a cold and a warm cycle per provider through
 * serverless-offline's invoke endpoint (bulk metrics through the packaged streaming function), every handler succeeding and getResources listing the ground
 * truth's servers. No timing is asserted.
 */
import { describe, expect, it } from 'vitest';
import { e2eResults, measureE2e } from '../bench/e2e-poll';

describe('bench: e2e poll', () => {
  it('runs validate → resources → metrics → spend through the invoke endpoint for both providers', async () => {
    // Act (a failed invocation throws with the handler's error kind)
    const measured = await measureE2e({ vms: 20, latencyMs: 0 });
    const results = e2eResults(measured);
    // Assess
    expect(measured.map((m) => m.provider)).toEqual(['prism', 'cloudtower']);
    for (const m of measured) {
      for (const cycle of [m.cold, m.warm]) {
        expect(Object.keys(cycle.stepMs)).toEqual([
          'validateCredentials',
          'getResources',
          'getMetricsStream',
          'getSpend',
        ]);
        expect(cycle.servers).toBe(m.truthServers);
        expect(cycle.metricPoints).toBeGreaterThan(0);
        expect(cycle.spendItems).toBeGreaterThan(0);
      }
      expect(m.directMs).toBeGreaterThan(0);
    }
    expect(results.map((r) => r.name)).toEqual([
      'e2e.poll.prism.cold',
      'e2e.poll.prism.warm',
      'e2e.poll.cloudtower.cold',
      'e2e.poll.cloudtower.warm',
    ]);
  }, 180_000);
});
