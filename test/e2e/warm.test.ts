/**
 * Warm containers through serverless-offline, the way the CMP polls metrics (one getMetrics per resource):
 * the bundled handler keeps its session between invocations, so 20 consecutive polls on one account cost
 * Prism ≤ 1.1 and CloudTower ≤ 2.1 upstream requests per call with one login in total; a wrong password
 * for the same endpoint and user still fails, and a session the upstream revoked is replaced after one 401.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningOffline, startTestOffline } from '../helpers/offline';
import { type RunningCloudTowerSimulator, startCloudTowerSimulator } from '../simulators/cloudtower';
import { type StartedPrismSimulator, startPrismSimulator } from '../simulators/prism';

type ProviderName = 'nutanix' | 'cloudtower';

const USERNAME = 'warm-collector';
const PASSWORD = { nutanix: 'Warm-Prism-Pa55!a1', cloudtower: 'Warm-Tower-Pa55!b2' } as const;
const WRONG = 'Warm-Wrong-Pa55!c3';
const CMP_RESOURCE_ID = '5a1e2d4c-5b6a-4789-8abc-def012345678';
const BOUND: Record<ProviderName, number> = { nutanix: 1.1, cloudtower: 2.1 };

let offline: RunningOffline;
let prism: StartedPrismSimulator;
let tower: RunningCloudTowerSimulator;

beforeAll(async () => {
  prism = await startPrismSimulator({
    seed: 41,
    vms: 8,
    clusters: 1,
    username: USERNAME,
    password: PASSWORD.nutanix,
  });
  tower = await startCloudTowerSimulator({
    seed: 41,
    vms: 8,
    vmClusters: 1,
    username: USERNAME,
    password: PASSWORD.cloudtower,
  });
  offline = await startTestOffline({ RATE_CARD_SSM_PARAMETER: '' });
});

afterAll(async () => {
  await offline?.stop();
  await Promise.all([prism?.stop(), tower?.stop()]);
});

function endpoint(provider: ProviderName): string {
  return provider === 'nutanix' ? prism.baseUrl : tower.baseUrl;
}

function vmId(provider: ProviderName): string {
  return provider === 'nutanix'
    ? String(prism.truth().vms[0]?.extId)
    : String(tower.truth.vms.find((v) => !v.in_recycle_bin)?.id);
}

function metricsEvent(provider: ProviderName, password: string = PASSWORD[provider]) {
  return {
    account_id: `warm-${provider}`,
    provider,
    poll_interval: 300,
    credentials: { endpoint: endpoint(provider), username: USERNAME, password },
    resource: { id: CMP_RESOURCE_ID, native_id: vmId(provider), type: 'server' },
  };
}

function wire(provider: ProviderName): { requests: number; logins: number } {
  return provider === 'nutanix'
    ? { requests: prism.sim.stats.requests, logins: prism.prism.sessions.issued }
    : { requests: tower.sim.server.stats.requests, logins: tower.sim.sessions.issued };
}

async function poll(provider: ProviderName, password?: string) {
  return offline.invoke<{ metrics: unknown[] }>('getMetrics', metricsEvent(provider, password));
}

describe.each(['nutanix', 'cloudtower'] as const)(
  'warm getMetrics through serverless-offline: %s',
  (provider) => {
    it('reuses one login over 20 polls, rejects a wrong password, survives a revoked session', async () => {
      const before = wire(provider);
      for (let i = 0; i < 20; i++) {
        const inv = await poll(provider);
        expect(inv.functionError, inv.errorMessage ?? '').toBeNull();
        expect(inv.payload.metrics.length).toBeGreaterThan(0);
      }
      const after = wire(provider);
      const perCall = (after.requests - before.requests) / 20;
      console.info(
        `${provider}: ${perCall} upstream requests per call, ${after.logins - before.logins} login(s)`,
      );
      expect(after.logins - before.logins).toBeLessThanOrEqual(1);
      expect(perCall).toBeLessThanOrEqual(BOUND[provider]);

      const wrong = await poll(provider, WRONG);
      expect(wrong.errorKind).toBe('InvalidCredentials');
      expect(JSON.stringify(wrong)).not.toContain(WRONG);
      const right = await poll(provider);
      expect(right.functionError).toBeNull();

      if (provider === 'nutanix') prism.prism.sessions.expireAll();
      else tower.sim.expireTokens();
      const loginsBefore = wire(provider).logins;
      const revoked = await poll(provider);
      expect(revoked.functionError, revoked.errorMessage ?? '').toBeNull();
      expect(revoked.payload.metrics.length).toBeGreaterThan(0);
      expect(wire(provider).logins - loginsBefore).toBe(1);
    });
  },
);
