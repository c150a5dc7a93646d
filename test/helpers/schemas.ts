/**
 * The nflex runner's result schemas (draft-04, copied into test/fixtures/schemas) compiled once with ajv,
 * with the quirks the old Python runner tolerated: the non-standard `format: "datetime"`, a regex used as
 * the `format` of `ip_address` (an unknown format, so ignored as jsonschema ignores it), and a `pattern`
 * with `\'` that only compiles without the `u` flag (`unicodeRegExp: false`).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ErrorObject, ValidateFunction } from 'ajv';
import Ajv from 'ajv-draft-04';

/** The schema files available in test/fixtures/schemas (without `.json`). */
export type SchemaName =
  | 'get_resources'
  | 'get_metrics'
  | 'get_spend'
  | 'get_logs'
  | 'get_status'
  | 'monitors'
  | 'rest-api';

const SCHEMA_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'schemas');
// The same shape the schemas' `pattern` asks for; as a format it only re-states the pattern.
const DATETIME_RE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z?)?$/;
const UUID_RE = /^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$/i;

let ajv: Ajv | null = null;
const compiled = new Map<SchemaName, ValidateFunction>();

/** The shared ajv instance configured for the nflex schemas. */
export function nflexAjv(): Ajv {
  if (ajv) return ajv;
  ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  ajv.addFormat('datetime', DATETIME_RE);
  ajv.addFormat('uuid', UUID_RE);
  // get_resources uses an IPv4 regex as a format *name*; jsonschema ignored unknown formats, and enforcing
  // it would wrongly reject IPv6 addresses, so it is registered as always valid.
  ajv.addFormat(
    '^(25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?)\\.(25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?)\\.(25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?)\\.(25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?)$',
    true,
  );
  return ajv;
}

/** The compiled validator of one schema. */
export function schemaValidator(name: SchemaName): ValidateFunction {
  let v = compiled.get(name);
  if (!v) {
    const schema = JSON.parse(readFileSync(join(SCHEMA_DIR, `${name}.json`), 'utf8')) as object;
    v = nflexAjv().compile(schema);
    compiled.set(name, v);
  }
  return v;
}

/** Readable one-line-per-error text of ajv errors. */
export function formatSchemaErrors(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message ?? ''}`).join('\n');
}

/** Validates `value` against a schema; returns the error text, or null when valid. */
export function schemaErrors(name: SchemaName, value: unknown): string | null {
  const v = schemaValidator(name);
  return v(value) ? null : formatSchemaErrors(v.errors);
}

/** Throws (with every schema error listed) unless `value` is valid against the schema — use in tests. */
export function assertValidResult(name: SchemaName, value: unknown): void {
  const errors = schemaErrors(name, value);
  if (errors !== null) {
    const preview = JSON.stringify(value).slice(0, 500);
    throw new Error(`result is not valid against ${name}.json:\n${errors}\nresult: ${preview}`);
  }
}
