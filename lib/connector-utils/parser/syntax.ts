/**
 * Lexer and recursive-descent parser for the original library's expression language (SPEC §5), producing the
 * AST compile.ts turns into closures. Its own grammar rather than expr-eval-fork: the semantics differ where
 * users notice (`-2^2` is 4, division by zero yields 0.0, `=` is equality, Python float(), CASE), and a
 * language without member access, calls or strings is a sandbox by construction.
 */
import { ExpressionSyntaxError } from './errors';
import type { CompareOp } from './python';

/** Which grammar to accept; each parser class of the original maps to one flavour. */
export type Flavor = 'expression' | 'ternary' | 'case' | 'simple' | 'mapping';

/** Arithmetic AST node. */
export type Arith =
  | { k: 'num'; text: string; pos: number }
  | { k: 'var'; name: string; pos: number }
  | { k: 'null' }
  | { k: 'sign'; neg: boolean; x: Arith }
  | { k: 'pow'; items: Arith[] }
  | { k: 'chain'; first: Arith; rest: Array<[string, Arith]> }
  | { k: 'case'; whens: Array<[Cond, Arith]>; otherwise: Arith | null };

/** Condition AST node. */
export type Cond =
  | { k: 'cmp'; op: CompareOp; l: Arith; r: Arith }
  | { k: 'and'; items: Cond[] }
  | { k: 'or'; items: Cond[] }
  | { k: 'not'; x: Cond };

/** Top-level AST: an arithmetic expression or a Python ternary. */
export type Top = Arith | { k: 'ternary'; a: Arith; cond: Cond; b: Arith };

type TokKind = 'num' | 'ident' | 'op' | 'bad' | 'eof';
interface Token {
  kind: TokKind;
  text: string;
  start: number;
  end: number;
}

// The original's number pattern has a typo that makes a colon optional before the fraction and the
// exponent (`1:.5`, `2:e3`); such literals lex but fail float() at evaluation. Kept on purpose.
const NUM_RE = /[0-9]+(?::?\.[0-9]*)?(?::?[eE][+-]?[0-9]+)?/y;
const IDENT_RE = /[A-Za-z][A-Za-z0-9_]*/y;
const OPS = ['>=', '<=', '!=', '==', '>', '<', '=', '+', '-', '*', '/', '^', '(', ')'];
const WS = new Set([' ', '\t', '\n', '\r']);
const IDENT_CHAR = /[A-Za-z0-9_$]/;

function lex(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (WS.has(c)) {
      i++;
      continue;
    }
    NUM_RE.lastIndex = i;
    let m = NUM_RE.exec(src);
    if (m) {
      out.push({ kind: 'num', text: m[0], start: i, end: i + m[0].length });
      i += m[0].length;
      continue;
    }
    IDENT_RE.lastIndex = i;
    m = IDENT_RE.exec(src);
    if (m) {
      out.push({ kind: 'ident', text: m[0], start: i, end: i + m[0].length });
      i += m[0].length;
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (op) {
      out.push({ kind: 'op', text: op, start: i, end: i + op.length });
      i += op.length;
      continue;
    }
    out.push({ kind: 'bad', text: c, start: i, end: i + 1 });
    i++;
  }
  out.push({ kind: 'eof', text: '', start: src.length, end: src.length });
  return out;
}

/** Internal backtracking signal; converted to ExpressionSyntaxError at the top. */
class Fail {
  constructor(
    readonly pos: number,
    readonly expected: string,
  ) {}
}

const CASE_COMPARE: readonly string[] = ['>=', '<=', '!=', '>', '<', '='];
const TERNARY_COMPARE: readonly string[] = [...CASE_COMPARE, '=='];

class Parser {
  private i = 0;
  private furthest: Fail = new Fail(0, 'an expression');
  private readonly toks: Token[];
  private readonly caseAllowed: boolean;

  constructor(
    private readonly src: string,
    private readonly flavor: Flavor,
  ) {
    this.toks = lex(src);
    this.caseAllowed = flavor === 'case' || flavor === 'mapping';
  }

  private get tok(): Token {
    return this.toks[this.i]!;
  }

  private fail(expected: string, pos = this.tok.start): never {
    const f = new Fail(pos, expected);
    if (pos >= this.furthest.pos) this.furthest = f;
    throw f;
  }

  /** A keyword is an identifier spelled like it (case-insensitive) and not glued to a preceding word. */
  private isKeyword(word: string, t: Token = this.tok): boolean {
    if (t.kind !== 'ident' || t.text.toLowerCase() !== word) return false;
    return t.start === 0 || !IDENT_CHAR.test(this.src[t.start - 1]!);
  }

  private keyword(word: string): void {
    if (!this.isKeyword(word)) this.fail(`'${word.toUpperCase()}'`);
    this.i++;
  }

  private isOp(op: string): boolean {
    return this.tok.kind === 'op' && this.tok.text === op;
  }

  /** Runs `f`; on failure restores the position and returns undefined. */
  private attempt<T>(f: () => T): T | undefined {
    const save = this.i;
    try {
      return f();
    } catch (e) {
      if (!(e instanceof Fail)) throw e;
      this.i = save;
      return undefined;
    }
  }

