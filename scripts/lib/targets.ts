/**
 * Which Prism / CloudTower the `npm start` cycle talks to: the loopback simulators by default, or a real
 * system named by env (PRISM_ENDPOINT + PRISM_USERNAME/PRISM_PASSWORD, CLOUDTOWER_ENDPOINT + ...) or by an
 * event file (PRISM_EVENT_FILE / CLOUDTOWER_EVENT_FILE, same format as events/*.json).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ProviderName } from './poll-cycle';

/** How to reach one provider account, before the simulators are started. */
export type TargetSource =
  | { kind: 'simulator'; provider: ProviderName }
  | { kind: 'env'; provider: ProviderName; endpoint: string; credentials: Record<string, unknown> }
  | { kind: 'event-file'; provider: ProviderName; file: string; event: Record<string, unknown> };

/** Env var prefixes per provider. */
const PREFIX: Record<ProviderName, string> = { nutanix: 'PRISM', cloudtower: 'CLOUDTOWER' };

/** Reads `<PREFIX>_<name>` from env, treating empty as unset. */
function envOf(env: NodeJS.ProcessEnv, provider: ProviderName, name: string): string | undefined {
  const v = env[`${PREFIX[provider]}_${name}`];
  return v === undefined || v === '' ? undefined : v;
}

/** `true`/`false`/`1`/`0` → boolean (anything else: undefined). */
function envBool(value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  if (/^(1|true|yes)$/i.test(value)) return true;
  if (/^(0|false|no)$/i.test(value)) return false;
  return undefined;
}

/** Where the endpoint of an event's credentials points, for the report (no secrets). */
export function endpointOfCredentials(credentials: unknown, provider: ProviderName): string {
  const c = (credentials ?? {}) as Record<string, unknown>;
  if (typeof c.endpoint === 'string') return c.endpoint;
  if (typeof c.host === 'string') {
    const port = c.port ?? (provider === 'nutanix' ? 9440 : 443);
    return `https://${c.host}:${port}`;
  }
  if (typeof c.ssm_parameter === 'string') return `(credentials from SSM ${c.ssm_parameter})`;
  return '(endpoint from credentials)';
}

/** Decides, per provider, whether the cycle uses the simulator, env credentials or an event file. */
export function targetSourceFromEnv(
  provider: ProviderName,
  env: NodeJS.ProcessEnv = process.env,
): TargetSource {
  const file = envOf(env, provider, 'EVENT_FILE');
  if (file) {
    const path = resolve(file);
    const event = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    if (typeof event !== 'object' || event === null || Array.isArray(event)) {
      throw new Error(`${PREFIX[provider]}_EVENT_FILE ${file} does not hold a JSON object`);
    }
    return { kind: 'event-file', provider, file: path, event };
  }
  const endpoint = envOf(env, provider, 'ENDPOINT');
  if (!endpoint) return { kind: 'simulator', provider };

  const credentials: Record<string, unknown> = { endpoint };
  const username = envOf(env, provider, 'USERNAME');
  const password = envOf(env, provider, 'PASSWORD');
  const token = envOf(env, provider, 'TOKEN');
  if (username !== undefined) credentials.username = username;
  if (password !== undefined) credentials.password = password;
  if (token !== undefined && provider === 'cloudtower') credentials.token = token;
  const verify = envBool(envOf(env, provider, 'VERIFY_SSL'));
  if (verify !== undefined) credentials.verify_ssl = verify;
  const caFile = envOf(env, provider, 'CA_CERT_FILE');
  if (caFile) credentials.ca_cert = readFileSync(resolve(caFile), 'utf8');
  const api = envOf(env, provider, 'API');
  if (api && provider === 'nutanix') credentials.api = api;
  const source = envOf(env, provider, 'SOURCE');
  if (source && provider === 'cloudtower') credentials.source = source;
  return { kind: 'env', provider, endpoint, credentials };
}

/** The providers to run (env PROVIDERS, comma-separated; default both). */
export function providersFromEnv(env: NodeJS.ProcessEnv = process.env): ProviderName[] {
  const raw = env.PROVIDERS;
  if (!raw) return ['nutanix', 'cloudtower'];
  const names = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const n of names) {
    if (n !== 'nutanix' && n !== 'cloudtower') {
      throw new Error(
        `PROVIDERS: expected a comma-separated list of nutanix, cloudtower; got ${JSON.stringify(n)}`,
      );
    }
  }
  return names as ProviderName[];
}

/**
 * Whether `npm start` runs its simulated CMP API: not when a real one is configured the way a deployment
 * configures it (CMP_API_URL, or CMP_API_SSM_PARAMETER naming `{"url", "key"}`).
 */
export function usesSimulatedCmpApi(env: NodeJS.ProcessEnv = process.env): boolean {
  return !env.CMP_API_URL && !env.CMP_API_SSM_PARAMETER;
}
