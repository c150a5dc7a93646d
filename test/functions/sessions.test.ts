/**
 * Warm containers: the handlers reuse the login and the API detection of the same credentials across
 * invocations (lib/providers/sessions), and never let a changed password ride on a cached session.
 * Counted on the simulators' wire: every upstream request, every login.
 */
import { inspect } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { handler as getMetrics } from '../../functions/get-metrics';
import type { ProviderName } from '../../lib/providers/provider';
import { SessionCache, sessionCache, sessionKey } from '../../lib/providers/sessions';
import type { RunningCloudTowerSimulator } from '../simulators/cloudtower';
import { CLOUDTOWER_SIM_CREDENTIALS, startCloudTowerSimulator } from '../simulators/cloudtower';
import type { StartedPrismSimulator } from '../simulators/prism';
import { PRISM_SIM_PASSWORD, PRISM_SIM_USERNAME, startPrismSimulator } from '../simulators/prism';
import { captureLogs, lambdaContext, RESOURCE_UUID, rejection } from './harness';

let prism: StartedPrismSimulator;
let tower: RunningCloudTowerSimulator;

beforeAll(async () => {
  prism = await startPrismSimulator({ seed: 31, vms: 12, clusters: 2 });
  tower = await startCloudTowerSimulator({ seed: 31, vms: 12 });
});

afterAll(async () => {
  await Promise.all([prism?.stop(), tower?.stop()]);
});

beforeEach(() => sessionCache.clear());

const WRONG = 'Wrong-Pass-For-Warm-9';

function credentials(provider: ProviderName, password?: string): Record<string, unknown> {
  return provider === 'nutanix'
    ? { endpoint: prism.baseUrl, username: PRISM_SIM_USERNAME, password: password ?? PRISM_SIM_PASSWORD }
    : {
        endpoint: tower.baseUrl,
        username: CLOUDTOWER_SIM_CREDENTIALS.username,
        password: password ?? CLOUDTOWER_SIM_CREDENTIALS.password,
      };
}

function vmId(provider: ProviderName): string {
  return provider === 'nutanix'
    ? String(prism.truth().vms[0]?.extId)
    : String(tower.truth.vms.find((v) => !v.in_recycle_bin)?.id);
}

function metricsEvent(provider: ProviderName, password?: string, nativeId = vmId(provider)) {
  return {
    account_id: 'acct-warm',
    provider,
    poll_interval: 300,
    credentials: credentials(provider, password),
    resource: { id: RESOURCE_UUID, native_id: nativeId, type: 'server' },
  };
}

/** Upstream requests and logins so far. */
function wire(provider: ProviderName): { requests: number; logins: number } {
  if (provider === 'nutanix') {
    return { requests: prism.sim.stats.requests, logins: prism.prism.sessions.issued };
  }
  return { requests: tower.sim.server.stats.requests, logins: tower.sim.sessions.issued };
}

function revoke(provider: ProviderName): void {
  if (provider === 'nutanix') prism.prism.sessions.expireAll();
  else tower.sim.expireTokens();
}

const BOUND: Record<ProviderName, number> = { nutanix: 1.1, cloudtower: 2.1 };