  parseTop(): Top {
    try {
      let top: Top;
      switch (this.flavor) {
        case 'expression':
          top = this.arith();
          break;
        case 'ternary':
          top = this.ternary();
          break;
        case 'case':
          if (!this.isKeyword('case')) this.fail("'CASE'");
          top = this.arith();
          if (top.k !== 'case') this.fail('a single CASE expression', 0);
          break;
        default: {
          const t = this.attempt(() => this.ternaryThenEnd());
          if (t) return t;
          top = this.arith();
        }
      }
      if (this.tok.kind !== 'eof') this.fail('end of text');
      return top;
    } catch (e) {
      if (!(e instanceof Fail)) throw e;
      throw new ExpressionSyntaxError(this.src, this.furthest.pos, this.furthest.expected);
    }
  }

  private ternaryThenEnd(): Top {
    const t = this.ternary();
    if (this.tok.kind !== 'eof') this.fail('end of text');
    return t;
  }

  private ternary(): Top {
    const a = this.arith();
    this.keyword('if');
    const cond = this.comparison(TERNARY_COMPARE);
    this.keyword('else');
    const b = this.arith();
    return { k: 'ternary', a, cond, b };
  }

  private comparison(ops: readonly string[]): Cond {
    const l = this.arith();
    const t = this.tok;
    if (t.kind !== 'op' || !ops.includes(t.text)) this.fail(`a comparison operator (${ops.join(' ')})`);
    this.i++;
    const r = this.arith();
    return { k: 'cmp', op: t.text as CompareOp, l, r };
  }

  private orCond(): Cond {
    const items = [this.andCond()];
    while (this.isKeyword('or')) {
      this.i++;
      items.push(this.andCond());
    }
    return items.length === 1 ? items[0]! : { k: 'or', items };
  }

  private andCond(): Cond {
    const items = [this.notCond()];
    while (this.isKeyword('and')) {
      this.i++;
      items.push(this.notCond());
    }
    return items.length === 1 ? items[0]! : { k: 'and', items };
  }

  private notCond(): Cond {
    if (this.isKeyword('not')) {
      const negated = this.attempt(() => {
        this.i++;
        return this.notCond();
      });
      if (negated) return { k: 'not', x: negated };
    }
    // A comparison may itself start with a parenthesised operand, so try it before `( condition )`.
    const cmp = this.attempt(() => this.comparison(CASE_COMPARE));
    if (cmp) return cmp;
    if (this.isOp('(')) {
      this.i++;
      const inner = this.orCond();
      if (!this.isOp(')')) this.fail("')'");
      this.i++;
      return inner;
    }
    return this.comparison(CASE_COMPARE);
  }

  private arith(): Arith {
    const first = this.term();
    const rest: Array<[string, Arith]> = [];
    while (this.isOp('+') || this.isOp('-')) {
      const op = this.tok.text;
      this.i++;
      rest.push([op, this.term()]);
    }
    return rest.length ? { k: 'chain', first, rest } : first;
  }

  private term(): Arith {
    const first = this.power();
    const rest: Array<[string, Arith]> = [];
    while (this.isOp('*') || this.isOp('/')) {
      const op = this.tok.text;
      this.i++;
      rest.push([op, this.power()]);
    }
    return rest.length ? { k: 'chain', first, rest } : first;
  }

  private power(): Arith {
    const items = [this.unary()];
    while (this.isOp('^')) {
      this.i++;
      items.push(this.unary());
    }
    return items.length === 1 ? items[0]! : { k: 'pow', items };
  }

  private unary(): Arith {
    const t = this.tok;
    if (t.kind === 'op' && (t.text === '+' || t.text === '-')) {
      const next = this.toks[this.i + 1]!;
      if (next.kind === 'num' && next.start === t.end) {
        // A sign glued to digits belongs to the number literal (it shows in float() error messages).
        this.i += 2;
        return { k: 'num', text: t.text + next.text, pos: t.start };
      }
      this.i++;
      return { k: 'sign', neg: t.text === '-', x: this.unary() };
    }
    return this.primary();
  }

  private primary(): Arith {
    const t = this.tok;
    if (t.kind === 'num') {
      this.i++;
      return { k: 'num', text: t.text, pos: t.start };
    }
    if (t.kind === 'ident') {
      if (this.caseAllowed && this.isKeyword('case')) return this.caseExpr();
      this.i++;
      if (t.text === 'NULL') return { k: 'null' };
      return { k: 'var', name: t.text, pos: t.start };
    }
    if (this.isOp('(')) {
      this.i++;
      const inner = this.arith();
      if (!this.isOp(')')) this.fail("')' or an operator");
      this.i++;
      return inner;
    }
    return this.fail('an operand (number, variable or parenthesis)');
  }

  private caseExpr(): Arith {
    this.keyword('case');
    const whens: Array<[Cond, Arith]> = [];
    do {
      this.keyword('when');
      const cond = this.orCond();
      this.keyword('then');
      whens.push([cond, this.arith()]);
    } while (this.isKeyword('when'));
    let otherwise: Arith | null = null;
    if (this.isKeyword('else')) {
      this.i++;
      otherwise = this.arith();
    }
    this.keyword('end');
    return { k: 'case', whens, otherwise };
  }
}

/** Parses `src` with the given grammar flavour; throws ExpressionSyntaxError with the failing position. */
export function parseSyntax(src: string, flavor: Flavor): Top {
  return new Parser(src, flavor).parseTop();
}
