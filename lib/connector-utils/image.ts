/** ImageDetail and ImageDetailMap: the OS image a server runs. */
import { AttributeError, ValueError } from './py-errors';

/** Options of `new ImageDetail(...)`. */
export interface ImageDetailOptions {
  /** Image id; must be a string. */
  id?: string | null;
  name?: string | null;
  type?: string | null;
  distribution?: string | null;
  version?: string | null;
  architecture?: string | null;
}

/** Serialized image detail (this key order). */
export interface SerializedImageDetail {
  id: string;
  name: string | null;
  architecture: string | null;
  distribution: string | null;
  type: string | null;
  version: string | null;
}

/** Image details of a server. */
export class ImageDetail {
  readonly id: string;
  readonly name: string | null;
  readonly type: string | null;
  readonly distribution: string | null;
  readonly version: string | null;
  readonly architecture: string | null;

  constructor(options: ImageDetailOptions = {}) {
    if (typeof options.id !== 'string') throw new ValueError('id must be a string and have a value');
    this.id = options.id;
    this.name = options.name ?? null;
    this.type = options.type ?? null;
    this.distribution = options.distribution ?? null;
    this.version = options.version ?? null;
    this.architecture = options.architecture ?? null;
  }

  /** `{id, name, architecture, distribution, type, version}`, missing ones null. */
  serialize(): SerializedImageDetail {
    return {
      id: this.id,
      name: this.name,
      architecture: this.architecture,
      distribution: this.distribution,
      type: this.type,
      version: this.version,
    };
  }
}

/** Mapped values for one image id: `[name, type, distribution, version, architecture]`. */
export type ImageDetailTuple = readonly [
  name: string | null,
  type: string | null,
  distribution: string | null,
  version: string | null,
  architecture: string | null,
];

/** Options of `new ImageDetailMap(...)`. */
export interface ImageDetailMapOptions {
  /** Image id → known details. Without a mapping, get() fails (as in the original). */
  mapping?: Record<string, ImageDetailTuple> | null;
}

/** Options of `ImageDetailMap.get(...)`: the id plus fallbacks for details the mapping leaves empty. */
export interface ImageDetailLookup extends ImageDetailOptions {}

/** A lookup table from image id to details; mapped values win over the caller's fallbacks. */
export class ImageDetailMap {
  private readonly mapping: Record<string, ImageDetailTuple> | null;

  constructor(options: ImageDetailMapOptions = {}) {
    this.mapping = options.mapping ?? null;
  }

  /** Builds the ImageDetail for `id`: each field is the mapped value if truthy, else the given fallback. */
  get(lookup: ImageDetailLookup = {}): ImageDetail {
    if (this.mapping === null) throw new AttributeError("'NoneType' object has no attribute 'get'");
    const { id } = lookup;
    // Only a string can be a key of the original's dict lookup here (5 would not find "5").
    const mapped = typeof id === 'string' && Object.hasOwn(this.mapping, id) ? this.mapping[id] : undefined;
    if (id === null || id === undefined) throw new ValueError('id must be a string and have a value');
    const [name, type, distribution, version, architecture] = mapped ?? [];
    return new ImageDetail({
      id,
      name: name || lookup.name,
      type: type || lookup.type,
      distribution: distribution || lookup.distribution,
      version: version || lookup.version,
      architecture: architecture || lookup.architecture,
    });
  }
}
