/**
 * Per-invocation state the middlewares build and the handlers read: request id, structured logger with the
 * invocation's redactor, deadline, the validated event, resolved credentials and the nflex context. It hangs
 * off the Lambda context (`context.connector`) so handlers keep middy's plain `(event, context)` signature.
 */
import type { MiddlewareObj } from '@middy/core';
import type { Context as LambdaContext } from 'aws-lambda';
import type { EmptyCredentialsError } from '../config/credentials';
import type { ConnectorEvent } from '../config/event';
import type { NflexContext } from '../connector-utils/context';
import { utcNow } from '../connector-utils/time/clock';
import type { ConfigurationError } from '../errors';
import { Deadline } from '../http/deadline';
import { Redactor } from '../http/redact';
import { StructuredLogger } from '../log/logger';
import { createProvider } from '../providers/index';
import type { Provider, ResolvedCredentials } from '../providers/provider';
import { scopeProvider } from '../providers/scope';
import { type Session, sessionCache } from '../providers/sessions';

/** The buffered handlers (serverless.yml function keys). */
export type BufferedHandlerName =
  | 'validateCredentials'
  | 'getResources'
  | 'getMetrics'
  | 'getSpend'
  | 'syncAccount'
  | 'getLogs'
  | 'getStatus';
/** The streaming handlers (Lambda response streaming; no response size guard). */
export type StreamingHandlerName = 'getResourcesStream' | 'getMetricsStream' | 'getLogsStream';
/** Every handler (serverless.yml function keys). */
export type HandlerName = BufferedHandlerName | StreamingHandlerName;

/** What the middlewares hand to a handler. */
export interface ConnectorRuntime {
  handler: HandlerName;
  requestId: string;
  startedAt: number;
  log: StructuredLogger;
  deadline: Deadline;
  /** Counts and figures for the closing log line (servers, metrics, amount, …). */
  counts: Record<string, number | string>;
  /** Set by validateEvent. */
  event?: ConnectorEvent;
  /** Set by resolveCredentialsMiddleware when the credentials are usable. */
  credentials?: ResolvedCredentials;
  /** Set instead of `credentials` when they are empty or unreadable (validateCredentials: ok: false). */
  credentialsError?: EmptyCredentialsError | ConfigurationError;
  /** Set by nflexContext. */
  nflex?: NflexContext;
  /** The warm-container session of the credentials (lib/providers/sessions), opened with the provider. */
  session?: Session;
  /** Log lines on their way to the platform; flushed before the invocation returns. */
  platformLogs: PendingWork;
}

/** Promises still running that must settle before the invocation returns (Lambda freezes after it). */
export class PendingWork {
  private readonly pending = new Set<Promise<unknown>>();

  /** Tracks a promise (or nothing) until it settles; returns it unchanged. */
  track<T>(p: T | Promise<T>): Promise<T> {
    const promise = Promise.resolve(p);
    this.pending.add(promise);
    const forget = () => this.pending.delete(promise);
    promise.then(forget, forget);
    return promise;
  }

  /** Waits for everything tracked so far (failures are the tracker's business, never thrown here). */
  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }
}

/** The Lambda context as our handlers see it. */
export interface ConnectorContext extends LambdaContext {
  connector?: ConnectorRuntime;
}

/** Default margin kept before the Lambda timeout for serialising and returning the result. */
const DEFAULT_SAFETY_MS = 1500;

/** The safety margin from env DEADLINE_SAFETY_MS. */
function safetyMs(): number {
  const n = Number(process.env.DEADLINE_SAFETY_MS);
  return Number.isFinite(n) && n >= 0 && process.env.DEADLINE_SAFETY_MS !== '' ? n : DEFAULT_SAFETY_MS;
}

/** The runtime of this invocation; throws (a bug, not user error) when the middleware stack is missing. */
export function runtimeOf(context: ConnectorContext): ConnectorRuntime;
export function runtimeOf(context: ConnectorContext, optional: true): ConnectorRuntime | undefined;
export function runtimeOf(context: ConnectorContext, optional = false): ConnectorRuntime | undefined {
  const rt = context?.connector;
  if (!rt && !optional) throw new Error('connector middlewares are not installed on this handler');
  return rt;
}

/** The validated event (validateEvent must have run). */
export function eventOf(rt: ConnectorRuntime): ConnectorEvent {
  if (!rt.event) throw new Error('validateEvent middleware did not run');
  return rt.event;
}

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
  const credentials = rt.credentials;
  rt.session ??= sessionCache.open(
    credentials.provider,
    credentials.provider === 'nutanix' ? credentials.prism : credentials.cloudtower,
  );
  const provider = createProvider(credentials, {
    session: rt.session,
    deadline: rt.deadline,
    redactor: rt.log.redactor,
    logger: rt.log,
    concurrency: envInt('PROVIDER_CONCURRENCY'),
    requestTimeoutMs: envInt('PROVIDER_REQUEST_TIMEOUT_MS'),
    now: () => Math.floor(utcNow().epochMicros / 1000),
  });
  return credentials.clusters
    ? scopeProvider(provider, credentials.clusters, rt.session, (m) => rt.log.warn(m))
    : provider;
}

/**
 * Runs `work` with the deadline's AbortSignal and rejects with DeadlineExceededError the moment the deadline
 * passes, even if `work` ignores the signal — so the handler always stops before Lambda kills it.
 */
export async function withDeadline<T>(
  rt: ConnectorRuntime,
  what: string,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  rt.deadline.check(what);
  const signal = rt.deadline.signal;
  return await new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(rt.deadline.error(what));
    signal.addEventListener('abort', onAbort, { once: true });
    work(signal)
      .then(resolve, reject)
      .finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** First middleware: request id, logger, redactor, deadline; logs the outcome with duration and counts. */
export function connectorRuntime(
  handler: HandlerName,
): MiddlewareObj<unknown, unknown, Error, ConnectorContext> {
  return {
    name: 'connectorRuntime',
    before: (request) => {
      const ctx = request.context ?? ({} as ConnectorContext);
      request.context = ctx;
      const requestId = ctx.awsRequestId || `local-${Date.now().toString(36)}`;
      const deadline =
        typeof ctx.getRemainingTimeInMillis === 'function'
          ? Deadline.fromLambdaContext(ctx, safetyMs())
          : Deadline.none();
      ctx.connector = {
        handler,
        requestId,
        startedAt: Date.now(),
        log: new StructuredLogger({ request_id: requestId, handler }, new Redactor()),
        deadline,
        counts: {},
        platformLogs: new PendingWork(),
      };
    },
    after: async (request) => {
      const rt = runtimeOf(request.context, true);
      if (!rt) return;
      rt.deadline.dispose();
      rt.log.info('invocation succeeded', { duration_ms: Date.now() - rt.startedAt, ...rt.counts });
      await rt.platformLogs.flush();
    },
    onError: async (request) => {
      const rt = runtimeOf(request.context, true);
      rt?.deadline.dispose();
      await rt?.platformLogs.flush();
    },
  };
}
