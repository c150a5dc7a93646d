/**
 * Shared helpers for the serialize/misc golden runners: decoding the generator's tagged values into port
 * objects, snake_case keyword arguments into our camelCase options, and comparing raised errors.
 */
import { expect } from 'vitest';
import {
  Connections,
  ImageDetail,
  ImageDetailMap,
  type ImageDetailTuple,
  IpAddress,
  Locations,
  Metadata,
  PreciseTime,
  Region,
} from '../../../lib/connector-utils/index';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Kwargs = Record<string, unknown>;

/** `cpu_hz` → `cpuHz`: the port's option names are the Python keyword names in camelCase. */
export function camel(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** Decodes the values of a kwargs object and camel-cases its top-level keys (nested data keeps its keys). */
export function kwargs(args: Record<string, Json> | null | undefined): Kwargs {
  const out: Kwargs = {};
  for (const [k, v] of Object.entries(args ?? {})) out[camel(k)] = decode(v);
  return out;
}

/** `{iso, utcoffset_minutes}` → PreciseTime; the ISO text is the wall-clock reading at that offset. */
export function decodeDatetime(tag: { iso: string; utcoffset_minutes: number | null }): PreciseTime {
  const wall = PreciseTime.parseIso(tag.iso);
  if (tag.utcoffset_minutes === null) return wall;
  return PreciseTime.fromEpochMicros(
    wall.epochMicros - tag.utcoffset_minutes * 60_000_000,
    tag.utcoffset_minutes,
  );
}

/** Decodes the generator's tagged values (README "Tagged values") into port objects; plain JSON stays. */
export function decode(value: Json): unknown {
  if (Array.isArray(value)) return value.map(decode);
  if (value === null || typeof value !== 'object') return value;
  const keys = Object.keys(value);
  const tag = keys.length === 1 && keys[0]!.startsWith('$') ? keys[0]! : null;
  // biome-ignore lint/suspicious/noExplicitAny: tagged payloads are heterogeneous JSON
  const arg = (tag ? value[tag] : undefined) as any;
  switch (tag) {
    case '$tuple':
      // Arrays are the port's tuples.
      return (arg as Json[]).map(decode);
    case '$datetime':
      return decodeDatetime(arg);
    case '$Region':
      return new Region(kwargs(arg));
    case '$Locations':
      return new Locations(kwargs(arg) as never);
    case '$IpAddress':
      return new IpAddress(kwargs(arg));
    case '$ImageDetail':
      return new ImageDetail(kwargs(arg));
    case '$ImageDetailMap.get':
      return new ImageDetailMap({ mapping: arg.mapping as Record<string, ImageDetailTuple> | null }).get(
        kwargs(arg.get) as never,
      );
    case '$Metadata': {
      const md = new Metadata(kwargs(arg.init) as never);
      for (const a of (arg.add ?? []) as { key: string; value: Json; namespace?: string | null }[]) {
        md.add(a.key, decode(a.value), a.namespace);
      }
      return md;
    }
    case '$Connections': {
      const conn = new Connections(kwargs(arg.init) as never);
      for (const a of (arg.add ?? []) as Record<string, Json>[]) conn.add(kwargs(a) as never);
      return conn;
    }
    default: {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = decode(v);
      return out;
    }
  }
}

// Python messages that are part of the contract (golden README): library ValueErrors (and dateutil's
// ParserError, which we reproduce too) and the library's own generic Exceptions.
const EXACT_MESSAGE_TYPES = new Set(['ValueError', 'ParserError', 'Exception']);

/** Asserts `err` is the port's counterpart of the Python error: same kind, and same text where it matters. */
export function expectSameError(err: unknown, expected: { type: string; message?: string }): void {
  expect(err, `expected ${expected.type}: ${expected.message}`).toBeInstanceOf(Error);
  const e = err as Error;
  // Python's bare Exception is the root class; any Error subclass of ours stands for it.
  if (expected.type !== 'Exception') expect(e.name).toBe(expected.type);
  if (EXACT_MESSAGE_TYPES.has(expected.type)) expect(e.message).toBe(expected.message);
}

/** Runs `fn` and returns what it threw (undefined when it did not throw). */
export async function caught(fn: () => unknown): Promise<unknown> {
  try {
    await fn();
  } catch (err) {
    return err;
  }
  return undefined;
}
