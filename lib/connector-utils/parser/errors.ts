/**
 * The errors the expression parser and mapping loader add; ValueError/AttributeError/KeyError/OverflowError
 * come from ../py-errors, and Python's TypeError is JS's own.
 */

/** A variable named in an expression is missing from the variables passed to evaluate(). */
export class VariableLookupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VariableLookupError';
  }
}

/** Python ZeroDivisionError (e.g. `0 ^ -1`); a plain `x / 0` step is not one, it yields 0.0. */
export class PyZeroDivisionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ZeroDivisionError';
  }
}

/** An expression does not parse; `position` is the 0-based character offset of the failure. */
export class ExpressionSyntaxError extends Error {
  readonly expression: string;
  readonly position: number;
  readonly line: number;
  readonly column: number;
  /** What the parser expected at `position`, e.g. `an operand`. */
  readonly expected: string;
  constructor(expression: string, position: number, expected: string) {
    const before = expression.slice(0, position);
    const line = before.split('\n').length;
    const column = position - (before.lastIndexOf('\n') + 1) + 1;
    super(`Expected ${expected} (at char ${position}), (line:${line}, col:${column})`);
    this.name = 'ExpressionSyntaxError';
    this.expression = expression;
    this.position = position;
    this.line = line;
    this.column = column;
    this.expected = expected;
  }
}
