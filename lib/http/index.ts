/** The shared HTTP layer: one client, one retry table, deadlines, bounded concurrency, redaction. */
export {
  type AuthHandler,
  HttpClient,
  type HttpClientOptions,
  type HttpMethod,
  type HttpResponse,
  type HttpStats,
  type RequestOptions,
} from './client';
export { mapLimit, RequestLimiter } from './concurrency';
export { Deadline, type RemainingTimeSource } from './deadline';
export {
  HttpAuthError,
  HttpBodyError,
  HttpConnectionError,
  HttpPermissionError,
  HttpStatusError,
  HttpTransientError,
  type RequestInfo,
} from './errors';
export {
  type Action,
  actionForErrorCode,
  actionForStatus,
  backoffDelayMs,
  DEFAULT_RETRY_POLICY,
  parseRetryAfter,
  type RetryPolicy,
  STATUS_ACTIONS,
} from './policy';
export { Redactor } from './redact';
