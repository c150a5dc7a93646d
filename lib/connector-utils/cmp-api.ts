/** Failures of the CMP API calls connector-utils makes (task progress, account updates). */
import { pyBytesRepr } from './py-compat';

/** Thrown when the CMP API answers a connector-utils call with a status other than 200. */
export class CmpApiError extends Error {
  readonly status: number;
  constructor(message: string, status: number) {
    super(message);
    this.name = 'CmpApiError';
    this.status = status;
  }
}

/** The original's "Got bad response from <what> API: <status>, <bytes repr of the body>" message. */
export function badResponse(what: string, status: number, content: string | undefined): CmpApiError {
  return new CmpApiError(
    `Got bad response from ${what} API: ${status}, ${pyBytesRepr(content ?? '')}`,
    status,
  );
}
