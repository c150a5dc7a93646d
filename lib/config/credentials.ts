/**
 * Credentials: validated per provider into the resolved shapes of lib/providers/provider.ts, from the event
 * or from an SSM SecureString the event (`{ssm_parameter}`) or env (`CREDENTIALS_SSM_PARAMETER`) names.
 * Empty credentials are not a malformed event: they raise EmptyCredentialsError (an AuthenticationError), which
 * validateCredentials reports as `{ok: false}` and every other handler as InvalidCredentials.
 */
import { AuthenticationError, ConfigurationError, ValidationError } from '../errors';
import { checkUrlPort } from '../http/ports';
import type { CloudTowerCredentials, ProviderName, ResolvedCredentials } from '../providers/provider';
import { FieldReader, isPlainObject } from './fields';
import { getParameter } from './ssm';

/** Username/password (or token) missing or empty. `host` names the target when one was given. */
export class EmptyCredentialsError extends AuthenticationError {
  readonly host: string | undefined;
  constructor(host: string | undefined, missing: string[]) {
    super(`credentials${host ? ` for ${host}` : ''} are empty: ${missing.join(', ')} not given`);
    this.host = host;
  }
}

const DEFAULT_PORT: Record<ProviderName, number> = { nutanix: 9440, cloudtower: 443 };

/** Parses `credentials.endpoint` into `scheme://host:port` (no path, no user info). */
function parseEndpoint(r: FieldReader, raw: string): string {
  const field = r.field('endpoint');
  let url: URL;
  // Nothing of the value is quoted back: a credentials value may hold a secret wherever it was typed.
  try {
    url = new URL(raw);
  } catch {
    throw new ValidationError(field, 'a URL like https://host:9440', { got: 'a string that is not a URL' });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ValidationError(field, 'an http:// or https:// URL', { got: 'a URL with another scheme' });
  }
  if (url.username || url.password) {
    throw new ValidationError(field, 'a URL without user name or password in it');
  }
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) {
    throw new ValidationError(field, 'scheme://host:port with no path or query', {
      got: 'a URL with a path, query or fragment',
    });
  }
  checkUrlPort(url, field);
  return url.origin;
}

