/**
 * The buffered response limit. A Lambda invoked RequestResponse returns at most 6 MB and the runtime fails
 * opaquely above it, after all the upstream work; so buffered handlers count the UTF-8 JSON they produce and
 * stop with ResultTooLarge the moment it passes MAX_RESPONSE_BYTES.
 */
import { ResultTooLarge, ValidationError } from '../errors';
import { jsonPieces, recordCount } from './json';

/** AWS Lambda's buffered response limit. */
export const DEFAULT_MAX_RESPONSE_BYTES = 6_000_000;

/** The streaming twin of a buffered function, where one exists. */
const STREAMING_TWIN: Readonly<Record<string, string>> = {
  getResources: 'getResourcesStream',
  getMetrics: 'getMetricsStream',
  getLogs: 'getLogsStream',
};

/** MAX_RESPONSE_BYTES (a positive whole number of bytes), else the default. */
export function maxResponseBytes(): number {
  const raw = process.env.MAX_RESPONSE_BYTES;
  if (raw === undefined || raw.trim() === '') return DEFAULT_MAX_RESPONSE_BYTES;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n <= 0) {
    throw new ValidationError('MAX_RESPONSE_BYTES', 'a positive whole number of bytes', {
      got: JSON.stringify(raw),
    });
  }
  return n;
}

/** What a user can do about a result that is too large for `fn`. */
export function remediesFor(fn: string): string {
  const twin = STREAMING_TWIN[fn];
  const scope = 'limit the account to fewer clusters with credentials.clusters';
  return twin ? `call ${twin} (Lambda response streaming) instead, or ${scope}` : scope;
}

/**
 * The UTF-8 size of `JSON.stringify(value)`, counted record by record (see jsonPieces), so a result over the
 * limit fails with ResultTooLarge after a fraction of the work. `records` is the record total for the message
 * when `value` is a generator.
 */
export function checkResultSize(
  fn: string,
  value: unknown,
  options: { limit?: number; records?: number } = {},
): number {
  const limit = options.limit ?? maxResponseBytes();
  const records = options.records ?? recordCount(value);
  let bytes = 0;
  let done = 0;
  for (const piece of jsonPieces(value)) {
    bytes += Buffer.byteLength(piece.text, 'utf8');
    if (piece.record) done++;
    if (bytes > limit) {
      const n = (x: number) => x.toLocaleString('en-US');
      throw new ResultTooLarge(
        `${fn} result is over ${n(limit)} bytes after ${n(done)} of ${n(records)} records; ${remediesFor(fn)}`,
        { bytes, limit },
      );
    }
  }
  return bytes;
}

/**
 * Collects `items` (`options.records` of them) into the array a buffered handler returns, counting each as JSON on the
 * way, so an oversized result stops at the record that passes the limit instead of after all of them.
 */
export function collectWithinLimit<T>(
  fn: string,
  items: Iterable<T>,
  options: { records: number; limit?: number },
): { list: T[]; bytes: number } {
  const list: T[] = [];
  function* kept(): Generator<T> {
    for (const item of items) {
      list.push(item);
      yield item;
    }
  }
  const bytes = checkResultSize(fn, kept(), options);
  return { list, bytes };
}
