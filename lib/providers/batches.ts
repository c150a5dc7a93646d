/** Splitting a list into request-sized batches. */

/** Consecutive groups of at most `size` items. */
export function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Consecutive groups whose weights sum to at most `budget` and that hold at most `maxItems` items; an item
 * heavier than the budget goes alone (the Tower then reports `dropped` and fetchStreams fails loudly).
 */
export function pack<T>(items: T[], weight: (item: T) => number, budget: number, maxItems: number): T[][] {
  const out: T[][] = [];
  let group: T[] = [];
  let load = 0;
  for (const item of items) {
    const w = weight(item);
    if (group.length > 0 && (load + w > budget || group.length >= maxItems)) {
      out.push(group);
      group = [];
      load = 0;
    }
    group.push(item);
    load += w;
  }
  if (group.length > 0) out.push(group);
  return out;
}
