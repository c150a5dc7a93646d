/**
 * SSM parameters (credentials, rate card, CMP API config), fetched with decryption and cached at module
 * level with a TTL so warm invocations do not call SSM again. The client is created on first use only, so a
 * local run that never names a parameter never needs AWS credentials.
 */
import type { SSMClient } from '@aws-sdk/client-ssm';
import { ConfigurationError, TransientError } from '../errors';

/** The named parameter does not exist (or is empty). Callers map it to their own error kind. */
export class ParameterNotFoundError extends ConfigurationError {
  readonly parameter: string;
  constructor(parameter: string) {
    super(`SSM parameter ${parameter}`, 'does not exist or is empty');
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
 * throws `missing()` when given (each caller names its own setting), else ParameterNotFoundError. Every
 * other failure that an operator must fix (no AWS credentials or region, access denied, a KMS key that
 * cannot decrypt) is a ConfigurationError naming `setting` and the cause; only throttling, AWS-side errors
 * and network failures are transient.
 */
export async function getParameter(
  name: string,
  signal?: AbortSignal,
  missing: () => Error = () => new ParameterNotFoundError(name),
  setting = `SSM parameter ${name}`,
): Promise<string> {
  const hit = cache.get(name);
  const now = Date.now();
  if (hit && hit.expiresAt > now) return hit.value;

  let value: string | undefined;
  try {
    // Loaded on first use: evaluating the AWS SDK costs a cold start hundreds of milliseconds, and most
    // invocations (credentials in the event, no SSM parameter named) never need it.
    const sdk = await import('@aws-sdk/client-ssm');
    client ??= new sdk.SSMClient({});
    const out = await client.send(
      new sdk.GetParameterCommand({ Name: name, WithDecryption: true }),
      signal ? { abortSignal: signal } : {},
    );
    value = out.Parameter?.Value;
  } catch (err) {
    throw ssmFailure(err, setting, missing);
  }
  if (value === undefined || value.trim() === '') throw missing();
  const ttl = ttlMs();
  if (ttl > 0) cache.set(name, { value, expiresAt: now + ttl });
  return value;
}

/** SDK errors that a later attempt may not see (AWS-side trouble, throttling, the network). */
const TRANSIENT_NAMES = new Set([
  'ThrottlingException',
  'TooManyRequestsException',
  'InternalServerError',
  'InternalFailure',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
]);
const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ECONNREFUSED',
  'EPIPE',
  'ENOTFOUND',
]);

/** The cause of a configuration failure in words an operator can act on (never the SDK's message). */
function configurationCause(errName: string, message: string): string {
  if (errName === 'CredentialsProviderError' || /credential/i.test(errName))
    return 'no AWS credentials are available to read it (CredentialsProviderError)';
  if (/region is missing/i.test(message)) return 'no AWS region is configured to read it';
  if (errName.startsWith('KMS') || errName === 'InvalidKeyId')
    return `it cannot be decrypted (${errName}): the role needs kms:Decrypt on its key`;
  if (/AccessDenied|UnrecognizedClient|InvalidSignature|ExpiredToken|NotAuthorized/.test(errName))
    return `access to it is denied (${errName}): the function's role needs ssm:GetParameter on it`;
  return `reading it failed (${errName})`;
}

function ssmFailure(err: unknown, setting: string, missing: () => Error): Error {
  const e = err as {
    name?: unknown;
    message?: unknown;
    code?: unknown;
    $metadata?: { httpStatusCode?: number };
  };
  const errName = typeof e?.name === 'string' ? e.name : 'Error';
  if (errName === 'ParameterNotFound' || errName === 'ParameterVersionNotFound') return missing();
  if (errName === 'AbortError') return err as Error;
  const status = e?.$metadata?.httpStatusCode;
  const code = typeof e?.code === 'string' ? e.code : undefined;
  if (
    TRANSIENT_NAMES.has(errName) ||
    (code && TRANSIENT_CODES.has(code)) ||
    (status !== undefined && status >= 500)
  ) {
    // The SDK's message can quote request details; the error name is enough to act on.
    return new TransientError(`reading ${setting} failed: ${errName}`);
  }
  const message = typeof e?.message === 'string' ? e.message : '';
  return new ConfigurationError(setting, configurationCause(errName, message));
}
