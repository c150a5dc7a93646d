/**
 * The one HTTP client every provider uses: keep-alive sockets, per-attempt timeouts, TLS with a custom CA
 * or an explicit insecure flag, the status → action table from ./policy, bounded full-jitter retries that
 * honour Retry-After and never outlive the invocation deadline, one coalesced re-authentication on 401,
 * and redaction of every secret from what it reports.
 */
import http from 'node:http';
import https from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RawResponse } from './body';
import { Deadline } from './deadline';
import {
  HttpAuthError,
  HttpBodyError,
  HttpConnectionError,
  HttpPermissionError,
  HttpStatusError,
  HttpTransientError,
  type RequestInfo,
} from './errors';
import { parseJsonExactIntegers } from './json';
import {
  type Action,
  actionForErrorCode,
  actionForStatus,
  backoffDelayMs,
  DEFAULT_RETRY_POLICY,
  parseRetryAfter,
  type RetryPolicy,
} from './policy';
import { checkUrlPort } from './ports';
import { Redactor } from './redact';
import { PLAIN_TO_TLS_SYMPTOMS, speaksTls, TLS_REQUIRED_CODE, TLS_REQUIRED_MESSAGE, tlsFailure } from './tls';
import type { HttpClientOptions, HttpMethod, HttpResponse, HttpStats, RequestOptions } from './types';

const BODY_SNIPPET = 300;

/** A typed, redacting, retrying HTTP client bound to one upstream. */
export class HttpClient {
  readonly origin: string;
  readonly stats: HttpStats = { requests: 0, attempts: 0, retries: 0, reauths: 0 };
  readonly redactor: Redactor;
  private readonly agent: http.Agent;
  private readonly transport: typeof http | typeof https;
  private readonly basePath: string;
  private readonly policy: RetryPolicy;
  private readonly timeoutMs: number;
  private readonly deadline: Deadline;
  private readonly random: () => number;
  private authGeneration = 0;
  private refreshing: Promise<void> | null = null;
  private tlsProbe: Promise<boolean> | null = null;

