/**
 * Serialized get_resources output projected onto the ground-truth shape of test/providers/<provider>/expected.ts
 * (the fields that the JSON carries), so a streamed or buffered result can be compared with a simulator's truth.
 */

/** The fields of a serialized inventory that ground truth decides. */
export interface SerializedProjection {
  servers: Record<string, Record<string, unknown>>;
  hosts: Record<string, Record<string, unknown>>;
  volumes: Record<string, Record<string, unknown>>;
  networks: Record<string, Record<string, unknown>>;
  computePools: Record<string, Record<string, unknown>>;
}

type Json = Record<string, unknown>;
const ids = (list: unknown) => ((list as { id: string }[] | undefined) ?? []).map((c) => c.id).sort();

/** Projects serialized resources (get_resources.json) by type and id; fails on a duplicate id. */
export function projectSerialized(resources: readonly Json[]): SerializedProjection {
  const out: SerializedProjection = { servers: {}, hosts: {}, volumes: {}, networks: {}, computePools: {} };
  for (const r of resources) {
    const base = r.base as Json;
    const conn = r.connections as Json;
    const details = (r.details as Record<string, Json> | undefined)?.[r.type as string] ?? {};
    const cluster = ids(conn.compute_pool)[0] ?? null;
    const id = r.id as string;
    const put = (into: Record<string, Json>, value: Json) => {
      if (into[id]) throw new Error(`duplicate ${String(r.type)} id ${id}`);
      into[id] = value;
    };
    if (r.type === 'server' && details.is_virtual === false) {
      put(out.hosts, {
        name: base.name,
        clusterId: cluster,
        state: details.state,
        providerState: details.provider_state,
        cpuCores: details.cpu_cores,
        cpuHz: details.cpu_hz,
        ramB: details.ram_b,
        volumesB: details.volumes_b,
        ips: ((details.ip_addresses as { ip_address: string }[]) ?? []).map((a) => a.ip_address).sort(),
        connections: Object.keys(conn),
      });
    } else if (r.type === 'server') {
      put(out.servers, {
        name: base.name,
        clusterId: cluster,
        state: details.state,
        providerState: details.provider_state,
        cpuCores: details.cpu_cores,
        ramB: details.ram_b,
        volumesB: details.volumes_b,
        ips: ((details.ip_addresses as { ip_address: string }[]) ?? []).map((a) => a.ip_address).sort(),
        volumeIds: ids(conn.volume),
        networkIds: ids(conn.network),
        runsOn: ids(conn.server)[0] ?? null,
      });
    } else if (r.type === 'volume') {
      put(out.volumes, {
        name: base.name,
        clusterId: cluster,
        sizeB: details.size_b,
        serverIds: ids(conn.server),
      });
    } else if (r.type === 'network') {
      put(out.networks, { name: base.name, clusterId: cluster });
    } else if (r.type === 'compute_pool') {
      put(out.computePools, {
        name: base.name,
        cpuHz: details.cpu_hz,
        memoryB: details.memory_b,
        storageB: details.storage_b,
      });
    }
  }
  return out;
}

/** One kind of an expected inventory: records by id (Prism) or a list of records with `id` (CloudTower). */
type ExpectedKind = Record<string, object> | readonly object[];

/** The same fields picked from an expected inventory (test/providers/<provider>/expected.ts). */
export function projectExpected(expected: {
  servers: ExpectedKind;
  hosts: ExpectedKind;
  volumes: ExpectedKind;
  networks: ExpectedKind;
  computePools: ExpectedKind;
}): SerializedProjection {
  const pick = (from: ExpectedKind, keys: string[], fix: (v: Json) => Json = (v) => v) => {
    const entries = Array.isArray(from)
      ? (from as Json[]).map((v): [string, Json] => [String(v.id), v])
      : Object.entries(from as Record<string, Json>);
    return Object.fromEntries(
      entries.map(([id, v]) => [id, fix(Object.fromEntries(keys.map((k) => [k, v[k]])))]),
    );
  };
  const orNull = (v: Json) => ({ ...v, clusterId: v.clusterId === '' ? null : v.clusterId });
  return {
    servers: pick(
      expected.servers,
      [
        'name',
        'clusterId',
        'state',
        'providerState',
        'cpuCores',
        'ramB',
        'volumesB',
        'ips',
        'volumeIds',
        'networkIds',
        'runsOn',
      ],
      orNull,
    ),
    // A host's only connection is its compute pool; Server renders a missing provider state as `unknown`.
    hosts: pick(
      expected.hosts,
      ['name', 'clusterId', 'state', 'providerState', 'cpuCores', 'cpuHz', 'ramB', 'ips'],
      (v) => ({
        ...orNull(v),
        providerState: v.providerState ?? 'unknown',
        volumesB: null,
        connections: ['compute_pool'],
      }),
    ),
    volumes: pick(expected.volumes, ['name', 'clusterId', 'sizeB', 'serverIds'], orNull),
    networks: pick(expected.networks, ['name', 'clusterId'], orNull),
    computePools: pick(expected.computePools, ['name', 'cpuHz', 'memoryB', 'storageB']),
  };
}

/** A result with every `base.last_seen_at` (the time of serialization, different per call) removed. */
export function withoutSeenAt(resources: readonly Json[]): Json[] {
  return resources.map((r) => {
    const { last_seen_at: _, ...base } = r.base as Json;
    return { ...r, base };
  });
}
