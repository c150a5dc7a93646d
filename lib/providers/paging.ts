/**
 * Reads a whole paged collection — Prism v4 `$page`/`$limit`, v3 `offset`/`length`, CloudTower `first`/`skip`
 * — complete and consistent, or throws: page 0 gives the total, the rest are fetched concurrently, and the ids,
 * page sizes and total are checked. A collection that changed underneath is re-read up to `maxAttempts` times,
 * then PagingError; never a partial list, because the platform reads absence as deletion.
 */
import { UpstreamError } from '../errors';
import { mapLimit } from '../http';

/** Which page to fetch. `offset` = `index` × `limit`; pass whichever the API speaks. */
export interface PageRequest {
  /** 0-based page number. */
  index: number;
  /** 0-based item offset of the page's first item. */
  offset: number;
  /** Page size to ask for. */
  limit: number;
}

/** One fetched page. */
export interface Page<T> {
  items: T[];
  /** Total number of items the server reports for the whole collection (undefined if it does not). */
  total?: number | undefined;
  /** Opaque token or URL of this page (e.g. the `self` link), for loop detection. */
  self?: string | undefined;
  /** Opaque token or URL of the next page (e.g. the `next` link); absent on the last page. */
  next?: string | undefined;
}

/** How to read one collection. */
export interface CollectOptions<T> {
  /** What is being listed, for messages: 'vms', 'subnets of cluster x'. */
  what: string;
  /** Largest page size the API allows (v4: 100, v3: 500). */
  pageSize: number;
  /** Fetches one page. Must honour `signal`. */
  fetchPage(request: PageRequest, signal: AbortSignal): Promise<Page<T>>;
  /** Total count when the API reports it separately from the pages (CloudTower `*-connection`). */
  count?(signal: AbortSignal): Promise<number>;
  /** The item's unique id. */
  idOf(item: T): string;
  /** Pages in flight at most (default 4). */
  concurrency?: number;
  /** Whole-collection reads before giving up on an inconsistent collection (default 3). */
  maxAttempts?: number;
  signal?: AbortSignal;
  /** Told about each inconsistent read before it is retried (for a warning log). */
  onRetry?(reason: string, attempt: number): void;
}

/** What went wrong with a paged read. */
export type PagingProblem =
  | 'count-mismatch'
  | 'duplicate'
  | 'short-page'
  | 'loop'
  | 'total-changed'
  | 'bad-total';

/** The collection could not be read consistently within the allowed attempts. */
export class PagingError extends UpstreamError {
  readonly what: string;
  readonly problem: PagingProblem;
  readonly attempts: number;
  constructor(what: string, problem: PagingProblem, detail: string, attempts: number) {
    super(`listing ${what} gave an inconsistent result after ${attempts} attempt(s) (${problem}): ${detail}`);
    this.what = what;
    this.problem = problem;
    this.attempts = attempts;
  }
}

/** Statistics of one collection read (for request-count checks and logs). */
export interface CollectStats {
  pagesFetched: number;
  attempts: number;
}

class Inconsistent {
  constructor(
    readonly problem: PagingProblem,
    readonly detail: string,
  ) {}
}

/**
 * Reads every item of a paged collection (see the module comment for the algorithm and guarantees).
 * Returns items in page order. `stats`, when given, is filled in.
 */
export async function collectPages<T>(options: CollectOptions<T>, stats?: CollectStats): Promise<T[]> {
  const maxAttempts = options.maxAttempts ?? 3;
  const concurrency = options.concurrency ?? 4;
  if (!Number.isInteger(options.pageSize) || options.pageSize < 1) {
    throw new RangeError(`page size must be an integer ≥ 1, got ${options.pageSize}`);
  }
  const signal = options.signal ?? new AbortController().signal;
  const counters: CollectStats = stats ?? { pagesFetched: 0, attempts: 0 };
  let last: Inconsistent | undefined;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    counters.attempts = attempt;
    const outcome = await readOnce(options, concurrency, signal, counters);
    if (!(outcome instanceof Inconsistent)) return outcome;
    last = outcome;
    if (attempt < maxAttempts) options.onRetry?.(`${outcome.problem}: ${outcome.detail}`, attempt);
  }
  const failure = last ?? new Inconsistent('count-mismatch', 'no attempt made');
  throw new PagingError(options.what, failure.problem, failure.detail, maxAttempts);
}

