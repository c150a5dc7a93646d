/**
 * The slice of Python's numeric semantics the original expression evaluator relied on: float() conversion,
 * float/complex arithmetic with Python's error cases, comparisons, and repr() for messages.
 */
import { pyTypeName as jsonTypeName, pyStrRepr } from '../py-compat';
import { OverflowError, ValueError } from '../py-errors';
import { PyZeroDivisionError } from './errors';

/** A Python complex number (a negative base raised to a fractional power produces one). */
export class Complex {
  constructor(
    readonly re: number,
    readonly im: number,
  ) {}

  /** Python repr, e.g. `(1+1.7320508075688772j)`. */
  toString(): string {
    const im = `${this.im < 0 || Object.is(this.im, -0) ? '-' : '+'}${pyFloatRepr(Math.abs(this.im)).replace(/\.0$/, '')}j`;
    if (this.re === 0 && !Object.is(this.re, -0)) return `${pyFloatRepr(this.im).replace(/\.0$/, '')}j`;
    return `(${pyFloatRepr(this.re).replace(/\.0$/, '')}${im})`;
  }
}

/** A value an expression can produce: a float, a complex, or null (Python None). */
export type PyNumber = number | Complex | null;

/** Python's type name of a JS value, for error messages: the evaluator's own types, then the JSON ones. */
export function pyTypeName(v: unknown): string {
  if (typeof v === 'bigint') return 'int';
  if (typeof v === 'function') return 'function';
  if (v instanceof Complex) return 'complex';
  if (v instanceof Date) return 'datetime.datetime';
  return jsonTypeName(v);
}

/** Operand type name inside the evaluator, where every number is already a Python float. */
function operandType(v: PyNumber): string {
  if (v === null) return 'NoneType';
  return typeof v === 'number' ? 'float' : 'complex';
}

// Python float() accepts digits with single underscores between them, an optional fraction and exponent,
// or inf/infinity/nan, surrounded by whitespace.
const PY_FLOAT_RE =
  /^[+-]?(?:(?:[0-9](?:_?[0-9])*)(?:\.(?:[0-9](?:_?[0-9])*)?)?|\.[0-9](?:_?[0-9])*)(?:[eE][+-]?[0-9](?:_?[0-9])*)?$/;
const PY_SPECIAL_RE = /^([+-]?)(inf|infinity|nan)$/i;

/** Python float(x): numbers pass, booleans become 1/0, strings are parsed; otherwise ValueError/TypeError. */
export function pyFloat(x: unknown): number {
  if (typeof x === 'number') return x;
  if (typeof x === 'boolean') return x ? 1 : 0;
  if (typeof x === 'string') {
    const s = x.trim();
    if (PY_FLOAT_RE.test(s)) return Number(s.replaceAll('_', ''));
    const special = PY_SPECIAL_RE.exec(s);
    if (special) {
      if (special[2]!.toLowerCase() === 'nan') return Number.NaN;
      return special[1] === '-' ? -Infinity : Infinity;
    }
    throw new ValueError(`could not convert string to float: ${pyRepr(x)}`);
  }
  if (typeof x === 'bigint') return Number(x);
  throw new TypeError(`float() argument must be a string or a real number, not '${pyTypeName(x)}'`);
}

