/** Golden replay of metric_mapping.json: load_metric_mapping (compat mode) + value()/convert(). */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { YAMLException } from 'js-yaml';
import { expect } from 'vitest';
import { loadMetricMapping, MappingError, type MetricMapping } from '../../../lib/connector-utils/mapping';
import { expectGoldenNumber } from './parser';
import type { GoldenCase, GoldenRunner } from './types';

/** Writes the case's YAML to a temp file and loads it, as the golden generator did. */
function withFile<T>(yaml: string, f: (path: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'nflex-mapping-'));
  try {
    const path = join(dir, 'mapping.yaml');
    writeFileSync(path, yaml);
    return f(path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function captureError(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(Error);
    return e as Error;
  }
  throw new Error('expected an error');
}

function expectResult(actual: unknown, expected: unknown): void {
  if (
    typeof expected === 'number' ||
    expected === null ||
    (typeof expected === 'object' && !Array.isArray(expected))
  ) {
    expectGoldenNumber(actual, expected);
  } else {
    expect(actual).toEqual(expected);
  }
}

export const runner: GoldenRunner = {
  run(c: GoldenCase) {
    const { yaml, calls } = c.input as {
      yaml: string;
      calls: Array<{ key: string; method: 'value' | 'convert'; kwargs: Record<string, unknown> }>;
    };
    const warnings: string[] = [];
    const load = (): MetricMapping =>
      withFile(yaml, (p) => loadMetricMapping(p, { compat: true, warn: (m) => warnings.push(m) }));
    if (c.error) {
      const err = captureError(load);
      expect(err.name).toBe(c.error.type);
      return;
    }
    const mapping = load();
    const entries: Record<string, unknown> = {};
    for (const [key, e] of mapping) {
      entries[key] = {
        name: e.name(),
        unit: e.unit(),
        counter: e.counter(),
        specialisation: e.specialisation(),
        has_conversion: e.hasConversion(),
      };
    }
    expect(entries).toEqual(c.expected.entries);
    const expectedResults = c.expected.results as Array<{
      value?: unknown;
      error?: { type: string; message: string };
    }>;
    calls.forEach((call, i) => {
      const entry = mapping.get(call.key)!;
      const want = expectedResults[i]!;
      if (want.error) {
        const err = captureError(() => entry[call.method](call.kwargs));
        expect(err.name).toBe(want.error.type);
        if (want.error.type === 'ValueError' || want.error.type === 'VariableLookupError') {
          expect(err.message).toBe(want.error.message);
        }
      } else {
        expectResult(entry[call.method](call.kwargs), want.value);
      }
    });
  },
  pythonOnly: {
    invalid_yaml_syntax:
      "the error class is the YAML library's own: PyYAML raises ParserError, our YAML library (js-yaml) raises YAMLException",
  },
  checkPythonOnly(c: GoldenCase) {
    const yaml = (c.input as { yaml: string }).yaml;
    // Compat mode lets the YAML library's error through, like the original; strict mode wraps it.
    const compatErr = captureError(() => withFile(yaml, (p) => loadMetricMapping(p, { compat: true })));
    expect(compatErr).toBeInstanceOf(YAMLException);
    const strictErr = captureError(() => withFile(yaml, (p) => loadMetricMapping(p)));
    expect(strictErr).toBeInstanceOf(MappingError);
    expect((strictErr as MappingError).line).toBeGreaterThan(0);
  },
};
