/**
 * What every buffered handler starts from, in one place: its invocation (runtime, validated event, the
 * provider on first use) and its Lambda handler (the shared middleware stack around the body).
 */
import middy from '@middy/core';
import type { ConnectorEvent } from '../config/event';
import type { Provider } from '../providers/provider';
import {
  type BufferedHandlerName,
  type ConnectorContext,
  type ConnectorRuntime,
  eventOf,
  providerFor,
  runtimeOf,
} from './runtime';
import { connectorMiddlewares, MIDDY_PLUGIN } from './stack';

/** The invocation a handler body works in. */
export interface Invocation {
  rt: ConnectorRuntime;
  event: ConnectorEvent;
  /** The provider of the event's credentials, built on first use (getSpend loads its rate card before). */
  provider(): Provider;
}

/** The invocation of `context` (the middlewares must have run). */
export function invocationOf(context: ConnectorContext): Invocation {
  const rt = runtimeOf(context);
  let provider: Provider | undefined;
  return { rt, event: eventOf(rt), provider: () => (provider ??= providerFor(rt)) };
}

/** The Lambda handler of a buffered function: the shared middlewares around `body`. */
export function connectorHandler<R>(
  name: BufferedHandlerName,
  body: (event: unknown, context: ConnectorContext) => Promise<R>,
) {
  return middy(body, MIDDY_PLUGIN).use(connectorMiddlewares(name));
}
