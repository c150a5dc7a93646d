/**
 * A result's JSON text in pieces, one piece per record, so it can be counted (size guard) or written to a
 * response stream without ever holding the whole string. Joined, the pieces are exactly
 * `JSON.stringify(value)`.
 */

/** One piece of JSON text; `record` marks the text of one record (with its leading comma, if any). */
export interface JsonPiece {
  text: string;
  record: boolean;
}

const OPEN_ARRAY: JsonPiece = { text: '[', record: false };
const CLOSE_ARRAY: JsonPiece = { text: ']', record: false };

/** True for a value written as an array element by element: an array or a generator of records. */
function isRecordList(value: unknown): value is Iterable<unknown> {
  if (Array.isArray(value)) return true;
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Generator).next === 'function' &&
    typeof (value as Iterable<unknown>)[Symbol.iterator] === 'function'
  );
}

/** `[`, each record (JSON.stringify's `null` for what it cannot write), `]`. */
function* arrayPieces(items: Iterable<unknown>): Generator<JsonPiece> {
  yield OPEN_ARRAY;
  let first = true;
  for (const item of items) {
    const json = JSON.stringify(item) ?? 'null';
    yield { text: first ? json : `,${json}`, record: true };
    first = false;
  }
  yield CLOSE_ARRAY;
}

/**
 * The pieces of `value`: a list (array or generator) is written record by record; an object record by record
 * in each of its list fields, in key order; anything else as one piece. A generator is consumed.
 */
export function* jsonPieces(value: unknown): Generator<JsonPiece> {
  if (isRecordList(value)) {
    yield* arrayPieces(value);
    return;
  }
  if (typeof value !== 'object' || value === null || 'toJSON' in value) {
    const json = JSON.stringify(value);
    if (json !== undefined) yield { text: json, record: false };
    return;
  }
  let first = true;
  yield { text: '{', record: false };
  for (const [key, v] of Object.entries(value)) {
    const list = isRecordList(v);
    const json = list ? '' : JSON.stringify(v);
    // JSON.stringify leaves out keys whose value it cannot write (undefined, functions, symbols).
    if (json === undefined) continue;
    yield { text: `${first ? '' : ','}${JSON.stringify(key)}:${json}`, record: false };
    first = false;
    if (list) yield* arrayPieces(v);
  }
  yield { text: '}', record: false };
}

/** Records (elements of a top-level array, or of a top-level object's arrays) in a result. */
export function recordCount(value: unknown): number {
  if (Array.isArray(value)) return value.length;
  if (typeof value !== 'object' || value === null) return 0;
  let n = 0;
  for (const v of Object.values(value)) if (Array.isArray(v)) n += v.length;
  return n;
}

/** The pieces joined into chunks of at least `chunkChars` characters (the last may be shorter). */
export function* jsonChunks(value: unknown, chunkChars = 64 * 1024): Generator<string> {
  let pending = '';
  for (const piece of jsonPieces(value)) {
    pending += piece.text;
    if (pending.length >= chunkChars) {
      yield pending;
      pending = '';
    }
  }
  if (pending !== '') yield pending;
}
