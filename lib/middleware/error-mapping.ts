/**
 * The one place typed errors become what the CMP module runner reads: an Error whose `name` is the nflex
 * error kind and whose message is clear and redacted. Stacks from deep inside never leave the handler; the
 * original error is logged (redacted) for operators instead.
 */
import type { MiddlewareObj } from '@middy/core';
import {
  InsufficientPermission,
  InvalidCredentials,
  NoBillingReport,
  SpendError,
} from '../connector-utils/errors';
import { AuthenticationError, ConnectorError, PermissionError, ValidationError } from '../errors';
import { Redactor } from '../http/redact';
import { type ConnectorContext, runtimeOf } from './runtime';

/** The error kinds the nflex platform classifies (plus our own typed names, passed through). */
export const NFLEX_ERROR_KINDS = [
  'InvalidCredentials',
  'InsufficientPermission',
  'NoBillingReport',
  'SpendError',
];

/** A handler failure that is not one of the nflex kinds; keeps the typed name of what went wrong. */
export class HandlerError extends Error {
  /** The taxonomy kind (`config`, `transient`, …) or `internal` for a bug. */
  readonly kind: string;
  /** For validation errors: the field at fault. */
  readonly field: string | undefined;
  constructor(name: string, message: string, kind: string, field?: string) {
    super(message);
    this.name = name;
    this.kind = kind;
    this.field = field;
  }
}

/** Replaces the stack with one line: the runner shows it, and a deep stack helps nobody there. */
function shortStack<T extends Error>(err: T, where: string): T {
  err.stack = `${err.name}: ${err.message}\n    at ${where}`;
  return err;
}

/** Maps any thrown value onto the error the handler throws. `where` names the handler. */
export function toHandlerError(err: unknown, redactor: Redactor, where: string): Error {
  const message = redactor.redact(err instanceof Error ? err.message : String(err));
  let out: Error;
  if (err instanceof InvalidCredentials || err instanceof AuthenticationError) {
    out = new InvalidCredentials(message);
  } else if (err instanceof InsufficientPermission || err instanceof PermissionError) {
    out = new InsufficientPermission(message);
  } else if (err instanceof NoBillingReport) {
    out = new NoBillingReport(message);
  } else if (err instanceof SpendError) {
    out = new SpendError(message);
  } else if (err instanceof ValidationError) {
    out = new HandlerError('ValidationError', message, err.kind, err.field);
  } else if (err instanceof ConnectorError) {
    out = new HandlerError(err.name, message, err.kind);
  } else if (err instanceof HandlerError) {
    out = new HandlerError(err.name, message, err.kind, err.field);
  } else {
    const name = err instanceof Error ? err.name : 'Error';
    out = new HandlerError('InternalError', `unexpected ${name} in ${where}: ${message}`, 'internal');
  }
  return shortStack(out, where);
}

/** onError middleware: logs the failure once (redacted) and replaces it with the error mapped to its nflex kind. */
export function errorMapping(): MiddlewareObj<unknown, unknown, Error, ConnectorContext> {
  return {
    name: 'errorMapping',
    onError: (request) => {
      const rt = runtimeOf(request.context, true);
      const where = rt?.handler ?? 'handler';
      const mapped = toHandlerError(request.error, rt?.log.redactor ?? new Redactor(), where);
      rt?.log.error('invocation failed', {
        error: { name: mapped.name, message: mapped.message },
        cause: request.error?.name,
        duration_ms: Date.now() - (rt?.startedAt ?? Date.now()),
        ...(rt?.counts ?? {}),
      });
      // Replacing (not throwing) keeps middy from attaching the original error as `originalError`.
      request.error = mapped;
    },
  };
}
