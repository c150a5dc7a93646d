/**
 * Metric mappings (`mappings/*.yaml`, SPEC §5.5): metric key → {name, unit, counter, specialisation,
 * conversion_expr, subjects}, each expression compiled once at load. Strict mode (default) fails at load with
 * a MappingError naming file, key and what was expected — a conversion with a syntax error included, which the
 * original ignored — and accepts SQL CASE and `subjects` (the subject kinds providers request fields for);
 * `compat: true` reproduces the original exactly.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  CORE_SCHEMA,
  defineScalarTag,
  loadAll,
  NOT_RESOLVED,
  type Schema,
  YAML11_SCHEMA,
  YAMLException,
} from 'js-yaml';
import { ValidationError } from '../../errors';
import type { Variables } from '../parser/compile';
import { ExpressionSyntaxError, VariableLookupError } from '../parser/errors';
import { type CompiledExpression, compileExpression, SimpleExpressionParser } from '../parser/parsers';
import { pyTypeName } from '../parser/python';
import { AttributeError } from '../py-errors';

/** One mapping entry; `value()`/`convert()` apply the conversion (or pass `vars.value` through). */
export class ParsedEntry {
  private readonly _name: string;
  private readonly _unit: string;
  private readonly _counter: boolean;
  private readonly _specialisation: string;
  /** The compiled conversion, or null for identity. */
  readonly conversion: CompiledExpression | null;
  private readonly _subjects: readonly string[];

  /** In compat mode the fields hold whatever the YAML had (the original did not type-check them). */
  constructor(
    name: string = '',
    unit: string = '',
    counter: boolean = false,
    specialisation: string = '',
    conversion: CompiledExpression | null = null,
    subjects: readonly string[] = [],
  ) {
    this._subjects = subjects;
    this._name = name;
    this._unit = unit;
    this._counter = counter;
    this._specialisation = specialisation;
    this.conversion = conversion;
  }

  /** The nflex metric name. */
  name(): string {
    return this._name;
  }

  /** The unit of the converted value. */
  unit(): string {
    return this._unit;
  }

  /** Whether the metric is a counter. */
  counter(): boolean {
    return this._counter;
  }

  /** The metric specialisation (e.g. a core or disk id). */
  specialisation(): string {
    return this._specialisation;
  }

  /** The subject kinds the entry applies to (`subjects` in strict mode); empty when the file names none. */
  subjects(): readonly string[] {
    return this._subjects;
  }

  /** Whether the entry applies to samples of this subject kind (every kind when it names none). */
  appliesTo(kind: string): boolean {
    return this._subjects.length === 0 || this._subjects.includes(kind);
  }

  /** True when a conversion expression was compiled for this entry. */
  hasConversion(): boolean {
    return this.conversion !== null;
  }

  /**
   * Evaluates the conversion against `vars` (a float, Complex or null); without a conversion returns
   * `vars.value` unchanged, or throws VariableLookupError(`'value'`) when it is absent.
   */
  value(vars: Variables): unknown {
    const c = this.conversion;
    if (c) return c.fn(vars);
    if (!Object.hasOwn(vars, 'value')) throw new VariableLookupError("'value'");
    return vars.value;
  }

  /** Same as value() (the original had both names). */
  convert(vars: Variables): unknown {
    return this.value(vars);
  }
}

/** Metric key → entry, in file order. */
export type MetricMapping = Map<string, ParsedEntry>;

/** Options of loadMetricMapping / parseMetricMapping. */
export interface MetricMappingOptions {
  /** Reproduce the original library exactly (see the module comment). Default false. */
  compat?: boolean;
  /** Compat mode: receives the parser's `Failed to parse …` warnings. Defaults to console.warn. */
  warn?: (message: string) => void;
  /** parseMetricMapping: the file name used in error messages. Default `<mapping>`. */
  file?: string;
}

/** A mapping file failed validation; names the file, the metric key and what was expected. */
export class MappingError extends ValidationError {
  /** The mapping file (as given to the loader). */
  readonly file: string;
  /** The metric key, or '' when the problem is the document itself. */
  readonly key: string;
  /** The entry field at fault (e.g. `conversion_expr`), when there is one. */
  readonly property: string | undefined;
  /** 0-based character offset inside the expression (syntax errors) or the file (YAML errors). */
  readonly position: number | undefined;
  /** 1-based line/column of `position`, when known. */
  readonly line: number | undefined;
  readonly column: number | undefined;

