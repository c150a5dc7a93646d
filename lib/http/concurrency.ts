/** Bounded concurrency: a limiter shared by every request to one upstream, and a bounded map over a list. */
import { ValidationError } from '../errors';

/** Limits how many requests are in flight against one upstream, across all collectors (FIFO). */
export class RequestLimiter {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1)
      throw new ValidationError('concurrency', 'an integer ≥ 1', { got: String(limit) });
  }

  /** Runs `fn` when a slot is free. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    try {
      return await fn();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}

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
