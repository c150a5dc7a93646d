/**
 * The size guard and the streaming handlers in-process, against the fake provider: buffered handlers fail
 * with ResultTooLarge past MAX_RESPONSE_BYTES (early, naming k of n and the remedies); the streaming handlers,
 * run under the emulated Lambda streaming runtime, stream exactly the buffered JSON, fail before the first
 * byte like their twins, and abort the stream on an error after it.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { handler as getMetrics } from '../../functions/get-metrics';
import { handler as getResources } from '../../functions/get-resources';
import { handler as getSpend } from '../../functions/get-spend';
import { setProviderFactory } from '../../lib/providers/index';
import type { Inventory, ResolvedCredentials } from '../../lib/providers/provider';
import { draining } from '../../lib/providers/to-nflex';
import { installStreamingRuntime, invokeStreaming } from '../../scripts/lib/lambda-streaming';
import { FAKE_PASSWORD, fakeInventory, fakeProviderFactory } from './fake-provider';
import { event, installFake, lambdaContext, PROVIDERS, rejection, useFakeHandlers } from './harness';

type Handler = (event: unknown, stream: unknown, context: unknown) => Promise<unknown>;
let streamHandlers: { getResourcesStream: Handler; getMetricsStream: Handler };

const logs = useFakeHandlers();

beforeAll(async () => {
  // middy's streamifyResponse needs the runtime's global at load, so the modules load after it exists.
  installStreamingRuntime();
  streamHandlers = {
    getResourcesStream: (await import('../../functions/get-resources-stream')).handler as unknown as Handler,
    getMetricsStream: (await import('../../functions/get-metrics-stream')).handler as unknown as Handler,
  };
});
afterEach(() => {
  delete process.env.MAX_RESPONSE_BYTES;
});

/** A fake provider whose inventory is `inv()` (the rest as the standard fake). */
function installInventory(inv: () => Inventory): void {
  for (const p of PROVIDERS) {
    setProviderFactory(p, (c: ResolvedCredentials, o) => {
      const fake = fakeProviderFactory({ servers: 4 })(c, o);
      const inventory = async (signal: AbortSignal) => {
        await fake.inventory(signal);
        return inv();
      };
      const lazyInventory = async (signal: AbortSignal) => draining(await inventory(signal));
      return { ...fake, inventory, lazyInventory };
    });
  }
}

const stream = (fn: keyof typeof streamHandlers, ev: unknown) =>
  invokeStreaming(streamHandlers[fn] as never, ev, { functionName: fn, timeoutMs: 60_000 });

describe.each(PROVIDERS)('%s: result size guard', (provider) => {
  it('getResources fails with ResultTooLarge at the record that passes the limit, naming getResourcesStream and credentials.clusters', async () => {
    installFake(500);
    const full = (await getResources(event(provider), lambdaContext())) as unknown[];
    const fullBytes = Buffer.byteLength(JSON.stringify(full));
    process.env.MAX_RESPONSE_BYTES = String(Math.floor(fullBytes / 10));

    const err = await rejection(getResources(event(provider), lambdaContext()));

    expect(err.name).toBe('ResultTooLarge');
    const m =
      /^getResources result is over ([\d,]+) bytes after ([\d,]+) of ([\d,]+) records; call getResourcesStream \(Lambda response streaming\) instead, or limit the account to fewer clusters with credentials\.clusters$/.exec(
        err.message,
      );
    expect(m).not.toBeNull();
    const [k, n] = [Number(m?.[2]?.replace(/,/g, '')), Number(m?.[3]?.replace(/,/g, ''))];
    expect(n).toBe(full.length);
    // Stopped about a tenth of the way in, not after serializing everything.
    expect(k).toBeGreaterThan(n / 20);
    expect(k).toBeLessThan(n / 5);
    expect(`${err.message}${err.stack}${logs.lines.join('\n')}`).not.toContain(FAKE_PASSWORD);
    expect(logs.lines.some((l) => l.includes('"ResultTooLarge"'))).toBe(true);
  });

  it('a result of exactly the limit passes; getSpend and getMetrics are guarded too', async () => {
    installFake(40);
    const full = await getResources(event(provider), lambdaContext());
    process.env.MAX_RESPONSE_BYTES = String(Buffer.byteLength(JSON.stringify(full)));
    expect(await getResources(event(provider), lambdaContext())).toEqual(full);

    process.env.MAX_RESPONSE_BYTES = '2000';
    const spend = await rejection(getSpend(event(provider), lambdaContext()));
    expect(spend.name).toBe('ResultTooLarge');
    expect(spend.message).toMatch(
      /^getSpend result is over 2,000 bytes after \d+ of 80 records; limit the account/,
    );
    const metrics = await rejection(
      getMetrics(event(provider, { last_update: '2026-11-27T09:30:00.000000Z' }), lambdaContext()),
    );
    expect(metrics.name).toBe('ResultTooLarge');
    expect(metrics.message).toMatch(/^getMetrics result is over 2,000 bytes .*call getMetricsStream/);
  });

  it('an invalid MAX_RESPONSE_BYTES is a ValidationError naming it', async () => {
    installFake(4);
    process.env.MAX_RESPONSE_BYTES = '6MB';
    const err = await rejection(getResources(event(provider), lambdaContext()));
    expect(err.name).toBe('ValidationError');
    expect(err.message).toBe('MAX_RESPONSE_BYTES: expected a positive whole number of bytes, got "6MB"');
  });
});

