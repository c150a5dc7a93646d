/**
 * Prism health for getStatus, read in one pass per collection (clusters, hosts, VMs) through the API in
 * use: v4 `clustermgmt` (isAvailable, operationMode, fault tolerance; host connection, degradation and
 * maintenance), v3 (cluster availability and operation mode only: v3 hosts carry no health field,
 * MONITORING.md §6) and PE v2.0 (operation mode, redundancy, host maintenance/connection/degradation).
 * The same cluster and host lists give the names alert lines use.
 */
import type { EntityScope, HealthCause, HealthEntity } from '../monitoring';
import { PE_V2_BASE, type PrismApi, type PrismClient } from './client';
import { listV2 } from './element';
import { asObject, bool, type Json, list, num, requireStr, str } from './read';
import { readVmBody } from './single';
import { listV3 } from './v3';
import { listV4 } from './v4';

/** Cluster and host names by id (for alert lines). */
export interface PrismDirectory {
  clusters: Map<string, string>;
  hosts: Map<string, { name: string; clusterId: string | null }>;
}

interface Listed {
  clusters: HealthEntity[];
  hosts: HealthEntity[];
}

const HOST_MAINTENANCE_STATES = new Set([
  'ENTERING_MAINTENANCE_MODE',
  'ENTERED_MAINTENANCE_MODE',
  'ENTERING_MAINTENANCE_MODE_FROM_HA_FAILOVER',
]);

/** `READ_ONLY`, `READONLY`, `read_only` → `READONLY` (PE v2's raw spelling is unverified). */
function modeKey(mode: string): string {
  return mode.replace(/[_\s]/g, '').toUpperCase();
}

/** Cluster causes from availability, operation mode and fault tolerance (the getStatus level rule). */
export function clusterCauses(c: {
  isAvailable: boolean | null;
  operationMode: string | null;
  faultTolerance?: { current: number | null; desired: number | null; what: string };
}): HealthCause[] {
  const causes: HealthCause[] = [];
  if (c.isAvailable === false)
    causes.push({ level: 2, group: 'cluster', text: 'cluster unreachable (isAvailable false)' });
  if (c.operationMode && ['READONLY', 'STANDALONE'].includes(modeKey(c.operationMode)))
    causes.push({ level: 2, group: 'cluster', text: `cluster operation mode ${c.operationMode}` });
  const ft = c.faultTolerance;
  if (ft && ft.current !== null && ft.desired !== null && ft.current < ft.desired)
    causes.push({
      level: 1,
      group: 'cluster',
      text: `cluster ${ft.what} ${ft.current} below desired ${ft.desired}`,
    });
  return causes;
}

/** Host causes from connection, degradation and maintenance. */
export function hostCauses(h: {
  connection: string | null;
  degraded: boolean | null;
  hypervisorState: string | null;
  maintenanceState: string | null;
  inMaintenance?: boolean | null;
}): HealthCause[] {
  const causes: HealthCause[] = [];
  const conn = (h.connection ?? '').replace(/^k/, '').toUpperCase();
  if (conn === 'DISCONNECTED')
    causes.push({ level: 2, group: 'host', text: `host disconnected (${h.connection})` });
  if (h.degraded === true) causes.push({ level: 2, group: 'host', text: 'host degraded' });
  const hv = h.hypervisorState ?? '';
  if (HOST_MAINTENANCE_STATES.has(hv)) {
    causes.push({ level: 1, group: 'host', text: `host in maintenance (${hv})` });
  } else if (h.maintenanceState && h.maintenanceState.toLowerCase() !== 'normal') {
    causes.push({ level: 1, group: 'host', text: `host in maintenance (${h.maintenanceState})` });
  } else if (h.inMaintenance === true) {
    causes.push({ level: 1, group: 'host', text: 'host in maintenance' });
  }
  return causes;
}

