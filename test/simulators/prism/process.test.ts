/** The Prism simulator in a child process serves the same estate and faults, and refuses what cannot cross. */
import { describe, expect, it } from 'vitest';
import { PRISM_SIM_PASSWORD, PRISM_SIM_USERNAME } from '.';
import { applyHealthVariety } from './alerts';
import { buildWorld } from './model';
import { startPrismSimulatorProcess } from './process';

describe('startPrismSimulatorProcess', () => {
  it('serves the seeded estate and reports stats and truth over IPC', async () => {
    const sim = await startPrismSimulatorProcess({ seed: 8, vms: 25, faults: { latencyMs: 20 } });
    try {
      const auth = Buffer.from(`${PRISM_SIM_USERNAME}:${PRISM_SIM_PASSWORD}`).toString('base64');
      const res = await fetch(`${sim.baseUrl}/api/vmm/v4.0/ahv/config/vms?$limit=100`, {
        headers: { authorization: `Basic ${auth}` },
      });
      const body = (await res.json()) as { data: { extId: string }[] };
      const truth = await sim.truth();
      expect(body.data.map((v) => v.extId)).toEqual(truth.vms.map((v) => v.extId));
      const expected = buildWorld({ seed: 8, vms: 25 });
      applyHealthVariety(expected);
      expect(truth).toEqual(expected);
      expect((await sim.stats()).requests).toBe(1);
      await sim.resetStats();
      expect((await sim.stats()).requests).toBe(0);
    } finally {
      await sim.stop();
    }
  });

  it('rejects fault rules (functions cannot cross the process boundary)', async () => {
    await expect(
      startPrismSimulatorProcess({
        seed: 1,
        vms: 1,
        faults: { rules: [{ when: () => true, respond: 'reset' }] },
      }),
    ).rejects.toThrow(/startPrismSimulator/);
  });
});
