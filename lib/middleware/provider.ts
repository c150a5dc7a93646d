/** Handler glue: the provider for this invocation, built from the resolved credentials and runtime. */
import { utcNow } from '../connector-utils/time/clock';
import { createProvider } from '../providers/index';
import type { Provider } from '../providers/provider';
import type { ConnectorRuntime } from './runtime';

/** Reads a positive integer from env, or undefined (the provider's default) when unset/invalid. */
function envInt(name: string): number | undefined {
  const n = Number(process.env[name]);
  return process.env[name] && Number.isInteger(n) && n > 0 ? n : undefined;
}

/**
 * The provider for the invocation. Throws the EmptyCredentialsError stored by the credentials middleware
 * (→ InvalidCredentials) when the event's credentials were empty.
 */
export function providerFor(rt: ConnectorRuntime): Provider {
  if (rt.credentialsError) throw rt.credentialsError;
  if (!rt.credentials) throw new Error('resolveCredentials middleware did not run');
  return createProvider(rt.credentials, {
    deadline: rt.deadline,
    redactor: rt.log.redactor,
    logger: rt.log,
    concurrency: envInt('PROVIDER_CONCURRENCY'),
    requestTimeoutMs: envInt('PROVIDER_REQUEST_TIMEOUT_MS'),
    now: () => Math.floor(utcNow().epochMicros / 1000),
  });
}
