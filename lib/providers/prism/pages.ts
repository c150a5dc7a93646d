/** The shared pager as every Prism list uses it: bounded by the client's concurrency, re-reads logged. */
import { type CollectOptions, type CollectStats, collectPages } from '../paging';
import type { PrismClient } from './client';

/** What a Prism list passes to the pager; the client supplies the rest. */
export type PrismList<T> = Pick<CollectOptions<T>, 'what' | 'pageSize' | 'idOf' | 'fetchPage'>;

/** A whole Prism list, complete or a typed error, each inconsistent read warned about before it is retried. */
export function collectPrismPages<T>(
  client: PrismClient,
  list: PrismList<T>,
  signal: AbortSignal,
  stats?: CollectStats,
): Promise<T[]> {
  const { what } = list;
  return collectPages(
    {
      ...list,
      concurrency: client.concurrency,
      signal,
      onRetry: (reason, attempt) => client.warn(`re-reading ${what} (attempt ${attempt + 1}): ${reason}`),
    },
    stats,
  );
}

/** Page counters of one snapshot read, one per list: `counter(name)` registers a fresh one under `name`. */
export function statsCounters(stats: Record<string, CollectStats>): (name: string) => CollectStats {
  return (name) => {
    const counter: CollectStats = { pagesFetched: 0, attempts: 0 };
    stats[name] = counter;
    return counter;
  };
}
