/**
 * expr-eval-fork as an oracle. Our evaluator owns the original's semantics (see parser/syntax.ts for why we
 * do not evaluate with expr-eval-fork at run time); on the subset where the two languages agree — positive
 * literals, variables, + - * / ^ and parentheses, no unary minus, no division by zero, real results — they
 * must give the same numbers for any expression. This catches precedence and associativity slips that a
 * hand-picked case list would miss.
 */
import { Parser } from 'expr-eval-fork';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ExpressionParser } from '../../lib/connector-utils';

const VARS = { value: 7.5, x: 3, y: 0.25 };

const leaf = fc.oneof(
  fc.constantFrom('value', 'x', 'y'),
  fc.integer({ min: 0, max: 50 }).map(String),
  fc.tuple(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 1, max: 99 })).map(([a, b]) => `${a}.${b}`),
);

const expr: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc
      .tuple(tie('e'), fc.constantFrom('+', '-', '*', '/', '^'), tie('e'))
      .map(([a, op, b]) => `${a} ${op} ${b}`),
    tie('e').map((e) => `(${e})`),
  ),
})).e;

describe('ExpressionParser agrees with expr-eval-fork where the languages agree', () => {
  it('gives the same value for random arithmetic over declared variables', () => {
    const ours = new ExpressionParser({ warn: () => undefined });
    const theirs = new Parser();
    let compared = 0;
    fc.assert(
      fc.property(expr, (text) => {
        const reference = theirs.evaluate(text, VARS);
        // Outside the shared subset: division by zero (they: Infinity, original: 0 for that step),
        // negative base with fractional exponent (they: NaN, original: complex), overflow.
        if (typeof reference !== 'number' || !Number.isFinite(reference)) return;
        const value = ours.parse(text)?.evaluate(VARS);
        expect(typeof value, text).toBe('number');
        const v = value as number;
        if (!Number.isFinite(v)) return;
        compared++;
        expect(Math.abs(v - reference), text).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(reference)));
      }),
      { numRuns: 2000, seed: 20261127 },
    );
    expect(compared).toBeGreaterThan(1000);
  });

  it('and shows the documented differences instead of hiding them', () => {
    const ours = new ExpressionParser({ warn: () => undefined });
    const theirs = new Parser();
    expect(theirs.evaluate('-2^2')).toBe(-4);
    expect(ours.parse('-2^2')?.evaluate({})).toBe(4);
    expect(theirs.evaluate('1/0 + 5')).toBe(Number.POSITIVE_INFINITY);
    expect(ours.parse('1/0 + 5')?.evaluate({})).toBe(5);
  });
});
