/**
 * SSM parameters (credentials, rate card, CMP API config), fetched with decryption and cached at module
 * level with a TTL so warm invocations do not call SSM again. The client is created on first use only, so a
 * local run that never names a parameter never needs AWS credentials.
 */
import type { SSMClient } from '@aws-sdk/client-ssm';
import { ConnectorError, TransientError } from '../errors';

/** The named parameter does not exist (or is empty). Callers map it to their own error kind. */
export class ParameterNotFoundError extends ConnectorError {
  readonly parameter: string;
  constructor(parameter: string) {
    super('config', `SSM parameter ${parameter} does not exist or is empty`);
    this.parameter = parameter;
  }
}

const DEFAULT_TTL_S = 300;

let client: SSMClient | null = null;
const cache = new Map<string, { value: string; expiresAt: number }>();

/** Cache lifetime in ms from env `SSM_CACHE_TTL_SECONDS` (default 300; 0 disables caching). */
function ttlMs(): number {
  const raw = process.env.SSM_CACHE_TTL_SECONDS;
  const n = raw === undefined || raw === '' ? DEFAULT_TTL_S : Number(raw);
  return Number.isFinite(n) && n >= 0 ? n * 1000 : DEFAULT_TTL_S * 1000;
}

/** Forgets every cached value (tests; a rotated secret otherwise takes up to one TTL to be seen). */
export function clearParameterCache(): void {
  cache.clear();
}

/**
 * Reads a (SecureString) parameter with decryption, from the cache when fresh. A missing or empty parameter
 * throws `missing()` when given (each caller names its own setting), else ParameterNotFoundError.
 */
export async function getParameter(
  name: string,
  signal?: AbortSignal,
  missing: () => Error = () => new ParameterNotFoundError(name),
): Promise<string> {
  const hit = cache.get(name);
  const now = Date.now();
  if (hit && hit.expiresAt > now) return hit.value;

  // Loaded on first use: evaluating the AWS SDK costs a cold start hundreds of milliseconds, and most
  // invocations (credentials in the event, no SSM parameter named) never need it.
  const sdk = await import('@aws-sdk/client-ssm');
  const { GetParameterCommand } = sdk;
  client ??= new sdk.SSMClient({});
  let value: string | undefined;
  try {
    const out = await client.send(
      new GetParameterCommand({ Name: name, WithDecryption: true }),
      signal ? { abortSignal: signal } : {},
    );
    value = out.Parameter?.Value;
  } catch (err) {
    const errName = err instanceof Error ? err.name : 'Error';
    if (errName === 'ParameterNotFound') throw missing();
    // The SDK's message can quote request details; the error name is enough to act on.
    throw new TransientError(`reading SSM parameter ${name} failed: ${errName}`);
  }
  if (value === undefined || value.trim() === '') throw missing();
  const ttl = ttlMs();
  if (ttl > 0) cache.set(name, { value, expiresAt: now + ttl });
  return value;
}
