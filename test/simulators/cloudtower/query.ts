/**
 * The Prisma-1 style `where` / `orderBy` / `first` / `skip` / `after` grammar CloudTower's REST facade
 * accepts (API.md §3), evaluated over in-memory objects. Unknown keys are rejected the way the real API
 * rejects them (a 400 with a validation message), so a provider that sends a typo fails in tests too.
 */

export type Entity = Record<string, unknown>;

/** Thrown for input the real API would reject with 400. */
export class BadRequest extends Error {}

/** Keys a list request body may carry (`Get<Plural>RequestBody`, additionalProperties: false). */
export const LIST_BODY_KEYS = new Set(['where', 'orderBy', 'first', 'skip', 'after', 'before', 'last']);

const STRING_SUFFIXES = [
  '_not_contains',
  '_not_starts_with',
  '_not_ends_with',
  '_contains',
  '_starts_with',
  '_ends_with',
  '_not_in',
  '_in',
  '_not',
  '_lte',
  '_lt',
  '_gte',
  '_gt',
  '_some',
  '_every',
  '_none',
] as const;

function splitKey(key: string): { field: string; op: string } {
  for (const suffix of STRING_SUFFIXES) {
    if (key.endsWith(suffix)) return { field: key.slice(0, -suffix.length), op: suffix };
  }
  return { field: key, op: '' };
}

function compare(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/**
 * Returns whether `entity` matches `where`. `typeName` names the where-input in error messages;
 * `fields` is the set of fields the type defines (unknown fields → BadRequest).
 */
export function matches(entity: Entity, where: unknown, typeName: string, fields: Set<string>): boolean {
  if (where === null || where === undefined) return true;
  if (typeof where !== 'object' || Array.isArray(where)) {
    throw new BadRequest(`Variable "$where" got invalid value; expected type ${typeName}`);
  }
  for (const [key, expected] of Object.entries(where as Record<string, unknown>)) {
    if (key === 'AND' || key === 'OR' || key === 'NOT') {
      if (!Array.isArray(expected)) throw new BadRequest(`Field "${key}" of ${typeName} expects a list`);
      const results = expected.map((w) => matches(entity, w, typeName, fields));
      if (key === 'AND' && !results.every(Boolean)) return false;
      if (key === 'OR' && !results.some(Boolean)) return false;
      if (key === 'NOT' && results.some(Boolean)) return false;
      continue;
    }
    const { field, op } = splitKey(key);
    if (!fields.has(field)) {
      throw new BadRequest(`Field "${key}" is not defined by type ${typeName}.`);
    }
    const actual = entity[field];
    if (!matchOne(actual, op, expected, key)) return false;
  }
  return true;
}

function nestedMatches(actual: unknown, where: unknown): boolean {
  if (actual === null || actual === undefined) return where === null;
  if (typeof actual !== 'object') return false;
  const obj = actual as Entity;
  // Nested refs carry only a few fields; accept any key of the ref itself.
  return matches(obj, where, 'nested', new Set(Object.keys(obj).concat(nestedExtraFields(where))));
}

function nestedExtraFields(where: unknown): string[] {
  if (!where || typeof where !== 'object') return [];
  return Object.keys(where as object).map((k) => splitKey(k).field);
}

function matchOne(actual: unknown, op: string, expected: unknown, key: string): boolean {
  switch (op) {
    case '':
      if (expected !== null && typeof expected === 'object' && !Array.isArray(expected)) {
        return nestedMatches(actual, expected);
      }
      return actual === expected;
    case '_not':
      return actual !== expected;
    case '_in':
    case '_not_in': {
      if (!Array.isArray(expected)) throw new BadRequest(`Field "${key}" expects a list`);
      const hit = expected.includes(actual);
      return op === '_in' ? hit : !hit;
    }
    case '_lt':
      return actual !== null && actual !== undefined && compare(actual, expected) < 0;
    case '_lte':
      return actual !== null && actual !== undefined && compare(actual, expected) <= 0;
    case '_gt':
      return actual !== null && actual !== undefined && compare(actual, expected) > 0;
    case '_gte':
      return actual !== null && actual !== undefined && compare(actual, expected) >= 0;
    case '_contains':
      return typeof actual === 'string' && actual.includes(String(expected));
    case '_not_contains':
      return typeof actual === 'string' && !actual.includes(String(expected));
    case '_starts_with':
      return typeof actual === 'string' && actual.startsWith(String(expected));
    case '_not_starts_with':
      return typeof actual === 'string' && !actual.startsWith(String(expected));
    case '_ends_with':
      return typeof actual === 'string' && actual.endsWith(String(expected));
    case '_not_ends_with':
      return typeof actual === 'string' && !actual.endsWith(String(expected));
    case '_some':
    case '_every':
    case '_none': {
      const list = Array.isArray(actual) ? actual : [];
      const hits = list.map((item) => nestedMatches(item, expected));
      if (op === '_some') return hits.some(Boolean);
      if (op === '_every') return hits.every(Boolean);
      return !hits.some(Boolean);
    }
    default:
      return false;
  }
}

/** A validated list request body. */
export interface ListBody {
  where?: unknown;
  orderBy?: string;
  first?: number;
  skip?: number;
  after?: string;
}

/** Validates a list body against the `Get<Plural>RequestBody` rules; throws BadRequest like the real API. */
export function parseListBody(body: unknown): ListBody {
  if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new BadRequest('request body must be a JSON object');
  }
  const b = body as Record<string, unknown>;
  for (const key of Object.keys(b)) {
    if (!LIST_BODY_KEYS.has(key)) throw new BadRequest(`should NOT have additional properties: "${key}"`);
  }
  for (const key of ['first', 'skip', 'last'] as const) {
    const v = b[key];
    if (v !== undefined && v !== null && (!Number.isInteger(v) || (v as number) < 0)) {
      throw new BadRequest(`"${key}" must be a non-negative int32`);
    }
  }
  if (b.before !== undefined || b.last !== undefined) {
    throw new BadRequest('simulator: before/last are not supported');
  }
  return {
    where: b.where ?? undefined,
    orderBy: (b.orderBy as string | undefined) ?? undefined,
    first: (b.first as number | undefined) ?? undefined,
    skip: (b.skip as number | undefined) ?? undefined,
    after: (b.after as string | undefined) ?? undefined,
  };
}