async function readOnce<T>(
  options: CollectOptions<T>,
  concurrency: number,
  signal: AbortSignal,
  counters: CollectStats,
): Promise<T[] | Inconsistent> {
  const requested = options.pageSize;
  // The count and page 0 are independent: ask for both at once (one round-trip, not two). Either failing
  // aborts the other, as mapLimit does for pages.
  const [separateTotal, first] = (await mapLimit(
    [0, 1],
    2,
    async (which, _i, s) => {
      if (which === 0) return options.count ? await options.count(s) : undefined;
      const page = await options.fetchPage({ index: 0, offset: 0, limit: requested }, s);
      counters.pagesFetched++;
      return page;
    },
    signal,
  )) as [number | undefined, Page<T>];
  const total = separateTotal ?? first.total;
  if (total === undefined) return readSequentially(options, first, signal, counters);
  if (!Number.isInteger(total) || total < 0)
    return new Inconsistent('bad-total', `total is ${String(total)}`);

  // A server that silently clamps the page size answers page 0 short although more items exist: page by
  // what it actually returns. (A page that is short for another reason is caught by the checks below.)
  const size =
    first.items.length > 0 && first.items.length < requested && first.items.length < total
      ? first.items.length
      : requested;
  const pageCount = Math.max(1, Math.ceil(total / size));
  const rest = Array.from({ length: pageCount - 1 }, (_, i) => i + 1);
  const pages = [first];
  const restPages = await mapLimit(
    rest,
    concurrency,
    async (index, _i, pageSignal) => {
      const page = await options.fetchPage({ index, offset: index * size, limit: size }, pageSignal);
      counters.pagesFetched++;
      return page;
    },
    signal,
  );
  pages.push(...restPages);
  return verify(options, pages, total, separateTotal !== undefined, size);
}

function verify<T>(
  options: CollectOptions<T>,
  pages: Page<T>[],
  total: number,
  totalFromCount: boolean,
  size: number,
): T[] | Inconsistent {
  const seen = new Map<string, number>();
  const items: T[] = [];
  for (const [index, page] of pages.entries()) {
    if (!totalFromCount && page.total !== undefined && page.total !== total) {
      return new Inconsistent(
        'total-changed',
        `page ${index} reports ${page.total} items, page 0 reported ${total}`,
      );
    }
    if (page.next !== undefined && page.self !== undefined && page.next === page.self) {
      return new Inconsistent('loop', `page ${index} names itself as the next page`);
    }
    const isLast = index === pages.length - 1;
    if (!isLast && page.items.length !== size) {
      return new Inconsistent('short-page', `page ${index} has ${page.items.length} items, expected ${size}`);
    }
    for (const item of page.items) {
      const id = options.idOf(item);
      const earlier = seen.get(id);
      if (earlier !== undefined) {
        return new Inconsistent('duplicate', `id ${id} appears on page ${earlier} and page ${index}`);
      }
      seen.set(id, index);
      items.push(item);
    }
  }
  if (items.length !== total) {
    return new Inconsistent('count-mismatch', `read ${items.length} items, the server reported ${total}`);
  }
  return items;
}

/** Fallback for an API that reports no total: follow pages one by one until an empty or last page. */
async function readSequentially<T>(
  options: CollectOptions<T>,
  first: Page<T>,
  signal: AbortSignal,
  counters: CollectStats,
): Promise<T[] | Inconsistent> {
  const tokens = new Set<string>();
  const seen = new Set<string>();
  const items: T[] = [];
  let page = first;
  let index = 0;
  const maxPages = 100_000;
  for (;;) {
    if (page.next !== undefined) {
      if (tokens.has(page.next) || page.next === page.self) {
        return new Inconsistent('loop', `page ${index} points back to an earlier page`);
      }
      tokens.add(page.next);
    }
    for (const item of page.items) {
      const id = options.idOf(item);
      if (seen.has(id)) return new Inconsistent('loop', `id ${id} appears twice (page ${index})`);
      seen.add(id);
      items.push(item);
    }
    if (page.items.length === 0 || (page.next === undefined && page.items.length < options.pageSize))
      return items;
    index++;
    if (index >= maxPages) return new Inconsistent('loop', `more than ${maxPages} pages`);
    page = await options.fetchPage({ index, offset: items.length, limit: options.pageSize }, signal);
    counters.pagesFetched++;
  }
}