  constructor(
    file: string,
    key: string,
    expected: string,
    details: {
      property?: string;
      got?: string;
      position?: number;
      line?: number;
      column?: number;
      cause?: unknown;
      message?: string;
    } = {},
  ) {
    const where = [key && JSON.stringify(key), details.property].filter(Boolean).join('.');
    super(where ? `${file}: ${where}` : file, expected, { got: details.got, cause: details.cause });
    if (details.message) this.message = details.message;
    this.file = file;
    this.key = key;
    this.property = details.property;
    this.position = details.position;
    this.line = details.line;
    this.column = details.column;
  }
}

// PyYAML's safe_load resolves only these spellings as booleans (js-yaml's YAML 1.1 set adds y/n and more).
const PY_BOOLS: Readonly<Record<string, boolean>> = {
  yes: true,
  Yes: true,
  YES: true,
  true: true,
  True: true,
  TRUE: true,
  on: true,
  On: true,
  ON: true,
  no: false,
  No: false,
  NO: false,
  false: false,
  False: false,
  FALSE: false,
  off: false,
  Off: false,
  OFF: false,
};
const pyYamlBool = defineScalarTag<boolean>('tag:yaml.org,2002:bool', {
  implicit: true,
  implicitFirstChars: null,
  resolve: (s) => (Object.hasOwn(PY_BOOLS, s) ? PY_BOOLS[s]! : NOT_RESOLVED),
  identify: (d) => typeof d === 'boolean',
});
const COMPAT_SCHEMA: Schema = YAML11_SCHEMA.withTags(pyYamlBool);

const FIELDS = ['name', 'unit', 'counter', 'specialisation', 'conversion_expr', 'subjects'] as const;
/** The metric-subject kinds an entry's `subjects` may name. */
export const SUBJECT_KINDS: readonly unknown[] = ['server', 'compute_pool', 'host'];

function describe(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (v instanceof Date) return 'a timestamp';
  if (typeof v === 'object') return 'a mapping';
  return `${typeof v} ${JSON.stringify(v)}`;
}

function isPlainMapping(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date);
}

/** YAML text → document; a stream with no document is null (PyYAML's safe_load returns None). */
function loadYaml(text: string, file: string, compat: boolean): unknown {
  try {
    const docs = loadAll(text, { schema: compat ? COMPAT_SCHEMA : CORE_SCHEMA });
    if (docs.length > 1) throw new YAMLException('expected a single document in the stream');
    return docs.length ? docs[0] : null;
  } catch (e) {
    if (compat || !(e instanceof YAMLException)) throw e;
    const mark = (e as YAMLException & { mark?: { line?: number; column?: number; position?: number } }).mark;
    const line = mark?.line !== undefined ? mark.line + 1 : undefined;
    const column = mark?.column !== undefined ? mark.column + 1 : undefined;
    throw new MappingError(file, '', 'valid YAML', {
      cause: e,
      position: mark?.position,
      line,
      column,
      message: `${file}${line ? `:${line}:${column}` : ''}: invalid YAML: ${e.reason ?? e.message}`,
    });
  }
}