describe.each(PROVIDERS)('%s: streaming handlers in-process', (provider) => {
  it('getResourcesStream streams exactly the buffered result, over the buffered limit too', async () => {
    installFake(300);
    const buffered = await getResources(event(provider), lambdaContext());
    process.env.MAX_RESPONSE_BYTES = '1000';

    const streamed = await stream('getResourcesStream', event(provider));

    expect(streamed.error).toBeNull();
    expect(streamed.bytes).toBe(Buffer.byteLength(JSON.stringify(buffered)));
    expect(JSON.parse(streamed.body ?? '')).toEqual(buffered);
    expect(streamed.body).toBe(JSON.stringify(buffered));
  });

  it("getResourcesStream's closing log line counts each kind it wrote, as getResources' does", async () => {
    installFake(30);
    type Line = { message: string; [key: string]: unknown };
    const closing = (from: number, message: string) =>
      logs.lines
        .slice(from)
        .map((l) => JSON.parse(l) as Line)
        .find((l) => l.message === message);
    const kinds = ['servers', 'hosts', 'volumes', 'networks', 'compute_pools'];
    let from = logs.lines.length;
    await getResources(event(provider), lambdaContext());
    const buffered = closing(from, 'invocation succeeded');
    from = logs.lines.length;
    expect((await stream('getResourcesStream', event(provider))).error).toBeNull();
    const streamed = closing(from, 'response streamed');
    expect(buffered?.servers).toBe(30);
    for (const kind of kinds) expect(streamed?.[kind], kind).toBe(buffered?.[kind]);
  });

  it('getMetricsStream streams exactly the buffered result, in bulk and for one resource', async () => {
    installFake(20);
    for (const extra of [
      {},
      { resource: { id: '3f2c1a9e-8b7d-4c6e-9f01-23456789abcd', native_id: 'vm-3', type: 'server' } },
    ]) {
      const ev = event(provider, { last_update: '2026-11-27T09:30:00.000000Z', ...extra });
      const buffered = await getMetrics(ev, lambdaContext());
      const streamed = await stream('getMetricsStream', ev);
      expect(streamed.error).toBeNull();
      expect(streamed.body).toBe(JSON.stringify(buffered));
    }
  });

  it("getMetricsStream's closing log line counts the points it wrote, as getMetrics' does", async () => {
    installFake(20);
    const ev = event(provider, { last_update: '2026-11-27T09:30:00.000000Z' });
    const buffered = (await getMetrics(ev, lambdaContext())) as unknown as { metrics: unknown[] };
    expect(buffered.metrics.length).toBeGreaterThan(0);
    const from = logs.lines.length;
    expect((await stream('getMetricsStream', ev)).error).toBeNull();
    const closing = logs.lines
      .slice(from)
      .map((l) => JSON.parse(l) as { message: string; metrics?: number; result_bytes?: number })
      .find((l) => l.message === 'response streamed');
    expect(closing?.metrics).toBe(buffered.metrics.length);
    expect(closing?.result_bytes).toBe(Buffer.byteLength(JSON.stringify(buffered)));
  });

  it('fails before the first byte with the same typed error as the buffered twin, without the password', async () => {
    installFake(4);
    const bad = event(provider, {
      credentials: { host: 'h.example', username: 'u', password: 'Wrong-Pa55!' },
    });
    const buffered = await rejection(getResources(bad, lambdaContext()));
    const streamed = await stream('getResourcesStream', bad);
    expect(streamed.bytes).toBe(0);
    expect(streamed.error?.errorType).toBe('InvalidCredentials');
    expect(streamed.error?.errorType).toBe(buffered.name);
    expect(streamed.error?.errorMessage).toBe(buffered.message);
    expect(JSON.stringify(streamed.error)).not.toContain('Wrong-Pa55!');
    const malformed = await stream('getMetricsStream', event(provider, { poll_interval: 'soon' }));
    expect(malformed.error?.errorType).toBe('ValidationError');
  });

  it('aborts the stream when a record fails after the first byte: a truncated body and a typed error', async () => {
    installInventory(() => {
      const inv = fakeInventory(400);
      // The last volume cannot be serialized (iops must convert like Python int()).
      const last = inv.volumes.at(-1);
      if (last) last.iops = 'fast' as never;
      return inv;
    });
    const streamed = await stream('getResourcesStream', event(provider));
    expect(streamed.bytes).toBeGreaterThan(0);
    expect(streamed.error?.errorType).toBe('InternalError');
    expect(() => JSON.parse(streamed.body ?? '')).toThrow();
    expect(logs.lines.some((l) => l.includes('response stream aborted'))).toBe(true);
  });
});
