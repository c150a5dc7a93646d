/**
 * JSON text with integers beyond 2^53 kept exact: such a number token (outside strings) becomes a JSON
 * string of its digits before JSON.parse, which would otherwise round it (Prism alert parameters carry
 * 19-digit ids). Only callers that render those values opt in; everything else keeps the fast path.
 */

const MAX_SAFE_DIGITS = String(Number.MAX_SAFE_INTEGER).length;

/** Parses JSON; integer literals that are not safe integers come back as strings of their exact digits. */
export function parseJsonExactIntegers(text: string): unknown {
  return JSON.parse(quoteLargeIntegers(text));
}

/** The text with every unsafe integer literal (outside strings) wrapped in quotes. */
export function quoteLargeIntegers(text: string): string {
  let out = '';
  let copiedTo = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      // Skip the string, honouring escapes.
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 0x5c /* \ */) i += 2;
        else if (d === 0x22) break;
        else i++;
      }
      i++;
      continue;
    }
    if (c === 0x2d /* - */ || (c >= 0x30 && c <= 0x39)) {
      const start = i;
      i++;
      let integer = true;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d >= 0x30 && d <= 0x39) i++;
        else if (d === 0x2e || d === 0x65 || d === 0x45 || d === 0x2b || d === 0x2d) {
          integer = false;
          i++;
        } else break;
      }
      const token = text.slice(start, i);
      const digits = token.startsWith('-') ? token.length - 1 : token.length;
      if (integer && digits >= MAX_SAFE_DIGITS && !Number.isSafeInteger(Number(token))) {
        out += `${text.slice(copiedTo, start)}"${token}"`;
        copiedTo = i;
      }
      continue;
    }
    i++;
  }
  return copiedTo === 0 ? text : out + text.slice(copiedTo);
}

/**
 * Parses a JSON array element by element, each element through `each`; any other JSON value is parsed
 * whole and returned as is. V8 allocates everything JSON.parse builds from a text of 100K characters or
 * more straight in old space, where it stays until a full collection; parsed one element at a time, a
 * large list page is built in the young generation and whatever `each` drops dies there.
 */
export function parseJsonArray<T>(text: string, each: (value: unknown) => T): T[] | unknown {
  const n = text.length;
  let i = skipSpace(text, 0);
  if (text.charCodeAt(i) !== 0x5b /* [ */) return JSON.parse(text);
  const out: T[] = [];
  i = skipSpace(text, i + 1);
  if (text.charCodeAt(i) === 0x5d /* ] */) return endOfArray(text, i, out);
  for (;;) {
    const start = i;
    let depth = 0;
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x22 /* " */) i = closingQuote(text, i);
      else if (c === 0x7b /* { */ || c === 0x5b /* [ */) depth++;
      else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
        if (depth === 0) break;
        depth--;
      } else if (c === 0x2c /* , */ && depth === 0) break;
    }
    if (i >= n) throw new SyntaxError('Unterminated JSON array');
    // JSON.parse validates the element (an empty one, a stray bracket); its strings are copies, not slices.
    out.push(each(JSON.parse(text.slice(start, i))));
    if (text.charCodeAt(i) === 0x5d) return endOfArray(text, i, out);
    i++;
  }
}

function skipSpace(text: string, from: number): number {
  let i = from;
  for (;;) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return i;
    i++;
  }
}

/** Index of the quote closing the string opened at `open` (escaped quotes skipped). */
function closingQuote(text: string, open: number): number {
  let at = open;
  for (;;) {
    at = text.indexOf('"', at + 1);
    if (at < 0) throw new SyntaxError('Unterminated string in JSON');
    let backslashes = 0;
    while (text.charCodeAt(at - 1 - backslashes) === 0x5c /* \ */) backslashes++;
    if (backslashes % 2 === 0) return at;
  }
}

/** `out` when only whitespace follows the array's closing bracket at `close`. */
function endOfArray<T>(text: string, close: number, out: T[]): T[] {
  if (skipSpace(text, close + 1) !== text.length) throw new SyntaxError('Unexpected data after JSON array');
  return out;
}
