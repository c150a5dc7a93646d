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
