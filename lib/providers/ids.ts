/**
 * Native id formats, checked wherever an id leaves our hands: an id from an event or from an upstream list
 * that is placed in a URL path must have its provider's format and is percent-encoded, so no value can
 * turn a request into one for another API path (`../`, `?`, `#`, `%2F`).
 */
import { ValidationError } from '../errors';

/** Prism extId / v3 uuid / PE uuid: an RFC 4122-shaped UUID. */
export const PRISM_ID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** CloudTower ids are cuids: lower-case letters and digits (24–25 characters in every recorded answer). */
export const CLOUDTOWER_ID_RE = /^[a-z0-9]{16,40}$/;

const FORMATS = {
  nutanix: { re: PRISM_ID_RE, expected: 'a Prism id (a UUID such as 0005a1b2-…)' },
  cloudtower: { re: CLOUDTOWER_ID_RE, expected: 'a CloudTower id (lower-case letters and digits)' },
} as const;

/** Throws a ValidationError naming `field` unless `id` has the provider's native id format. */
export function checkNativeId(provider: keyof typeof FORMATS, id: string, field: string): string {
  const { re, expected } = FORMATS[provider];
  if (!re.test(id)) throw new ValidationError(field, expected, { got: describeId(id) });
  return id;
}

/** A Prism id checked for its format and percent-encoded, ready to be one URL path segment. */
export function prismPathId(id: string, field: string): string {
  return encodeURIComponent(checkNativeId('nutanix', id, field));
}

/** How a rejected id is shown: JSON-quoted (control characters escaped) and cut short. */
function describeId(id: string): string {
  return JSON.stringify(id.length > 60 ? `${id.slice(0, 57)}...` : id);
}
