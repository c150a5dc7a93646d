/**
 * Keeps the simulator honest: its responses must have the shapes of the real Prism responses recorded in
 * test/fixtures/prism (copied from specs/nutanix). Every JSON path the simulator emits must exist in the
 * real response with the same type — except a short, reviewed list of fields the recordings happen not to
 * contain but the v4 SDK models / v3 swagger define. Also checks the `$objectType` quirks and empty pages.
 */
import { readFileSync } from 'node:fs';
import { load } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRISM_SIM_PASSWORD, PRISM_SIM_USERNAME, type StartedPrismSimulator, startPrismSimulator } from '.';

const FIXTURES = new URL('../../fixtures/prism/', import.meta.url);
const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(name, FIXTURES), 'utf8'));
const recording = (name: string): { url: string; body: unknown } => {
  const doc = load(readFileSync(new URL(name, FIXTURES), 'utf8')) as {
    spec: { req: { url: string }; resp: { body: string } };
  };
  return { url: doc.spec.req.url, body: JSON.parse(doc.spec.resp.body) };
};

/** path → JSON type, array elements collapsed to `[]`. */
function shape(value: unknown, prefix = '', out = new Map<string, string>()): Map<string, string> {
  if (Array.isArray(value)) {
    out.set(prefix, 'array');
    for (const item of value) shape(item, `${prefix}[]`, out);
  } else if (value !== null && typeof value === 'object') {
    out.set(prefix, 'object');
    for (const [k, v] of Object.entries(value)) shape(v, prefix ? `${prefix}.${k}` : k, out);
  } else {
    out.set(prefix, value === null ? 'null' : typeof value);
  }
  return out;
}

/** Paths the simulator emits that the real response has not (or with another type), minus allowed ones. */
function drift(sim: unknown, real: unknown, allowed: RegExp[]): string[] {
  const s = shape(sim);
  const r = shape(real);
  const problems: string[] = [];
  for (const [path, type] of s) {
    if (allowed.some((re) => re.test(path))) continue;
    const realType = r.get(path);
    if (realType === undefined) problems.push(`extra ${path}`);
    else if (realType !== type) problems.push(`${path}: ${type} (real: ${realType})`);
  }
  return problems;
}

/** Fields defined by the v4 SDK models (v4/derived/v4-model-fields.txt) that the fixtures do not show. */
const V4_VM_EXTRAS = [
  /^data\[\]\.categories/, // Vm.categories []CategoryReference
  /^data\[\]\.guestTools/, // Vm.guestTools (guestOsVersion, isEnabled, isInstalled, isReachable)
  /^data\[\]\.nics\[\]\.networkInfo\.ipv4Config\.(secondaryIpAddressList|shouldAssignIp)/, // Ipv4Config
  /^data\[\]\.nics\[\]\.networkInfo\.ipv4Info/, // NicNetworkInfo.ipv4Info.learnedIpAddresses
  /^data\[\]\.disks\[\]\.backingInfo\.volumeGroupExtId$/, // ADSFVolumeGroupReference
];
const V4_SUBNET_EXTRAS = [/^data\[\]\.vpcReference$/]; // Subnet.vpcReference (overlay subnets)
const V3_VM_EXTRAS = [
  /^entities\[\]\.(status|spec)\.resources\.host_reference/, // vm_resources.host_reference (running VMs)
  /^entities\[\]\.(status|spec)\.resources\.guest_tools/, // vm_resources.guest_tools
  /^entities\[\]\.(status|spec)\.resources\.disk_list\[\]\.volume_group_reference/, // vm_disk.volume_group_reference
  /^entities\[\]\.metadata\.categories\./, // categories map values
  /^entities\[\]\.metadata\.categories_mapping\./,
  /^entities\[\]\.spec\.cluster_reference/, // recorded spec only omits it by chance
];

let sim: StartedPrismSimulator;
beforeAll(async () => {
  sim = await startPrismSimulator({ seed: 17, vms: 120, clusters: 3 });
});
afterAll(async () => {
  await sim.stop();
});

async function get(path: string): Promise<unknown> {
  const auth = Buffer.from(`${PRISM_SIM_USERNAME}:${PRISM_SIM_PASSWORD}`).toString('base64');
  const res = await fetch(`${sim.baseUrl}${path}`, { headers: { authorization: `Basic ${auth}` } });
  expect(res.status, path).toBe(200);
  return res.json();
}

