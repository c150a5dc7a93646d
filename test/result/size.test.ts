/**
 * The size guard's counting (lib/result/size.ts) and the JSON pieces it shares with the streaming handlers
 * (lib/result/json.ts): joined pieces are exactly JSON.stringify, the count is exactly its UTF-8 length, and
 * the guard stops at the record that passes the limit.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { ResultTooLarge, ValidationError } from '../../lib/errors';
import { jsonChunks, jsonPieces } from '../../lib/result/json';
import {
  checkResultSize,
  collectWithinLimit,
  DEFAULT_MAX_RESPONSE_BYTES,
  maxResponseBytes,
} from '../../lib/result/size';

const utf8 = (s: string) => Buffer.byteLength(s, 'utf8');
const join = (value: unknown) => [...jsonPieces(value)].map((p) => p.text).join('');

afterEach(() => {
  delete process.env.MAX_RESPONSE_BYTES;
});

describe('jsonPieces', () => {
  it('joins to exactly JSON.stringify for any JSON value, and for results shaped like ours', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(join(value)).toBe(JSON.stringify(value));
        expect([...jsonChunks(value, 7)].join('')).toBe(JSON.stringify(value));
      }),
    );
    const metrics = {
      metrics: [{ metric: 'cpu-usage', value: 1.5 }, { é: '雪' }],
      last_update: 'x',
      skip: undefined,
    };
    expect(join(metrics)).toBe(JSON.stringify(metrics));
    expect(join([undefined, () => 1, { a: undefined }])).toBe(
      JSON.stringify([undefined, () => 1, { a: undefined }]),
    );
  });

  it('writes a generator of records as an array, one piece per record', () => {
    function* records() {
      yield { id: 'a' };
      yield { id: 'b' };
    }
    const pieces = [...jsonPieces(records())];
    expect(pieces.map((p) => p.text).join('')).toBe('[{"id":"a"},{"id":"b"}]');
    expect(pieces.filter((p) => p.record)).toHaveLength(2);
  });
});

describe('checkResultSize', () => {
  it('counts exactly the UTF-8 bytes of JSON.stringify', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(checkResultSize('getResources', value, { limit: 1e9 })).toBe(
          utf8(JSON.stringify(value) ?? ''),
        );
      }),
    );
    // Multi-byte characters count as their UTF-8 bytes, not as UTF-16 units.
    expect(checkResultSize('getResources', [{ name: 'сервер-雪-🙂' }], { limit: 1e9 })).toBe(
      utf8(JSON.stringify([{ name: 'сервер-雪-🙂' }])),
    );
  });

  it('passes a result of exactly the limit and fails one byte over, naming the function, k of n and the remedies', () => {
    const items = Array.from({ length: 10 }, (_, i) => ({ id: `r-${i}`, pad: 'x'.repeat(90) }));
    const exact = utf8(JSON.stringify(items));
    expect(checkResultSize('getResources', items, { limit: exact })).toBe(exact);
    let err: unknown;
    try {
      checkResultSize('getResources', items, { limit: exact - 1 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ResultTooLarge);
    const e = err as ResultTooLarge;
    expect(e.name).toBe('ResultTooLarge');
    expect(e.kind).toBe('size');
    expect(e.message).toBe(
      `getResources result is over ${(exact - 1).toLocaleString('en-US')} bytes after 10 of 10 records; ` +
        'call getResourcesStream (Lambda response streaming) instead, or limit the account to fewer clusters with credentials.clusters',
    );
  });

  it('stops at the record that passes the limit, without reading the rest', () => {
    let produced = 0;
    function* records() {
      for (let i = 0; i < 1000; i++) {
        produced++;
        // `[` + 10 records of 99 bytes + 9 commas is exactly 1,000 bytes; the 11th passes the limit.
        yield { id: i, pad: 'y'.repeat(82) };
      }
    }
    expect(() => collectWithinLimit('getResources', records(), { records: 1000, limit: 1000 })).toThrow(
      /over 1,000 bytes after 11 of 1,000 records/,
    );
    expect(produced).toBe(11);
  });

  it('counts the records of an object result in its lists, and names only credentials.clusters without a streaming twin', () => {
    const spend = {
      currency: 'USD',
      items: Array.from({ length: 50 }, (_, i) => ({ remote_id: `vm-${i}`, amount: i })),
    };
    expect(() => checkResultSize('getSpend', spend, { limit: 200 })).toThrow(
      /^getSpend result is over 200 bytes after \d of 50 records; limit the account to fewer clusters with credentials\.clusters$/,
    );
    expect(() => checkResultSize('getMetrics', { metrics: spend.items }, { limit: 100 })).toThrow(
      /call getMetricsStream/,
    );
  });
});

describe('MAX_RESPONSE_BYTES', () => {
  it('defaults to 6,000,000, takes a positive whole number and rejects anything else naming the variable', () => {
    expect(maxResponseBytes()).toBe(DEFAULT_MAX_RESPONSE_BYTES);
    expect(DEFAULT_MAX_RESPONSE_BYTES).toBe(6_000_000);
    process.env.MAX_RESPONSE_BYTES = '1234';
    expect(maxResponseBytes()).toBe(1234);
    for (const bad of ['0', '-5', '1.5', '6MB']) {
      process.env.MAX_RESPONSE_BYTES = bad;
      expect(() => maxResponseBytes()).toThrow(ValidationError);
      expect(() => maxResponseBytes()).toThrow(
        `MAX_RESPONSE_BYTES: expected a positive whole number of bytes, got "${bad}"`,
      );
    }
  });
});
