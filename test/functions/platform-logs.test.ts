/**
 * On the platform (module_id set) the handlers' log lines also reach the CMP's log API through
 * connector-utils' Logger, as an nflex module's lines would; a failing log API never loops or fails the poll.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { handler as getResources } from '../../functions/get-resources';
import { type CmpSimulator, startCmpSimulator } from '../simulators/cmp';
import { FAKE_PASSWORD } from './fake-provider';
import { captureLogs, event, installFake, lambdaContext, uninstallFake } from './harness';

let cmp: CmpSimulator;

beforeAll(async () => {
  cmp = await startCmpSimulator();
});

afterAll(async () => {
  await cmp.stop();
});

afterEach(() => {
  uninstallFake();
  cmp.reset();
  for (const k of ['CMP_API_URL', 'CMP_API_KEY', 'NFLEX_MODULE_ID']) delete process.env[k];
});

function useCmp(moduleId: string): void {
  process.env.CMP_API_URL = cmp.baseUrl;
  process.env.CMP_API_KEY = cmp.apiKey ?? '';
  process.env.NFLEX_MODULE_ID = moduleId;
}

describe('platform log forwarding', () => {
  it('sends the invocation summary through the nflex Logger to POST /logs, redacted', async () => {
    installFake(3);
    useCmp('mod-42');
    const capture = captureLogs();
    try {
      await getResources(event('nutanix'), lambdaContext());
    } finally {
      capture.stop();
    }
    const summary = cmp.logs.find((l) => l.message.includes('invocation succeeded'));
    expect(summary).toBeDefined();
    expect(summary?.message).toMatch(
      /^Target\(customer: cust-1,account: acct-1, resource: None\): invocation succeeded/,
    );
    expect(summary?.severity).toBe('INFO');
    expect(summary?.resource_id).toBe('nflex-module-mod-42');
    expect(JSON.stringify(cmp.logs)).not.toContain(FAKE_PASSWORD);
    // Locally the same line is still written to stdout as structured JSON.
    expect(capture.lines.some((l) => l.includes('"invocation succeeded"'))).toBe(true);
  });

  it('keeps polling when the log API fails, and reports that locally only (no feedback loop)', async () => {
    installFake(2);
    useCmp('mod-42');
    cmp.setStatus(500);
    const capture = captureLogs();
    let result: unknown;
    try {
      result = await getResources(event('cloudtower'), lambdaContext());
    } finally {
      capture.stop();
    }
    expect(Array.isArray(result)).toBe(true);
    const refusals = capture.lines.filter((l) => l.includes('CMP log API refused a log line'));
    expect(refusals.length).toBeGreaterThan(0);
    // Each refusal is about one forwarded line; it is never forwarded again itself.
    expect(refusals.length).toBeLessThanOrEqual(capture.lines.length);
    expect(cmp.rawCalls.filter((c) => c.path === '/logs').length).toBe(refusals.length);
  });
});
