/**
 * Response bodies kept as latin1 text (one char per byte) and decoded as UTF-8 only where needed: most
 * bodies are ASCII, and a few non-ASCII names would otherwise make a whole page a two-byte string.
 */

/** A response as the client receives it, before the body is parsed. */
export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  /** The body's bytes one char per byte (latin1); see utf8Text and parseJson for why. */
  bytes: string;
  /** No byte ≥ 0x80: `bytes` is already the UTF-8 text. */
  ascii: boolean;
}

/** The body as text, decoded as UTF-8 (what it was before parseJson's fast path). */
export function utf8Text(raw: RawResponse): string {
  return raw.ascii ? raw.bytes : Buffer.from(raw.bytes, 'latin1').toString('utf8');
}

const HIGH_BYTE = /[\x80-\xff]/;

/**
 * JSON.parse of the body, equal to parsing its UTF-8 text. A non-ASCII byte can only stand inside a JSON
 * string (elsewhere it is a syntax error either way), so the one-byte latin1 text parses to the same tree
 * except that those strings still hold raw UTF-8 bytes; they are decoded after parsing. On a 10k-VM
 * inventory that is ~150 strings instead of decoding ~45 MB into two-byte strings and parsing those.
 * A `\u` escape could produce a char in 0x80–0xff that must not be re-decoded: such bodies take the slow path.
 */
export function parseJson(raw: RawResponse): unknown {
  if (raw.ascii) return JSON.parse(raw.bytes);
  if (raw.bytes.includes('\\u')) return JSON.parse(utf8Text(raw));
  return decodeStrings(JSON.parse(raw.bytes));
}

function decodeString(s: string): string {
  return HIGH_BYTE.test(s) ? Buffer.from(s, 'latin1').toString('utf8') : s;
}

/** Decodes, in place, every string value and key of a parsed tree that holds UTF-8 bytes as latin1 chars. */
function decodeStrings(root: unknown): unknown {
  if (typeof root === 'string') return decodeString(root);
  // An explicit stack: any nesting JSON.parse accepted must not overflow the call stack here.
  const stack: object[] = [];
  if (root !== null && typeof root === 'object') stack.push(root);
  while (stack.length > 0) {
    const node = stack.pop() as Record<string, unknown> | unknown[];
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        const v = node[i];
        if (typeof v === 'string') node[i] = decodeString(v);
        else if (v !== null && typeof v === 'object') stack.push(v);
      }
      continue;
    }
    const keys = Object.keys(node);
    let renamed = false;
    for (const k of keys) {
      const v = node[k];
      if (typeof v === 'string') node[k] = decodeString(v);
      else if (v !== null && typeof v === 'object') stack.push(v);
      if (!renamed && HIGH_BYTE.test(k)) renamed = true;
    }
    if (renamed) renameKeys(node, keys);
  }
  return root;
}

/** Re-creates an object's own keys decoded, in their original order, as JSON.parse would have made them. */
function renameKeys(node: Record<string, unknown>, keys: string[]): void {
  const values = keys.map((k) => node[k]);
  for (const k of keys) delete node[k];
  keys.forEach((k, i) => {
    // defineProperty, not assignment: a `__proto__` key is an own data property after JSON.parse.
    Object.defineProperty(node, decodeString(k), {
      value: values[i],
      writable: true,
      enumerable: true,
      configurable: true,
    });
  });
}
