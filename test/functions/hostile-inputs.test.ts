/**
 * Hostile and careless inputs, as properties over generated values:
 * - nothing of a secret or of a malformed credentials value is ever echoed — not in an error, not in a log
 *   line, not in validateCredentials' answer (errors name the field and the type received);
 * - no id from an event reaches an upstream URL path unencoded: a malformed id is a validation error naming
 *   the field before any request, a well-formed one is one percent-encoded path segment.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler as getMetrics } from '../../functions/get-metrics';
import { handler as getResources } from '../../functions/get-resources';
import { handler as validateCredentials } from '../../functions/validate-credentials';
import { ValidationError } from '../../lib/errors';
import { createPrismProvider } from '../../lib/providers/prism';
import type { SimRequest } from '../simulators/common';
import type { StartedPrismSimulator } from '../simulators/prism';
import { PRISM_SIM_PASSWORD, PRISM_SIM_USERNAME, startPrismSimulator } from '../simulators/prism';
import { captureLogs, installFake, lambdaContext, RESOURCE_UUID, uninstallFake } from './harness';

type Handler = (event: unknown, context: ReturnType<typeof lambdaContext>) => Promise<unknown>;

/** A distinctive value that cannot occur in any message by chance. */
const markerArb = fc
  .stringMatching(/^[A-Za-z0-9]{10}$/)
  .map((s) => `Zq${s}`)
  .filter((s) => !/^Zq\d+$/.test(s));

/** Credentials in a wrong shape, or with one malformed field, each carrying the marker somewhere. */
function hostileCredentials(m: string): fc.Arbitrary<unknown> {
  const ok = { host: 'prism.example', username: 'admin' };
  return fc.constantFrom<unknown>(
    m,
    `admin:${m}`,
    `${m}@prism.example:9440`,
    [m],
    [{ password: m }],
    { ...ok, password: m, port: 'abc' },
    { ...ok, password: m, port: 0 },
    { ...ok, password: m, verify_ssl: 'maybe' },
    { ...ok, password: m, api: 'v9' },
    { ...ok, password: [m] },
    { ...ok, password: { value: m } },
    { ...ok, password: m, source: { x: 1 } },
    { ...ok, password: 'pw-1', port: m },
    { ...ok, password: 'pw-1', verify_ssl: m },
    { ...ok, password: 'pw-1', api: m },
    { ...ok, password: 'pw-1', ca_cert: [m] },
    { ...ok, password: 'pw-1', token: { k: m } },
    { username: 'admin', password: 'pw-1', host: `h/${m}` },
    { username: 'admin', password: 'pw-1', host: `${m} x` },
    { username: 'admin', password: 'pw-1', endpoint: `${m}://h` },
    { username: 'admin', password: 'pw-1', endpoint: `ftp://${m}.example` },
    { username: 'admin', password: 'pw-1', endpoint: `https://h/${m}` },
    { username: 'admin', password: 'pw-1', endpoint: `https://h?key=${m}` },
    { username: 'admin', password: 'pw-1', endpoint: `https://u:${m}@h` },
    { username: 'admin', password: m, endpoint: 'https://h:0' },
    { username: 'admin', password: 'pw-1', endpoint: `not a url ${m}` },
    { username: 'admin', password: 'pw-1', endpoint: 5, token: m },
    { ssm_parameter: { name: m } },
    { ssm_parameter: [m] },
  );
}

describe('no secret and no malformed credentials value is echoed', () => {
  beforeAll(() => installFake());
  afterAll(() => uninstallFake());

  it('in any error, log line or answer of validateCredentials, getResources and getMetrics', async () => {
    const handlers: [string, Handler][] = [
      ['validateCredentials', validateCredentials as Handler],
      ['getResources', getResources as Handler],
      ['getMetrics', getMetrics as Handler],
    ];
    await fc.assert(
      fc.asyncProperty(
        markerArb.chain((m) =>
          fc.record({
            marker: fc.constant(m),
            credentials: hostileCredentials(m),
            provider: fc.constantFrom('nutanix', 'cloudtower'),
            handler: fc.constantFrom(...handlers),
          }),
        ),
        async ({ marker, credentials, provider, handler: [, handler] }) => {
          const logs = captureLogs();
          let seen: string;
          try {
            const out = await handler({ provider, account_id: 'a', credentials }, lambdaContext());
            seen = JSON.stringify(out);
          } catch (err) {
            const e = err as Error;
            seen = `${e.name}: ${e.message}\n${e.stack ?? ''}`;
            // Whatever failed is named by its field, never by its value.
            expect(e.name).toMatch(/^(ValidationError|InvalidCredentials)$/);
          } finally {
            logs.stop();
          }
          const everything = `${seen}\n${logs.lines.join('\n')}`;
          expect(everything).not.toContain(marker);
        },
      ),
      { numRuns: 200, seed: 1203 },
    );
  });
});

