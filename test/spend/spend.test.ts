/** Rate card schema and sources, and the pricing rules of docs/architecture.md "Spend". */
import { readFileSync } from 'node:fs';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { load as parseYaml } from 'js-yaml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clearParameterCache } from '../../lib/config/ssm';
import { NoBillingReport, SpendError } from '../../lib/connector-utils/errors';
import type { UsageRecord } from '../../lib/providers/provider';
import { loadRateCard } from '../../lib/spend/load';
import { GIB, priceRecord, priceUsage } from '../../lib/spend/pricing';
import { parseRateCard, RATE_CARD_SCHEMA, type RateCard } from '../../lib/spend/rate-card';
import { nflexAjv } from '../helpers/schemas';

const ssm = mockClient(SSMClient);
const CARD = { currency: 'GBP', vcpu_hour: 0.5, ram_gib_hour: 0.25, storage_gib_month: 7.3 };

beforeEach(() => {
  ssm.reset();
  clearParameterCache();
});
afterEach(() => {
  delete process.env.RATE_CARD_SSM_PARAMETER;
});

/** A usage record with defaults. */
function usage(over: Partial<UsageRecord>): UsageRecord {
  return {
    resourceId: 'x',
    resourceType: 'server',
    clusterId: null,
    running: true,
    vcpu: 0,
    ramB: 0,
    storageB: 0,
    ...over,
  };
}

describe('rate card', () => {
  it('the shipped mappings/rate-card.yaml is valid against RATE_CARD_SCHEMA and parseRateCard', () => {
    const raw = parseYaml(readFileSync('mappings/rate-card.yaml', 'utf8'));
    const validate = nflexAjv().compile(RATE_CARD_SCHEMA);
    expect(validate(raw), JSON.stringify(validate.errors)).toBe(true);
    expect(parseRateCard(raw, 'shipped').currency).toBe('USD');
  });

  it.each([
    [{ ...CARD, currency: 'BTC' }, 'currency: expected one of GBP, EUR, USD, JPY, SGD, INR, AUD, got "BTC"'],
    [{ ...CARD, vcpu_hour: -1 }, 'vcpu_hour: expected a number ≥ 0, got -1'],
    [{ ...CARD, ram_gib_hour: '0.1' }, 'ram_gib_hour: expected a number ≥ 0, got "0.1"'],
    [
      { currency: 'GBP', vcpu_hour: 1, ram_gib_hour: 1 },
      'storage_gib_month: expected a number ≥ 0, got nothing',
    ],
    [{ ...CARD, vcpu_hours: 1 }, 'vcpu_hours: expected one of currency, description, clusters, vcpu_hour'],
    [
      { ...CARD, clusters: { c1: { vcpu_hour: 'x' } } },
      'clusters.c1.vcpu_hour: expected a number ≥ 0, got "x"',
    ],
    [{ ...CARD, clusters: { c1: { gpu_hour: 1 } } }, 'clusters.c1.gpu_hour: expected one of vcpu_hour'],
  ])('rejects %j naming the field, and the ajv schema agrees', (raw, message) => {
    expect(() => parseRateCard(raw, 'test')).toThrow(SpendError);
    expect(() => parseRateCard(raw, 'test')).toThrow(message);
    expect(nflexAjv().compile(RATE_CARD_SCHEMA)(raw)).toBe(false);
  });

  it('loads an inline YAML string, SSM, and reports empty/missing named sources as NoBillingReport', async () => {
    expect(
      (await loadRateCard('currency: JPY\nvcpu_hour: 1\nram_gib_hour: 1\nstorage_gib_month: 1')).card
        .currency,
    ).toBe('JPY');
    await expect(loadRateCard('   ')).rejects.toBeInstanceOf(NoBillingReport);
    await expect(loadRateCard(null)).rejects.toBeInstanceOf(NoBillingReport);
    await expect(loadRateCard('currency: [')).rejects.toBeInstanceOf(SpendError);

    process.env.RATE_CARD_SSM_PARAMETER = '/nflex-connector/rate-card';
    ssm.on(GetParameterCommand).resolvesOnce({ Parameter: { Value: JSON.stringify(CARD) } });
    const fromSsm = await loadRateCard(undefined);
    expect(fromSsm).toMatchObject({
      source: 'SSM parameter /nflex-connector/rate-card',
      card: { currency: 'GBP' },
    });

    clearParameterCache();
    const missing = new Error('not found');
    missing.name = 'ParameterNotFound';
    ssm.on(GetParameterCommand).rejects(missing);
    await expect(loadRateCard(undefined)).rejects.toThrow(/NoBillingReport|RATE_CARD_SSM_PARAMETER/);
    await expect(loadRateCard(undefined)).rejects.toBeInstanceOf(NoBillingReport);
  });

  it('falls back to the shipped card when nothing is named', async () => {
    expect((await loadRateCard(undefined)).source).toBe('mappings/rate-card.yaml');
  });
});

describe('pricing', () => {
  const card: RateCard = {
    ...(CARD as Omit<RateCard, 'clusters'>),
    currency: 'GBP',
    clusters: { big: { vcpu_hour: 2 } },
  };

  it('charges compute while running and storage always, prorated (GiB = 2^30, month = 730 h)', () => {
    const vm = usage({ vcpu: 4, ramB: 8 * GIB });
    expect(priceRecord(card, vm, 2)).toBeCloseTo((4 * 0.5 + 8 * 0.25) * 2, 9);
    expect(priceRecord(card, { ...vm, running: false }, 2)).toBe(0);
    const disk = usage({ resourceType: 'volume', running: false, storageB: 100 * GIB });
    expect(priceRecord(card, disk, 730)).toBeCloseTo(100 * 7.3, 9);
    expect(priceRecord(card, disk, 1)).toBeCloseTo((100 * 7.3) / 730, 9);
  });

  it('per-cluster overrides replace only the prices they name', () => {
    const vm = usage({ vcpu: 1, ramB: GIB, clusterId: 'big' });
    expect(priceRecord(card, vm, 1)).toBeCloseTo(2 + 0.25, 9);
  });

  it('one item per record, spend_date = UTC date of the window end, zero-length window costs 0', () => {
    const records = [
      usage({ resourceId: 'vm', vcpu: 1 }),
      usage({ resourceId: 'd', resourceType: 'volume', storageB: GIB }),
    ];
    const r = priceUsage(card, records, new Date('2026-11-27T23:30:00Z'), new Date('2026-11-28T00:30:00Z'));
    expect(r.spend_date).toBe('2026-11-28');
    expect(r.items.map((i) => [i.remote_id, i.resource_type])).toEqual([
      ['vm', 'server'],
      ['d', 'volume'],
    ]);
    const zero = priceUsage(card, records, new Date(0), new Date(0));
    expect(zero.items.every((i) => i.amount === 0)).toBe(true);
  });
});