/**
 * Python repr() of a float: the shortest round-trip digits (as JS), but `.0` on integral values and
 * scientific notation when the decimal exponent is < -4 or >= 16, written `1e-05` / `1.5e+16`.
 */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mant, expText] = x.toExponential().split('e') as [string, string];
  const exp = Number(expText);
  const neg = mant.startsWith('-');
  const digits = mant.replace('-', '').replace('.', '');
  const sign = neg ? '-' : '';
  if (exp < -4 || exp >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const e = Math.abs(exp);
    return `${sign}${m}e${exp < 0 ? '-' : '+'}${e < 10 ? `0${e}` : e}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  const intLen = exp + 1;
  if (digits.length <= intLen) return `${sign}${digits.padEnd(intLen, '0')}.0`;
  return `${sign}${digits.slice(0, intLen)}.${digits.slice(intLen)}`;
}

/** Python repr() of a str: single quotes unless the text has a single quote and no double quote. */
/** Python repr() of a JSON-like value, as the original printed the variables map in lookup errors. */
export function pyRepr(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'number') {
    // JSON cannot tell 10 from 10.0; integral values came from Python ints in every realistic caller.
    return Number.isInteger(v) && !Object.is(v, -0) ? String(v) : pyFloatRepr(v);
  }
  if (typeof v === 'bigint') return String(v);
  if (typeof v === 'string') return pyStrRepr(v);
  if (typeof v === 'function') return `<function ${v.name || '<lambda>'}>`;
  if (v instanceof Complex) return v.toString();
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(', ')}]`;
  if (v instanceof Map) {
    return `{${[...v.entries()].map(([k, x]) => `${pyRepr(k)}: ${pyRepr(x)}`).join(', ')}}`;
  }
  if (typeof v === 'object') {
    return `{${Object.entries(v)
      .map(([k, x]) => `${pyRepr(k)}: ${pyRepr(x)}`)
      .join(', ')}}`;
  }
  return String(v);
}

function toComplex(v: number | Complex): Complex {
  return typeof v === 'number' ? new Complex(v, 0) : v;
}

function unsupported(sym: string, a: PyNumber, b: PyNumber): TypeError {
  return new TypeError(`unsupported operand type(s) for ${sym}: '${operandType(a)}' and '${operandType(b)}'`);
}

/** Python `a + b` on evaluator values. */
export function pyAdd(a: PyNumber, b: PyNumber): PyNumber {
  if (typeof a === 'number' && typeof b === 'number') return a + b;
  if (a === null || b === null) throw unsupported('+', a, b);
  const x = toComplex(a);
  const y = toComplex(b);
  return new Complex(x.re + y.re, x.im + y.im);
}

/** Python `a - b` on evaluator values. */
export function pySub(a: PyNumber, b: PyNumber): PyNumber {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (a === null || b === null) throw unsupported('-', a, b);
  const x = toComplex(a);
  const y = toComplex(b);
  return new Complex(x.re - y.re, x.im - y.im);
}

function cmul(x: Complex, y: Complex): Complex {
  return new Complex(x.re * y.re - x.im * y.im, x.re * y.im + x.im * y.re);
}

/** Python `a * b` on evaluator values (float overflow gives ±inf, as in Python). */
export function pyMul(a: PyNumber, b: PyNumber): PyNumber {
  if (typeof a === 'number' && typeof b === 'number') return a * b;
  if (a === null || b === null) throw unsupported('*', a, b);
  return cmul(toComplex(a), toComplex(b));
}

function cdiv(a: Complex, b: Complex): Complex {
  // CPython's algorithm (scaled by the larger component of the divisor), so results match bit for bit.
  const absRe = Math.abs(b.re);
  const absIm = Math.abs(b.im);
  if (absRe >= absIm) {
    if (absRe === 0) throw new PyZeroDivisionError('complex division by zero');
    const ratio = b.im / b.re;
    const denom = b.re + b.im * ratio;
    return new Complex((a.re + a.im * ratio) / denom, (a.im - a.re * ratio) / denom);
  }
  if (absIm >= absRe) {
    const ratio = b.re / b.im;
    const denom = b.re * ratio + b.im;
    return new Complex((a.re * ratio + a.im) / denom, (a.im * ratio - a.re) / denom);
  }
  return new Complex(Number.NaN, Number.NaN);
}

/** Python `a / b`; division by zero raises PyZeroDivisionError (the evaluator turns that step into 0.0). */
export function pyDiv(a: PyNumber, b: PyNumber): PyNumber {
  if (typeof a === 'number' && typeof b === 'number') {
    if (b === 0) throw new PyZeroDivisionError('float division by zero');
    return a / b;
  }
  if (a === null || b === null) throw unsupported('/', a, b);
  return cdiv(toComplex(a), toComplex(b));
}

function isOddInteger(x: number): boolean {
  return Number.isInteger(x) && Math.abs(x % 2) === 1;
}

function overflow(): OverflowError {
  return new OverflowError("(34, 'Numerical result out of range')");
}

