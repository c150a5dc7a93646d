/** Account: metadata about the provider account, written back to the CMP during account sync. */
import type { NflexContext } from './context';
import type { Metadata, SerializedMetadata } from './metadata';
import { pyBytesRepr } from './py-compat';

/** Options of `new Account(...)`. */
export interface AccountOptions {
  /** Dropped from the output when falsy (""). */
  id?: string | null;
  /** Emitted whenever given, even when empty. */
  metadata?: Metadata | null;
}

/** Serialized account. */
export interface SerializedAccount {
  id?: string;
  metadata?: SerializedMetadata;
}

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

/** A provider account as the CMP stores it. */
export class Account {
  readonly id: string | null;
  readonly metadata: Metadata | null;

  constructor(options: AccountOptions = {}) {
    this.id = options.id ?? null;
    this.metadata = options.metadata ?? null;
  }

  /** `{id?, metadata?}`. */
  serialize(): SerializedAccount {
    const out: SerializedAccount = {};
    if (this.id) out.id = this.id;
    if (this.metadata) out.metadata = this.metadata.serialize();
    return out;
  }

  /**
   * PATCHes `/accounts/<accountId>/resource` with serialize(). Does nothing when accountId is null/undefined
   * or the context has no module_id (null/undefined; "" still posts). Rejects with CmpApiError on non-200.
   * Async because the CMP client is HTTP.
   */
  async update(context: NflexContext, accountId: string | null | undefined): Promise<void> {
    if (accountId === null || accountId === undefined) return;
    if (context.module_id === null || context.module_id === undefined) return;
    const response = await context.api.patch(`/accounts/${accountId}/resource`, this.serialize());
    if (response.status_code !== 200) throw badResponse('account', response.status_code, response.content);
  }
}
