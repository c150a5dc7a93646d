/** getSpend: usage over the poll window priced with the rate card (get_spend.json). */
import type { EventResource } from '../lib/config/event';
import { describeValue } from '../lib/config/fields';
import { pollWindow, windowToProviderDates } from '../lib/config/window';
import { ValidationError } from '../lib/errors';
import { connectorHandler, invocationOf } from '../lib/middleware/handler';
import { type ConnectorContext, withDeadline } from '../lib/middleware/runtime';
import { goneWarning } from '../lib/providers/contract';
import { checkNativeId } from '../lib/providers/ids';
import type { ProviderName, UsageRecord, UsageSubject } from '../lib/providers/provider';
import { loadRateCard } from '../lib/spend/load';
import { priceUsage, type SpendResult } from '../lib/spend/pricing';

/**
 * One item per server and volume; with `event.resource`, that resource's item, read alone upstream (none
 * for a host; none and a warning when it no longer exists).
 */
export async function getSpend(_event: unknown, context: ConnectorContext): Promise<SpendResult> {
  const { rt, event, provider: providerOf } = invocationOf(context);
  // The card first: a missing or invalid card fails fast, before any upstream call.
  const { card, source } = await withDeadline(rt, 'loading the rate card', (signal) =>
    loadRateCard(event.rateCard, signal),
  );
  const provider = providerOf();
  const window = pollWindow(event, rt.log);
  const subject = event.resource && usageSubject(event.provider, event.resource);
  const usage = await withDeadline(rt, 'reading usage', async (signal): Promise<UsageRecord[]> => {
    if (subject === undefined) return provider.usage(windowToProviderDates(window), signal);
    // Hosts have no spend items.
    if (subject === null) return [];
    const found = await provider.resourceUsage(subject, signal);
    if (found === null) rt.log.warn(goneWarning(subject.kind, subject.id, 'spend'));
    return found ?? [];
  });
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

/**
 * What a per-resource poll prices: `server` (a VM; a host gets no items) and its alias `host` (null: no
 * items, nothing to read), or `volume`. Any other type is not priced: a validation error naming it.
 */
function usageSubject(provider: ProviderName, resource: EventResource): UsageSubject | null {
  const type = resource.type ?? 'server';
  if (type !== 'server' && type !== 'host' && type !== 'volume') {
    throw new ValidationError('resource.type', '"server", "host" or "volume"', { got: describeValue(type) });
  }
  const id = checkNativeId(provider, resource.nativeId, 'resource.native_id');
  return type === 'host' ? null : { kind: type, id };
}

export const handler = connectorHandler('getSpend', getSpend);
