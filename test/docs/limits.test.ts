/**
 * The timeouts docs/operating.md states are serverless.yml's: every function has a row in the "Limits and
 * timeouts" table, with the timeout it is deployed with.
 */
import { describe, expect, it } from 'vitest';
import { readRepoFile, sections, serverlessConfig } from './repo';

const DOC = 'docs/operating.md';

describe(`timeouts in ${DOC}`, () => {
  it('every function is listed with the timeout serverless.yml gives it', () => {
    const section = sections(readRepoFile(DOC), 2).find((s) => s.title === 'Limits and timeouts');
    if (!section) throw new Error(`${DOC} has no "## Limits and timeouts" section`);
    const documented = new Map<string, number>();
    for (const line of section.body.split('\n')) {
      const cells = line.split('|').map((c) => c.trim());
      const seconds = /^(\d+) s\b/.exec(cells[2] ?? '');
      if (!seconds) continue;
      for (const m of (cells[1] ?? '').matchAll(/`(\w+)`/g)) documented.set(m[1]!, Number(seconds[1]));
    }
    const config = serverlessConfig();
    const problems: string[] = [];
    for (const [fn, spec] of Object.entries(config.functions)) {
      const timeout = spec.timeout ?? config.provider.timeout;
      if (!documented.has(fn)) problems.push(`${fn}: no row in the "Limits and timeouts" table of ${DOC}`);
      else if (documented.get(fn) !== timeout) {
        problems.push(`${fn}: ${DOC} says ${documented.get(fn)} s, serverless.yml ${timeout} s`);
      }
    }
    for (const fn of documented.keys())
      if (!config.functions[fn]) problems.push(`${fn}: in ${DOC} but not a function`);
    expect(problems).toEqual([]);
  });
});
