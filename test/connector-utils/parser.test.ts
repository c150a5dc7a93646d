/** Unit tests of the expression parser beyond the golden vectors: sandbox, semantics, syntax errors. */
import { describe, expect, it } from 'vitest';
import {
  CaseExpressionParser,
  Complex,
  compileExpression,
  ExpressionParser,
  ExpressionSyntaxError,
  MappingExpressionParser,
  SimpleExpressionParser,
  VariableLookupError,
} from '../../lib/connector-utils/parser';
import { pyFloatRepr, pyRepr } from '../../lib/connector-utils/parser/python';

const evalIn = (text: string, vars: Record<string, unknown> = {}) =>
  compileExpression(text, 'mapping').evaluate(vars);

describe('sandbox', () => {
  it('rejects __proto__ / prototype syntax at parse time', () => {
    for (const text of [
      '__proto__',
      'value.__proto__',
      'value.constructor',
      'value["constructor"]',
      'value[0]',
    ]) {
      expect(() => compileExpression(text, 'mapping'), text).toThrow(ExpressionSyntaxError);
    }
  });

  it('never reads inherited properties: constructor / toString / __proto__-shaped names are unknown', () => {
    for (const name of ['constructor', 'toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf']) {
      expect(() => evalIn(name, { value: 1 }), name).toThrow(VariableLookupError);
      expect(() => evalIn(`${name} + 1`, { value: 1 }), name).toThrow(/^Lookup failed for variable /);
    }
    const inherited = Object.create({ value: 5 }) as Record<string, unknown>;
    expect(() => evalIn('value', inherited)).toThrow(VariableLookupError);
  });

  it('rejects calls: a function passed as a variable is never invoked (CVE-2025-12735 shape)', () => {
    let called = false;
    const exploit = () => {
      called = true;
      return 42;
    };
    // Call syntax does not exist in the language.
    expect(() => compileExpression('value(1)', 'mapping')).toThrow(ExpressionSyntaxError);
    expect(() => compileExpression('f()', 'mapping')).toThrow(ExpressionSyntaxError);
    // Referencing the function as a value is a TypeError from float(), not a call.
    expect(() => evalIn('value * 2', { value: exploit })).toThrow(
      expect.objectContaining({ name: 'TypeError', message: expect.stringContaining("not 'function'") }),
    );
    expect(() => evalIn('f + 1', { f: exploit })).toThrow(TypeError);
    // An object with valueOf/toString is not coerced either (no implicit calls into caller code).
    const sneaky = { valueOf: exploit, toString: () => (called ? '1' : '2') };
    expect(() => evalIn('value + 1', { value: sneaky })).toThrow(TypeError);
    expect(called).toBe(false);
  });

  it('unknown identifiers fail with the variable name and the variables map', () => {
    expect(() => evalIn('value / missing', { value: 1 })).toThrow(
      "Lookup failed for variable missing in {'value': 1}",
    );
  });

  it('has no string literals, ** or %', () => {
    for (const text of ["'a'", '"a"', '2 ** 3', '5 % 2', '`x`', 'a;b']) {
      expect(() => compileExpression(text, 'mapping'), text).toThrow(ExpressionSyntaxError);
    }
  });
});

