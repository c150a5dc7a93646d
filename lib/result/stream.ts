/**
 * The body of a streaming handler: the result's JSON written in chunks as its records are serialized (see
 * jsonPieces), so neither the whole string nor the whole list of serialized records is held. middy's
 * streamifyResponse pipes the returned Readable into Lambda's response stream; an error while writing
 * destroys it, which aborts the response (the caller sees a truncated body and an error, never valid JSON).
 */
import { Readable } from 'node:stream';
import { toHandlerError } from '../middleware/error-mapping';
import type { ConnectorRuntime } from '../middleware/runtime';
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
