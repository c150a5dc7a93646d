/** The options and results of lib/http's client. */
import type { Deadline } from './deadline';
import type { RetryPolicy } from './policy';
import type { Redactor } from './redact';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** How the client authenticates. `refresh` is called at most once per request after a 401. */
export interface AuthHandler {
  /** Headers to add to each attempt (may log in lazily on first use). */
  headers(signal: AbortSignal): Promise<Record<string, string>> | Record<string, string>;
  /** Obtains a fresh session/token. Absent → a 401 is final. */
  refresh?(signal: AbortSignal): Promise<void>;
}

export interface HttpClientOptions {
  /** `scheme://host:port`; paths are appended to it. */
  baseUrl: string;
  /** Verify the server certificate (default true). `false` must be asked for explicitly. */
  verifySsl?: boolean;
  /** PEM bundle of a private CA to trust. */
  caCert?: string;
  /** Per-attempt timeout in ms (default 30 s), shortened to the time left before the deadline. */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  deadline?: Deadline;
  auth?: AuthHandler;
  /** Strings to mask in every message this client produces. */
  secrets?: Array<string | undefined>;
  /** A shared redactor (providers register session tokens on it as they appear). */
  redactor?: Redactor;
  logger?: { warn(message: string): void; info?(message: string): void };
  /** Keep-alive socket pool size (default 16). */
  maxSockets?: number;
  userAgent?: string;
  /** Random source for jitter (tests). */
  random?: () => number;
}

export interface RequestOptions {
  method?: HttpMethod;
  /** Path beginning with '/', without query. */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  /** Serialised as JSON. */
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Label for errors, logs and stats, e.g. 'list vms'. */
  operation?: string;
  /** Send the auth handler's headers and re-authenticate on 401 (default true; false for a login call). */
  auth?: boolean;
  /** Integers beyond 2^53 in a JSON body come back as strings of their exact digits (see ./json). */
  exactIntegers?: boolean;
  /** JSON.parse's reviver: lets a caller drop parts of a large body as they are parsed (never both with exactIntegers). */
  reviver?: (this: unknown, key: string, value: unknown) => unknown;
  /** Parses a JSON body in place of JSON.parse (e.g. ./json parseJsonArray for large list pages). */
  parse?: (text: string) => unknown;
  /**
   * Resolve with the final response of any status, its body as text, instead of throwing: for a caller that
   * reads the status itself (connector-utils does with the CMP API). Network failures still throw.
   */
  anyStatus?: boolean;
}

export interface HttpResponse<T> {
  status: number;
  headers: Record<string, string>;
  body: T;
}

export interface HttpStats {
  /** Logical requests (calls to request()). */
  requests: number;
  /** Attempts on the wire, retries and re-authentications included. */
  attempts: number;
  retries: number;
  reauths: number;
}
