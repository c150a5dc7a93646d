/**
 * The four parser classes of the original `parser` module. `parse()` keeps the original contract (null and
 * a logged warning on a syntax error; AttributeError for a non-string); `compile()` is the strict variant
 * that throws ExpressionSyntaxError with the position, used by the mapping loader outside compat mode.
 */

import { AttributeError } from '../py-errors';
import { compileTop, type Evaluator, type Variables } from './compile';
import { ExpressionSyntaxError } from './errors';
import { type PyNumber, pyTypeName } from './python';
import { type Flavor, parseSyntax } from './syntax';

export type { Variables } from './compile';

/** A parsed, compiled expression; evaluate it as often as needed. */
export class CompiledExpression {
  /** The compiled closure; calling it directly skips one method dispatch in hot loops. */
  readonly fn: Evaluator;
  constructor(
    readonly source: string,
    fn: Evaluator,
  ) {
    this.fn = fn;
  }

  /** Evaluates against the variables: a float, a Complex or null; throws the Python-named errors. */
  evaluate(vars: Variables): PyNumber {
    return this.fn(vars);
  }
}

/** Options shared by the parser classes. */
export interface ParserOptions {
  /** Receives the `Failed to parse "<text>": …` warning; defaults to console.warn (the root logger). */
  warn?: (message: string) => void;
}

/** Compiles `text` in the given grammar flavour; throws ExpressionSyntaxError. */
export function compileExpression(text: string, flavor: Flavor): CompiledExpression {
  return new CompiledExpression(text, compileTop(parseSyntax(text, flavor)));
}

/** Arithmetic only: `+ - * / ^`, parentheses, numbers, variables, NULL. */
export class ExpressionParser {
  protected readonly flavor: Flavor = 'expression';
  private readonly warn: (message: string) => void;

  constructor(options: ParserOptions = {}) {
    this.warn = options.warn ?? ((m) => console.warn(m));
  }

  /** Parses and compiles; on a syntax error logs a warning and returns null, like the original. */
  parse(text: unknown): CompiledExpression | null {
    if (typeof text !== 'string') {
      // pyparsing's parseString called expandtabs() on its argument first.
      throw new AttributeError(`'${pyTypeName(text)}' object has no attribute 'expandtabs'`);
    }
    try {
      return compileExpression(text, this.flavor);
    } catch (e) {
      if (!(e instanceof ExpressionSyntaxError)) throw e;
      this.warn(`Failed to parse "${text}": ${e.message}`);
      return null;
    }
  }

  /** Parses and compiles; throws ExpressionSyntaxError (with the position) on a syntax error. */
  compile(text: string): CompiledExpression {
    return compileExpression(text, this.flavor);
  }
}

/** Exactly one `A if COND else B` (keywords case-insensitive, `=`/`==` both equality). */
export class TernaryExpressionParser extends ExpressionParser {
  protected override readonly flavor: Flavor = 'ternary';
}

/** Exactly one SQL `CASE WHEN … THEN … [ELSE …] END`, nestable anywhere an operand may appear. */
export class CaseExpressionParser extends ExpressionParser {
  protected override readonly flavor: Flavor = 'case';
}

/** A ternary or plain arithmetic, but no CASE: the parser the original mapping loader used. */
export class SimpleExpressionParser extends CaseExpressionParser {
  protected override readonly flavor: Flavor = 'simple';
}

/** Ternary or arithmetic with CASE allowed as an operand: what our mapping loader accepts by default. */
export class MappingExpressionParser extends ExpressionParser {
  protected override readonly flavor: Flavor = 'mapping';
}
