/**
 * The body of a streaming handler: the result's JSON written in chunks as its records are serialized (see
 * jsonPieces), so neither the whole string nor the whole list of serialized records is held. middy's
 * streamifyResponse pipes the returned Readable into Lambda's response stream; an error while writing
 * destroys it, which aborts the response (the caller sees a truncated body and an error, never valid JSON).
 */
import { Readable } from 'node:stream';
import middy from '@middy/core';
import { toHandlerError } from '../middleware/error-mapping';
import {
  type ConnectorContext,
  type ConnectorRuntime,
  runtimeOf,
  type StreamingHandlerName,
} from '../middleware/runtime';
import { connectorMiddlewares, MIDDY_PLUGIN } from '../middleware/stack';
import { jsonChunks } from './json';

/** A Readable of `value`'s JSON; logs the size written, or the error (mapped and redacted) that aborted it. */
export function jsonResponseStream(rt: ConnectorRuntime, value: unknown): Readable {
  function* body(): Generator<string> {
    let bytes = 0;
    try {
      for (const chunk of jsonChunks(value)) {
        bytes += Buffer.byteLength(chunk, 'utf8');
        yield chunk;
      }
    } catch (err) {
      const mapped = toHandlerError(err, rt.log.redactor, rt.handler);
      rt.log.error('response stream aborted', {
        error: { name: mapped.name, message: mapped.message },
        result_bytes: bytes,
      });
      throw mapped;
    }
    rt.log.info('response streamed', {
      result_bytes: bytes,
      duration_ms: Date.now() - rt.startedAt,
      ...rt.counts,
    });
  }
  return Readable.from(body(), { objectMode: false });
}

/** `items` as they are read, their number kept in `counts[key]` for the closing log line. */
function* counted<T>(items: Iterable<T>, counts: ConnectorRuntime['counts'], key: string): Generator<T> {
  let n = 0;
  counts[key] = n;
  for (const item of items) {
    counts[key] = ++n;
    yield item;
  }
}

/**
 * The Lambda handler of a streaming function: the shared middlewares around `produce`, whose value is streamed
 * as JSON. `produce` returns what the buffered function returns, or a lazy equivalent (e.g. a record generator);
 * `countKey` names a lazy list of it whose length the closing log line reports, as the buffered twin's does.
 */
export function streamingHandler(
  name: StreamingHandlerName,
  produce: (event: unknown, context: ConnectorContext) => Promise<unknown>,
  countKey?: string,
) {
  const stream = async (event: unknown, context: ConnectorContext): Promise<Readable> => {
    const rt = runtimeOf(context);
    let value = await produce(event, context);
    if (countKey !== undefined && value !== null && typeof value === 'object' && countKey in value) {
      const items = (value as Record<string, Iterable<unknown>>)[countKey] as Iterable<unknown>;
      // The same key order as produced, so the JSON matches the buffered twin's byte for byte.
      value = { ...(value as object), [countKey]: counted(items, rt.counts, countKey) };
    }
    return jsonResponseStream(rt, value);
  };
  return middy(stream, { ...MIDDY_PLUGIN, streamifyResponse: true }).use(connectorMiddlewares(name));
}
