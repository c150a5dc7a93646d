/** TCP ports: 1–65535 wherever a port comes from (a URL, a field, an env var). Port 0 is never a target. */
import { ValidationError } from '../errors';

export const MIN_PORT = 1;
export const MAX_PORT = 65535;

/** True for an integer 1–65535. */
export function isPort(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= MIN_PORT && n <= MAX_PORT;
}

/**
 * Throws a ValidationError naming `field` when the URL's explicit port is outside 1–65535. WHATWG URL
 * accepts `:0` (and the request would then go to the scheme's default port), so it must be checked here.
 */
export function checkUrlPort(url: URL, field: string): void {
  if (url.port !== '' && !isPort(Number(url.port))) {
    throw new ValidationError(field, `a URL whose port is ${MIN_PORT}–${MAX_PORT}`);
  }
}

/** A port from text (env vars, forms): digits only, 1–65535, else a ValidationError naming `field`. */
export function parsePort(value: string, field: string): number {
  const n = /^\d{1,5}$/.test(value.trim()) ? Number(value.trim()) : Number.NaN;
  if (!isPort(n)) throw new ValidationError(field, `a port ${MIN_PORT}–${MAX_PORT}`);
  return n;
}