function strictEntry(file: string, key: string, raw: unknown): ParsedEntry {
  if (!isPlainMapping(raw)) {
    throw new MappingError(file, key, 'a mapping with name, unit, counter, specialisation, conversion_expr', {
      got: describe(raw),
    });
  }
  for (const k of Object.keys(raw)) {
    if (!(FIELDS as readonly string[]).includes(k)) {
      throw new MappingError(file, key, `only the fields ${FIELDS.join(', ')}`, {
        property: k,
        got: 'an unknown field',
      });
    }
  }
  const str = (prop: string): string => {
    const v = raw[prop];
    if (v === undefined) return '';
    if (typeof v !== 'string')
      throw new MappingError(file, key, 'a string', { property: prop, got: describe(v) });
    return v;
  };
  const counter = raw.counter ?? false;
  if (typeof counter !== 'boolean') {
    throw new MappingError(file, key, 'a boolean (true or false)', {
      property: 'counter',
      got: describe(counter),
    });
  }
  const subjects = raw.subjects ?? [];
  if (
    !Array.isArray(subjects) ||
    (subjects.length === 0 && Object.hasOwn(raw, 'subjects')) ||
    subjects.some((k) => !SUBJECT_KINDS.includes(k))
  ) {
    const bad = Array.isArray(subjects) ? subjects.find((k) => !SUBJECT_KINDS.includes(k)) : subjects;
    throw new MappingError(file, key, `a non-empty list of ${SUBJECT_KINDS.join(', ')}`, {
      property: 'subjects',
      got: Array.isArray(subjects) && subjects.length === 0 ? 'an empty list' : describe(bad),
    });
  }
  let conversion: CompiledExpression | null = null;
  if (Object.hasOwn(raw, 'conversion_expr')) {
    const expr = raw.conversion_expr;
    if (typeof expr !== 'string' || expr.trim() === '') {
      throw new MappingError(file, key, 'a non-empty expression string', {
        property: 'conversion_expr',
        got: describe(expr),
      });
    }
    try {
      conversion = compileExpression(expr, 'mapping');
    } catch (e) {
      if (!(e instanceof ExpressionSyntaxError)) throw e;
      throw new MappingError(file, key, e.expected, {
        property: 'conversion_expr',
        position: e.position,
        line: e.line,
        column: e.column,
        cause: e,
        message:
          `${file}: ${JSON.stringify(key)}.conversion_expr: syntax error at position ${e.position}: ` +
          `expected ${e.expected} in ${JSON.stringify(expr)}`,
      });
    }
  }
  return new ParsedEntry(
    str('name'),
    str('unit'),
    counter,
    str('specialisation'),
    conversion,
    subjects as string[],
  );
}

/** The original's per-entry behaviour, errors included (the `in` test ran before any `.get`). */
function compatEntry(raw: unknown, parser: SimpleExpressionParser): ParsedEntry {
  if (raw === null || raw === undefined || typeof raw === 'number' || typeof raw === 'boolean') {
    throw new TypeError(`argument of type '${pyTypeName(raw)}' is not iterable`);
  }
  if (typeof raw === 'string' || Array.isArray(raw)) {
    if (raw.includes('conversion_expr')) {
      throw new TypeError(`${pyTypeName(raw)} indices must be integers`);
    }
    throw new AttributeError(`'${pyTypeName(raw)}' object has no attribute 'get'`);
  }
  const entry = raw as Record<string, unknown>;
  const conversion = Object.hasOwn(entry, 'conversion_expr') ? parser.parse(entry.conversion_expr) : null;
  const get = (k: string, d: unknown): unknown => (Object.hasOwn(entry, k) ? entry[k] : d);
  return new ParsedEntry(
    get('name', '') as string,
    get('unit', '') as string,
    get('counter', false) as boolean,
    get('specialisation', '') as string,
    conversion,
  );
}

/** Parses mapping YAML text (see loadMetricMapping); `options.file` names the source in errors. */
export function parseMetricMapping(yamlText: string, options: MetricMappingOptions = {}): MetricMapping {
  const file = options.file ?? '<mapping>';
  const compat = options.compat === true;
  const doc = loadYaml(yamlText, file, compat);
  const out: MetricMapping = new Map();
  if (compat) {
    if (!isPlainMapping(doc))
      throw new AttributeError(`'${pyTypeName(doc)}' object has no attribute 'items'`);
    const parser = new SimpleExpressionParser(options.warn ? { warn: options.warn } : {});
    for (const [key, raw] of Object.entries(doc)) out.set(key, compatEntry(raw, parser));
    return out;
  }
  if (!isPlainMapping(doc)) {
    throw new MappingError(file, '', 'a mapping of metric key to entry', { got: describe(doc) });
  }
  for (const [key, raw] of Object.entries(doc)) out.set(key, strictEntry(file, key, raw));
  return out;
}

/**
 * Reads and compiles a mapping file (path relative to the process cwd). Strict by default: any problem is
 * a MappingError naming the file and key; `{compat: true}` behaves like the original load_metric_mapping.
 */
export function loadMetricMapping(path = 'mapping.yaml', options: MetricMappingOptions = {}): MetricMapping {
  const file = options.file ?? path;
  let text: string;
  try {
    text = readFileSync(resolve(path), 'utf8');
  } catch (e) {
    if (options.compat) throw e;
    throw new MappingError(file, '', 'a readable mapping file', {
      cause: e,
      message: `${file}: cannot read mapping file: ${(e as Error).message}`,
    });
  }
  return parseMetricMapping(text, { ...options, file });
}