describe('no id from an event reaches a URL path unencoded', () => {
  let prism: StartedPrismSimulator;
  let pe: StartedPrismSimulator;
  const paths: string[] = [];
  const record = (req: SimRequest) => {
    paths.push(req.path);
    return undefined;
  };

  beforeAll(async () => {
    prism = await startPrismSimulator({ seed: 5, vms: 4, clusters: 1 });
    pe = await startPrismSimulator({ seed: 5, vms: 4, peOnly: true });
    prism.sim.use(record);
    pe.sim.use(record);
  });
  afterAll(async () => {
    await Promise.all([prism?.stop(), pe?.stop()]);
  });

  const idArb = fc.oneof(
    fc.uuid(),
    fc.string({ maxLength: 40 }),
    fc.constantFrom(
      '../../../api/nutanix/v3/users/me',
      '..%2F..%2Fapi%2Fnutanix%2Fv3%2Fusers%2Fme',
      '0005a1b2-0000-4000-8000-000000000001/../../clusters',
      '0005a1b2-0000-4000-8000-000000000001?$select=*',
      '0005a1b2-0000-4000-8000-000000000001#x',
      '%2e%2e',
      '/',
      '',
    ),
  );

  it.each(['v4', 'PE v1'])(
    'in per-resource %s stats: rejected naming the field, or one encoded segment',
    async (api) => {
      const target = api === 'v4' ? prism : pe;
      const provider = createPrismProvider(
        {
          endpoint: target.baseUrl,
          username: PRISM_SIM_USERNAME,
          password: PRISM_SIM_PASSWORD,
          verifySsl: true,
          api: 'auto',
        },
        { retry: { maxAttempts: 1 } },
      );
      const window = { start: new Date(Date.now() - 600_000), end: new Date(Date.now() - 60_000) };
      await provider.metrics(
        [{ nativeId: String(target.truth().vms[0]?.extId), kind: 'server' }],
        window,
        new AbortController().signal,
      );
      await fc.assert(
        fc.asyncProperty(idArb, async (id) => {
          paths.length = 0;
          try {
            await provider.metrics([{ nativeId: id, kind: 'server' }], window, new AbortController().signal);
          } catch (err) {
            expect(err).toBeInstanceOf(ValidationError);
            expect((err as ValidationError).field).toBe('resource.native_id');
            expect(paths).toEqual([]);
            return;
          }
          // A server id may name a VM or a host: the provider may ask the VM's stats, then the host's.
          const stats = paths.filter((p) => p.includes('/stats'));
          expect(stats.length).toBeGreaterThan(0);
          const shapes =
            api === 'v4'
              ? [
                  /^\/api\/vmm\/v4\.0\/ahv\/stats\/vms\/([^/]+)$/,
                  /^\/api\/clustermgmt\/v4\.0\/stats\/clusters\/[^/]+\/hosts\/([^/]+)$/,
                ]
              : [/\/(?:vms|hosts)\/([^/]+)\/stats\/$/];
          for (const path of stats) {
            const segment = shapes.map((re) => re.exec(path)?.[1]).find((x) => x !== undefined);
            expect(segment, path).toBe(encodeURIComponent(id));
          }
        }),
        { numRuns: 150, seed: 1203 },
      );
    },
  );

  it('through getMetrics: a malformed native_id is a ValidationError naming resource.native_id', async () => {
    const err = await getMetrics(
      {
        provider: 'nutanix',
        credentials: { endpoint: prism.baseUrl, username: PRISM_SIM_USERNAME, password: PRISM_SIM_PASSWORD },
        resource: { id: RESOURCE_UUID, native_id: '../../api/nutanix/v3/users/me', type: 'server' },
      },
      lambdaContext(),
    ).catch((e: Error) => e);
    expect((err as Error).name).toBe('ValidationError');
    expect((err as Error).message).toMatch(/^resource\.native_id: expected a Prism id/);
  });
});
