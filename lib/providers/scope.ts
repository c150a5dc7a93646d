/**
 * Cluster scoping: `credentials.clusters` (cluster ids or exact, case-sensitive names) limits every function
 * to those clusters. The provider is wrapped so that what it returns is the estate's subset for them:
 * records of another cluster are left out, records that belong to no cluster (overlay subnets) are in every
 * scope. The cluster directory and each resolution are kept in the warm session, so a warm invocation
 * resolves without a request.
 */
import { ValidationError } from '../errors';
import type { AlertQuery, AlertRecord, EntityScope, HealthEntity } from './monitoring';
import type {
  AccountInfo,
  Inventory,
  LazyInventory,
  MetricSubject,
  Provider,
  Sample,
  TimeWindow,
  UsageRecord,
  UsageSubject,
} from './provider';
import type { Session } from './sessions';

/** A `credentials.clusters` entry that names no cluster, or a name several clusters share. */
export class ClusterScopeError extends ValidationError {}

/** One cluster as the provider lists it. */
export interface ClusterRef {
  id: string;
  name: string;
}

const DIRECTORY = 'clusterDirectory';

/** A resolved scope: the clusters' ids, and their names (alerts name their cluster, not its id). */
interface Resolved {
  ids: Set<string>;
  names: Set<string>;
}
const RESOLVED = 'clusterScopes';

/** Each entry → a cluster id: an exact id first, else an exact name; unknown or ambiguous → ClusterScopeError. */
export function resolveClusters(wanted: readonly string[], directory: readonly ClusterRef[]): Set<string> {
  const ids = new Set(directory.map((c) => c.id));
  const scope = new Set<string>();
  wanted.forEach((entry, i) => {
    const field = `credentials.clusters[${i}]`;
    if (ids.has(entry)) {
      scope.add(entry);
      return;
    }
    const named = directory.filter((c) => c.name === entry);
    if (named.length === 1) {
      scope.add((named[0] as ClusterRef).id);
      return;
    }
    if (named.length > 1) {
      throw new ClusterScopeError(field, 'a cluster id, or a name only one cluster has', {
        got: `"${entry}", the name of ${named.length} clusters (ids ${named.map((c) => c.id).join(', ')})`,
      });
    }
    const known = directory.map((c) => `${c.name} (${c.id})`).join(', ');
    throw new ClusterScopeError(field, `the id or exact name of a cluster (known: ${known || 'none'})`, {
      got: `"${entry}", which matches none`,
    });
  });
  return scope;
}

/** True when a record with this cluster id is inside the scope (no cluster: in every scope). */
function inside(scope: ReadonlySet<string>, clusterId: string | null | undefined): boolean {
  return clusterId === null || clusterId === undefined || scope.has(clusterId);
}

/** Whether a record of `kind` is in the scope: by its clusterId, a compute pool by its own id. */
function keeps(scope: ReadonlySet<string>, kind: string): (record: unknown) => boolean {
  return kind === 'computePools'
    ? (p) => scope.has((p as { id: string }).id)
    : (r) => inside(scope, (r as { clusterId?: string | null }).clusterId);
}

/** The inventory's subset for the scope. */
export function scopeInventory(inv: Inventory, scope: ReadonlySet<string>): Inventory {
  const out: Record<string, unknown[]> = {};
  for (const [kind, records] of Object.entries(inv) as [string, unknown[]][])
    out[kind] = records.filter(keeps(scope, kind));
  return out as Inventory;
}

/** scopeInventory's subset, record by record as each kind is read. */
function scopeLazyInventory(inv: LazyInventory, scope: ReadonlySet<string>): LazyInventory {
  const out: Record<string, () => Iterable<unknown>> = {};
  for (const [kind, records] of Object.entries(inv) as [string, () => Iterable<unknown>][]) {
    const keep = keeps(scope, kind);
    out[kind] = function* () {
      for (const r of records()) if (keep(r)) yield r;
    };
  }
  return out as LazyInventory;
}

/** What a scoped provider answers to `outsideScope` (a symbol: no provider method can collide with it). */
const SCOPE_CHECK = Symbol('scopeCheck');
type ScopeCheck = (entity: EntityScope, signal: AbortSignal) => Promise<boolean>;

/** The warning of a per-resource call about a resource outside `credentials.clusters`. */
export function outOfScopeWarning(kind: string, id: string): string {
  return `${kind} ${id} is outside the scoped clusters (credentials.clusters): nothing is read for it`;
}

/**
 * True, with the warning, when the provider is scoped and the per-resource call's entity belongs to another
 * cluster: the caller answers an empty result and reads nothing of it. Unscoped providers answer false.
 */
export async function outsideScope(
  provider: Provider,
  entity: EntityScope,
  signal: AbortSignal,
  warn: (message: string) => void,
): Promise<boolean> {
  const check = (provider as Provider & { [SCOPE_CHECK]?: ScopeCheck })[SCOPE_CHECK];
  if (!check || !(await check(entity, signal))) return false;
  warn(outOfScopeWarning(entity.kind === 'cluster' ? 'compute_pool' : 'server', entity.id));
  return true;
}

