/** getSpend: usage over the poll window priced with the rate card (get_spend.json). */
import middy from '@middy/core';
import { pollWindow, windowToProviderDates } from '../lib/config/window';
import {
  type ConnectorContext,
  eventOf,
  providerFor,
  runtimeOf,
  withDeadline,
} from '../lib/middleware/runtime';
import { connectorMiddlewares, MIDDY_PLUGIN } from '../lib/middleware/stack';
import { loadRateCard } from '../lib/spend/load';
import { priceUsage, type SpendResult } from '../lib/spend/pricing';

/** One item per server and volume (only the event's resource when it names one). */
export async function getSpend(_event: unknown, context: ConnectorContext): Promise<SpendResult> {
  const rt = runtimeOf(context);
  const event = eventOf(rt);
  // The card first: a missing or invalid card fails fast, before any upstream call.
  const { card, source } = await withDeadline(rt, 'loading the rate card', (signal) =>
    loadRateCard(event.rateCard, signal),
  );
  const provider = providerFor(rt);
  const window = pollWindow(event, rt.log);
  let usage = await withDeadline(rt, 'reading usage', (signal) =>
    provider.usage(windowToProviderDates(window), signal),
  );
  if (event.resource) usage = usage.filter((u) => u.resourceId === event.resource?.nativeId);
  // Priced over the exact window (the provider's copy is widened at the edges).
  const result = priceUsage(card, usage, window.start.dt.toJSDate(), window.end.dt.toJSDate());
  const total = result.items.reduce((sum, i) => sum + i.amount, 0);
  Object.assign(rt.counts, {
    rate_card: source,
    items: result.items.length,
    amount: Math.round(total * 1e6) / 1e6,
  });
  return result;
}

export const handler = middy(getSpend, MIDDY_PLUGIN).use(connectorMiddlewares('getSpend'));
