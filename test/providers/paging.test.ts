import { describe, expect, it } from 'vitest';
import { collectPages, type Page, type PageRequest, PagingError } from '../../lib/providers/paging';

/** An in-memory paged collection whose contents can change between page requests. */
function pagedList(
  initial: string[],
  opts: { clampTo?: number; onRequest?: (n: number, items: string[]) => void } = {},
) {
  const items = [...initial];
  const requests: PageRequest[] = [];
  const fetchPage = async (req: PageRequest): Promise<Page<string>> => {
    requests.push(req);
    opts.onRequest?.(requests.length, items);
    const size = Math.min(req.limit, opts.clampTo ?? req.limit);
    const start = req.index * size;
    return { items: items.slice(start, start + size), total: items.length, self: `p${req.index}` };
  };
  return { items, requests, fetchPage };
}

const ids = (n: number) => Array.from({ length: n }, (_, i) => `id-${String(i).padStart(5, '0')}`);

describe('collectPages', () => {
  it('reads every page exactly once and returns items in order', async () => {
    // Prepare
    const list = pagedList(ids(250));
    // Act
    const got = await collectPages({
      what: 'things',
      pageSize: 100,
      fetchPage: list.fetchPage,
      idOf: (x) => x,
    });
    // Assess
    expect(got).toEqual(ids(250));
    expect(list.requests.map((r) => r.index)).toEqual([0, 1, 2]);
    expect(list.requests.map((r) => r.offset)).toEqual([0, 100, 200]);
  });

  it('asks for a separate count and page 0 at the same time, and uses the count as the total', async () => {
    // Prepare
    const list = pagedList(ids(150));
    const events: string[] = [];
    const count = async () => {
      events.push('count-start');
      await new Promise((r) => setTimeout(r, 20));
      events.push('count-end');
      return 150;
    };
    const fetchPage = async (req: PageRequest) => {
      events.push(`page${req.index}`);
      return list.fetchPage(req);
    };
    // Act
    const got = await collectPages({ what: 'things', pageSize: 100, fetchPage, count, idOf: (x) => x });
    // Assess
    expect(got).toEqual(ids(150));
    expect(events.indexOf('page0')).toBeLessThan(events.indexOf('count-end'));
    expect(events.indexOf('page1')).toBeGreaterThan(events.indexOf('count-end'));
  });

  it('handles an empty collection with one request', async () => {
    const list = pagedList([]);
    const got = await collectPages({
      what: 'things',
      pageSize: 100,
      fetchPage: list.fetchPage,
      idOf: (x) => x,
    });
    expect(got).toEqual([]);
    expect(list.requests).toHaveLength(1);
  });

  it('keeps at most `concurrency` pages in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    const all = ids(1000);
    const fetchPage = async (req: PageRequest): Promise<Page<string>> => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      return { items: all.slice(req.offset, req.offset + req.limit), total: all.length };
    };
    const got = await collectPages({
      what: 'things',
      pageSize: 10,
      fetchPage,
      idOf: (x) => x,
      concurrency: 3,
    });
    expect(got).toHaveLength(1000);
    expect(peak).toBe(3);
  });

  it('adapts to a server that clamps the page size', async () => {
    const list = pagedList(ids(120), { clampTo: 50 });
    const got = await collectPages({
      what: 'things',
      pageSize: 500,
      fetchPage: list.fetchPage,
      idOf: (x) => x,
    });
    expect(got).toEqual(ids(120));
    expect(list.requests.map((r) => [r.offset, r.limit])).toEqual([
      [0, 500],
      [50, 50],
      [100, 50],
    ]);
  });

  it('re-reads the collection when an entity is removed between pages', async () => {
    const retries: string[] = [];
    // The 2nd request of the first attempt sees one item fewer: items shift, one is never seen.
    const list = pagedList(ids(30), { onRequest: (n, items) => n === 2 && items.splice(3, 1) });
    const got = await collectPages({
      what: 'things',
      pageSize: 10,
      fetchPage: list.fetchPage,
      idOf: (x) => x,
      onRetry: (reason) => retries.push(reason),
    });
    expect(got).toEqual(list.items);
    expect(got).toHaveLength(29);
    expect(retries).toHaveLength(1);
    expect(retries[0]).toMatch(/total-changed|count-mismatch|short-page/);
  });

  it('re-reads the collection when an entity is added between pages', async () => {
    const list = pagedList(ids(30), { onRequest: (n, items) => n === 3 && items.unshift('new-one') });
    const got = await collectPages({
      what: 'things',
      pageSize: 10,
      fetchPage: list.fetchPage,
      idOf: (x) => x,
    });
    expect(new Set(got)).toEqual(new Set(list.items));
    expect(got).toHaveLength(31);
  });

  it('throws PagingError after maxAttempts when the collection never settles', async () => {
    let n = 0;
    const fetchPage = async (req: PageRequest): Promise<Page<string>> => {
      n++;
      // Every response claims one more item than exists: count never matches.
      const all = ids(20);
      return { items: all.slice(req.offset, req.offset + req.limit), total: 21 };
    };
    const err = await collectPages({
      what: 'things',
      pageSize: 10,
      fetchPage,
      idOf: (x) => x,
      maxAttempts: 3,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PagingError);
    expect((err as PagingError).attempts).toBe(3);
    expect((err as PagingError).kind).toBe('upstream');
    expect(n).toBe(9);
  });

  it('detects a server that returns the same page for every page number', async () => {
    const all = ids(30);
    const fetchPage = async (): Promise<Page<string>> => ({ items: all.slice(0, 10), total: 30 });
    const err = await collectPages({ what: 'things', pageSize: 10, fetchPage, idOf: (x) => x }).catch(
      (e) => e,
    );
    expect(err).toBeInstanceOf(PagingError);
    expect((err as PagingError).problem).toBe('duplicate');
  });

  it('detects a page whose next link points at itself', async () => {
    const all = ids(30);
    const fetchPage = async (req: PageRequest): Promise<Page<string>> => ({
      items: all.slice(req.offset, req.offset + req.limit),
      total: 30,
      self: `page=${req.index}`,
      next: `page=${Math.min(req.index + 1, 1)}`,
    });
    const err = await collectPages({ what: 'things', pageSize: 10, fetchPage, idOf: (x) => x }).catch(
      (e) => e,
    );
    expect((err as PagingError).problem).toBe('loop');
  });

  it('propagates a failed page request without a partial result', async () => {
    const all = ids(50);
    const fetchPage = async (req: PageRequest): Promise<Page<string>> => {
      if (req.index === 3) throw new Error('page 3 is gone');
      return { items: all.slice(req.offset, req.offset + req.limit), total: 50 };
    };
    await expect(collectPages({ what: 'things', pageSize: 10, fetchPage, idOf: (x) => x })).rejects.toThrow(
      'page 3 is gone',
    );
  });

  it('uses a separately reported count (first/skip APIs)', async () => {
    const all = ids(25);
    const fetchPage = async (req: PageRequest): Promise<Page<string>> => ({
      items: all.slice(req.offset, req.offset + req.limit),
    });
    const got = await collectPages({
      what: 'things',
      pageSize: 10,
      fetchPage,
      count: async () => 25,
      idOf: (x) => x,
    });
    expect(got).toEqual(all);
  });

  it('follows pages sequentially when no total is known, and detects a next-link loop', async () => {
    const all = ids(25);
    const fetchPage = async (req: PageRequest): Promise<Page<string>> => ({
      items: all.slice(req.offset, req.offset + req.limit),
      next: req.offset + req.limit < all.length ? `o${req.offset + req.limit}` : undefined,
    });
    expect(await collectPages({ what: 'things', pageSize: 10, fetchPage, idOf: (x) => x })).toEqual(all);
    const looping = async (): Promise<Page<string>> => ({ items: ['a'], next: 'same' });
    const err = await collectPages({ what: 'things', pageSize: 1, fetchPage: looping, idOf: (x) => x }).catch(
      (e) => e,
    );
    expect((err as PagingError).problem).toBe('loop');
  });
});
