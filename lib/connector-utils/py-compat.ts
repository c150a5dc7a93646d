/**
 * Small re-implementations of Python built-ins whose exact behaviour leaks into the original library's
 * output or messages (int() conversion, repr of str/bytes). Internal to connector-utils.
 */
import { OverflowError, ValueError } from './py-errors';

/** Python `repr(str)`: single quotes unless the text has a single quote and no double quote. */
export function pyStrRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += `\\${quote}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${quote}${out}${quote}`;
}

/** Python `repr(bytes)` of the UTF-8 encoding of `text`, e.g. `b'boom'` (non-ASCII bytes as `\xNN`). */
export function pyBytesRepr(text: string): string {
  const bytes = Buffer.from(text, 'utf8');
  const hasSingle = bytes.includes(0x27);
  const quote = hasSingle && !bytes.includes(0x22) ? '"' : "'";
  let out = '';
  for (const b of bytes) {
    if (b === 0x5c) out += '\\\\';
    else if (b === quote.charCodeAt(0)) out += `\\${quote}`;
    else if (b === 0x0a) out += '\\n';
    else if (b === 0x0d) out += '\\r';
    else if (b === 0x09) out += '\\t';
    else if (b < 0x20 || b >= 0x7f) out += `\\x${b.toString(16).padStart(2, '0')}`;
    else out += String.fromCharCode(b);
  }
  return `b${quote}${out}${quote}`;
}

/** Python type name of a JSON-ish value, for error messages. */
export function pyTypeName(value: unknown): string {
  if (value === null || value === undefined) return 'NoneType';
  if (typeof value === 'string') return 'str';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (Array.isArray(value)) return 'list';
  return 'dict';
}

/**
 * Python `int(value)` for the values a connector passes: numbers truncate toward zero, booleans are 0/1,
 * strings must be a (whitespace-padded, optionally signed) base-10 integer.
 */
export function pyInt(value: unknown): number {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') {
    if (Number.isNaN(value)) throw new ValueError('cannot convert float NaN to integer');
    if (!Number.isFinite(value)) throw new OverflowError('cannot convert float infinity to integer');
    return Math.trunc(value) + 0; // + 0 turns -0 into 0
  }
  if (typeof value === 'string') {
    const trimmed = value.trim();
    if (/^[+-]?\d+(?:_\d+)*$/.test(trimmed)) return Number(trimmed.replaceAll('_', ''));
    throw new ValueError(`invalid literal for int() with base 10: ${pyStrRepr(value)}`);
  }
  throw new TypeError(
    `int() argument must be a string, a bytes-like object or a real number, not '${pyTypeName(value)}'`,
  );
}

/**
 * Python `d[key] = value` on a plain object. defineProperty keeps a key such as `__proto__` an ordinary
 * own property instead of rewiring the prototype.
 */
export function dictSet(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
