/** Account: metadata about the provider account, written back to the CMP during account sync. */

import { badResponse } from './cmp-api';
import type { NflexContext } from './context';
import type { Metadata, SerializedMetadata } from './metadata';

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
