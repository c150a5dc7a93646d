/**
 * Keeps the CloudTower simulator honest: every response it gives the collector validates against the
 * CloudTower 4.6.0 OpenAPI schemas (copied into test/fixtures/cloudtower/openapi-schemas.json), and the
 * request rules the real API enforces (unknown body keys → 400, raw-token auth) hold. The spec's examples
 * (constructed from the spec, not recorded from a live Tower — see examples/README.md upstream) are
 * validated with the same converted schemas, so the schema conversion itself is checked too.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningCloudTowerSimulator, startCloudTowerSimulator } from './index';

const FIXTURES = join(import.meta.dirname, '../../fixtures/cloudtower');
const spec = JSON.parse(readFileSync(join(FIXTURES, 'openapi-schemas.json'), 'utf8')) as {
  schemas: Record<string, unknown>;
};

/** OpenAPI 3.0 schema → JSON Schema ajv understands (`nullable`, component refs). */
function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (!node || typeof node !== 'object') return node;
  const src = node as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(src)) {
    if (k === 'nullable' || k === 'format' || k === 'example') continue;
    if (k === '$ref') out.$ref = String(v).replace('#/components/schemas/', '#/definitions/');
    else if (k === 'properties') {
      out.properties = Object.fromEntries(Object.entries(v as object).map(([p, s]) => [p, toJsonSchema(s)]));
    } else out[k] = toJsonSchema(v);
  }
  if (src.nullable === true) {
    if (typeof out.type === 'string' && !out.enum) out.type = [out.type, 'null'];
    else return { anyOf: [out, { type: 'null' }] };
  }
  return out;
}

const definitions = Object.fromEntries(Object.entries(spec.schemas).map(([k, v]) => [k, toJsonSchema(v)]));
const ajv = new Ajv({ strict: false, allErrors: true });
ajv.addSchema({ $id: 'ct', definitions });

const validators = new Map<string, ValidateFunction>();

/** Compiled once per (schema, array): compiling the big CloudTower schemas is most of this file's time. */
function validatorFor(name: string, array = false): ValidateFunction {
  const key = `${name}${array ? '[]' : ''}`;
  let v = validators.get(key);
  if (!v) {
    const ref = { $ref: `ct#/definitions/${name}` };
    v = ajv.compile(array ? { type: 'array', items: ref } : ref);
    validators.set(key, v);
  }
  return v;
}

function expectValid(validate: ValidateFunction, data: unknown, what: string): void {
  const ok = validate(data);
  expect(ok, `${what}: ${ajv.errorsText(validate.errors?.slice(0, 5))}`).toBe(true);
}

const LISTS: [string, string][] = [
  ['vms', 'Vm'],
  ['vm-disks', 'VmDisk'],
  ['vm-volumes', 'VmVolume'],
  ['vm-nics', 'VmNic'],
  ['vlans', 'Vlan'],
  ['vdses', 'Vds'],
  ['clusters', 'Cluster'],
  ['hosts', 'Host'],
  ['datacenters', 'Datacenter'],
  ['organizations', 'Organization'],
  ['alerts', 'Alert'],
];