async function post(path: string, body: unknown): Promise<unknown> {
  const auth = Buffer.from(`${PRISM_SIM_USERNAME}:${PRISM_SIM_PASSWORD}`).toString('base64');
  const res = await fetch(`${sim.baseUrl}${path}`, {
    method: 'POST',
    headers: { authorization: `Basic ${auth}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status, path).toBe(200);
  return res.json();
}

const stats =
  '$startTime=2025-10-24T20:21:38Z&$endTime=2025-10-24T20:23:38Z&$samplingInterval=30&$statType=AVG&$select=*';

describe('Prism simulator shapes match the real recordings', () => {
  it('v4 VMs', async () => {
    const body = await get('/api/vmm/v4.0/ahv/config/vms?$page=0&$limit=100');
    expect(drift(body, fixture('vms_limit2_page0.json'), V4_VM_EXTRAS)).toEqual([]);
  });

  it('v4 clusters, hosts, subnets', async () => {
    expect(
      drift(await get('/api/clustermgmt/v4.0/config/clusters'), fixture('clusters_limit2_page0.json'), []),
    ).toEqual([]);
    expect(
      drift(
        await get('/api/clustermgmt/v4.0/config/hosts?$limit=100'),
        fixture('hosts_0006411c-0286-bc71-9f02-191e334d457b_limit2_page0.json'),
        // A GO-CM host field absent on the live fixture (MONITORING.md §6); set on the degraded host only.
        [/^data\[\]\.isDegraded$/],
      ),
    ).toEqual([]);
    expect(
      drift(await get('/api/networking/v4.0/config/subnets'), fixture('subnets.json'), V4_SUBNET_EXTRAS),
    ).toEqual([]);
  });

  it('v4 stats', async () => {
    const vm = sim.truth().vms.find((v) => v.powerState === 'ON')!;
    const vmStats = await get(`/api/vmm/v4.0/ahv/stats/vms/${vm.extId}?${stats}`);
    expect(drift(vmStats, fixture('vm_stats_f3272103-ea1e-4a90-8318-899636993ed6.json'), [])).toEqual([]);
    const cluster = sim.truth().clusters[0]!;
    const clusterStats = await get(`/api/clustermgmt/v4.0/stats/clusters/${cluster.extId}?${stats}`);
    expect(
      drift(clusterStats, fixture('cluster_stats_0006411c-0286-bc71-9f02-191e334d457b.json'), [
        /^data\.storageCapacityBytes/, // ClusterStats.storageCapacityBytes []TimeValuePair (same shape as the others)
      ]),
    ).toEqual([]);
    // The bulk list wraps the same VmStats objects in a paged envelope.
    const bulk = (await get(`/api/vmm/v4.0/ahv/stats/vms?${stats}&$limit=5`)) as { data: unknown[] };
    expect(
      drift({ data: bulk.data[0] }, fixture('vm_stats_f3272103-ea1e-4a90-8318-899636993ed6.json'), []),
    ).toEqual([]);
  });

  it('v4 quirks: $objectType only on the first element of nested arrays, no `data` on an empty page', async () => {
    const body = (await get('/api/vmm/v4.0/ahv/config/vms?$page=0&$limit=100')) as {
      data: { disks?: Record<string, unknown>[] }[];
    };
    const withTwoDisks = body.data.find((v) => (v.disks?.length ?? 0) >= 2)!;
    expect(withTwoDisks.disks![0]!.$objectType).toBe('vmm.v4.ahv.config.Disk');
    expect(withTwoDisks.disks![1]!.$objectType).toBeUndefined();
    const real = fixture('vms_limit2_page0.json') as typeof body;
    expect(real.data[0]!.disks![1]!.$objectType).toBeUndefined();
    const empty = (await get('/api/vmm/v4.0/ahv/config/vms?$page=50&$limit=100')) as Record<string, unknown>;
    expect(empty).not.toHaveProperty('data');
    expect(empty).toHaveProperty('metadata.totalAvailableResults', 120);
  });

  it('version routes', async () => {
    const real = recording('TestActuatorGetVersionRoutes.yaml').body;
    expect(drift(await get('/api/actuator/versionroutes'), real, [])).toEqual([]);
  });

  it('v3 lists', async () => {
    const vms = recording('TestOperations_ListVM.yaml');
    expect(
      drift(await post('/api/nutanix/v3/vms/list', { kind: 'vm', length: 500 }), vms.body, V3_VM_EXTRAS),
    ).toEqual([]);
    const clusters = recording('TestOperations_ListCluster.yaml');
    expect(
      drift(await post('/api/nutanix/v3/clusters/list', { kind: 'cluster' }), clusters.body, []),
    ).toEqual([]);
    const subnets = recording('TestOperations_ListSubnet.yaml');
    expect(
      drift(await post('/api/nutanix/v3/subnets/list', { kind: 'subnet' }), subnets.body, [
        /^entities\[\]\.spec\.cluster_reference/,
      ]),
    ).toEqual([]);
  });
});
