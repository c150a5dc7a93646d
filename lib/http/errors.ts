/**
 * HTTP-level subclasses of the product's error taxonomy. Each carries the request it came from (method,
 * path, operation label) and, where there was a response, its status — never headers or credentials.
 */
import { AuthenticationError, PermissionError, TransientError, UpstreamError } from '../errors';

/** Where a failed request was going; safe to print (no query secrets, no headers). */
export interface RequestInfo {
  method: string;
  /** Path without the query string. */
  path: string;
  /** Human label such as 'list vms'. */
  operation: string;
  /** `scheme://host:port` of the upstream. */
  origin: string;
}

function describe(info: RequestInfo): string {
  return `${info.operation} (${info.method} ${info.origin}${info.path})`;
}

/** 401 that survived one re-authentication, or a 401 where no re-authentication is possible. */
export class HttpAuthError extends AuthenticationError {
  constructor(
    readonly request: RequestInfo,
    readonly status: number,
    detail: string,
  ) {
    super(`${describe(request)} was rejected with HTTP ${status}: ${detail}`);
  }
}

/** 403: the credentials are valid but not allowed to do this. */
export class HttpPermissionError extends PermissionError {
  constructor(
    readonly request: RequestInfo,
    readonly status: number,
    detail: string,
  ) {
    super(`${describe(request)} is not permitted for this account (HTTP ${status}): ${detail}`);
  }
}

/** A retryable failure (429/5xx/reset/timeout) that stayed failed after the bounded retries. */
export class HttpTransientError extends TransientError {
  constructor(
    readonly request: RequestInfo,
    readonly attempts: number,
    readonly status: number | null,
    detail: string,
    cause?: unknown,
  ) {
    super(`${describe(request)} failed after ${attempts} attempt(s): ${detail}`, { cause });
  }
}

/** A non-retryable HTTP status (400, 404, other 4xx): the request itself is wrong for this upstream. */
export class HttpStatusError extends UpstreamError {
  constructor(
    readonly request: RequestInfo,
    readonly status: number,
    /** The start of the response body, redacted. */
    readonly body: string,
  ) {
    super(`${describe(request)} returned HTTP ${status}${body ? `: ${body}` : ''}`);
  }
}

/** The host could not be reached at all (refused, unknown host, TLS failure): fail fast, name the cause. */
export class HttpConnectionError extends UpstreamError {
  constructor(
    readonly request: RequestInfo,
    readonly code: string,
    detail: string,
    cause?: unknown,
  ) {
    super(`cannot reach ${request.origin} for ${request.operation}: ${detail} (${code})`, { cause });
  }
}

/** The upstream answered 2xx with a body we could not parse as the JSON it declared. */
export class HttpBodyError extends UpstreamError {
  constructor(
    readonly request: RequestInfo,
    detail: string,
  ) {
    super(`${describe(request)} returned a malformed body: ${detail}`);
  }
}
