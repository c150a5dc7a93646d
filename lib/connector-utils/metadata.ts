/** Metadata: namespaced key/value pairs attached to a resource or an account. */
import { dictSet } from './py-compat';

/** Namespace `default`. */
export const DEFAULT_NAMESPACE_ID = 'default';
/** Namespace `provider_specific` (the default namespace of a Metadata). */
export const PROVIDER_SPECIFIC_NAMESPACE_ID = 'provider_specific';
/** Namespace `provider_specific_editable`. */
export const PROVIDER_SPECIFIC_EDITABLE_NAMESPACE_ID = 'provider_specific_editable';
/** Namespace `provider_metadata`. */
export const PROVIDER_METADATA_NAMESPACE_ID = 'provider_metadata';

/** `[key, value]` in the default namespace or `[namespace, key, value]`; a null namespace means default. */
export type MetadataEntry = readonly [string, unknown] | readonly [string | null, string, unknown];

/** Options of `new Metadata(...)`, the original's keyword arguments. */
export interface MetadataOptions {
  /** Entries to add; anything that is not a 2- or 3-element array is skipped silently, as in the original. */
  values?: readonly unknown[] | null;
  /** Namespace for entries that name none; defaults to `provider_specific`. */
  defaultNamespace?: string | null;
}

/** Serialized form: namespace → key → value. */
export type SerializedMetadata = Record<string, Record<string, unknown>>;

/**
 * Namespaced key/value store. Arrays play the part of Python tuples: the original only honoured tuples and
 * ignored lists, a distinction JSON-shaped TypeScript data cannot carry.
 */
export class Metadata {
  private readonly namespaces = new Map<string, Map<string, unknown>>();
  private readonly defaultNamespace: string;

  constructor(options: MetadataOptions = {}) {
    this.defaultNamespace = options.defaultNamespace ?? PROVIDER_SPECIFIC_NAMESPACE_ID;
    for (const entry of options.values ?? []) {
      if (!Array.isArray(entry)) continue;
      if (entry.length === 2) this.add(entry[0] as string, entry[1]);
      else if (entry.length === 3) this.add(entry[1] as string, entry[2], entry[0] as string | null);
    }
  }

  /** Stores `value` under `key` (overwriting) in `namespace` (null/undefined → default); chainable. */
  add(key: string, value: unknown, namespace?: string | null): this {
    const ns = namespace ?? this.defaultNamespace;
    let bucket = this.namespaces.get(ns);
    if (!bucket) {
      bucket = new Map();
      this.namespaces.set(ns, bucket);
    }
    bucket.set(key, value);
    return this;
  }

  /** Namespace → key → value, namespaces in first-use order; `{}` when empty. */
  serialize(): SerializedMetadata {
    const out: SerializedMetadata = {};
    for (const [ns, bucket] of this.namespaces) {
      const values: Record<string, unknown> = {};
      for (const [k, v] of bucket) dictSet(values, k, v);
      dictSet(out, ns, values);
    }
    return out;
  }
}
