/**
 * The CMP API client behind `context.api` (what connector-utils' Logger, setTaskPercentage and Account.update
 * call). Configured by env `CMP_API_URL` + `CMP_API_KEY`, or by the SSM parameter named in
 * `CMP_API_SSM_PARAMETER` (JSON `{"url", "key"}`). Without any configuration it records calls in memory and
 * answers 200, so a local run without a CMP still reports progress without failing.
 */
import type { NflexApi, NflexApiResponse } from '../connector-utils/context';
import type { Redactor } from '../http/redact';

/** Where the CMP API lives and how to authenticate. */
export interface CmpApiConfig {
  url: string;
  key?: string;
}

/** One call made through the client (what the offline recorder keeps). */
export interface CmpApiCall {
  method: string;
  path: string;
  body?: unknown;
}

const DEFAULT_TIMEOUT_MS = 10_000;
// Bounded so a long-lived warm container cannot grow it without limit.
const MAX_RECORDED_CALLS = 1000;

/** Builds the response object connector-utils expects from a status and body text. */
function response(status: number, text: string): NflexApiResponse {
  return {
    status_code: status,
    content: text,
    json: () => (text === '' ? null : JSON.parse(text)),
  };
}

/** A CMP API over HTTP (fetch) with a bearer key, a per-call timeout and the invocation's abort signal. */
export class HttpCmpApi implements NflexApi {
  private readonly base: string;

  constructor(
    private readonly config: CmpApiConfig,
    private readonly options: { signal?: AbortSignal; timeoutMs?: number; redactor?: Redactor } = {},
  ) {
    this.base = config.url.replace(/\/+$/, '');
    if (config.key) options.redactor?.add(config.key);
  }

  /** Sends one request; network failures become a rejected promise with a redacted message. */
  private async send(method: string, path: string, body?: unknown, params?: Record<string, unknown>) {
    const url = new URL(this.base + path);
    for (const [k, v] of Object.entries(params ?? {}))
      if (v !== undefined) url.searchParams.set(k, String(v));
    const signals = [AbortSignal.timeout(this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS)];
    if (this.options.signal) signals.push(this.options.signal);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.config.key) headers.authorization = `Bearer ${this.config.key}`;
    try {
      const res = await fetch(url, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.any(signals),
      });
      return response(res.status, await res.text());
    } catch (err) {
      const detail = err instanceof Error ? err.message : String(err);
      const text = `CMP API ${method} ${url.origin}${path} failed: ${detail}`;
      throw new Error(this.options.redactor ? this.options.redactor.redact(text) : text);
    }
  }

  /** GET `path` with query parameters. */
  get(path: string, params?: Record<string, unknown>): Promise<NflexApiResponse> {
    return this.send('GET', path, undefined, params);
  }

  /** POST a JSON body. */
  post(path: string, data?: unknown): Promise<NflexApiResponse> {
    return this.send('POST', path, data);
  }

  /** PUT a JSON body. */
  put(path: string, data?: unknown): Promise<NflexApiResponse> {
    return this.send('PUT', path, data);
  }

  /** PATCH a JSON body. */
  patch(path: string, data?: unknown): Promise<NflexApiResponse> {
    return this.send('PATCH', path, data);
  }

  /** DELETE with query parameters. */
  delete(path: string, params?: Record<string, unknown>): Promise<NflexApiResponse> {
    return this.send('DELETE', path, undefined, params);
  }
}

/** The stand-in used when no CMP API is configured: remembers calls, answers 200 with an empty body. */
export class OfflineCmpApi implements NflexApi {
  readonly calls: CmpApiCall[] = [];

  private record(method: string, path: string, body?: unknown): Promise<NflexApiResponse> {
    if (this.calls.length >= MAX_RECORDED_CALLS) this.calls.shift();
    this.calls.push({ method, path, body });
    return Promise.resolve(response(200, ''));
  }

  /** Records a GET. */
  get(path: string): Promise<NflexApiResponse> {
    return this.record('GET', path);
  }

  /** Records a POST. */
  post(path: string, data?: unknown): Promise<NflexApiResponse> {
    return this.record('POST', path, data);
  }

  /** Records a PUT. */
  put(path: string, data?: unknown): Promise<NflexApiResponse> {
    return this.record('PUT', path, data);
  }

  /** Records a PATCH. */
  patch(path: string, data?: unknown): Promise<NflexApiResponse> {
    return this.record('PATCH', path, data);
  }

  /** Records a DELETE. */
  delete(path: string): Promise<NflexApiResponse> {
    return this.record('DELETE', path);
  }
}
