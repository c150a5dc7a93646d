/**
 * Shared set-up of the handler tests: a fake Lambda context, events for both providers, a log capture, and
 * the fake provider installed for both provider names.
 */
import { join } from 'node:path';
import type { Context } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { fixedClock, setClock } from '../../lib/connector-utils/time/clock';
import { setLogSink } from '../../lib/log/logger';
import { setProviderFactory } from '../../lib/providers/index';
import type { ProviderName } from '../../lib/providers/provider';
import { FAKE_PASSWORD, type FakeCalls, fakeProviderFactory } from './fake-provider';

export const PROVIDERS: ProviderName[] = ['nutanix', 'cloudtower'];
export const RESOURCE_UUID = '3f2c1a9e-8b7d-4c6e-9f01-23456789abcd';
/** Where the fake-provider tests hold the clock. */
export const FAKE_NOW = '2026-11-27T10:00:00.000000';

let requestSeq = 0;

/** A fresh Lambda context (the runtime hangs off it, so one per invocation). */
export function lambdaContext(remainingMs = 60_000): Context {
  const endsAt = Date.now() + remainingMs;
  requestSeq++;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'test',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:test',
    memoryLimitInMB: '1024',
    awsRequestId: `req-${requestSeq}`,
    logGroupName: 'test',
    logStreamName: 'test',
    getRemainingTimeInMillis: () => endsAt - Date.now(),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** A scheduler event with good fake credentials for `provider`; `overrides` are merged on top. */
export function event(
  provider: ProviderName,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    account_id: 'acct-1',
    customer_id: 'cust-1',
    user_id: 'user-1',
    provider,
    poll_interval: 300,
    poll_type: 'resources',
    credentials: {
      host: provider === 'nutanix' ? 'prism.example' : 'tower.example',
      username: 'admin',
      password: FAKE_PASSWORD,
    },
    ...overrides,
  };
}

/** Installs the fake provider for both provider names; returns the call recorder. */
export function installFake(servers = 4): FakeCalls {
  const calls: FakeCalls = { metrics: [], usage: [] };
  for (const p of PROVIDERS) setProviderFactory(p, fakeProviderFactory({ servers, calls }));
  return calls;
}

/** Removes the fake. */
export function uninstallFake(): void {
  for (const p of PROVIDERS) setProviderFactory(p, null);
}

/** Captures every structured log line while installed. */
export function captureLogs(): { lines: string[]; stop: () => void } {
  const lines: string[] = [];
  setLogSink((l) => lines.push(l));
  return { lines, stop: () => setLogSink(null) };
}

/** Awaits a promise expected to reject and returns the error (fails the test if it resolves). */
export async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected the handler to throw, but it returned');
}

/**
 * The hooks of a file of fake-provider handler tests: the handler fixtures as assets and no metrics skew for
 * the file; per test, the clock at FAKE_NOW, every log line captured, and the fake removed afterwards.
 * `lines` are the current test's log lines.
 */
export function useFakeHandlers(): { readonly lines: string[] } {
  let logs: ReturnType<typeof captureLogs> | null = null;
  beforeAll(() => {
    process.env.CONNECTOR_ASSETS_DIR = join(__dirname, '..', 'fixtures', 'handlers');
    process.env.METRICS_SKEW_SECONDS = '0';
  });
  afterAll(() => {
    delete process.env.CONNECTOR_ASSETS_DIR;
    delete process.env.METRICS_SKEW_SECONDS;
  });
  beforeEach(() => {
    logs = captureLogs();
    setClock(fixedClock(FAKE_NOW));
  });
  afterEach(() => {
    logs?.stop();
    logs = null;
    setClock(null);
    uninstallFake();
  });
  return {
    get lines() {
      if (!logs) throw new Error('log lines are captured only while a test runs');
      return logs.lines;
    },
  };
}
