/**
 * Fuzzed events (fast-check) through every handler against the fake provider: each run ends in a typed
 * error or a schema-valid result — never an unhandled crash (TypeError, InternalError) — and no generated
 * password or token ever shows up in a log line or an error.
 */
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler as getMetrics } from '../../functions/get-metrics';
import { handler as getResources } from '../../functions/get-resources';
import { handler as getSpend } from '../../functions/get-spend';
import { handler as syncAccount } from '../../functions/sync-account';
import { handler as validateCredentials } from '../../functions/validate-credentials';
import { fixedClock, setClock } from '../../lib/connector-utils/time/clock';
import { TYPED_ERROR_KINDS } from '../helpers/error-kinds';
import { type SchemaName, schemaErrors } from '../helpers/schemas';
import { FAKE_PASSWORD, FAKE_TOKEN } from './fake-provider';
import { captureLogs, installFake, lambdaContext, uninstallFake } from './harness';

type Handler = (event: unknown, context: ReturnType<typeof lambdaContext>) => Promise<unknown>;

const HANDLERS: [string, Handler, SchemaName | null][] = [
  ['validateCredentials', validateCredentials as Handler, null],
  ['getResources', getResources as Handler, 'get_resources'],
  ['getMetrics', getMetrics as Handler, 'get_metrics'],
  ['getSpend', getSpend as Handler, 'get_spend'],
  ['syncAccount', syncAccount as Handler, null],
];

const SECRET_MARK = 'Zq9';
/** Secrets that are unmistakable in output: a marker plus random (also JSON-special) characters. */
const secretArb = fc
  .string({ minLength: 6, maxLength: 20, unit: fc.constantFrom(...'abcXYZ019"\\/:@%+ é{}'.split('')) })
  .map((s) => `${SECRET_MARK}${s}`);

/**
 * Mostly a valid value, sometimes a wrong one (`wrong`, or anything at all). Each field is wrong only
 * rarely, so that most events get past validation and exercise the handlers — with ~15 fields, a higher
 * rate would make nearly every event a ValidationError.
 */
function near<T>(valid: fc.Arbitrary<T>, wrong?: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 40, arbitrary: valid },
    { weight: 1, arbitrary: wrong ?? fc.anything({ maxDepth: 1 }) },
    { weight: 1, arbitrary: fc.anything({ maxDepth: 1 }) },
  );
}

const credentialsArb = fc.oneof(
  {
    weight: 30,
    arbitrary: fc.record(
      {
        host: near(
          fc.constantFrom('pc.example', 'unreachable.example', 'denied.example', '::1'),
          fc.constantFrom('', 'a b', 'http://x'),
        ),
        endpoint: fc.oneof(
          { weight: 10, arbitrary: fc.constant(undefined) },
          { weight: 1, arbitrary: fc.constantFrom('http://127.0.0.1:9', 'https://h:1/x', 'nope') },
        ),
        port: near(fc.integer({ min: 1, max: 65535 }), fc.constantFrom(0, 70000, 'abc', '9440')),
        username: near(fc.constant('admin'), fc.constant('')),
        password: fc.oneof(secretArb, fc.constant(FAKE_PASSWORD), fc.constant('')),
        token: fc.oneof(secretArb, fc.constant(FAKE_TOKEN)),
        verify_ssl: near(fc.boolean(), fc.constant('yes')),
        api: near(fc.constantFrom('auto', 'v4', 'v3'), fc.constant('v9')),
        source: near(fc.constantFrom('LOCAL', 'LDAP')),
      },
      { requiredKeys: ['host', 'username', 'password'] },
    ),
  },
  { weight: 1, arbitrary: fc.anything({ maxDepth: 1 }) },
);

const lastUpdateArb = fc.oneof(
  { weight: 10, arbitrary: fc.constant(undefined) },
  {
    weight: 10,
    arbitrary: fc
      .date({
        min: new Date('2026-11-20T00:00:00Z'),
        max: new Date('2026-11-28T00:00:00Z'),
        noInvalidDate: true,
      })
      .map((d) => d.toISOString().replace('Z', '000Z')),
  },
  { weight: 1, arbitrary: fc.constantFrom('2026-11-27T10:00:00Z', 'yesterday', '', null) },
  { weight: 1, arbitrary: fc.anything({ maxDepth: 0 }) },
);

