/**
 * The CMP API client behind `context.api` (what connector-utils' Logger, setTaskPercentage and Account.update
 * call). Configured by env `CMP_API_URL` + `CMP_API_KEY`, or by the SSM parameter named in
 * `CMP_API_SSM_PARAMETER` (JSON `{"url", "key"}`). Without any configuration it records calls in memory and
 * answers 200, so a local run without a CMP still reports progress without failing.
 */
import type { NflexApi, NflexApiResponse } from '../connector-utils/context';
import { HttpClient, type HttpMethod } from '../http';
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

type Params = Record<string, unknown>;

/** The five verbs of NflexApi, each one call of `send`. */
abstract class CmpApiVerbs implements NflexApi {
  protected abstract send(
    method: HttpMethod,
    path: string,
    body?: unknown,
    params?: Params,
  ): Promise<NflexApiResponse>;

  /** GET `path` with query parameters. */
  get(path: string, params?: Params): Promise<NflexApiResponse> {
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
  delete(path: string, params?: Params): Promise<NflexApiResponse> {
    return this.send('DELETE', path, undefined, params);
  }
}

/**
 * A CMP API on lib/http with a bearer key, a per-call timeout and the invocation's abort signal. One attempt
 * per call, as flexer makes: a retried log POST could be delivered twice. Every status is handed back for
 * connector-utils to judge; a network failure rejects with a redacted message.
 */
export class HttpCmpApi extends CmpApiVerbs {
  private readonly http: HttpClient;
  private readonly basePath: string;

  constructor(
    config: CmpApiConfig,
    private readonly options: { signal?: AbortSignal; timeoutMs?: number; redactor?: Redactor } = {},
  ) {
    super();
    const url = new URL(config.url);
    this.basePath = url.pathname.replace(/\/+$/, '');
    const key = config.key;
    this.http = new HttpClient({
      baseUrl: url.origin,
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      retry: { maxAttempts: 1 },
      ...(options.redactor ? { redactor: options.redactor } : {}),
      secrets: [key],
      ...(key ? { auth: { headers: () => ({ authorization: `Bearer ${key}` }) } } : {}),
    });
  }

  protected async send(method: HttpMethod, path: string, body?: unknown, params?: Params) {
    const query: Record<string, string> = {};
    for (const [k, v] of Object.entries(params ?? {})) if (v !== undefined) query[k] = String(v);
    try {
      const res = await this.http.request<string>({
        method,
        path: this.basePath + path,
        query,
        body,
        ...(this.options.signal ? { signal: this.options.signal } : {}),
        operation: `CMP API ${method} ${path}`,
        anyStatus: true,
      });
      return response(res.status, res.body);
    } catch (err) {
      const detail = err instanceof Error ? err.message : String(err);
      throw new Error(
        this.http.redactor.redact(`CMP API ${method} ${this.http.origin}${path} failed: ${detail}`),
      );
    }
  }
}

/** The stand-in used when no CMP API is configured: remembers calls, answers 200 with an empty body. */
export class OfflineCmpApi extends CmpApiVerbs {
  readonly calls: CmpApiCall[] = [];

  /** Records the call (query parameters are not kept). */
  protected send(method: HttpMethod, path: string, body?: unknown): Promise<NflexApiResponse> {
    if (this.calls.length >= MAX_RECORDED_CALLS) this.calls.shift();
    this.calls.push({ method, path, body });
    return Promise.resolve(response(200, ''));
  }
}
