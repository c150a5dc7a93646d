/** Golden replay of parser.json: the four parser classes of the original `parser` module. */
import { expect } from 'vitest';
import {
  CaseExpressionParser,
  Complex,
  ExpressionParser,
  type PyNumber,
  SimpleExpressionParser,
  TernaryExpressionParser,
} from '../../../lib/connector-utils/parser';
import type { GoldenCase, GoldenRunner } from './types';

const PARSERS = {
  Expression: ExpressionParser,
  Ternary: TernaryExpressionParser,
  Case: CaseExpressionParser,
  Simple: SimpleExpressionParser,
} as const;

/** Compares an evaluator result with a golden value (float, null, `$float` or `$complex` tag). */
export function expectGoldenNumber(actual: unknown, expected: unknown): void {
  if (expected === null) {
    expect(actual).toBeNull();
    return;
  }
  if (typeof expected === 'number') {
    expect(actual).toBe(expected);
    return;
  }
  const tag = expected as { $float?: string; $complex?: [number, number] };
  if (tag.$float !== undefined) {
    const want = tag.$float === 'inf' ? Infinity : tag.$float === '-inf' ? -Infinity : Number.NaN;
    expect(actual).toBe(want);
    return;
  }
  if (tag.$complex) {
    expect(actual).toBeInstanceOf(Complex);
    const c = actual as Complex;
    expect([c.re, c.im]).toEqual(tag.$complex);
    return;
  }
  throw new Error(`unknown golden value ${JSON.stringify(expected)}`);
}

export const runner: GoldenRunner = {
  run(c: GoldenCase) {
    const { parser, expression, variables } = c.input as {
      parser: keyof typeof PARSERS;
      expression: string;
      variables: Record<string, unknown>;
    };
    const warnings: string[] = [];
    const p = new PARSERS[parser]({ warn: (m) => warnings.push(m) });
    if (c.error?.phase === 'parse') {
      expect(() => p.parse(expression)).toThrow(expect.objectContaining({ name: c.error.type }));
      return;
    }
    const parsed = p.parse(expression);
    if (c.expected && c.expected.parsed === false) {
      expect(parsed).toBeNull();
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/^Failed to parse ".*": /s);
      return;
    }
    expect(parsed, warnings.join('\n')).not.toBeNull();
    expect(warnings).toEqual([]);
    if (c.error) {
      let thrown: unknown;
      try {
        parsed!.evaluate(variables);
      } catch (e) {
        thrown = e;
      }
      expect(thrown, 'evaluate() should throw').toBeInstanceOf(Error);
      const err = thrown as Error;
      expect(err.name).toBe(c.error.type);
      if (c.error.type === 'ValueError' || c.error.type === 'VariableLookupError') {
        expect(err.message).toBe(c.error.message);
      }
      return;
    }
    const value: PyNumber = parsed!.evaluate(variables);
    expectGoldenNumber(value, c.expected.value);
  },
};