describe('semantics of the original (where expr-eval differs)', () => {
  it('unary minus binds tighter than ^', () => {
    expect(evalIn('-2 ^ 2')).toBe(4);
    expect(evalIn('-x ^ 2', { x: 3 })).toBe(9);
  });

  it('division by zero yields 0.0 for that step only', () => {
    expect(evalIn('1 / 0 + 5')).toBe(5);
    expect(evalIn('5 * 1 / 0 * 3')).toBe(0);
  });

  it('= is equality, not assignment', () => {
    expect(evalIn('1 if x = 3 else 0', { x: 3 })).toBe(1);
    expect(evalIn('CASE WHEN x = 2 THEN 1 ELSE 0 END', { x: 3 })).toBe(0);
  });

  it('goes through Python float()', () => {
    expect(evalIn('value', { value: '4' })).toBe(4);
    expect(evalIn('value', { value: ' 1_000.5 ' })).toBe(1000.5);
    expect(evalIn('value', { value: true })).toBe(1);
    expect(() => evalIn('value', { value: 'x' })).toThrow("could not convert string to float: 'x'");
    expect(() => evalIn('value', { value: null })).toThrow(TypeError);
  });

  it('keeps the 1:.5 lexical quirk: parses, fails at evaluation', () => {
    const c = compileExpression('1:.5', 'expression');
    expect(() => c.evaluate({})).toThrow("could not convert string to float: '1:.5'");
  });

  it('produces complex numbers and OverflowError like Python', () => {
    const c = evalIn('-8 ^ (1 / 3)');
    expect(c).toBeInstanceOf(Complex);
    expect(String(c)).toBe('(1.0000000000000002+1.7320508075688772j)');
    expect(() => evalIn('10 ^ 400')).toThrow(expect.objectContaining({ name: 'OverflowError' }));
    expect(evalIn('1e308 * 10')).toBe(Infinity);
  });

  it('evaluates CASE lazily and nests it anywhere an operand may appear', () => {
    expect(evalIn('CASE WHEN value > 5 THEN missing ELSE 1 END', { value: 1 })).toBe(1);
    expect(evalIn('(CASE WHEN value > 5 THEN 2 ELSE 3 END) * 10 + 1', { value: 9 })).toBe(21);
    expect(evalIn('CASE WHEN value > 5 THEN 1 END', { value: 1 })).toBeNull();
  });

  it('compiles once and evaluates many times with different variables', () => {
    const c = compileExpression('value / 10000', 'mapping');
    expect([1, 20000, 0].map((value) => c.evaluate({ value }))).toEqual([0.0001, 2, 0]);
  });
});

describe('parser classes', () => {
  it('parse() returns null and warns on a syntax error; compile() throws with the position', () => {
    const warnings: string[] = [];
    const p = new ExpressionParser({ warn: (m) => warnings.push(m) });
    expect(p.parse('value *')).toBeNull();
    expect(warnings).toEqual([
      'Failed to parse "value *": Expected an operand (number, variable or parenthesis) (at char 7), (line:1, col:8)',
    ]);
    const err = (() => {
      try {
        p.compile('value * (2 + )');
      } catch (e) {
        return e as ExpressionSyntaxError;
      }
    })();
    expect(err).toBeInstanceOf(ExpressionSyntaxError);
    expect(err?.position).toBe(13);
  });

  it('parse() of a non-string raises AttributeError', () => {
    expect(() => new ExpressionParser().parse(5)).toThrow(
      expect.objectContaining({ name: 'AttributeError' }),
    );
  });

  it('Simple rejects CASE, Case requires it, Mapping accepts both', () => {
    const quiet = { warn: () => {} };
    expect(new SimpleExpressionParser(quiet).parse('CASE WHEN value > 1 THEN 1 END')).toBeNull();
    expect(new CaseExpressionParser(quiet).parse('value * 2')).toBeNull();
    const m = new MappingExpressionParser(quiet);
    expect(m.parse('CASE WHEN value > 1 THEN 1 END')?.evaluate({ value: 2 })).toBe(1);
    expect(m.parse('value * 2 if value > 1 else 0')?.evaluate({ value: 2 })).toBe(4);
  });
});

describe('Python repr helpers', () => {
  it('renders floats like Python repr()', () => {
    const cases: Array<[number, string]> = [
      [1, '1.0'],
      [1.5, '1.5'],
      [90.25 / 3600, '0.025069444444444443'],
      [1e-5, '1e-05'],
      [0.0001, '0.0001'],
      [1e16, '1e+16'],
      [1.5e16, '1.5e+16'],
      [123456789012345.6, '123456789012345.6'],
      [1e22, '1e+22'],
      [-0, '-0.0'],
      [Infinity, 'inf'],
      [Number.NaN, 'nan'],
      [5e-324, '5e-324'],
    ];
    for (const [x, want] of cases) expect(pyFloatRepr(x), String(x)).toBe(want);
  });

  it('renders a variables map like a Python dict', () => {
    expect(pyRepr({ a: 1, b: "it's", c: null, d: true, e: [1.5, 'x'] })).toBe(
      `{'a': 1, 'b': "it's", 'c': None, 'd': True, 'e': [1.5, 'x']}`,
    );
  });
});
