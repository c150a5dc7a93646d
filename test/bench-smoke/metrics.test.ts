/**
 * Smoke test of the metrics scenarios at a tiny scale: the bulk poll and the per-VM baseline both run
 * against the simulators, and the numbers relate as the scenario claims. No timing is asserted.
 */
import { describe, expect, it } from 'vitest';
import { measureMetrics, metricsResults } from '../bench/metrics';

describe.each(['prism', 'cloudtower'] as const)('bench: %s metrics', (provider) => {
  it('polls every subject in bulk with fewer requests than one per VM, and counts the baseline exactly', async () => {
    // Act
    const m = await measureMetrics(provider, { vms: 60, latencyMs: 0, quick: true });
    const results = metricsResults(m, `${provider}.metrics.10k`);
    // Assess: the bulk poll returned data and used far fewer requests than the baseline's exact count.
    expect(m.servers).toBe(m.truthServers);
    expect(m.truthServers).toBeGreaterThan(50);
    expect(m.samples).toBeGreaterThan(0);
    expect(m.serversWithSamples).toBeGreaterThan(0);
    expect(m.requests).toBeGreaterThan(0);
    expect(m.requests).toBeLessThan(m.baselineRequests);
    expect(m.baselineSampleRequests).toBe(m.baselineSample + (provider === 'cloudtower' ? 1 : 0));
    expect(m.baselineRequests).toBe(m.servers + (provider === 'cloudtower' ? 1 : 0));
    expect(m.pages).toBeGreaterThanOrEqual(m.clusters > 0 ? 1 : 0);
    // Hosts are subjects; Prism v4 asks each host's stats on its own, CloudTower's ride on the pool calls.
    expect(m.hosts).toBeGreaterThan(0);
    expect(m.requestsPerHost).toBe(provider === 'prism' ? 1 : 0);
    // The verdict follows the bound it prints.
    const bound = m.pages + m.clusters + m.hosts * m.requestsPerHost;
    const requests = results.find((r) => r.name.endsWith('.requests'));
    expect(requests?.ok).toBe(m.requests <= bound);
    expect(requests?.target).toContain(`≤ ${bound} (`);
    expect(results.find((r) => r.name.endsWith('.time'))?.baseline).toBeGreaterThan(0);
  });
});
