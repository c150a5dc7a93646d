/**
 * Error classes standing in for the Python exception types the original library raises, so callers (and the
 * golden replay) can tell them apart by `name`, which equals the Python class name. Python's TypeError maps
 * to the built-in JS TypeError (same name).
 */

/** Python ValueError: a value of the right type but unacceptable content. */
export class ValueError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ValueError';
  }
}

/** dateutil's ParserError (a ValueError subclass): a date string that cannot be read. */
export class ParserError extends ValueError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ParserError';
  }
}

/** Python AttributeError: an operation on a value that lacks it (typically None). */
export class AttributeError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AttributeError';
  }
}

/** Python KeyError; like Python, the message is the quoted key, e.g. `'resource'`. */
export class KeyError extends Error {
  readonly key: string;
  constructor(key: string, options?: { cause?: unknown }) {
    super(`'${key}'`, options);
    this.name = 'KeyError';
    this.key = key;
  }
}

/** Python OverflowError: a number too large for the requested conversion. */
export class OverflowError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'OverflowError';
  }
}