describe.each(['nutanix', 'cloudtower'] as ProviderName[])('warm session reuse: %s', (provider) => {
  it('20 per-resource polls cost ≤ the bound per call and one login; a wrong password still fails', async () => {
    const before = wire(provider);
    for (let i = 0; i < 20; i++) {
      const out = (await getMetrics(metricsEvent(provider), lambdaContext())) as { metrics: unknown[] };
      expect(out.metrics.length).toBeGreaterThan(0);
    }
    const after = wire(provider);
    expect(after.logins - before.logins).toBe(1);
    expect((after.requests - before.requests) / 20).toBeLessThanOrEqual(BOUND[provider]);

    // Same endpoint and user, another password: a fresh login that the upstream rejects.
    const err = await rejection(getMetrics(metricsEvent(provider, WRONG), lambdaContext()));
    expect(err.name).toBe('InvalidCredentials');
    expect(`${err.message}${err.stack}`).not.toContain(WRONG);
    // The right one still rides on its session: no new login.
    const loginsBefore = wire(provider).logins;
    await getMetrics(metricsEvent(provider), lambdaContext());
    expect(wire(provider).logins).toBe(loginsBefore);
  });

  it('replaces a session the upstream revoked after one 401', async () => {
    await getMetrics(metricsEvent(provider), lambdaContext());
    revoke(provider);
    const before = wire(provider);
    const out = (await getMetrics(metricsEvent(provider), lambdaContext())) as { metrics: unknown[] };
    expect(out.metrics.length).toBeGreaterThan(0);
    const after = wire(provider);
    expect(after.logins - before.logins).toBe(1);
    // Each call in flight is rejected once and sent again after the one shared login (CloudTower runs its
    // two metrics calls at once).
    expect(after.requests - before.requests).toBe(provider === 'nutanix' ? 3 : 5);
  });

  it('answers an empty result and one warning naming the id for a VM that no longer exists', async () => {
    const gone = provider === 'nutanix' ? '0badc0de-0000-4000-8000-000000000001' : 'clgone000000000000000000';
    for (const warm of [false, true]) {
      const logs = captureLogs();
      try {
        const out = (await getMetrics(metricsEvent(provider, undefined, gone), lambdaContext())) as {
          metrics: unknown[];
        };
        expect(out.metrics, `warm=${warm}`).toEqual([]);
        const warnings = logs.lines.filter((l) => l.includes(gone) && l.includes('no longer exists'));
        expect(warnings, `warm=${warm}`).toHaveLength(1);
      } finally {
        logs.stop();
      }
    }
  });
});

describe('SessionCache', () => {
  const creds = { endpoint: 'https://h:9440', username: 'u', password: 'Secret-Pass-1', verifySsl: true };

  it('keys by every credential but clusters, as a hash', () => {
    const key = sessionKey('nutanix', creds);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(key).not.toContain('Secret');
    expect(sessionKey('nutanix', { ...creds, clusters: ['c1'] })).toBe(key);
    for (const changed of [
      { password: 'Secret-Pass-2' },
      { username: 'v' },
      { endpoint: 'https://h:9441' },
      { verifySsl: false },
      { caCert: 'PEM' },
      { api: 'v3' },
    ]) {
      expect(sessionKey('nutanix', { ...creds, ...changed })).not.toBe(key);
    }
    expect(sessionKey('cloudtower', creds)).not.toBe(key);
  });

  it('is bounded, expires, and never prints what it holds', () => {
    let now = 0;
    const cache = new SessionCache(32, 600_000, () => now);
    const first = cache.open('nutanix', { ...creds, username: 'u0' });
    first.set('prism.login', { cookie: 'Cookie-Value-Secret' });
    for (let i = 1; i <= 32; i++) cache.open('nutanix', { ...creds, username: `u${i}` });
    expect(cache.size).toBe(32);
    expect(cache.open('nutanix', { ...creds, username: 'u0' }).has('prism.login')).toBe(false);

    const s = cache.open('nutanix', creds);
    s.set('k', 'v');
    now += 599_000;
    expect(cache.open('nutanix', creds).get('k')).toBe('v');
    s.expireBy(now + 1000);
    now += 1000;
    expect(cache.open('nutanix', creds).get('k')).toBeUndefined();

    const t = cache.open('nutanix', creds);
    t.set('prism.login', { cookie: 'Cookie-Value-Secret' });
    for (const shown of [JSON.stringify({ t, cache }), inspect(t), inspect(cache), String(t)]) {
      expect(shown).not.toContain('Cookie-Value-Secret');
    }
    t.drop();
    expect(cache.open('nutanix', creds).has('prism.login')).toBe(false);
  });
});