/**
 * A provider limited to the clusters `wanted` names; `session` holds the directory across invocations;
 * `warn` is told about a per-resource read of a resource outside them.
 */
export function scopeProvider(
  inner: Provider,
  wanted: readonly string[],
  session?: Session,
  warn: (message: string) => void = () => {},
): Provider {
  let resolving: Promise<Resolved> | undefined;
  const key = JSON.stringify(wanted);

  /** Resolves against the cached directory, re-reading it once when an entry does not resolve there. */
  async function resolve(signal: AbortSignal, info?: AccountInfo): Promise<Resolved> {
    const scopes = session?.get<Map<string, Resolved>>(RESOLVED);
    const hit = scopes?.get(key);
    if (hit && !info) return hit;
    const cached = info ? undefined : session?.get<ClusterRef[]>(DIRECTORY);
    let scope: Resolved;
    try {
      const directory = info?.clusters ?? cached ?? (await inner.validate(signal)).clusters;
      session?.set(DIRECTORY, directory);
      const ids = resolveClusters(wanted, directory);
      scope = { ids, names: new Set(directory.filter((c) => ids.has(c.id)).map((c) => c.name)) };
    } catch (err) {
      // A cluster created or renamed since the directory was cached.
      if (!(err instanceof ClusterScopeError) || !cached) throw err;
      session?.delete(DIRECTORY);
      return resolve(signal);
    }
    return scope;
  }

  /** The scope, resolved once per invocation and remembered with the session. */
  function scopeFor(signal: AbortSignal, info?: AccountInfo): Promise<Set<string>> {
    return resolved(signal, info).then((r) => r.ids);
  }

  function resolved(signal: AbortSignal, info?: AccountInfo): Promise<Resolved> {
    resolving ??= resolve(signal, info).then((scope) => {
      const scopes = session?.get<Map<string, Resolved>>(RESOLVED) ?? new Map<string, Resolved>();
      scopes.set(key, scope);
      session?.set(RESOLVED, scopes);
      return scope;
    });
    return resolving;
  }

  const overrides: Partial<Provider> = {
    async validate(signal: AbortSignal): Promise<AccountInfo> {
      const info = await inner.validate(signal);
      const scope = await scopeFor(signal, info);
      return { ...info, clusters: info.clusters.filter((c) => scope.has(c.id)) };
    },
    async inventory(signal: AbortSignal): Promise<Inventory> {
      const scope = await scopeFor(signal);
      return scopeInventory(await inner.inventory(signal), scope);
    },
    async lazyInventory(signal: AbortSignal): Promise<LazyInventory> {
      const scope = await scopeFor(signal);
      return scopeLazyInventory(await inner.lazyInventory(signal), scope);
    },
    async metrics(subjects: MetricSubject[], window: TimeWindow, signal: AbortSignal): Promise<Sample[]> {
      const scope = await scopeFor(signal);
      const kept = subjects.filter((s) =>
        s.kind === 'compute_pool' ? scope.has(s.nativeId) : inside(scope, s.clusterId),
      );
      if (kept.length === 0) return [];
      const ids = new Set(kept.map((s) => s.nativeId));
      return (await inner.metrics(kept, window, signal)).filter((s) => ids.has(s.subjectId));
    },
    async alerts(query: AlertQuery, signal: AbortSignal): Promise<AlertRecord[]> {
      // Alerts carry their cluster's name only: an alert of no known cluster is in every scope.
      const { names } = await resolved(signal);
      const alerts = await inner.alerts(query, signal);
      return alerts.filter((a) => a.clusterName === null || names.has(a.clusterName));
    },
    async usage(window: TimeWindow, signal: AbortSignal): Promise<UsageRecord[]> {
      const scope = await scopeFor(signal);
      return (await inner.usage(window, signal)).filter((u) => inside(scope, u.clusterId));
    },
    async health(entity: EntityScope | null, signal: AbortSignal): Promise<HealthEntity[]> {
      const scope = await scopeFor(signal);
      return (await inner.health(entity, signal)).filter((e) => inside(scope, e.clusterId));
    },
    async resourceUsage(subject: UsageSubject, signal: AbortSignal): Promise<UsageRecord[] | null> {
      const scope = await scopeFor(signal);
      const found = await inner.resourceUsage(subject, signal);
      if (found === null || found.every((u) => inside(scope, u.clusterId))) return found;
      warn(outOfScopeWarning(subject.kind, subject.id));
      return [];
    },
  };
  // The entity's cluster comes from its health read (one entity, no list of VMs); a cluster is its own.
  const check: ScopeCheck = async (entity, signal) => {
    const scope = await scopeFor(signal);
    if (entity.kind === 'cluster') return !scope.has(entity.id);
    const [found] = await inner.health(entity, signal);
    return found !== undefined && !inside(scope, found.clusterId);
  };
  // Anything else the provider offers passes through (and must scope itself with scopeInventory's rule).
  return new Proxy(inner, {
    get(target, prop, receiver) {
      if (prop === SCOPE_CHECK) return check;
      const own = overrides[prop as keyof Provider];
      if (own !== undefined) return own;
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