/** Python float ** float, including its special cases and the switch to complex for negative bases. */
function floatPow(v: number, w: number): number | Complex {
  if (w === 0) return 1;
  if (Number.isNaN(v)) return Number.NaN;
  if (Number.isNaN(w)) return v === 1 ? 1 : Number.NaN;
  if (!Number.isFinite(w)) {
    const av = Math.abs(v);
    if (av === 1) return 1;
    return av > 1 === w > 0 ? Infinity : 0;
  }
  if (!Number.isFinite(v)) {
    if (w > 0) return isOddInteger(w) ? v : Math.abs(v);
    return isOddInteger(w) ? (v > 0 ? 0 : -0) : 0;
  }
  if (v === 0) {
    if (w < 0) throw new PyZeroDivisionError('0.0 cannot be raised to a negative power');
    return isOddInteger(w) ? v : 0;
  }
  if (v < 0 && !Number.isInteger(w)) return complexPow(new Complex(v, 0), new Complex(w, 0));
  if (v === 1) return 1;
  const r = v ** w;
  if (!Number.isFinite(r)) throw overflow();
  return r;
}

function cpowu(x: Complex, n: number): Complex {
  let r = new Complex(1, 0);
  let p = x;
  let mask = 1;
  while (mask > 0 && n >= mask) {
    if (n & mask) r = cmul(r, p);
    mask <<= 1;
    p = cmul(p, p);
  }
  return r;
}

function complexPow(a: Complex, b: Complex): Complex {
  let r: Complex;
  if (b.im === 0 && b.re === Math.trunc(b.re) && Math.abs(b.re) <= 100) {
    const n = b.re;
    r = n > 0 ? cpowu(a, n) : cdiv(new Complex(1, 0), cpowu(a, -n));
  } else if (b.re === 0 && b.im === 0) {
    r = new Complex(1, 0);
  } else if (a.re === 0 && a.im === 0) {
    if (b.im !== 0 || b.re < 0) throw new PyZeroDivisionError('0.0 to a negative or complex power');
    r = new Complex(0, 0);
  } else {
    const vabs = Math.hypot(a.re, a.im);
    let len = vabs ** b.re;
    const at = Math.atan2(a.im, a.re);
    let phase = at * b.re;
    if (b.im !== 0) {
      len /= Math.exp(at * b.im);
      phase += b.im * Math.log(vabs);
    }
    r = new Complex(len * Math.cos(phase), len * Math.sin(phase));
  }
  if (!Number.isFinite(r.re) || !Number.isFinite(r.im)) {
    if (Number.isFinite(a.re) && Number.isFinite(a.im) && Number.isFinite(b.re) && Number.isFinite(b.im)) {
      throw new OverflowError('complex exponentiation');
    }
  }
  return r;
}

/** Python `a ** b` on evaluator values (`^` in expressions). */
export function pyPow(a: PyNumber, b: PyNumber): PyNumber {
  if (typeof a === 'number' && typeof b === 'number') return floatPow(a, b);
  if (a === null || b === null) throw unsupported('** or pow()', a, b);
  return complexPow(toComplex(a), toComplex(b));
}

/** Comparison operators of the expression language (`=` and `==` both mean equality). */
export type CompareOp = '=' | '==' | '!=' | '<' | '>' | '<=' | '>=';

function pyEq(a: PyNumber, b: PyNumber): boolean {
  if (a === null || b === null) return a === b;
  if (typeof a === 'number' && typeof b === 'number') return a === b;
  const x = toComplex(a);
  const y = toComplex(b);
  return x.re === y.re && x.im === y.im;
}

/** Python comparison semantics: None equals None; ordering None or complex raises TypeError. */
export function pyCompare(op: CompareOp, a: PyNumber, b: PyNumber): boolean {
  switch (op) {
    case '=':
    case '==':
      return pyEq(a, b);
    case '!=':
      return !pyEq(a, b);
  }
  if (typeof a !== 'number' || typeof b !== 'number') {
    throw new TypeError(
      `'${op}' not supported between instances of '${operandType(a)}' and '${operandType(b)}'`,
    );
  }
  switch (op) {
    case '<':
      return a < b;
    case '>':
      return a > b;
    case '<=':
      return a <= b;
    default:
      return a >= b;
  }
}