  constructor(private readonly options: HttpClientOptions) {
    let url: URL;
    try {
      url = new URL(options.baseUrl);
    } catch {
      throw new TypeError(`baseUrl: expected scheme://host:port, got ${JSON.stringify(options.baseUrl)}`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new TypeError(`baseUrl: expected an http or https URL, got ${url.protocol}`);
    }
    checkUrlPort(url, 'baseUrl');
    this.origin = url.origin;
    this.basePath = url.pathname.replace(/\/+$/, '');
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.deadline = options.deadline ?? Deadline.none();
    this.random = options.random ?? Math.random;
    this.redactor = options.redactor ?? new Redactor();
    for (const s of options.secrets ?? []) this.redactor.add(s);
    const agentOptions = { keepAlive: true, maxSockets: options.maxSockets ?? 16 };
    if (url.protocol === 'https:') {
      this.transport = https;
      this.agent = new https.Agent({
        ...agentOptions,
        rejectUnauthorized: options.verifySsl ?? true,
        ...(options.caCert ? { ca: options.caCert } : {}),
      });
    } else {
      this.transport = http;
      this.agent = new http.Agent(agentOptions);
    }
  }

  /** GET shorthand. */
  get<T>(path: string, opts: Omit<RequestOptions, 'path' | 'method'> = {}): Promise<HttpResponse<T>> {
    return this.request<T>({ ...opts, method: 'GET', path });
  }

  /** POST shorthand (JSON body). */
  post<T>(
    path: string,
    body: unknown,
    opts: Omit<RequestOptions, 'path' | 'method' | 'body'> = {},
  ): Promise<HttpResponse<T>> {
    return this.request<T>({ ...opts, method: 'POST', path, body });
  }

  /** Sends a request, applying the status → action table until it succeeds or fails for good. */
  async request<T = unknown>(opts: RequestOptions): Promise<HttpResponse<T>> {
    const method = opts.method ?? 'GET';
    const info: RequestInfo = {
      method,
      path: this.basePath + opts.path,
      operation: opts.operation ?? `${method} ${opts.path}`,
      origin: this.origin,
    };
    const useAuth = opts.auth !== false && this.options.auth !== undefined;
    const payload = opts.body === undefined ? undefined : JSON.stringify(opts.body);
    this.stats.requests++;
    let reauthed = false;

    for (let attempt = 1; ; attempt++) {
      this.throwIfStopped(opts.signal, info);
      const generation = this.authGeneration;
      const headers: Record<string, string> = {
        accept: 'application/json',
        'user-agent': this.options.userAgent ?? 'nflex-prism-cloudtower-connector',
        ...(payload !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(useAuth ? await this.options.auth!.headers(this.linkedSignal(opts.signal)) : {}),
        ...opts.headers,
      };

      let raw: RawResponse | null = null;
      let failure: { code: string; message: string; cause: unknown } | null = null;
      this.stats.attempts++;
      try {
        raw = await this.send(method, this.buildPath(opts.path, opts.query), headers, payload, opts.signal);
      } catch (err) {
        if (this.stopped(opts.signal)) this.throwIfStopped(opts.signal, info);
        failure = await this.explainMismatch(describeNetworkError(err));
      }

      const action: Action = raw ? actionForStatus(raw.status) : actionForErrorCode(failure?.code);
      const asText = (r: RawResponse): HttpResponse<T> => ({
        status: r.status,
        headers: r.headers,
        body: r.text as T,
      });
      if (raw && opts.anyStatus && (action === 'ok' || action === 'permission' || action === 'fail'))
        return asText(raw);
      switch (action) {
        case 'ok':
          return {
            status: raw!.status,
            headers: raw!.headers,
            body: this.parseBody<T>(raw!, info, opts),
          };
        case 'reauth': {
          const detail = this.snippet(raw!.text) || 'unauthorized';
          if (!useAuth || !this.options.auth!.refresh || reauthed) {
            if (opts.anyStatus) return asText(raw!);
            throw new HttpAuthError(info, raw!.status, detail);
          }
          reauthed = true;
          this.stats.reauths++;
          await this.refreshOnce(generation, opts.signal);
          attempt--; // a re-authentication is not a retry of a transient failure
          continue;
        }
        case 'permission':
          throw new HttpPermissionError(info, raw!.status, this.snippet(raw!.text) || 'forbidden');
        case 'unreachable':
          throw new HttpConnectionError(
            info,
            failure!.code,
            this.redactor.redact(failure!.message),
            failure!.cause,
          );
        case 'fail':
          throw new HttpStatusError(info, raw!.status, this.snippet(raw!.text));
        case 'retry': {
          const detail = raw ? `HTTP ${raw.status}` : `${failure!.message} (${failure!.code})`;
          const giveUp = (why: string) =>
            new HttpTransientError(
              info,
              attempt,
              raw?.status ?? null,
              this.redactor.redact(`${detail}; ${why}`),
              failure?.cause,
            );
          if (attempt >= this.policy.maxAttempts) {
            if (raw && opts.anyStatus) return asText(raw);
            throw giveUp('retries exhausted');
          }
          const retryAfter = raw ? parseRetryAfter(raw.headers['retry-after']) : null;
          if (retryAfter !== null && retryAfter > this.policy.maxRetryAfterMs) {
            throw giveUp(`upstream asked to wait ${Math.round(retryAfter / 1000)} s`);
          }
          const delay = Math.max(retryAfter ?? 0, backoffDelayMs(this.policy, attempt, this.random));
          // Never sleep into the deadline: a retry that cannot complete in time is not worth starting.
          if (delay >= this.deadline.remainingMs())
            throw giveUp('no time left before the invocation deadline');
          this.stats.retries++;
          this.options.logger?.warn(
            `retrying ${info.operation} after ${detail} (attempt ${attempt + 1}/${this.policy.maxAttempts} in ${delay} ms)`,
          );
          await this.wait(delay, opts.signal, info);
          continue;
        }
      }
    }
  }

  /**
   * Rewrites a failure caused by TLS on one end and plain HTTP on the other into a plain, final one. A
   * plain-HTTP request to a TLS port only sees its connection reset, like a flaky network: one TLS
   * handshake probe (once per client) tells the two apart before any retry.
   */
  private async explainMismatch(failure: NetworkFailure): Promise<NetworkFailure> {
    if (this.transport === https) {
      const tlsLevel = tlsFailure(failure.code, failure.message);
      return tlsLevel ? { ...tlsLevel, cause: failure.cause } : failure;
    }
    if (!PLAIN_TO_TLS_SYMPTOMS.has(failure.code)) return failure;
    const url = new URL(this.origin);
    this.tlsProbe ??= speaksTls(url.hostname.replace(/^\[|\]$/g, ''), Number(url.port || 80));
    return (await this.tlsProbe)
      ? { code: TLS_REQUIRED_CODE, message: TLS_REQUIRED_MESSAGE, cause: failure.cause }
      : failure;
  }

  /** Closes idle keep-alive sockets. */
  close(): void {
    this.agent.destroy();
  }

  private buildPath(path: string, query: RequestOptions['query']): string {
    let full = this.basePath + path;
    if (query) {
      const parts: string[] = [];
      for (const [k, v] of Object.entries(query)) {
        if (v === undefined) continue;
        // `$` is a legal query character; keeping it literal keeps Prism's `$page`/`$limit` readable in logs.
        parts.push(`${encodeURIComponent(k).replace(/%24/g, '$')}=${encodeURIComponent(String(v))}`);
      }
      if (parts.length > 0) full += `?${parts.join('&')}`;
    }
    return full;
  }

  private async refreshOnce(generation: number, signal: AbortSignal | undefined): Promise<void> {
    // Several requests in flight see the same expired session: only the first one logs in again.
    if (this.authGeneration !== generation) return;
    if (!this.refreshing) {
      this.refreshing = (async () => {
        try {
          await this.options.auth!.refresh!(this.linkedSignal(signal));
          this.authGeneration++;
        } finally {
          this.refreshing = null;
        }
      })();
    }
    await this.refreshing;
  }

  private send(
    method: HttpMethod,
    path: string,
    headers: Record<string, string>,
    payload: string | undefined,
    signal: AbortSignal | undefined,
  ): Promise<RawResponse> {
    const timeout = Math.max(1, Math.min(this.timeoutMs, this.deadline.remainingMs()));
    return new Promise<RawResponse>((resolve, reject) => {
      const url = new URL(path, this.origin);
      const req = this.transport.request(
        url,
        {
          method,
          agent: this.agent,
          headers:
            payload === undefined ? headers : { ...headers, 'content-length': Buffer.byteLength(payload) },
          signal: this.linkedSignal(signal),
        },
        (res) => {
          // Decoded as it arrives (a character split between chunks is kept whole by the decoder).
          res.setEncoding('utf8');
          let text = '';
          res.on('data', (c: string) => {
            text += c;
          });
          res.on('error', reject);
          res.on('aborted', () =>
            reject(Object.assign(new Error('response aborted'), { code: 'ECONNRESET' })),
          );
          res.on('end', () => {
            clearTimeout(timer);
            const out: Record<string, string> = {};
            for (const [k, v] of Object.entries(res.headers)) {
              if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
            }
            resolve({
              status: res.statusCode ?? 0,
              headers: out,
              text,
            });
          });
        },
      );
      const timer = setTimeout(() => {
        req.destroy(Object.assign(new Error(`no response within ${timeout} ms`), { code: 'ETIMEDOUT' }));
      }, timeout);
      req.on('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }

  private parseBody<T>(
    raw: RawResponse,
    info: RequestInfo,
    opts: Pick<RequestOptions, 'exactIntegers' | 'reviver' | 'parse'>,
  ): T {
    const type = raw.headers['content-type'] ?? '';
    if (raw.text === '' || !type.includes('json'))
      return (raw.text === '' && type.includes('json') ? null : raw.text) as T;
    try {
      if (opts.parse) return opts.parse(raw.text) as T;
      return (
        opts.exactIntegers ? parseJsonExactIntegers(raw.text) : JSON.parse(raw.text, opts.reviver)
      ) as T;
    } catch (err) {
      throw new HttpBodyError(
        info,
        `invalid JSON (${(err as Error).message}) starting ${JSON.stringify(this.snippet(raw.text, 80))}`,
      );
    }
  }

  private snippet(text: string, max = BODY_SNIPPET): string {
    const flat = text.replace(/\s+/g, ' ').trim();
    return this.redactor.redact(flat.length > max ? `${flat.slice(0, max)}…` : flat);
  }

  private linkedSignal(signal: AbortSignal | undefined): AbortSignal {
    const deadlineSignal = Number.isFinite(this.deadline.endsAt) ? this.deadline.signal : undefined;
    const signals = [signal, deadlineSignal].filter((s): s is AbortSignal => s !== undefined);
    // Always a fresh composite: http.request and timers add an 'abort' listener to the signal they get, and
    // a caller's signal shared by many concurrent requests would collect them (MaxListenersExceededWarning).
    // AbortSignal.any links to its sources without adding listeners to them.
    return signals.length === 0 ? new AbortController().signal : AbortSignal.any(signals);
  }

  private stopped(signal: AbortSignal | undefined): boolean {
    return Boolean(signal?.aborted) || this.deadline.expired();
  }

  private throwIfStopped(signal: AbortSignal | undefined, info: RequestInfo): void {
    if (this.deadline.expired()) throw this.deadline.error(info.operation);
    if (signal?.aborted) {
      const reason: unknown = signal.reason;
      throw reason instanceof Error ? reason : new Error(`${info.operation} aborted`);
    }
  }

  private async wait(ms: number, signal: AbortSignal | undefined, info: RequestInfo): Promise<void> {
    try {
      await sleep(ms, undefined, { signal: this.linkedSignal(signal) });
    } catch {
      this.throwIfStopped(signal, info);
      throw this.deadline.error(info.operation);
    }
  }
}

interface NetworkFailure {
  code: string;
  message: string;
  cause: unknown;
}

function describeNetworkError(err: unknown): NetworkFailure {
  const e = err as NodeJS.ErrnoException & { cause?: { code?: string } };
  const code = e?.code ?? e?.cause?.code ?? 'EUNKNOWN';
  return { code, message: e?.message ?? String(err), cause: err };
}
