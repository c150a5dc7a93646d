/**
 * Compiles the AST once into nested closures, so evaluating an expression is a few direct calls with no tree
 * walk. Sandbox: only OWN properties of the variables object are read (no prototype chain), and every value
 * goes through Python float(), so a function or object passed as a variable is a TypeError, never called.
 */
import { ValueError } from '../py-errors';
import { PyZeroDivisionError, VariableLookupError } from './errors';
import { type PyNumber, pyAdd, pyCompare, pyDiv, pyFloat, pyMul, pyPow, pyRepr, pySub } from './python';
import type { Arith, Cond, Top } from './syntax';

/** The variables an expression is evaluated against (metric sample fields such as `value`). */
export type Variables = Readonly<Record<string, unknown>>;

/** A compiled evaluator. */
export type Evaluator = (vars: Variables) => PyNumber;
type CondFn = (vars: Variables) => boolean;

const hasOwn = Object.hasOwn;

function lookupFailed(name: string, vars: Variables): VariableLookupError {
  return new VariableLookupError(`Lookup failed for variable ${name} in ${pyRepr(vars)}`);
}

function compileNumber(text: string): Evaluator {
  // Python float() of the literal text: the colon quirk (`1:.5`) fails here, at evaluation, as it did.
  const plain = text.replace(/^\+/, '');
  if (/^[+-]?[0-9]+(\.[0-9]*)?([eE][+-]?[0-9]+)?$/.test(text)) {
    const v = Number(plain);
    return () => v;
  }
  return () => {
    throw new ValueError(`could not convert string to float: '${text}'`);
  };
}

function compileVar(name: string): Evaluator {
  return (vars) => {
    if (!hasOwn(vars, name)) throw lookupFailed(name, vars);
    const x = vars[name];
    return typeof x === 'number' ? x : pyFloat(x);
  };
}

/** One `/` step: a division by zero makes the running value 0.0 and the chain goes on (original quirk). */
function divStep(acc: PyNumber, rhs: Evaluator, vars: Variables): PyNumber {
  try {
    return pyDiv(acc, rhs(vars));
  } catch (e) {
    if (e instanceof PyZeroDivisionError) return 0;
    throw e;
  }
}

function compileChain(first: Arith, rest: Array<[string, Arith]>): Evaluator {
  const f0 = compileArith(first);
  if (rest.length === 1) {
    const [op, node] = rest[0]!;
    const f1 = compileArith(node);
    // Specialised single-operator forms: the common mapping shapes (`value / 1000`) take this path.
    switch (op) {
      case '+':
        return (v) => {
          const a = f0(v);
          const b = f1(v);
          return typeof a === 'number' && typeof b === 'number' ? a + b : pyAdd(a, b);
        };
      case '-':
        return (v) => {
          const a = f0(v);
          const b = f1(v);
          return typeof a === 'number' && typeof b === 'number' ? a - b : pySub(a, b);
        };
      case '*':
        return (v) => {
          const a = f0(v);
          const b = f1(v);
          return typeof a === 'number' && typeof b === 'number' ? a * b : pyMul(a, b);
        };
      default:
        return (v) => {
          const a = f0(v);
          const b = f1(v);
          if (typeof a === 'number' && typeof b === 'number') return b === 0 ? 0 : a / b;
          return divStep(a, () => b, v);
        };
    }
  }
  const ops = rest.map(([op]) => op);
  const fns = rest.map(([, node]) => compileArith(node));
  return (v) => {
    let acc = f0(v);
    for (let i = 0; i < fns.length; i++) {
      const f = fns[i]!;
      switch (ops[i]) {
        case '+':
          acc = pyAdd(acc, f(v));
          break;
        case '-':
          acc = pySub(acc, f(v));
          break;
        case '*':
          acc = pyMul(acc, f(v));
          break;
        default:
          acc = divStep(acc, f, v);
      }
    }
    return acc;
  };
}

function compileArith(n: Arith): Evaluator {
  switch (n.k) {
    case 'num':
      return compileNumber(n.text);
    case 'var':
      return compileVar(n.name);
    case 'null':
      return () => null;
    case 'sign': {
      const x = compileArith(n.x);
      const m = n.neg ? -1 : 1;
      return (v) => {
        const a = x(v);
        return typeof a === 'number' ? m * a : pyMul(m, a);
      };
    }
    case 'pow': {
      const fns = n.items.map(compileArith);
      // Right-associative and evaluated right to left, as the original did.
      return (v) => {
        let acc = fns[fns.length - 1]!(v);
        for (let i = fns.length - 2; i >= 0; i--) acc = pyPow(fns[i]!(v), acc);
        return acc;
      };
    }
    case 'chain':
      return compileChain(n.first, n.rest);
    case 'case': {
      const whens = n.whens.map(([c, t]) => [compileCond(c), compileArith(t)] as const);
      const otherwise = n.otherwise ? compileArith(n.otherwise) : null;
      return (v) => {
        for (const [c, t] of whens) if (c(v)) return t(v);
        return otherwise ? otherwise(v) : null;
      };
    }
  }
}

function compileCond(c: Cond): CondFn {
  switch (c.k) {
    case 'cmp': {
      const l = compileArith(c.l);
      const r = compileArith(c.r);
      const op = c.op;
      return (v) => pyCompare(op, l(v), r(v));
    }
    case 'and': {
      const items = c.items.map(compileCond);
      return (v) => items.every((f) => f(v));
    }
    case 'or': {
      const items = c.items.map(compileCond);
      return (v) => items.some((f) => f(v));
    }
    case 'not': {
      const x = compileCond(c.x);
      return (v) => !x(v);
    }
  }
}

/** Compiles a parsed expression to a closure. */
export function compileTop(t: Top): Evaluator {
  if (t.k !== 'ternary') return compileArith(t);
  const a = compileArith(t.a);
  const cond = compileCond(t.cond);
  const b = compileArith(t.b);
  return (v) => (cond(v) ? a(v) : b(v));
}
