/** Region and Locations: where a resource lives. */
import { ValueError } from './py-errors';

/** Options of `new Region(...)`. */
export interface RegionOptions {
  /** Region id; must be a string. */
  id?: string | null;
}

/** A provider region, serialized as `{id}`. */
export class Region {
  readonly id: string;

  constructor(options: RegionOptions = {}) {
    if (typeof options.id !== 'string') throw new ValueError('id must be a string and have a value');
    this.id = options.id;
  }

  /** `{id}`. */
  serialize(): { id: string } {
    return { id: this.id };
  }
}

/** One part of a location (`location`, `city`, …): needs an id or a name. */
export interface LocationPart {
  id?: string;
  name?: string;
  [extra: string]: unknown;
}

/** One location hash; parts other than the five validated ones pass through untouched. */
export interface LocationEntry {
  location?: LocationPart;
  city?: LocationPart;
  state?: LocationPart;
  country?: LocationPart;
  region?: LocationPart;
  type?: string;
  [extra: string]: unknown;
}

/** Options of `new Locations(...)`. */
export interface LocationsOptions {
  /** The location hashes; required. */
  locations?: LocationEntry[] | null;
}

const VALIDATED_PARTS = ['location', 'city', 'state', 'country', 'region'] as const;

/** A validated list of location hashes, serialized as given (same objects, no copy). */
export class Locations {
  readonly locations: LocationEntry[];

  constructor(options: LocationsOptions = {}) {
    const { locations } = options;
    // The original only rejects None; a non-list would break serialize(), so it is rejected the same way.
    if (!Array.isArray(locations)) throw new ValueError('locations must be a list of location hashes');
    for (const entry of locations) {
      if (typeof entry !== 'object' || entry === null) continue;
      for (const key of VALIDATED_PARTS) {
        if (!Object.hasOwn(entry, key)) continue;
        const part = entry[key];
        if (typeof part !== 'object' || part === null) {
          throw new TypeError(`location part '${key}' must be a mapping`);
        }
        const hasId = Object.hasOwn(part, 'id');
        const hasName = Object.hasOwn(part, 'name');
        if (!hasId && !hasName) throw new ValueError('one of id or name must be specified');
        if (hasId && typeof part.id !== 'string') throw new ValueError('id must be a string');
        if (hasName && typeof part.name !== 'string') throw new ValueError('name must be a string');
      }
    }
    this.locations = locations;
  }

  /** The list as given. */
  serialize(): LocationEntry[] {
    return this.locations;
  }
}
