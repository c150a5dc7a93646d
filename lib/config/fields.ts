/**
 * A small typed reader for untrusted JSON objects. Every failure is a ValidationError that names the full
 * field path and what was expected, so a malformed event never surfaces as a TypeError from deep inside.
 * Unknown keys are ignored on purpose (the CMP scheduler adds fields over time).
 */
import { ValidationError } from '../errors';

/** How a rejected value is described in an error: secrets only by their type, never by their content. */
export function describeValue(value: unknown, secret = false): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (secret || typeof value === 'object') return `a ${typeof value}`;
  if (typeof value === 'string') {
    const shown = value.length > 60 ? `${value.slice(0, 57)}...` : value;
    return JSON.stringify(shown);
  }
  return String(value);
}

/** True for a plain JSON object (not null, not an array). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads typed fields of one object, prefixing every error with the object's path (e.g. `credentials`). An
 * opaque reader (credentials, whose every value may be or contain a secret) names only the type it got.
 */
export class FieldReader {
  constructor(
    readonly value: Record<string, unknown>,
    readonly path: string,
    readonly opaque = false,
  ) {}

  /** Wraps `value`, which must be an object; `path` names it in errors. */
  static of(value: unknown, path: string, opts: { opaque?: boolean } = {}): FieldReader {
    if (!isPlainObject(value)) {
      throw new ValidationError(path || 'event', 'an object', {
        got: describeValue(value, opts.opaque),
      });
    }
    return new FieldReader(value, path, opts.opaque);
  }

  /** How a rejected value of this object is shown: by type only when opaque or secret. */
  describe(value: unknown, secret = false): string {
    return describeValue(value, secret || this.opaque);
  }

  /** The dotted name of a key inside this object. */
  field(key: string): string {
    return this.path ? `${this.path}.${key}` : key;
  }

  /** True when the key is present with a value other than null/undefined. */
  has(key: string): boolean {
    return this.value[key] !== undefined && this.value[key] !== null;
  }

  /** An optional string: undefined when absent or null. `secret` keeps the value out of errors. */
  optString(key: string, opts: { secret?: boolean } = {}): string | undefined {
    const v = this.value[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') {
      throw new ValidationError(this.field(key), 'a string', { got: this.describe(v, opts.secret) });
    }
    return v;
  }

  /** A required non-empty string. */
  string(key: string, opts: { secret?: boolean } = {}): string {
    const v = this.optString(key, opts);
    if (v === undefined || v === '') {
      throw new ValidationError(this.field(key), 'a non-empty string', {
        got: v === '' ? 'an empty string' : 'nothing',
      });
    }
    return v;
  }

  /** An optional integer within [min, max]; digit strings are accepted (CMP forms send text). */
  optInt(key: string, min: number, max: number): number | undefined {
    const v = this.value[key];
    if (v === undefined || v === null || v === '') return undefined;
    const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
      throw new ValidationError(this.field(key), `an integer ${min}–${max}`, { got: this.describe(v) });
    }
    return n;
  }

  /** An optional finite number > 0 and ≤ max (seconds, intervals). */
  optPositive(key: string, max: number): number | undefined {
    const v = this.value[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0 || v > max) {
      throw new ValidationError(this.field(key), `a number of seconds > 0 and ≤ ${max}`, {
        got: this.describe(v),
      });
    }
    return v;
  }

  /** An optional boolean; `"true"`/`"false"` strings are accepted for the same reason as digit strings. */
  optBool(key: string): boolean | undefined {
    const v = this.value[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'boolean') return v;
    if (v === 'true' || v === 'false') return v === 'true';
    throw new ValidationError(this.field(key), 'a boolean', { got: this.describe(v) });
  }

  /** An optional string from a fixed set (compared case-insensitively, returned as listed). */
  optEnum<T extends string>(key: string, allowed: readonly T[]): T | undefined {
    const v = this.value[key];
    if (v === undefined || v === null) return undefined;
    const match =
      typeof v === 'string' ? allowed.find((a) => a.toLowerCase() === v.toLowerCase()) : undefined;
    if (match === undefined) {
      throw new ValidationError(this.field(key), `one of ${allowed.map((a) => `"${a}"`).join(', ')}`, {
        got: this.describe(v),
      });
    }
    return match;
  }

  /** An optional non-empty list of non-empty strings (undefined when absent or null). */
  optStringList(key: string): string[] | undefined {
    const v = this.value[key];
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v) || v.length === 0) {
      throw new ValidationError(this.field(key), 'a non-empty array of strings', {
        got: Array.isArray(v) ? 'an empty array' : this.describe(v),
      });
    }
    return v.map((item, i) => {
      if (typeof item !== 'string' || item === '') {
        throw new ValidationError(`${this.field(key)}[${i}]`, 'a non-empty string', {
          got: this.describe(item),
        });
      }
      return item;
    });
  }

  /** A nested object reader, or undefined when the key is absent/null. */
  optObject(key: string): FieldReader | undefined {
    const v = this.value[key];
    if (v === undefined || v === null) return undefined;
    return FieldReader.of(v, this.field(key), { opaque: this.opaque });
  }
}
