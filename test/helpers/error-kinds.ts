/**
 * The error names a handler may end with (docs/errors.md): the nflex kinds and the connector's own typed
 * errors. Anything else (InternalError, TypeError, …) is a crash.
 */
export const TYPED_ERROR_KINDS: ReadonlySet<string> = new Set([
  'ValidationError',
  'InvalidCredentials',
  'InsufficientPermission',
  'NoBillingReport',
  'SpendError',
  'TransientError',
  'UpstreamError',
  'DeadlineExceededError',
  'ResultTooLarge',
]);