describe('CloudTower simulator shapes', () => {
  let run: RunningCloudTowerSimulator;
  let token: string;
  const post = async (op: string, body: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${run.baseUrl}/v2/api/${op}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: token, ...headers },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as unknown, headers: res.headers };
  };

  beforeAll(async () => {
    run = await startCloudTowerSimulator({ seed: 3, vms: 300, vmClusters: 4 });
    const res = await fetch(`${run.baseUrl}/v2/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'collector', password: 'sim-tower-password', source: 'LOCAL' }),
    });
    const body = (await res.json()) as unknown;
    expectValid(validatorFor('WithTask_LoginResponse_'), body, 'login');
    token = (body as { data: { token: string } }).data.token;
  });
  afterAll(() => run.stop());

  it.each(LISTS)('get-%s answers a bare array of %s and -connection a count', async (plural, schema) => {
    const list = await post(`get-${plural}`, { orderBy: 'id_ASC', first: 200 });
    expect(list.status).toBe(200);
    expect(Array.isArray(list.body)).toBe(true);
    expect((list.body as unknown[]).length).toBeGreaterThan(0);
    expectValid(validatorFor(schema, true), list.body, `get-${plural}`);
    expect(list.headers.get('x-tower-request-id')).toBeTruthy();
    const conn = await post(`get-${plural}-connection`, {});
    expectValid(validatorFor(`${schema}Connection`), conn.body, `get-${plural}-connection`);
    expect((conn.body as { aggregate: { count: number } }).aggregate.count).toBe(
      (run.sim.world as unknown as Record<string, unknown[]>)[plural]?.length,
    );
  });

  it('answers metrics ops with WithTask<Metric> elements, local_id labels and nullable points', async () => {
    const vms = run.sim.world.vms.filter((v) => v.status === 'RUNNING').slice(0, 20);
    const res = await post('get-vm-metrics', {
      range: '1h',
      metrics: ['elf_vm_cpu_overall_usage_percent', 'elf_vm_disk_overall_avg_readwrite_latency_ns'],
      vms: { id_in: vms.map((v) => v.id) },
    });
    expect(res.status).toBe(200);
    expectValid(validatorFor('WithTask_Metric_', true), res.body, 'get-vm-metrics');
    const [first] = res.body as {
      data: { unit: string; step: number; sample_streams: { labels: { _vm: string } }[] };
    }[];
    expect(first?.data.unit).toBe('PERCENT');
    expect(first?.data.step).toBe(30_000);
    const localIds = new Set(vms.map((v) => v.local_id));
    for (const s of first?.data.sample_streams ?? []) expect(localIds.has(s.labels._vm)).toBe(true);
    for (const op of ['get-host-metrics', 'get-cluster-metrics']) {
      const key = op === 'get-host-metrics' ? 'hosts' : 'clusters';
      const m = await post(op, { range: '10m', metrics: ['host_cpu_overall_usage_percent'], [key]: {} });
      expectValid(validatorFor('WithTask_Metric_', true), m.body, op);
    }
  });

  it('rejects unknown body keys and where fields with a 400 ErrorBody, like the real API', async () => {
    const errorBody = validatorFor('ErrorBody');
    const extra = await post('get-vms', { where: {}, limit: 10 });
    expect(extra.status).toBe(400);
    expectValid(errorBody, extra.body, 'unknown key');
    const typo = await post('get-vms', { where: { nmae: 'x' } });
    expect(typo.status).toBe(400);
    expect((typo.body as { message: string }).message).toContain('VmWhereInput');
    const metricExtra = await post('get-vm-metrics', { range: '1h', metrics: [], vms: {}, step: 30 });
    expect(metricExtra.status).toBe(400);
  });

  it('requires the raw token and honours content-language on errors', async () => {
    const none = await fetch(`${run.baseUrl}/v2/api/get-vms`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-language': 'zh-CN' },
      body: '{}',
    });
    expect(none.status).toBe(401);
    expect(((await none.json()) as { message: string }).message).toMatch(/[\u4e00-\u9fff]/);
    const badLogin = await fetch(`${run.baseUrl}/v2/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'collector', password: 'wrong', source: 'LOCAL' }),
    });
    expect(badLogin.status).toBe(400);
    expectValid(validatorFor('ErrorBody'), await badLogin.json(), 'bad login');
  });

  it('the spec examples validate against the same converted schemas (checks the conversion)', () => {
    const dir = join(FIXTURES, 'examples');
    const bySchema: Record<string, [string, boolean]> = {
      'get-vms.response.json': ['Vm', true],
      'get-vm-disks.response.json': ['VmDisk', true],
      'get-vm-volumes.response.json': ['VmVolume', true],
      'get-vm-nics.response.json': ['VmNic', true],
      'get-vlans.response.json': ['Vlan', true],
      'get-clusters.response.json': ['Cluster', true],
      'get-vm-metrics.response.json': ['WithTask_Metric_', true],
      'get-vms-connection.response.json': ['VmConnection', false],
      'login.response.json': ['WithTask_LoginResponse_', false],
      'error.bad-request.json': ['ErrorBody', false],
    };
    const files = readdirSync(dir);
    for (const [file, [schema, array]] of Object.entries(bySchema)) {
      expect(files).toContain(file);
      expectValid(validatorFor(schema, array), JSON.parse(readFileSync(join(dir, file), 'utf8')), file);
    }
  });
});
