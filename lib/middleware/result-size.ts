/**
 * The size guard of buffered handlers (lib/result/size.ts): a result over MAX_RESPONSE_BYTES fails with
 * ResultTooLarge instead of reaching the runtime, which would fail it opaquely. Handlers that already counted
 * their result while building it mark it, so it is not counted twice.
 */
import type { MiddlewareObj } from '@middy/core';
import { checkResultSize } from '../result/size';
import { type ConnectorContext, runtimeOf } from './runtime';

const counted = new WeakSet<object>();

/** Marks a result whose size the handler checked while building it; returns it unchanged. */
export function markSizeChecked<T extends object>(result: T): T {
  counted.add(result);
  return result;
}

/** after middleware: counts the result's JSON and fails with ResultTooLarge once it passes the limit. */
export function resultSizeGuard(): MiddlewareObj<unknown, unknown, Error, ConnectorContext> {
  return {
    name: 'resultSizeGuard',
    after: (request) => {
      const rt = runtimeOf(request.context);
      const response = request.response;
      if (typeof response === 'object' && response !== null && counted.has(response)) return;
      rt.counts.result_bytes = checkResultSize(rt.handler, response);
    },
  };
}
