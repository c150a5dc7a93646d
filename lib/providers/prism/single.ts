/**
 * One VM or host read by id, for the per-resource calls (getSpend, the scope check): a VM comes from its
 * own GET (`vms/{id}` on v4, v3 and PE v2.0), a host from the host list (hosts are few; v4 filters it to
 * the one host), so no per-resource call ever pages the VM list.
 */
import { UpstreamError } from '../../errors';
import { prismPathId } from '../ids';
import { isNotFound, PE_V2_BASE, type PrismApi, type PrismClient } from './client';
import { listV2, parseVmV2, readClusterV2 } from './element';
import { asObject, type Json, str } from './read';
import type { PrismVm } from './snapshot';
import { listV3, parseVmV3 } from './v3';
import { listV4 } from './v4';
import { parseVmV4Raw } from './v4-vms';

/** The raw body of `GET …/vms/{id}` in the API in use, or null when no VM has the id (404). */
export async function readVmBody(
  client: PrismClient,
  api: PrismApi,
  id: string,
  signal: AbortSignal,
): Promise<Json | null> {
  const segment = prismPathId(id, 'resource.native_id');
  const path =
    api.kind === 'v4'
      ? `/api/vmm/${api.version}/ahv/config/vms/${segment}`
      : api.kind === 'v3'
        ? `/api/nutanix/v3/vms/${segment}`
        : `${PE_V2_BASE}/vms/${segment}`;
  try {
    const body = await client.get<unknown>(path, {}, 'read a VM', signal);
    const json = asObject(body);
    if (!json) throw new UpstreamError(`read VM ${id}: response is not a JSON object`);
    return json;
  } catch (err) {
    if (isNotFound(err)) return null;
    throw err;
  }
}

/** One VM by id, parsed like the inventory's VMs; null when it does not exist. */
export async function readVm(
  client: PrismClient,
  api: PrismApi,
  id: string,
  signal: AbortSignal,
): Promise<PrismVm | null> {
  const body = await readVmBody(client, api, id, signal);
  if (!body) return null;
  if (api.kind === 'v4') return parseVmV4Raw(asObject(body.data) ?? {}).vm;
  if (api.kind === 'v3') return parseVmV3(body);
  // A PE's VM names no cluster: it is the PE's one cluster.
  return parseVmV2(body, (await readClusterV2(client, signal)).id);
}

/** The cluster of the host with this id (null: a host of no cluster), or undefined when no host has it. */
export async function hostCluster(
  client: PrismClient,
  api: PrismApi,
  id: string,
  signal: AbortSignal,
): Promise<string | null | undefined> {
  prismPathId(id, 'resource.native_id');
  if (api.kind === 'v4') {
    const found = await listV4(client, `/api/clustermgmt/${api.version}/config/hosts`, `host ${id}`, signal, {
      $filter: `extId eq '${id}'`,
    });
    return found.length === 1 ? (str(found[0], 'cluster.uuid') ?? str(found[0], 'cluster.extId')) : undefined;
  }
  if (api.kind === 'v3') {
    const host = (await listV3(client, 'host', signal)).find((h) => str(h, 'metadata.uuid') === id);
    return host ? str(host, 'status.cluster_reference.uuid') : undefined;
  }
  const hosts = await listV2(client, 'hosts', signal);
  if (!hosts.some((h) => str(h, 'uuid') === id)) return undefined;
  return (await readClusterV2(client, signal)).id;
}
