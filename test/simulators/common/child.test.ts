/** A simulator in a child process answers over loopback and hands its ground truth back over IPC. */
import { describe, expect, it } from 'vitest';
import { HttpClient } from '../../../lib/http';
import { startSimulatorInChild } from './child';

describe('startSimulatorInChild', () => {
  it('starts the CloudTower simulator out of process, serves requests and returns stats and truth', async () => {
    const child = await startSimulatorInChild({
      module: 'test/simulators/cloudtower/index.ts',
      start: 'startCloudTowerSimulator',
      options: { seed: 3, vms: 20 },
    });
    try {
      const http = new HttpClient({ baseUrl: child.baseUrl });
      const res = await http.post<{ data: { token: string } }>('/v2/api/login', {
        username: 'collector',
        password: 'sim-tower-password',
        source: 'LOCAL',
      });
      expect(res.status).toBe(200);
      expect(typeof res.body.data.token).toBe('string');
      http.close();
      const stats = await child.call<{ requests: number }>('stats');
      expect(stats.requests).toBe(1);
      const truth = await child.call<{ vms: unknown[] }>('truth');
      expect(truth.vms.length).toBeGreaterThan(0);
      await expect(child.call('nonsense')).rejects.toThrow(/unknown command/);
    } finally {
      await child.stop();
    }
  });
});
