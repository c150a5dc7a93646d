/**
 * An emulation of the AWS Lambda Node.js runtime's documented response streaming contract, for running the
 * packaged streaming bundles locally (serverless-offline cannot invoke them): the global
 * `awslambda.streamifyResponse` (marks the handler as streaming) and `awslambda.HttpResponseStream.from`
 * (writes the HTTP prelude for function URLs), and a handler called with `(event, responseStream, context)`.
 * As on Lambda, an error before the first byte is an invoke error; after it, the stream is aborted.
 */
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';

/** The property the runtime reads to call a handler with a response stream. */
const HANDLER_STREAMING = Symbol.for('aws.lambda.runtime.handler.streaming');
const STREAM_RESPONSE = 'response';
/** Separates the JSON prelude from the body in an HTTP integration response stream. */
const PRELUDE_DELIMITER = new Uint8Array(8);

/** A response stream as a streaming handler sees it. */
export interface ResponseStream extends Writable {
  setContentType(type: string): void;
}

type StreamingHandler = ((event: unknown, stream: ResponseStream, context: unknown) => Promise<unknown>) & {
  [HANDLER_STREAMING]?: string;
};

/** Installs the global `awslambda` a streaming bundle needs at load (idempotent). */
export function installStreamingRuntime(): void {
  const g = globalThis as { awslambda?: unknown };
  if (g.awslambda) return;
  g.awslambda = {
    streamifyResponse(handler: StreamingHandler): StreamingHandler {
      handler[HANDLER_STREAMING] = STREAM_RESPONSE;
      return handler;
    },
    HttpResponseStream: {
      from(stream: ResponseStream, prelude: Record<string, unknown>): ResponseStream {
        stream.setContentType('application/vnd.awslambda.http-integration-response');
        stream.write(JSON.stringify(prelude));
        stream.write(PRELUDE_DELIMITER);
        return stream;
      },
    },
  };
}

/** A response stream that counts what is written and, when asked, keeps it. */
export class ResponseSink extends Writable implements ResponseStream {
  bytes = 0;
  contentType = 'application/octet-stream';
  /** Milliseconds from the start of the invocation to the first byte (null: nothing written). */
  firstByteMs: number | null = null;
  private readonly chunks: Buffer[] | null;
  private readonly startedAt = Date.now();

  constructor(keepBody: boolean) {
    super();
    this.chunks = keepBody ? [] : null;
  }

  setContentType(type: string): void {
    this.contentType = type;
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.firstByteMs ??= Date.now() - this.startedAt;
    this.bytes += chunk.length;
    this.chunks?.push(chunk);
    callback();
  }

  /** The body written so far (null when not kept). */
  body(): string | null {
    return this.chunks ? Buffer.concat(this.chunks).toString('utf8') : null;
  }
}

/** The outcome of one streaming invocation. */
export interface StreamingInvocation {
  ok: boolean;
  /** The streamed body (null unless `keepBody`). */
  body: string | null;
  bytes: number;
  firstByteMs: number | null;
  durationMs: number;
  /** The error document Lambda reports (`errorType` is the error's name) when the handler failed. */
  error: { errorType: string; errorMessage: string; trace: string[] } | null;
}

/** Loads a packaged streaming bundle (CommonJS) under the emulated runtime and returns its handler. */
export function loadStreamingHandler(bundleFile: string, exportName = 'handler'): StreamingHandler {
  installStreamingRuntime();
  const mod = createRequire(import.meta.url)(resolve(bundleFile)) as Record<string, unknown>;
  const handler = mod[exportName] as StreamingHandler | undefined;
  if (typeof handler !== 'function' || handler[HANDLER_STREAMING] !== STREAM_RESPONSE) {
    throw new Error(`${bundleFile}: ${exportName} is not a streaming handler (awslambda.streamifyResponse)`);
  }
  return handler;
}

/** A Lambda context for a local invocation of `functionName` with `timeoutMs` to run. */
export function localLambdaContext(functionName: string, timeoutMs: number): Record<string, unknown> {
  const endsAt = Date.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: `local-stream-${Date.now().toString(36)}`,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => endsAt - Date.now(),
  };
}

/** Calls a streaming handler as the runtime does and collects (or only counts) what it streams. */
export async function invokeStreaming(
  handler: StreamingHandler,
  event: unknown,
  options: { functionName: string; timeoutMs?: number; keepBody?: boolean },
): Promise<StreamingInvocation> {
  const sink = new ResponseSink(options.keepBody ?? true);
  const startedAt = Date.now();
  const context = localLambdaContext(options.functionName, options.timeoutMs ?? 300_000);
  const outcome = (error: StreamingInvocation['error']): StreamingInvocation => ({
    ok: error === null,
    body: sink.body(),
    bytes: sink.bytes,
    firstByteMs: sink.firstByteMs,
    durationMs: Date.now() - startedAt,
    error,
  });
  try {
    await handler(event, sink, context);
    // The runtime closes a stream the handler left open.
    if (!sink.writableEnded) sink.end();
    await finished(sink);
    return outcome(null);
  } catch (err) {
    sink.destroy();
    const e = err instanceof Error ? err : new Error(String(err));
    return outcome({ errorType: e.name, errorMessage: e.message, trace: (e.stack ?? '').split('\n') });
  }
}