async function listClustersAndHosts(
  client: PrismClient,
  api: PrismApi,
  signal: AbortSignal,
): Promise<Listed> {
  if (api.kind === 'v4') {
    const base = `/api/clustermgmt/${api.version}/config`;
    const [clusters, hosts] = await Promise.all([
      listV4(client, `${base}/clusters`, 'clusters', signal),
      listV4(client, `${base}/hosts`, 'hosts', signal),
    ]);
    return {
      clusters: clusters
        .filter((c) => !list(c, 'config.clusterFunction', 'cluster').includes('PRISM_CENTRAL'))
        .map((c) => ({
          kind: 'cluster',
          id: requireStr(c, 'extId', 'cluster'),
          clusterId: requireStr(c, 'extId', 'cluster'),
          name: str(c, 'name') ?? '',
          causes: clusterCauses({
            isAvailable: bool(c, 'config.isAvailable'),
            operationMode: str(c, 'config.operationMode'),
            faultTolerance: {
              what: 'fault tolerance',
              current: num(c, 'config.faultToleranceState.currentMaxFaultTolerance'),
              desired: num(c, 'config.faultToleranceState.desiredMaxFaultTolerance'),
            },
          }),
        })),
      hosts: hosts.map((h) => ({
        kind: 'host',
        id: requireStr(h, 'extId', 'host'),
        name: str(h, 'hostName') ?? '',
        clusterId: str(h, 'cluster.uuid') ?? str(h, 'cluster.extId'),
        causes: hostCauses({
          connection: str(h, 'hypervisor.acropolisConnectionState'),
          degraded: bool(h, 'isDegraded'),
          hypervisorState: str(h, 'hypervisor.state'),
          maintenanceState: str(h, 'maintenanceState'),
        }),
      })),
    };
  }
  if (api.kind === 'v3') {
    const [clusters, hosts] = await Promise.all([
      listV3(client, 'cluster', signal),
      listV3(client, 'host', signal),
    ]);
    return {
      clusters: clusters
        .filter((c) => !list(c, 'status.resources.config.service_list', 'cluster').includes('PRISM_CENTRAL'))
        .map((c) => ({
          kind: 'cluster',
          id: requireStr(c, 'metadata.uuid', 'cluster'),
          clusterId: requireStr(c, 'metadata.uuid', 'cluster'),
          name: str(c, 'status.name') ?? '',
          causes: clusterCauses({
            isAvailable: bool(c, 'status.resources.config.is_available'),
            operationMode: str(c, 'status.resources.config.operation_mode'),
          }),
        })),
      // v3 also lists compute-less entries (no cores): not hosts.
      hosts: hosts
        .filter((h) => num(asObject(h.status)?.resources, 'num_cpu_cores') !== null)
        .map((h) => ({
          kind: 'host',
          id: requireStr(h, 'metadata.uuid', 'host'),
          name: str(h, 'status.name') ?? '',
          clusterId: str(h, 'status.cluster_reference.uuid'),
          causes: [],
        })),
    };
  }
  const [cluster, hosts] = await Promise.all([
    client.get<Json>(`${PE_V2_BASE}/cluster`, {}, 'read the v2.0 cluster', signal),
    listV2(client, 'hosts', signal),
  ]);
  const clusterId = requireStr(cluster, 'uuid', 'v2.0 cluster');
  return {
    clusters: [
      {
        kind: 'cluster',
        id: clusterId,
        clusterId,
        name: str(cluster, 'name') ?? '',
        causes: clusterCauses({
          isAvailable: null,
          operationMode: str(cluster, 'operation_mode'),
          faultTolerance: {
            what: 'redundancy factor',
            current: num(cluster, 'cluster_redundancy_state.current_redundancy_factor'),
            desired: num(cluster, 'cluster_redundancy_state.desired_redundancy_factor'),
          },
        }),
      },
    ],
    hosts: hosts.map((h) => ({
      kind: 'host',
      id: requireStr(h, 'uuid', 'v2.0 host'),
      name: str(h, 'name') ?? '',
      clusterId,
      causes: hostCauses({
        connection: str(h, 'acropolis_connection_state'),
        degraded: bool(h, 'is_degraded'),
        hypervisorState: null,
        maintenanceState: null,
        inMaintenance: bool(h, 'host_in_maintenance_mode'),
      }),
    })),
  };
}

/** Cluster and host names (one pass over both lists). */
export async function readPrismDirectory(
  client: PrismClient,
  api: PrismApi,
  signal: AbortSignal,
): Promise<PrismDirectory> {
  const { clusters, hosts } = await listClustersAndHosts(client, api, signal);
  return {
    clusters: new Map(clusters.map((c) => [c.id, c.name])),
    hosts: new Map(hosts.map((h) => [h.id, { name: h.name, clusterId: h.clusterId }])),
  };
}

