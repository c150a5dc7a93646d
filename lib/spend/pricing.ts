/**
 * Pricing (docs/architecture.md "Spend"): compute — vCPU-hours and GiB-RAM-hours — only while the VM is running,
 * storage — GiB-months, GiB = 2^30 bytes, month = 730 h — always, all prorated to the window's length.
 */
import type { UsageRecord } from '../providers/provider';
import { type RateCard, ratesFor } from './rate-card';

export const GIB = 2 ** 30;
export const HOURS_PER_MONTH = 730;

/** One get_spend item. */
export interface SpendItem {
  remote_id: string;
  resource_type: 'server' | 'volume';
  amount: number;
}

/** The get_spend result. */
export interface SpendResult {
  currency: RateCard['currency'];
  spend_date: string;
  items: SpendItem[];
}

/** Rounds away binary noise (0.1 + 0.2) without losing anything a currency can show. */
function roundAmount(x: number): number {
  return Math.round(x * 1e8) / 1e8;
}

/** The cost of one usage record over `hours`. */
export function priceRecord(card: RateCard, u: UsageRecord, hours: number): number {
  const r = ratesFor(card, u.clusterId);
  const compute = u.running ? (u.vcpu * r.vcpu_hour + (u.ramB / GIB) * r.ram_gib_hour) * hours : 0;
  const storage = (u.storageB / GIB) * r.storage_gib_month * (hours / HOURS_PER_MONTH);
  return roundAmount(compute + storage);
}

/**
 * Prices every record over the window [start, end): one item per server and per volume, `spend_date` = the
 * UTC date of the window end. A window of length ≤ 0 prices nothing (amount 0).
 */
export function priceUsage(
  card: RateCard,
  usage: readonly UsageRecord[],
  start: Date,
  end: Date,
): SpendResult {
  const hours = Math.max(0, (end.getTime() - start.getTime()) / 3_600_000);
  return {
    currency: card.currency,
    spend_date: end.toISOString().slice(0, 10),
    items: usage.map((u) => ({
      remote_id: u.resourceId,
      resource_type: u.resourceType,
      amount: priceRecord(card, u, hours),
    })),
  };
}
