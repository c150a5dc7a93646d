/**
 * No password, token or API key ever reaches a log line (stdout, stderr, console, the CMP's /logs) or an
 * error a handler throws — across every handler, both simulators, and good, wrong, empty, SSM-sourced and
 * unreachable credentials.
 */
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { handler as getMetrics } from '../../functions/get-metrics';
import { handler as getResources } from '../../functions/get-resources';
import { handler as getSpend } from '../../functions/get-spend';
import { handler as syncAccount } from '../../functions/sync-account';
import { handler as validateCredentials } from '../../functions/validate-credentials';
import { clearParameterCache } from '../../lib/config/ssm';
import { CLOUDTOWER_SIM_CREDENTIALS, startCloudTowerSimulator } from '../simulators/cloudtower';
import { type CmpSimulator, startCmpSimulator } from '../simulators/cmp';
import { PRISM_SIM_PASSWORD, PRISM_SIM_USERNAME, startPrismSimulator } from '../simulators/prism';
import { lambdaContext } from './harness';

type Handler = (event: unknown, context: ReturnType<typeof lambdaContext>) => Promise<unknown>;
const HANDLERS = [validateCredentials, getResources, getMetrics, getSpend, syncAccount] as Handler[];

const WRONG_PASSWORD = 'Wrong-Secret-Pw-7731';
const WRONG_TOKEN = 'wrong-api-token-5519-abcdef';
const SSM_PASSWORD = PRISM_SIM_PASSWORD;
const ssm = mockClient(SSMClient);

let cmp: CmpSimulator;
const stops: (() => Promise<void>)[] = [];
const endpoints = { nutanix: '', cloudtower: '' };

beforeAll(async () => {
  const prism = await startPrismSimulator({ seed: 3, vms: 8 });
  const tower = await startCloudTowerSimulator({ seed: 3, vms: 8 });
  cmp = await startCmpSimulator();
  stops.push(prism.stop, tower.stop, cmp.stop);
  endpoints.nutanix = prism.baseUrl;
  endpoints.cloudtower = tower.baseUrl;
  process.env.CMP_API_URL = cmp.baseUrl;
  process.env.CMP_API_KEY = cmp.apiKey ?? '';
  clearParameterCache();
  ssm.on(GetParameterCommand).resolves({
    Parameter: {
      Value: JSON.stringify({
        endpoint: prism.baseUrl,
        username: PRISM_SIM_USERNAME,
        password: SSM_PASSWORD,
      }),
    },
  });
});

afterAll(async () => {
  await Promise.all(stops.map((s) => s()));
  delete process.env.CMP_API_URL;
  delete process.env.CMP_API_KEY;
  ssm.restore();
});

/** Every credentials variant worth trying for a provider. */
function credentialVariants(provider: 'nutanix' | 'cloudtower'): Record<string, unknown>[] {
  const endpoint = endpoints[provider];
  const user = provider === 'nutanix' ? PRISM_SIM_USERNAME : CLOUDTOWER_SIM_CREDENTIALS.username;
  const good = provider === 'nutanix' ? PRISM_SIM_PASSWORD : CLOUDTOWER_SIM_CREDENTIALS.password;
  const variants: Record<string, unknown>[] = [
    { endpoint, username: user, password: good },
    { endpoint, username: user, password: WRONG_PASSWORD },
    { endpoint, username: user, password: '' },
    { endpoint: 'http://127.0.0.1:1', username: user, password: good },
    { endpoint, username: user, password: good, port: 'not-a-port', verify_ssl: 'maybe' },
  ];
  if (provider === 'cloudtower') variants.push({ endpoint, token: WRONG_TOKEN });
  else variants.push({ ssm_parameter: '/nflex-connector/prism' });
  return variants;
}

describe('secrets never leak', () => {
  it('not into stdout, stderr, console, CMP logs, results or thrown errors', async () => {
    const captured: string[] = [];
    const grab = (chunk: unknown) => {
      captured.push(String(chunk));
      return true;
    };
    const spies = [
      vi.spyOn(process.stdout, 'write').mockImplementation(grab),
      vi.spyOn(process.stderr, 'write').mockImplementation(grab),
      ...(['log', 'info', 'warn', 'error', 'debug'] as const).map((m) =>
        vi
          .spyOn(console, m)
          .mockImplementation((...args: unknown[]) => void grab(args.map(String).join(' '))),
      ),
    ];
    let invocations = 0;
    try {
      for (const provider of ['nutanix', 'cloudtower'] as const) {
        for (const credentials of credentialVariants(provider)) {
          for (const handler of HANDLERS) {
            const ev = { provider, account_id: 'acct-1', customer_id: 'c', task_id: 't', credentials };
            invocations++;
            try {
              captured.push(JSON.stringify((await handler(ev, lambdaContext())) ?? null));
            } catch (err) {
              const e = err as Error;
              captured.push(e.name, e.message, e.stack ?? '', JSON.stringify(e), String(e.cause ?? ''));
            }
          }
        }
      }
    } finally {
      for (const s of spies) s.mockRestore();
    }
    captured.push(...cmp.logs.map((l) => JSON.stringify(l)));
    const everything = captured.join('\n');
    // The capture must have seen the runs (structured log lines, CMP logs), or the check proves nothing.
    expect(invocations).toBe(2 * 6 * HANDLERS.length);
    expect(everything).toContain('"message":"invocation succeeded"');
    expect(everything).toContain('"message":"invocation failed"');
    for (const secret of [
      PRISM_SIM_PASSWORD,
      CLOUDTOWER_SIM_CREDENTIALS.password,
      WRONG_PASSWORD,
      WRONG_TOKEN,
      SSM_PASSWORD,
      cmp.apiKey ?? 'no-key',
      Buffer.from(`${PRISM_SIM_USERNAME}:${PRISM_SIM_PASSWORD}`).toString('base64'),
    ]) {
      expect(everything.includes(secret), `secret found in output: ${secret.slice(0, 3)}…`).toBe(false);
    }
  });
});
