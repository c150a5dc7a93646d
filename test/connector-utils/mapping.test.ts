/** Unit tests of the metric-mapping loader in its default (strict) mode, plus compat differences. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  loadMetricMapping,
  MappingError,
  ParsedEntry,
  parseMetricMapping,
} from '../../lib/connector-utils/mapping';
import { ValidationError } from '../../lib/errors';

const dir = mkdtempSync(join(tmpdir(), 'mapping-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

function mappingError(f: () => unknown): MappingError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(MappingError);
    return e as MappingError;
  }
  throw new Error('expected a MappingError');
}

describe('loadMetricMapping (strict, default)', () => {
  it('loads a well-formed file and converts', () => {
    const p = file(
      'ok.yaml',
      'cpu:\n  name: cpu-usage\n  unit: "%"\n  counter: false\n  conversion_expr: value / 10000\nraw:\n  name: raw\n',
    );
    const m = loadMetricMapping(p);
    expect([...m.keys()]).toEqual(['cpu', 'raw']);
    const cpu = m.get('cpu')!;
    expect(cpu).toBeInstanceOf(ParsedEntry);
    expect([cpu.name(), cpu.unit(), cpu.counter(), cpu.specialisation()]).toEqual([
      'cpu-usage',
      '%',
      false,
      '',
    ]);
    expect(cpu.value({ value: 250000 })).toBe(25);
    expect(cpu.convert({ value: '10000' })).toBe(1);
    expect(m.get('raw')!.value({ value: 'as-is' })).toBe('as-is');
  });

  it('fails at load on a conversion syntax error, naming file, key and position', () => {
    const p = file(
      'bad-expr.yaml',
      'ok:\n  conversion_expr: value * 2\nbroken:\n  conversion_expr: value * (2 +\n',
    );
    const err = mappingError(() => loadMetricMapping(p));
    expect(err.file).toBe(p);
    expect(err.key).toBe('broken');
    expect(err.property).toBe('conversion_expr');
    expect(err.position).toBe(12);
    expect(err.message).toContain(p);
    expect(err.message).toContain('"broken".conversion_expr');
    expect(err.message).toContain('position 12');
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.kind).toBe('config');
  });

  it('accepts CASE (the original silently ignored it), nested and inside arithmetic', () => {
    const m = parseMetricMapping(
      'state:\n  conversion_expr: CASE WHEN value = 1 THEN 100 WHEN value = 2 THEN CASE WHEN x > 0 THEN 50 ELSE 25 END ELSE 0 END\n' +
        'scaled:\n  conversion_expr: (CASE WHEN value > 5 THEN 2 ELSE 1 END) * value\n',
    );
    expect(m.get('state')!.value({ value: 1, x: 0 })).toBe(100);
    expect(m.get('state')!.value({ value: 2, x: 0 })).toBe(25);
    expect(m.get('state')!.value({ value: 3, x: 0 })).toBe(0);
    expect(m.get('scaled')!.value({ value: 10 })).toBe(20);
  });

  it('schema: names the key and what was expected', () => {
    const cases: Array<[string, string, string | undefined, RegExp]> = [
      ['m:\n  counter: "yes"\n', 'm', 'counter', /expected a boolean/],
      ['m:\n  counter: yes\n', 'm', 'counter', /expected a boolean/],
      ['m:\n  unit: 5\n', 'm', 'unit', /expected a string, got number 5/],
      ['m:\n  conversion: value / 10\n', 'm', 'conversion', /expected only the fields name, unit, counter/],
      ['m:\n  conversion_expr: 5\n', 'm', 'conversion_expr', /expected a non-empty expression string/],
      [
        'm:\n  conversion_expr: NULL\n',
        'm',
        'conversion_expr',
        /expected a non-empty expression string, got null/,
      ],
      [
        'm:\n  subjects: server\n',
        'm',
        'subjects',
        /expected a non-empty list of server, compute_pool, host, got string "server"/,
      ],
      ['m:\n  subjects: []\n', 'm', 'subjects', /expected a non-empty list of .*got an empty list/],
      ['m:\n  subjects: [server, vm]\n', 'm', 'subjects', /expected a non-empty list of .*got string "vm"/],
      ['m: hello\n', 'm', undefined, /expected a mapping with name, unit/],
      ['m:\n', 'm', undefined, /got null/],
    ];
    for (const [yaml, key, property, re] of cases) {
      const err = mappingError(() => parseMetricMapping(yaml, { file: 'mappings/x.yaml' }));
      expect(err.key, yaml).toBe(key);
      expect(err.property, yaml).toBe(property);
      expect(err.file).toBe('mappings/x.yaml');
      expect(err.message, yaml).toMatch(re);
      expect(err.message, yaml).toMatch(/^mappings\/x\.yaml: "m"/);
    }
  });

  it('subjects: the kinds an entry applies to; none named means every kind', () => {
    const m = parseMetricMapping('a:\n  name: x\n  subjects: [server, host]\nb:\n  name: y\n');
    expect(m.get('a')!.subjects()).toEqual(['server', 'host']);
    expect(m.get('a')!.appliesTo('host')).toBe(true);
    expect(m.get('a')!.appliesTo('compute_pool')).toBe(false);
    expect(m.get('b')!.subjects()).toEqual([]);
    expect(m.get('b')!.appliesTo('compute_pool')).toBe(true);
  });

  it('schema: the document must be a mapping', () => {
    for (const yaml of ['', '# only a comment\n', '- a\n- b\n', 'just text\n']) {
      const err = mappingError(() => parseMetricMapping(yaml, { file: 'f.yaml' }));
      expect(err.key).toBe('');
      expect(err.message).toMatch(/^f\.yaml: expected a mapping of metric key to entry/);
    }
  });

  it('reports YAML syntax errors with line and column', () => {
    const err = mappingError(() => parseMetricMapping('a:\n  name: x\nm: [unclosed\n', { file: 'f.yaml' }));
    expect(err.line).toBeGreaterThan(1);
    expect(err.column).toBeGreaterThan(0);
    expect(err.message).toMatch(/^f\.yaml:\d+:\d+: invalid YAML/);
  });

  it('reports a missing file as a MappingError naming it', () => {
    const err = mappingError(() => loadMetricMapping(join(dir, 'nope.yaml')));
    expect(err.message).toContain('nope.yaml');
  });

  it('is safe YAML: no custom tags/functions', () => {
    expect(() => parseMetricMapping('m: !!js/function "function(){}"\n')).toThrow();
  });
});

describe('compat mode reproduces the original', () => {
  it('a bad expression or a CASE is ignored with a warning: identity conversion', () => {
    const warnings: string[] = [];
    const m = parseMetricMapping(
      'a:\n  conversion_expr: value *\nb:\n  conversion_expr: CASE WHEN value > 1 THEN 1 END\n',
      {
        compat: true,
        warn: (w) => warnings.push(w),
      },
    );
    expect(m.get('a')!.hasConversion()).toBe(false);
    expect(m.get('a')!.value({ value: 3 })).toBe(3);
    expect(m.get('b')!.value({ value: 3 })).toBe(3);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/^Failed to parse "value \*": /);
  });

  it('reads YAML 1.1 booleans like PyYAML and passes fields through untyped', () => {
    const m = parseMetricMapping('m:\n  counter: yes\n  unit: 5\nn:\n  counter: n\n', { compat: true });
    expect(m.get('m')!.counter()).toBe(true);
    expect(m.get('m')!.unit()).toBe(5);
    expect(m.get('n')!.counter()).toBe('n');
  });

  it('raises the original error classes', () => {
    expect(() => parseMetricMapping('', { compat: true })).toThrow(
      expect.objectContaining({ name: 'AttributeError' }),
    );
    expect(() => parseMetricMapping('- a\n', { compat: true })).toThrow(
      expect.objectContaining({ name: 'AttributeError' }),
    );
    expect(() => parseMetricMapping('m:\n', { compat: true })).toThrow(
      expect.objectContaining({ name: 'TypeError' }),
    );
    expect(() => parseMetricMapping('m:\n  conversion_expr: 5\n', { compat: true })).toThrow(
      expect.objectContaining({ name: 'AttributeError' }),
    );
  });

  it('a missing value without conversion raises VariableLookupError with the quoted key', () => {
    const m = parseMetricMapping('m:\n  name: x\n', { compat: true });
    expect(() => m.get('m')!.value({ other: 1 })).toThrow("'value'");
  });
});