const eventArb = fc.record(
  {
    provider: near(fc.constantFrom('nutanix', 'cloudtower'), fc.constant('vmware')),
    account_id: near(fc.constant('acct-1'), fc.constant('')),
    customer_id: near(fc.constant('cust-1')),
    task_id: near(fc.constant('task-1')),
    poll_interval: near(
      fc.integer({ min: 1, max: 7200 }),
      fc.oneof(fc.integer({ min: -10, max: 0 }), fc.double()),
    ),
    credentials: credentialsArb,
    resource: fc.oneof(
      { weight: 2, arbitrary: fc.constant(undefined) },
      {
        weight: 1,
        arbitrary: near(
          fc.record(
            {
              id: near(fc.uuid()),
              native_id: near(fc.constantFrom('vm-0', 'cluster-a', 'missing')),
              type: near(fc.constantFrom('server', 'compute_pool'), fc.constant('volume')),
              poll_interval: near(fc.integer({ min: 1, max: 3600 })),
            },
            { requiredKeys: ['native_id'] },
          ),
        ),
      },
    ),
    last_update: lastUpdateArb,
    rate_card: fc.oneof(
      { weight: 2, arbitrary: fc.constant(undefined) },
      {
        weight: 1,
        arbitrary: near(
          fc.record(
            {
              currency: near(fc.constantFrom('USD', 'EUR'), fc.constant('BTC')),
              vcpu_hour: near(fc.double({ min: 0, max: 5, noNaN: true }), fc.constant(-1)),
              ram_gib_hour: near(fc.double({ min: 0, max: 5, noNaN: true })),
              storage_gib_month: near(fc.double({ min: 0, max: 5, noNaN: true })),
            },
            { requiredKeys: [] },
          ),
        ),
      },
    ),
  },
  { requiredKeys: ['provider'] },
);

beforeAll(() => {
  process.env.CONNECTOR_ASSETS_DIR = join(__dirname, '..', 'fixtures', 'handlers');
  setClock(fixedClock('2026-11-27T10:00:00.000000'));
  installFake(1);
});
afterAll(() => {
  delete process.env.CONNECTOR_ASSETS_DIR;
  setClock(null);
  uninstallFake();
});

/** Secrets present in a generated event. */
function secretsIn(ev: unknown): string[] {
  const creds = (ev as { credentials?: unknown }).credentials;
  if (typeof creds !== 'object' || creds === null) return [];
  return Object.values(creds).filter((v): v is string => typeof v === 'string' && v.startsWith(SECRET_MARK));
}

describe.each(HANDLERS)('%s with fuzzed events', (name, handler, schema) => {
  it('returns a valid result or throws a typed error, and never leaks a secret', async () => {
    const outcomes = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(eventArb, async (ev) => {
        const logs = captureLogs();
        let thrown: Error | undefined;
        let result: unknown;
        try {
          result = await handler(ev, lambdaContext());
        } catch (err) {
          thrown = err as Error;
        } finally {
          logs.stop();
        }
        const key = thrown
          ? `${thrown.name}${process.env.FUZZ_DEBUG ? `:${thrown.message.split(':')[0]}` : ''}`
          : 'ok';
        outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
        if (thrown) {
          expect(thrown).toBeInstanceOf(Error);
          expect(TYPED_ERROR_KINDS.has(thrown.name), `${thrown.name}: ${thrown.message}`).toBe(true);
        } else if (schema) {
          expect(schemaErrors(schema, result)).toBeNull();
        } else if (name === 'validateCredentials') {
          expect(typeof (result as { ok: unknown }).ok).toBe('boolean');
        }
        const visible = [
          thrown?.message ?? '',
          thrown?.stack ?? '',
          JSON.stringify(result ?? null),
          ...logs.lines,
        ];
        for (const secret of secretsIn(ev)) {
          for (const text of visible)
            expect(text.includes(secret), `leaked in: ${text.slice(0, 200)}`).toBe(false);
        }
      }),
      { numRuns: 1000 },
    );
    if (process.env.FUZZ_DEBUG) process.stderr.write(`${name}: ${JSON.stringify([...outcomes])}\n`);
    // The generator must reach past validation, or the property proves little.
    expect(
      [...outcomes].filter(([k]) => k.startsWith('ValidationError')).reduce((n, [, c]) => n + c, 0),
    ).toBeLessThan(700);
    expect(outcomes.get('ok') ?? 0).toBeGreaterThan(0);
  });
});