/** id, name and cluster of every VM (one pass over the VM list; a PE's VMs name no cluster: see peCluster). */
async function listVms(client: PrismClient, api: PrismApi, signal: AbortSignal): Promise<HealthEntity[]> {
  if (api.kind === 'v4') {
    const vms = await listV4(client, `/api/vmm/${api.version}/ahv/config/vms`, 'vms', signal);
    return vms.map((v) => ({
      kind: 'vm',
      id: requireStr(v, 'extId', 'vm'),
      name: str(v, 'name') ?? '',
      causes: [],
      clusterId: str(v, 'cluster.extId'),
    }));
  }
  if (api.kind === 'v3') {
    const vms = await listV3(client, 'vm', signal);
    return vms.map((v) => ({
      kind: 'vm',
      id: requireStr(v, 'metadata.uuid', 'vm'),
      name: str(v, 'status.name') ?? '',
      causes: [],
      clusterId: str(v, 'status.cluster_reference.uuid'),
    }));
  }
  const vms = await listV2(client, 'vms', signal);
  return vms.map((v) => ({
    kind: 'vm',
    id: requireStr(v, 'uuid', 'vm'),
    name: str(v, 'name') ?? '',
    causes: [],
    clusterId: null,
  }));
}

/** The cluster of a PE's VMs, which name none: the PE's one cluster. */
function peCluster(listed: { clusters: HealthEntity[] }): string | null {
  return listed.clusters[0]?.id ?? null;
}

/** One VM by id (its name, current host and cluster; a PE's VM names none), or null when it does not exist. */
export async function readPrismVm(
  client: PrismClient,
  api: PrismApi,
  id: string,
  signal: AbortSignal,
): Promise<{ name: string; hostId: string | null; clusterId: string | null } | null> {
  const body = await readVmBody(client, api, id, signal);
  if (!body) return null;
  if (api.kind === 'v4')
    return {
      name: str(body, 'data.name') ?? '',
      hostId: str(body, 'data.host.extId'),
      clusterId: str(body, 'data.cluster.extId'),
    };
  if (api.kind === 'v3')
    return {
      name: str(body, 'status.name') ?? '',
      hostId: str(body, 'status.resources.host_reference.uuid'),
      clusterId: str(body, 'status.cluster_reference.uuid'),
    };
  return { name: str(body, 'name') ?? '', hostId: str(body, 'host_uuid'), clusterId: null };
}

/** Warned once per provider: v3 hosts have no health fields. */
export const V3_HOST_HEALTH_NOTE =
  'Prism v3 reports no host connection, degradation or maintenance state: host levels come from alerts only';

/**
 * Clusters (never the PC pseudo-cluster), hosts and VMs with their structural causes. With a scope: the
 * one entity (a server id is looked up among hosts, then as a VM), or none when it no longer exists.
 */
export async function readPrismHealth(
  client: PrismClient,
  api: PrismApi,
  scope: EntityScope | null,
  signal: AbortSignal,
): Promise<HealthEntity[]> {
  if (api.kind === 'v3') client.warn(V3_HOST_HEALTH_NOTE);
  if (!scope) {
    const [listed, vms] = await Promise.all([
      listClustersAndHosts(client, api, signal),
      listVms(client, api, signal),
    ]);
    if (api.kind === 'v2') for (const vm of vms) vm.clusterId = peCluster(listed);
    return [...listed.clusters, ...listed.hosts, ...vms];
  }
  const listed = await listClustersAndHosts(client, api, signal);
  if (scope.kind === 'cluster') return listed.clusters.filter((c) => c.id === scope.id);
  const host = listed.hosts.find((h) => h.id === scope.id);
  if (host) return [host];
  const vm = await readPrismVm(client, api, scope.id, signal);
  if (!vm) return [];
  const clusterId = api.kind === 'v2' ? peCluster(listed) : vm.clusterId;
  return [{ kind: 'vm', id: scope.id, name: vm.name, causes: [], clusterId }];
}
