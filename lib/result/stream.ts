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
    rt.log.info('response streamed', { result_bytes: bytes, duration_ms: Date.now() - rt.startedAt });
  }
  return Readable.from(body(), { objectMode: false });
}

/**
 * The Lambda handler of a streaming function: the shared middlewares around `produce`, whose value is streamed
 * as JSON. `produce` returns what the buffered function returns, or a lazy equivalent (e.g. a record generator).
 */
export function streamingHandler(
  name: StreamingHandlerName,
  produce: (event: unknown, context: ConnectorContext) => Promise<unknown>,
) {
  const stream = async (event: unknown, context: ConnectorContext): Promise<Readable> =>
    jsonResponseStream(runtimeOf(context), await produce(event, context));
  return middy(stream, { ...MIDDY_PLUGIN, streamifyResponse: true }).use(connectorMiddlewares(name));
}
