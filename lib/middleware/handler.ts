/**
 * What every buffered handler starts from, in one place: its invocation (runtime, validated event, the
 * provider on first use) and its Lambda handler (the shared middleware stack around the body).
 */
import middy from '@middy/core';
import type { ConnectorEvent } from '../config/event';
import type { EntityScope } from '../providers/monitoring';
import type { Provider } from '../providers/provider';
import { outsideScope } from '../providers/scope';
import {
  type BufferedHandlerName,
  type ConnectorContext,
  type ConnectorRuntime,
  eventOf,
  providerFor,
  runtimeOf,
  withDeadline,
} from './runtime';
import { connectorMiddlewares, MIDDY_PLUGIN } from './stack';

/** The invocation a handler body works in. */
export interface Invocation {
  rt: ConnectorRuntime;
  event: ConnectorEvent;
  /** The provider of the event's credentials, built on first use (getSpend loads its rate card before). */
  provider(): Provider;
  /**
   * True, with a warning naming it, when the entity of a per-resource call lies outside
   * `credentials.clusters`: the call then answers an empty result and reads nothing of it.
   */
  outsideScope(entity: EntityScope): Promise<boolean>;
}

/** The invocation of `context` (the middlewares must have run). */
export function invocationOf(context: ConnectorContext): Invocation {
  const rt = runtimeOf(context);
  let provider: Provider | undefined;
  const providerOf = () => (provider ??= providerFor(rt));
  return {
    rt,
    event: eventOf(rt),
    provider: providerOf,
    outsideScope: (entity) =>
      withDeadline(rt, 'checking credentials.clusters', (signal) =>
        outsideScope(providerOf(), entity, signal, (m) => rt.log.warn(m)),
      ),
  };
}

/** The Lambda handler of a buffered function: the shared middlewares around `body`. */
export function connectorHandler<R>(
  name: BufferedHandlerName,
  body: (event: unknown, context: ConnectorContext) => Promise<R>,
) {
  return middy(body, MIDDY_PLUGIN).use(connectorMiddlewares(name));
}

/**
 * The buffered body of a function whose result lists are built lazily for its streaming twin: the `key`
 * list made whole (and counted for the closing log line), `last_update` after it as in the streamed JSON.
 */
export function wholeResult<K extends 'metrics' | 'logs', T>(
  key: K,
  lazy: (context: ConnectorContext) => Promise<Record<K, Iterable<T>> & { last_update: string }>,
) {
  return async (
    _event: unknown,
    context: ConnectorContext,
  ): Promise<Record<K, T[]> & { last_update: string }> => {
    const result = await lazy(context);
    const list = [...result[key]];
    runtimeOf(context).counts[key] = list.length;
    return { [key]: list, last_update: result.last_update } as Record<K, T[]> & { last_update: string };
  };
}
