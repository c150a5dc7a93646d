/** Defensive readers for untyped JSON: a wrong guess about a shape fails loudly, naming the field. */
import { UpstreamError } from '../../errors';

export type Json = Record<string, unknown>;

/** The value as an object, or undefined. */
export function asObject(value: unknown): Json | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined;
}

const splitPaths = new Map<string, string[]>();

/** Follows a dotted path through objects. */
export function at(value: unknown, path: string): unknown {
  let keys = splitPaths.get(path);
  if (!keys) {
    // Paths are a small fixed set of literals: split each once (this runs for every field of every VM).
    keys = path.split('.');
    splitPaths.set(path, keys);
  }
  let cur: unknown = value;
  for (const key of keys) {
    const o = asObject(cur);
    if (!o) return undefined;
    cur = o[key];
  }
  return cur;
}

/** A string at the path, or null. */
export function str(value: unknown, path: string): string | null {
  const v = at(value, path);
  return typeof v === 'string' ? v : null;
}

/** A finite number at the path, or null. */
export function num(value: unknown, path: string): number | null {
  const v = at(value, path);
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** A boolean at the path, or null. */
export function bool(value: unknown, path: string): boolean | null {
  const v = at(value, path);
  return typeof v === 'boolean' ? v : null;
}

/** An array at the path; a missing array is empty, anything else non-array is an error. */
export function list(value: unknown, path: string, what: string): unknown[] {
  const v = at(value, path);
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new UpstreamError(`${what}: expected ${path} to be a list`);
  return v;
}

/** A required non-empty string; its absence means we misread the API. */
export function requireStr(value: unknown, path: string, what: string): string {
  const v = str(value, path);
  if (!v) throw new UpstreamError(`${what}: missing ${path}`);
  return v;
}

/** A required number. */
export function requireNum(value: unknown, path: string, what: string): number {
  const v = num(value, path);
  if (v === null) throw new UpstreamError(`${what}: missing numeric ${path}`);
  return v;
}
