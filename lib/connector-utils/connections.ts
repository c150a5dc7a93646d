/** Connections: which other resources a resource is linked to, grouped by type. */
import { dictSet } from './py-compat';

/** Options of `new Connections(...)` and of `add(...)`, the original's keyword arguments. */
export interface ConnectionsOptions {
  /** Key for `connections` (used verbatim, e.g. `server` or even `servers`); `any` appends raw values. */
  type?: string | null;
  /** Ids to add under `type`; a string is iterated per character, as in the original. */
  connections?: Iterable<unknown> | null;
  /** Ids added under `appliance`. */
  appliances?: Iterable<unknown> | null;
  /** Ids added under `server`. */
  servers?: Iterable<unknown> | null;
  /** Ids added under `network`. */
  networks?: Iterable<unknown> | null;
  /** Ids added under `volume`. */
  volumes?: Iterable<unknown> | null;
}

/** Serialized form: type → list of `{id}` (or raw values under `any`). */
export type SerializedConnections = Record<string, unknown[]>;

/** A growable map of connection lists; repeated adds extend the lists (duplicates kept). */
export class Connections {
  private readonly lists = new Map<string, unknown[]>();

  constructor(options: ConnectionsOptions = {}) {
    this.add(options);
  }

  /** Appends `connections` under `type` (when both are given), then appliances, servers, networks, volumes. */
  add(options: ConnectionsOptions = {}): this {
    const { type, connections } = options;
    if (type !== null && type !== undefined && connections !== null && connections !== undefined) {
      this.append(type, connections);
    }
    this.append('appliance', options.appliances);
    this.append('server', options.servers);
    this.append('network', options.networks);
    this.append('volume', options.volumes);
    return this;
  }

  /** Appends each element as `{id: element}` (raw under `any`); an absent or empty list creates no key. */
  private append(key: string, items: Iterable<unknown> | null | undefined): void {
    if (items === null || items === undefined) return;
    const elements = [...items];
    if (elements.length === 0) return;
    let list = this.lists.get(key);
    if (!list) {
      list = [];
      this.lists.set(key, list);
    }
    for (const el of elements) list.push(key === 'any' ? el : { id: el });
  }

  /** Type → list, keys in creation order; `{}` when empty. */
  serialize(): SerializedConnections {
    const out: SerializedConnections = {};
    for (const [k, list] of this.lists) dictSet(out, k, [...list]);
    return out;
  }
}