/** Builds `https://host:port` from `host` (+ `port`), bracketing bare IPv6 addresses. */
function endpointFromHost(r: FieldReader, host: string, provider: ProviderName): string {
  const port = r.optInt('port', 1, 65535) ?? DEFAULT_PORT[provider];
  if (/[/\s?#@]/.test(host) || host.includes('://')) {
    throw new ValidationError(r.field('host'), 'a host name or IP address (use endpoint for a URL)', {
      got: 'a string with a URL character or space in it',
    });
  }
  const bracketed = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  try {
    // Parse only to reject what is not a host; the contract wants the port spelled out even when default.
    const url = new URL(`https://${bracketed}:${port}`);
    return `https://${url.hostname}:${port}`;
  } catch {
    throw new ValidationError(r.field('host'), 'a host name or IP address', {
      got: 'a string that is not a host name',
    });
  }
}

/** The endpoint of either form, or undefined when neither `endpoint` nor `host` is given. */
function readEndpoint(r: FieldReader, provider: ProviderName): string | undefined {
  const endpoint = r.optString('endpoint');
  if (endpoint) return withPort(parseEndpoint(r, endpoint), endpoint);
  const host = r.optString('host');
  if (host) return endpointFromHost(r, host.trim(), provider);
  return undefined;
}

/** URL.origin drops a default port; the contract wants `scheme://host:port`, so put it back. */
function withPort(origin: string, raw: string): string {
  const url = new URL(raw);
  if (url.port) return origin;
  return `${origin}:${url.protocol === 'https:' ? 443 : 80}`;
}

/** Validates raw credentials for `provider`. Throws ValidationError (malformed) or EmptyCredentialsError. */
export function parseCredentials(
  provider: ProviderName,
  raw: unknown,
  path = 'credentials',
): ResolvedCredentials {
  const r = FieldReader.of(raw, path, { opaque: true });
  const scope = r.optStringList('clusters');
  const clusters = scope ? { clusters: scope } : {};
  const verifySsl = r.optBool('verify_ssl') ?? true;
  const caCert = r.optString('ca_cert') || undefined;
  const username = r.optString('username') ?? '';
  const password = r.optString('password', { secret: true }) ?? '';

  if (provider === 'nutanix') {
    const api = r.optEnum('api', ['auto', 'v4', 'v3'] as const) ?? 'auto';
    const endpoint = readEndpoint(r, provider);
    const missing = [!username && 'username', !password && 'password'].filter((m): m is string => !!m);
    if (!endpoint) {
      if (missing.length > 0) throw new EmptyCredentialsError(undefined, ['host', ...missing]);
      throw new ValidationError(r.field('host'), 'a host name (or credentials.endpoint)', { got: 'nothing' });
    }
    if (missing.length > 0) throw new EmptyCredentialsError(hostOf(endpoint), missing);
    return { provider, prism: { endpoint, verifySsl, caCert, username, password, api }, ...clusters };
  }

  const token = r.optString('token', { secret: true }) || undefined;
  const source = r.optString('source') || 'LOCAL';
  const endpoint = readEndpoint(r, provider);
  const hasSecret = token !== undefined || (username !== '' && password !== '');
  const missing = hasSecret
    ? []
    : [!username && 'username', !password && 'password'].filter((m): m is string => !!m);
  if (!hasSecret && missing.length === 0) missing.push('token');
  if (!endpoint) {
    if (!hasSecret) throw new EmptyCredentialsError(undefined, ['host', ...missing]);
    throw new ValidationError(r.field('host'), 'a host name (or credentials.endpoint)', { got: 'nothing' });
  }
  if (!hasSecret) throw new EmptyCredentialsError(hostOf(endpoint), missing);
  const creds: CloudTowerCredentials = { endpoint, verifySsl, caCert, source };
  if (token) creds.token = token;
  else {
    creds.username = username;
    creds.password = password;
  }
  return { provider, cloudtower: creds, ...clusters };
}

/** `host:port` of an endpoint, for messages. */
export function hostOf(endpoint: string): string {
  try {
    return new URL(endpoint).host;
  } catch {
    return endpoint;
  }
}

/** The endpoint of resolved credentials. */
export function endpointOf(c: ResolvedCredentials): string {
  return c.provider === 'nutanix' ? c.prism.endpoint : c.cloudtower.endpoint;
}

/** Every secret string in resolved credentials (for the redactor). */
export function secretsOf(c: ResolvedCredentials): string[] {
  if (c.provider === 'nutanix') return [c.prism.password];
  return [c.cloudtower.password, c.cloudtower.token].filter((s): s is string => !!s);
}

/**
 * Secrets found in raw, possibly malformed credentials — registered before validation can fail. Credentials
 * that are not an object (`"user:password"`, an array) are secret as a whole and in each of their strings.
 */
export function rawSecrets(raw: unknown): string[] {
  if (typeof raw === 'string') return [raw, ...raw.split(/[:\s]+/).filter((part) => part.length >= 3)];
  if (Array.isArray(raw)) return raw.flatMap(rawSecrets);
  if (!isPlainObject(raw)) return [];
  return ['password', 'token'].map((k) => raw[k]).filter((v): v is string => typeof v === 'string');
}

/** Secrets in a raw event's `credentials` (for the redactor, before anything is validated). */
export function rawSecretsOfEvent(event: unknown): string[] {
  return isPlainObject(event) ? rawSecrets(event.credentials) : [];
}

/**
 * Resolves the event's credentials: inline, `{ssm_parameter}`, or (no `credentials` key at all) the parameter
 * named by env CREDENTIALS_SSM_PARAMETER. `onSecret` sees every secret before it could reach an error.
 */
export async function resolveCredentials(
  provider: ProviderName,
  raw: Record<string, unknown> | undefined,
  onSecret: (secret: string) => void,
  signal?: AbortSignal,
): Promise<ResolvedCredentials> {
  let parameter: string | undefined;
  let field = 'credentials';
  if (raw === undefined) {
    parameter = process.env.CREDENTIALS_SSM_PARAMETER || undefined;
    if (!parameter) throw new ValidationError('credentials', 'an object', { got: 'nothing' });
  } else if (raw.ssm_parameter !== undefined) {
    parameter = FieldReader.of(raw, 'credentials', { opaque: true }).string('ssm_parameter');
    field = 'credentials.ssm_parameter';
  }
  if (parameter === undefined) {
    rawSecrets(raw).forEach(onSecret);
    return parseCredentials(provider, raw);
  }

  const name = parameter;
  const setting = `SSM parameter ${name} (${field === 'credentials' ? 'CREDENTIALS_SSM_PARAMETER' : field})`;
  const text = await getParameter(
    name,
    signal,
    () => new ConfigurationError(setting, 'does not exist or is empty'),
    setting,
  );
  onSecret(text);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Never quote the value: it is a secret.
    throw new ConfigurationError(setting, 'is not readable JSON; expected a JSON object of credentials');
  }
  rawSecrets(parsed).forEach(onSecret);
  if (isPlainObject(parsed) && parsed.ssm_parameter !== undefined) {
    throw new ConfigurationError(setting, 'holds another ssm_parameter; expected the credentials themselves');
  }
  try {
    return parseCredentials(provider, parsed, `SSM parameter ${name}`);
  } catch (err) {
    // What the parameter holds is deployment configuration, not the event: an operator fixes it.
    if (err instanceof ValidationError) throw new ConfigurationError(setting, err.message, { cause: err });
    throw err;
  }
}
