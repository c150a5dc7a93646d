/**
 * The middlewares every handler uses, in order: runtime (request id, logger, deadline) → error mapping
 * (onError) → event validation → credentials → nflex context. `connectorMiddlewares` returns the stack and
 * `MIDDY_PLUGIN` makes middy's own early-timeout backstop throw our typed DeadlineExceededError.
 */
import type middy from '@middy/core';
import type { MiddlewareObj } from '@middy/core';
import { buildNflexContext } from '../cmp/context';
import {
  EmptyCredentialsError,
  endpointOf,
  rawSecretsOfEvent,
  resolveCredentials,
  secretsOf,
} from '../config/credentials';
import { parseEvent } from '../config/event';
import type { NflexLogSeverity } from '../connector-utils/context';
import { Logger } from '../connector-utils/logger';
import { ConfigurationError, DeadlineExceededError } from '../errors';
import { errorMapping } from './error-mapping';
import { resultSizeGuard } from './result-size';
import {
  type ConnectorContext,
  connectorRuntime,
  type HandlerName,
  runtimeOf,
  withDeadline,
} from './runtime';

type ConnectorMiddleware = MiddlewareObj<unknown, unknown, Error, ConnectorContext>;

/**
 * middy plugin options: middy aborts its handler signal a little before the Lambda timeout on its own; our
 * deadline (DEADLINE_SAFETY_MS, default 1.5 s) fires well before, so this only backstops a handler that
 * ignores its deadline — and then still fails with the typed error.
 */
export const MIDDY_PLUGIN: middy.PluginObject = {
  timeoutEarlyInMillis: 100,
  timeoutEarlyResponse: () => {
    throw new DeadlineExceededError('stopped before the invocation timeout (middy backstop)');
  },
};

/** Validates the event into `runtime.event`; binds provider/account to every later log line. */
export function validateEvent(): ConnectorMiddleware {
  return {
    name: 'validateEvent',
    before: (request) => {
      const rt = runtimeOf(request.context);
      // Secrets are registered before validation so even an error about a malformed event cannot echo one.
      for (const s of rawSecretsOfEvent(request.event)) rt.log.redactor.add(s);
      const event = parseEvent(request.event);
      rt.event = event;
      rt.log.bind({
        provider: event.provider,
        account_id: event.accountId ?? null,
        customer_id: event.customerId ?? null,
      });
    },
  };
}

/**
 * Resolves credentials (event or SSM) into `runtime.credentials`, or `runtime.credentialsError` when they are
 * empty or their configuration cannot be read (an SSM parameter missing, denied, unreadable): both are answers
 * for validateCredentials and typed errors for every other handler.
 */
export function resolveCredentialsMiddleware(): ConnectorMiddleware {
  return {
    name: 'resolveCredentials',
    before: async (request) => {
      const rt = runtimeOf(request.context);
      if (!rt.event) return;
      const { provider, credentials } = rt.event;
      try {
        rt.credentials = await withDeadline(rt, 'reading credentials', (signal) =>
          resolveCredentials(provider, credentials, (s) => rt.log.redactor.add(s), signal),
        );
      } catch (err) {
        if (!(err instanceof EmptyCredentialsError || err instanceof ConfigurationError)) throw err;
        rt.credentialsError = err;
        return;
      }
      for (const s of secretsOf(rt.credentials)) rt.log.redactor.add(s);
      rt.log.bind({ endpoint: endpointOf(rt.credentials) });
    },
  };
}

/** Builds the nflex context (CMP API, log, state, …) into `runtime.nflex`. */
export function nflexContext(): ConnectorMiddleware {
  return {
    name: 'nflexContext',
    before: async (request) => {
      const rt = runtimeOf(request.context);
      const nflex = await buildNflexContext({
        customerId: rt.event?.customerId,
        redactor: rt.log.redactor,
        logger: rt.log,
        signal: rt.deadline.signal,
      });
      rt.nflex = nflex;
      // On the platform (module_id set) our lines also reach the CMP's log API through connector-utils'
      // Logger, exactly as an nflex module's would; locally they stay on stdout only (no duplicates).
      if (nflex.module_id) {
        const tracked = {
          module_id: nflex.module_id,
          log: (line: string, severity?: string) =>
            rt.platformLogs.track(nflex.log(line, severity as NflexLogSeverity)),
        };
        const platform = new Logger({
          context: tracked,
          customerId: rt.event?.customerId,
          accountId: rt.event?.accountId,
          resourceId: rt.event?.resource?.id ?? null,
        });
        rt.log.forwardTo((level, text) => platform[level](text));
      }
    },
  };
}

/**
 * The full middleware stack of one handler, in the order middy must run it. Buffered handlers end with the
 * result size guard (its `after` runs first); streaming handlers have no buffered limit.
 */
export function connectorMiddlewares(handler: HandlerName): ConnectorMiddleware[] {
  const stack = [
    connectorRuntime(handler),
    errorMapping(),
    validateEvent(),
    resolveCredentialsMiddleware(),
    nflexContext(),
  ];
  return handler.endsWith('Stream') ? stack : [...stack, resultSizeGuard()];
}
