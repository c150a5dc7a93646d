/** Bounded concurrency for paging: N pages in flight at most, first failure aborts the rest. */

/**
 * Runs `fn` over `items` with at most `limit` calls in flight and returns results in input order.
 * On the first failure the shared signal is aborted so in-flight requests stop, and — once everything
 * in flight has settled — the first error is thrown. Never resolves with a partial result.
 */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number, signal: AbortSignal) => Promise<R>,
  signal?: AbortSignal,
): Promise<R[]> {
  if (!Number.isInteger(limit) || limit < 1)
    throw new RangeError(`concurrency limit must be an integer ≥ 1, got ${limit}`);
  const controller = new AbortController();
  // Linked without a listener on the caller's signal: many mapLimits (nested pagers) share one signal, and
  // listeners on it would pile up while they run.
  const shared = signal ? AbortSignal.any([signal, controller.signal]) : controller.signal;

  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  let firstError: unknown;

  const worker = async (): Promise<void> => {
    while (!failed && next < items.length) {
      if (shared.aborted) {
        if (!failed) {
          failed = true;
          firstError = shared.reason;
        }
        return;
      }
      const index = next++;
      try {
        results[index] = await fn(items[index] as T, index, shared);
      } catch (err) {
        if (!failed) {
          failed = true;
          firstError = err;
          controller.abort(err);
        }
        return;
      }
    }
  };

  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failed) throw firstError;
  return results;
}
