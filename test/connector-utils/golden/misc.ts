/** Golden runner for misc.json: Logger, setTaskPercentage, Account.update and the nflex errors. */
import { expect, vi } from 'vitest';
import {
  Account,
  InsufficientPermission,
  InvalidCredentials,
  Logger,
  Metadata,
  type NflexContext,
  NoBillingReport,
  SpendError,
  setTaskPercentage,
} from '../../../lib/connector-utils/index';
import { expectSameError } from './decode';
import type { GoldenCase, GoldenRunner } from './types';

interface Recorded {
  api_calls: { method: string; path: string; data: unknown }[];
  context_log_calls: { message: string; severity: string | undefined }[];
  stdout: string;
}

/** A context whose API answers every call with the case's status/content and records what it was asked. */
function fakeContext(
  spec: { module_id?: string | null; status_code?: number; content?: string } = {},
  rec: Recorded,
): NflexContext {
  const answer = (method: string) => async (path: string, data?: unknown) => {
    rec.api_calls.push({ method, path, data });
    const content = spec.content ?? '';
    return { status_code: spec.status_code ?? 200, content, json: () => JSON.parse(content) as unknown };
  };
  return {
    api: {
      get: answer('GET'),
      post: answer('POST'),
      put: answer('PUT'),
      patch: answer('PATCH'),
      delete: answer('DELETE'),
    },
    log: (message, severity) => {
      rec.context_log_calls.push({ message, severity });
    },
    module_id: spec.module_id ?? null,
    customer_id: null,
    secrets: {},
    config: {},
    state: {
      get: async () => undefined,
      getAll: async () => ({}),
      set: async () => {},
      delete: async () => {},
    },
  };
}

const ERRORS = { InvalidCredentials, InsufficientPermission, NoBillingReport, SpendError } as const;

// biome-ignore lint/suspicious/noExplicitAny: golden input
type Action = (input: any, context: NflexContext) => Promise<unknown> | unknown;

/**
 * What each case does, chosen by the first segment of its name (`logger/…`, `errors/…`): a new vector of a
 * known kind replays whatever its input carries, and an unknown kind fails naming the prefix.
 */
export const MISC_ACTIONS: Record<string, Action> = {
  logger: (input, context) => {
    const logger = new Logger({
      context,
      customerId: input.logger.customer_id,
      accountId: input.logger.account_id,
      resourceId: input.logger.resource_id,
    });
    for (const [severity, body] of input.calls as [keyof Logger, string][]) logger[severity](body);
    return undefined;
  },
  errors: (input) => {
    const err = new ERRORS[input.class as keyof typeof ERRORS](...(input.args as [string?]));
    return { message: err.message, args: err.args, is_exception: err instanceof Error };
  },
  tasks: (input, context) => setTaskPercentage(context, input.task_id, input.percentage),
  account_update: (input, context) => {
    // The generator's account always carries the metadata ("k", "v") (visible in the recorded PATCH data).
    const account = new Account({ id: input.id, metadata: new Metadata({ values: [['k', 'v']] }) });
    return account.update(context, input.account_id);
  },
};

/** The action for a case name, by its prefix. */
export function miscAction(name: string): Action {
  const prefix = name.split('/')[0] ?? '';
  const action = MISC_ACTIONS[prefix];
  if (!action) {
    throw new Error(
      `misc case ${name}: no action for the prefix "${prefix}" (known: ${Object.keys(MISC_ACTIONS).join(', ')})`,
    );
  }
  return action;
}

/** Runs a case with stdout captured; returns the outcome and everything recorded. */
async function replay(c: GoldenCase): Promise<{ value: unknown; error: unknown; rec: Recorded }> {
  const rec: Recorded = { api_calls: [], context_log_calls: [], stdout: '' };
  const context = fakeContext(c.input.context, rec);
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    rec.stdout += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  });
  let value: unknown;
  let error: unknown;
  try {
    value = await miscAction(c.name)(c.input, context);
  } catch (err) {
    error = err;
  } finally {
    spy.mockRestore();
  }
  return { value, error, rec };
}

export const runner: GoldenRunner = {
  async run(c) {
    const { value, error, rec } = await replay(c);
    if (c.error) {
      expectSameError(error, c.error);
      expect(rec.api_calls).toEqual(c.error.api_calls ?? []);
      expect(rec.stdout).toBe(c.error.stdout ?? '');
      return;
    }
    if (error) throw error;
    expect(value ?? null).toEqual(c.expected.return);
    expect(rec.api_calls).toEqual(c.expected.api_calls);
    expect(rec.context_log_calls).toEqual(c.expected.context_log_calls);
    expect(rec.stdout).toBe(c.expected.stdout);
  },
};
