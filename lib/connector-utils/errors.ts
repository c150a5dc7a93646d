/**
 * The nflex error kinds (module `errors` of the original). Spend collectors and credential checks raise these
 * so the platform can classify a failure; connector-utils itself never raises them. `args` mirrors Python's
 * `Exception.args` (what the platform would see), `name` is the kind.
 */

/** Options accepted by every nflex error. */
export interface NflexErrorOptions {
  cause?: unknown;
}

/** Builds the message/args pair of the three errors that replace a falsy message by a default. */
function withDefault(message: string | null | undefined, fallback: string): string {
  return message ? message : fallback;
}

/** The credentials were rejected by the provider. */
export class InvalidCredentials extends Error {
  readonly args: string[];
  constructor(message?: string | null, options?: NflexErrorOptions) {
    const text = withDefault(message, 'Invalid Credentials');
    super(text, options);
    this.name = 'InvalidCredentials';
    this.args = [text];
  }
}

/** The credentials are valid but lack a permission the connector needs. */
export class InsufficientPermission extends Error {
  readonly args: string[];
  constructor(message?: string | null, options?: NflexErrorOptions) {
    const text = withDefault(message, 'Insufficient permission');
    super(text, options);
    this.name = 'InsufficientPermission';
    this.args = [text];
  }
}

/** No billing data exists for the requested period. */
export class NoBillingReport extends Error {
  readonly args: string[];
  constructor(message?: string | null, options?: NflexErrorOptions) {
    const text = withDefault(message, 'No billing report found');
    super(text, options);
    this.name = 'NoBillingReport';
    this.args = [text];
  }
}

/** Spend collection failed; a bare exception in the original, so no default message. */
export class SpendError extends Error {
  readonly args: string[];
  constructor(message?: string, options?: NflexErrorOptions) {
    super(message ?? '', options);
    this.name = 'SpendError';
    this.args = message === undefined ? [] : [message];
  }
}
