/**
 * The rate card: what one vCPU-hour, one GiB-RAM-hour and one GiB-storage-month cost, in one currency, with
 * per-cluster overrides. Neither Prism nor CloudTower has a billing API, so this is what getSpend prices
 * usage with. RATE_CARD_SCHEMA documents the shape (JSON Schema draft-04); parseRateCard enforces it without
 * a runtime dependency and names the field at fault in a SpendError.
 */

import { describeValue, isPlainObject } from '../config/fields';
import { SpendError } from '../connector-utils/errors';

/** The currencies get_spend.json accepts. */
export const CURRENCIES = ['GBP', 'EUR', 'USD', 'JPY', 'SGD', 'INR', 'AUD'] as const;
export type Currency = (typeof CURRENCIES)[number];

/** The three prices. */
export interface Rates {
  vcpu_hour: number;
  ram_gib_hour: number;
  storage_gib_month: number;
}

/** A validated rate card. */
export interface RateCard extends Rates {
  currency: Currency;
  /** Cluster id → prices that replace the defaults for resources in that cluster. */
  clusters: Record<string, Partial<Rates>>;
  description?: string;
}

const RATE_KEYS = ['vcpu_hour', 'ram_gib_hour', 'storage_gib_month'] as const;

const rateProperty = { type: 'number', minimum: 0 };

/** JSON Schema (draft-04) of a rate card, as shipped in mappings/rate-card.yaml. */
export const RATE_CARD_SCHEMA = {
  $schema: 'http://json-schema.org/draft-04/schema#',
  title: 'rate card',
  type: 'object',
  required: ['currency', ...RATE_KEYS],
  additionalProperties: false,
  properties: {
    currency: { type: 'string', enum: [...CURRENCIES] },
    description: { type: 'string' },
    vcpu_hour: rateProperty,
    ram_gib_hour: rateProperty,
    storage_gib_month: rateProperty,
    clusters: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        properties: { vcpu_hour: rateProperty, ram_gib_hour: rateProperty, storage_gib_month: rateProperty },
      },
    },
  },
} as const;

/** Marks a required field that is absent (as opposed to present with a wrong value). */
const MISSING = Symbol('missing');

/** A SpendError naming the field, what was expected and what the card had. */
function invalid(source: string, field: string, expected: string, got?: unknown): SpendError {
  const gotText = got === undefined ? '' : `, got ${got === MISSING ? 'nothing' : describeValue(got)}`;
  return new SpendError(`rate card (${source}): ${field}: expected ${expected}${gotText}`);
}

/** One price: a finite number ≥ 0. */
function rate(source: string, field: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
    throw invalid(source, field, 'a number ≥ 0', v === undefined ? MISSING : v);
  }
  return v;
}

/** Rejects keys a rate card does not have: a misspelt price would otherwise silently cost nothing. */
function rejectUnknown(
  source: string,
  path: string,
  obj: Record<string, unknown>,
  allowed: readonly string[],
) {
  for (const k of Object.keys(obj)) {
    if (!allowed.includes(k))
      throw invalid(source, path ? `${path}.${k}` : k, `one of ${allowed.join(', ')}`);
  }
}

/** Validates a parsed rate card; `source` (e.g. `event.rate_card`) is named in every error. */
export function parseRateCard(raw: unknown, source: string): RateCard {
  if (!isPlainObject(raw)) throw invalid(source, '(root)', 'an object', raw);
  rejectUnknown(source, '', raw, ['currency', 'description', 'clusters', ...RATE_KEYS]);
  const currency = raw.currency;
  if (typeof currency !== 'string' || !CURRENCIES.includes(currency as Currency)) {
    throw invalid(source, 'currency', `one of ${CURRENCIES.join(', ')}`, currency ?? MISSING);
  }
  const card: RateCard = {
    currency: currency as Currency,
    vcpu_hour: rate(source, 'vcpu_hour', raw.vcpu_hour),
    ram_gib_hour: rate(source, 'ram_gib_hour', raw.ram_gib_hour),
    storage_gib_month: rate(source, 'storage_gib_month', raw.storage_gib_month),
    clusters: {},
  };
  if (raw.description !== undefined) {
    if (typeof raw.description !== 'string')
      throw invalid(source, 'description', 'a string', raw.description);
    card.description = raw.description;
  }
  if (raw.clusters !== undefined && raw.clusters !== null) {
    if (!isPlainObject(raw.clusters))
      throw invalid(source, 'clusters', 'an object keyed by cluster id', raw.clusters);
    for (const [id, override] of Object.entries(raw.clusters)) {
      const path = `clusters.${id}`;
      if (!isPlainObject(override)) throw invalid(source, path, 'an object of prices', override);
      rejectUnknown(source, path, override, RATE_KEYS);
      const rates: Partial<Rates> = {};
      for (const k of RATE_KEYS)
        if (override[k] !== undefined) rates[k] = rate(source, `${path}.${k}`, override[k]);
      card.clusters[id] = rates;
    }
  }
  return card;
}

/** The prices for a resource in `clusterId` (overrides win field by field). */
export function ratesFor(card: RateCard, clusterId: string | null): Rates {
  const o = clusterId ? card.clusters[clusterId] : undefined;
  return {
    vcpu_hour: o?.vcpu_hour ?? card.vcpu_hour,
    ram_gib_hour: o?.ram_gib_hour ?? card.ram_gib_hour,
    storage_gib_month: o?.storage_gib_month ?? card.storage_gib_month,
  };
}
