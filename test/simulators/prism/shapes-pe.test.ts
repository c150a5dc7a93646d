/**
 * The simulator's Prism Element mode against the only facts there are for PE v2.0 and v1 stats: the field
 * lists of specs/nutanix/API.md §10, copied to test/fixtures/prism/pe-v2-api-md-fields.json. Every listed
 * field must appear, and nothing else may — except the reviewed extras below — so the provider is tested
 * against what the spec says, not against what the simulator happens to invent.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRISM_SIM_PASSWORD, PRISM_SIM_USERNAME, type StartedPrismSimulator, startPrismSimulator } from '.';

const facts = JSON.parse(
  readFileSync(new URL('../../fixtures/prism/pe-v2-api-md-fields.json', import.meta.url), 'utf8'),
) as Record<string, string[]>;

/** Leaf paths of a JSON value (array elements as `[]`); maps listed in `opaque` are not descended into. */
function paths(value: unknown, prefix = '', opaque: string[] = [], out = new Set<string>()): Set<string> {
  if (opaque.includes(prefix)) {
    out.add(prefix);
  } else if (Array.isArray(value)) {
    if (value.length === 0) out.add(prefix);
    for (const item of value) paths(item, `${prefix}[]`, opaque, out);
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) paths(v, prefix ? `${prefix}.${k}` : k, opaque, out);
  } else {
    out.add(prefix);
  }
  return out;
}

/** Documented paths missing from what the simulator emits, and emitted paths neither documented nor allowed. */
function compare(emitted: Set<string>, documented: string[], allowed: string[] = []) {
  const covers = (doc: string, path: string) =>
    path === doc || path.startsWith(`${doc}.`) || path.startsWith(`${doc}[]`);
  // An empty array (`vm_nics`) is not extra: its elements' fields are documented (`vm_nics[].…`).
  const allowedEmpty = (doc: string, path: string) => covers(doc, path) || doc.startsWith(`${path}[]`);
  return {
    missing: documented.filter((d) => ![...emitted].some((p) => covers(d, p))),
    extra: [...emitted].filter((p) => ![...documented, ...allowed].some((d) => allowedEmpty(d, p))),
  };
}

let sim: StartedPrismSimulator;
beforeAll(async () => {
  sim = await startPrismSimulator({ seed: 41, vms: 300, peOnly: true });
});
afterAll(async () => {
  await sim.stop();
});

async function get(path: string): Promise<{ status: number; body: unknown }> {
  const auth = Buffer.from(`${PRISM_SIM_USERNAME}:${PRISM_SIM_PASSWORD}`).toString('base64');
  const res = await fetch(`${sim.baseUrl}${path}`, { headers: { authorization: `Basic ${auth}` } });
  const text = await res.text();
  return {
    status: res.status,
    body: res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text,
  };
}

const V2 = '/PrismGateway/services/rest/v2.0';
const STATS_MAPS = ['stats', 'usage_stats'];

describe('Prism Element simulator shapes match API.md §10', () => {
  it('cluster: every documented field, stats maps of string numbers with documented keys', async () => {
    const { status, body } = await get(`${V2}/cluster`);
    expect(status).toBe(200);
    // Health fields MONITORING.md §6 documents (ZBX), read by getStatus.
    const health = [
      'operation_mode',
      'cluster_redundancy_state.current_redundancy_factor',
      'cluster_redundancy_state.desired_redundancy_factor',
    ];
    expect(compare(paths(body, '', STATS_MAPS), facts.cluster!, health)).toEqual({ missing: [], extra: [] });
    const maps = body as { stats: Record<string, unknown>; usage_stats: Record<string, unknown> };
    for (const map of [maps.stats, maps.usage_stats]) {
      for (const [key, value] of Object.entries(map)) {
        expect(facts.stats_keys).toContain(key);
        expect(value).toMatch(/^-?\d+$/);
      }
    }
  });

  it('hosts, networks, volume groups: list envelope and documented entity fields', async () => {
    for (const [resource, allowed] of [
      // Health fields MONITORING.md §6 documents (XSOAR, CMK), read by getStatus.
      [
        'hosts',
        ['host_in_maintenance_mode', 'acropolis_connection_state', 'is_degraded', 'hypervisor_state'],
      ],
      ['networks', []],
      // API.md names attachment_list[] without its entries' fields.
      ['volume_groups', ['attachment_list[].vm_uuid']],
    ] as const) {
      const { status, body } = await get(`${V2}/${resource}?page=1&count=500`);
      expect(status, resource).toBe(200);
      const list = body as { metadata: unknown; entities: unknown[] };
      expect(compare(paths({ metadata: list.metadata, entities: [] }), facts.list_metadata!)).toEqual({
        missing: [],
        extra: [],
      });
      expect(list.entities.length, resource).toBeGreaterThan(0);
      const emitted = new Set(list.entities.flatMap((e) => [...paths(e, '', STATS_MAPS)]));
      expect(compare(emitted, facts[resource]!, [...allowed]), resource).toEqual({ missing: [], extra: [] });
    }
  });

  it('vms: disk and NIC details only with the include flags; lower-case power states', async () => {
    const full = (
      await get(`${V2}/vms?page=1&count=500&include_vm_disk_config=true&include_vm_nic_config=true`)
    ).body as { entities: Record<string, unknown>[] };
    const emitted = new Set(full.entities.flatMap((e) => [...paths(e)]));
    // device_index: the disk's slot on its bus (the simulator's one addition, read only when present).
    expect(compare(emitted, facts.vms!, ['vm_disk_info[].disk_address.device_index'])).toEqual({
      missing: [],
      extra: [],
    });
    const states = new Set(full.entities.map((e) => e.power_state));
    for (const s of facts.vms_power_states!) expect(states).toContain(s);
    for (const s of states) expect(s).toBe(String(s).toLowerCase());
    const bare = (await get(`${V2}/vms?page=1&count=500`)).body as { entities: Record<string, unknown>[] };
    expect(bare.entities.some((e) => 'vm_disk_info' in e || 'vm_nics' in e)).toBe(false);
  });

  it('v1 stats: the documented response fields; PC-only routes are absent', async () => {
    const vm = sim.truth().vms.find((v) => v.powerState === 'ON')!;
    const q =
      'metrics=hypervisor_cpu_usage_ppm&startTimeInUsecs=1764237600000000&endTimeInUsecs=1764237900000000&intervalInSecs=30';
    const { status, body } = await get(`/PrismGateway/services/rest/v1/vms/${vm.extId}/stats/?${q}`);
    expect(status).toBe(200);
    expect(compare(paths(body), facts.v1_stats_response!)).toEqual({ missing: [], extra: [] });
    for (const pcOnly of [
      '/api/actuator/versionroutes',
      '/api/nutanix/v3/prism_central',
      '/api/vmm/v4.0/ahv/config/vms',
    ]) {
      expect((await get(pcOnly)).status, pcOnly).toBe(404);
    }
  });
});
