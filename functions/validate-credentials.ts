/** validateCredentials: `{ok: true}`, or `{ok: false, message}` naming the host and the cause. */
import { hostOf } from '../lib/config/credentials';
import { AuthenticationError, ConnectorError, ValidationError } from '../lib/errors';
import { connectorHandler } from '../lib/middleware/handler';
import { type ConnectorContext, providerFor, runtimeOf, withDeadline } from '../lib/middleware/runtime';
import { ClusterScopeError } from '../lib/providers/scope';

/** The result the CMP reads. */
export type ValidateCredentialsResult = { ok: true } | { ok: false; message: string };

/**
 * Logs in and probes version and permissions. Empty or rejected credentials, a missing permission and an
 * unreachable or failing host and a `credentials.clusters` entry that names no cluster are answers
 * (`ok: false`), not errors; a malformed event still throws.
 */
export async function validateCredentials(
  _event: unknown,
  context: ConnectorContext,
): Promise<ValidateCredentialsResult> {
  const rt = runtimeOf(context);
  const redact = (s: string) => rt.log.redactor.redact(s);
  if (rt.credentialsError) {
    rt.counts.ok = 'false';
    return { ok: false, message: redact(rt.credentialsError.message) };
  }
  const provider = providerFor(rt);
  const host = rt.credentials
    ? hostOf(
        rt.credentials.provider === 'nutanix'
          ? rt.credentials.prism.endpoint
          : rt.credentials.cloudtower.endpoint,
      )
    : 'the host';
  try {
    const info = await withDeadline(rt, 'validating credentials', (signal) => provider.validate(signal));
    rt.counts.ok = 'true';
    rt.counts.api = info.api;
    return { ok: true };
  } catch (err) {
    // A credentials.clusters entry that names no cluster is wrong credentials, not a malformed event.
    const scopeError = err instanceof ClusterScopeError;
    if ((err instanceof ValidationError && !scopeError) || !(err instanceof ConnectorError)) throw err;
    const cause = err instanceof AuthenticationError ? `credentials rejected: ${err.message}` : err.message;
    rt.counts.ok = 'false';
    rt.log.warn('credentials check failed', { error: { name: err.name, message: err.message } });
    return { ok: false, message: redact(cause.includes(host) ? cause : `${host}: ${cause}`) };
  }
}

export const handler = connectorHandler('validateCredentials', validateCredentials);
