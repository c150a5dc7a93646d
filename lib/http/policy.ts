/**
 * The single status → action table for every upstream, and the backoff schedule. Providers never decide
 * retries themselves: one table means Prism and CloudTower misbehaviour is handled the same way.
 */

import { TLS_MISMATCH_CODES } from './tls';

/** What the client does with an outcome. */
export type Action = 'ok' | 'retry' | 'reauth' | 'permission' | 'fail' | 'unreachable';

/** Statuses with a fixed action; any other 2xx is ok, any other status fails without retry. */
export const STATUS_ACTIONS: Readonly<Record<number, Action>> = {
  401: 'reauth',
  403: 'permission',
  408: 'retry',
  429: 'retry',
  500: 'retry',
  502: 'retry',
  503: 'retry',
  504: 'retry',
};

/** Socket-level error codes worth another attempt (the peer or the path hiccuped). */
const RETRYABLE_CODES = new Set([
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ECONNABORTED',
  'EAI_AGAIN',
  'ENETRESET',
  'UND_ERR_SOCKET',
  'ERR_STREAM_PREMATURE_CLOSE',
]);

/** Error codes that will not fix themselves within one invocation: report at once, naming the cause. */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
]);

/**
 * Certificate verification failures whose codes name no certificate (OpenSSL's X509 verify results as
 * Node reports them): a private CA, a wrong purpose, a bad chain. Like every TLS verification failure they
 * need an operator; retrying them only delays the answer.
 */
const TLS_VERIFY_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_CRL',
  'UNABLE_TO_DECRYPT_CRL_SIGNATURE',
  'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
  'CRL_SIGNATURE_FAILURE',
  'CRL_NOT_YET_VALID',
  'CRL_HAS_EXPIRED',
  'ERROR_IN_CRL_LAST_UPDATE_FIELD',
  'ERROR_IN_CRL_NEXT_UPDATE_FIELD',
  'INVALID_CA',
  'PATH_LENGTH_EXCEEDED',
  'INVALID_PURPOSE',
  'HOSTNAME_MISMATCH',
]);

/** Maps an HTTP status to the action. */
export function actionForStatus(status: number): Action {
  const fixed = STATUS_ACTIONS[status];
  if (fixed) return fixed;
  return status >= 200 && status < 300 ? 'ok' : 'fail';
}

/** Maps a socket/TLS error code to the action: retry, or fail fast as unreachable. */
export function actionForErrorCode(code: string | undefined): Action {
  if (code && RETRYABLE_CODES.has(code)) return 'retry';
  if (code && (UNREACHABLE_CODES.has(code) || TLS_MISMATCH_CODES.has(code))) return 'unreachable';
  // TLS verification failures (self-signed, expired, wrong host name) need an operator, not a retry.
  if (
    code &&
    (TLS_VERIFY_CODES.has(code) ||
      code.includes('CERT') ||
      code.startsWith('ERR_TLS') ||
      code.includes('SELF_SIGNED'))
  ) {
    return 'unreachable';
  }
  return 'retry';
}

/** Backoff settings: bounded attempts, full-jitter exponential delays. */
export interface RetryPolicy {
  /** Total attempts including the first (default 5). */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Longest Retry-After we are willing to honour; longer → give up with the transient error. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 200,
  maxDelayMs: 10_000,
  maxRetryAfterMs: 60_000,
};

/** Full jitter: uniform in [0, min(max, base·2^(attempt-1))]. `attempt` is the attempt that just failed (1-based). */
export function backoffDelayMs(
  policy: RetryPolicy,
  attempt: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor(random() * ceiling);
}

/** Parses Retry-After (delta seconds or an HTTP date) into ms from `now`; null when absent or invalid. */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | null {
  if (value === undefined) return null;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}