/** Applies `where`, `orderBy`, `after`, `skip`, `first` in Prisma-1 order. */
export function runQuery(all: Entity[], body: ListBody, typeName: string, fields: Set<string>): Entity[] {
  const noFilter =
    body.where === undefined ||
    (typeof body.where === 'object' && Object.keys(body.where as object).length === 0);
  let rows = noFilter ? all : all.filter((e) => matches(e, body.where, typeName, fields));
  // Collections are kept sorted by id, so id_ASC needs no sort (keeps 10k-VM pages cheap).
  if (body.orderBy !== undefined && body.orderBy !== 'id_ASC') {
    const m = /^(?<field>[a-z_]+)_(?<dir>ASC|DESC)$/.exec(body.orderBy);
    const field = m?.groups?.field;
    if (!m || !field || !fields.has(field)) {
      throw new BadRequest(
        `Value "${body.orderBy}" does not exist in "${typeName.replace('WhereInput', 'OrderByInput')}" enum.`,
      );
    }
    const dir = m.groups?.dir === 'DESC' ? -1 : 1;
    rows = [...rows].sort((a, b) => dir * compare(a[field], b[field]) || compare(a.id, b.id));
  }
  if (body.orderBy === 'id_ASC' && !fields.has('id')) throw new BadRequest('id_ASC is not orderable here');
  if (body.after !== undefined) {
    // Prisma-1: items after the cursor in the current order; an unknown cursor yields an empty page.
    const at = rows.findIndex((r) => r.id === body.after);
    rows = at < 0 ? [] : rows.slice(at + 1);
  }
  if (body.skip !== undefined) rows = rows.slice(body.skip);
  if (body.first !== undefined) rows = rows.slice(0, body.first);
  return rows;
}
