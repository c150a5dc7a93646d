/**
 * The product's error taxonomy. Every failure a handler can surface is one of these, each with a `cause`
 * where there is one; lib/middleware maps them once onto the nflex error kinds (InvalidCredentials,
 * InsufficientPermission, NoBillingReport, SpendError) or lets them through with their own `name`.
 */

export type FailureKind =
  | 'config'
  | 'credentials'
  | 'permission'
  | 'transient'
  | 'upstream'
  | 'deadline'
  | 'size';

/** Base class: a typed, user-facing error. `kind` says who has to act (operator, upstream, retry later). */
export class ConnectorError extends Error {
  readonly kind: FailureKind;
  constructor(kind: FailureKind, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.kind = kind;
    this.name = new.target.name;
  }
}

/** Bad input: a malformed event, credential object, rate card or mapping file. Names the field. */
export class ValidationError extends ConnectorError {
  readonly field: string;
  constructor(field: string, expected: string, options?: { cause?: unknown; got?: string }) {
    super('config', `${field}: expected ${expected}${options?.got ? `, got ${options.got}` : ''}`, options);
    this.field = field;
  }
}

/** The upstream rejected the credentials (401 after one re-authentication, failed login). */
export class AuthenticationError extends ConnectorError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('credentials', message, options);
  }
}

/** The credentials are valid but lack a permission (403). */
export class PermissionError extends ConnectorError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('permission', message, options);
  }
}

/** A retryable failure that stayed failed after the bounded retries (429/5xx/reset/timeout). */
export class TransientError extends ConnectorError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('transient', message, options);
  }
}

/** The upstream answered something we cannot use: 400/404, a malformed body, a paging inconsistency. */
export class UpstreamError extends ConnectorError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('upstream', message, options);
  }
}

/** The invocation ran out of time; work stopped cleanly before the Lambda timeout. */
export class DeadlineExceededError extends ConnectorError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('deadline', message, options);
  }
}

/**
 * A buffered result would pass the runner's response limit (MAX_RESPONSE_BYTES). Not retryable: the same call
 * gives the same size; the remedy is the streaming function or a narrower `credentials.clusters`.
 */
export class ResultTooLarge extends ConnectorError {
  /** Bytes of JSON produced when the limit was passed. */
  readonly bytes: number;
  readonly limit: number;
  constructor(message: string, figures: { bytes: number; limit: number }) {
    super('size', message);
    this.bytes = figures.bytes;
    this.limit = figures.limit;
  }
}

/**
 * The deployment's configuration is wrong or unreachable (an SSM parameter missing, unreadable or denied, no
 * AWS credentials): an operator has to act, so it is never retried. Names the setting and the cause.
 */
export class ConfigurationError extends ConnectorError {
  readonly setting: string;
  constructor(setting: string, cause: string, options?: { cause?: unknown }) {
    super('config', `${setting}: ${cause}`, options);
    this.setting = setting;
  }
}
