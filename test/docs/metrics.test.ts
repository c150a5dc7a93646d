/**
 * The metric names table of docs/functions.md is the mappings': every nflex metric name in mappings/*.yaml
 * has a row with its unit and the subject kinds (server, host, compute_pool) some provider emits it for, and
 * the table names nothing the mappings do not.
 */
import { load as parseYaml } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { filesUnder, readRepoFile, sections } from './repo';

const DOC = 'docs/functions.md';
/** The table's subject columns, in order after Metric and Unit. */
const COLUMNS = ['server', 'host', 'compute_pool'];

interface Emitted {
  units: Set<string>;
  subjects: Set<string>;
}

function fromMappings(): Map<string, Emitted> {
  const out = new Map<string, Emitted>();
  for (const file of filesUnder('mappings', /\.yaml$/).filter((f) => !f.endsWith('rate-card.yaml'))) {
    const doc = parseYaml(readRepoFile(file)) as Record<
      string,
      { name?: string; unit?: string; subjects?: string[] }
    >;
    for (const entry of Object.values(doc ?? {})) {
      if (!entry?.name) continue;
      const e = out.get(entry.name) ?? { units: new Set(), subjects: new Set() };
      e.units.add(entry.unit ?? '');
      for (const s of entry.subjects ?? []) e.subjects.add(s);
      out.set(entry.name, e);
    }
  }
  return out;
}

function fromDocs(): Map<string, { unit: string; subjects: string[] }> {
  const section = sections(readRepoFile(DOC), 3).find((s) => s.title === 'Metric names');
  if (!section) throw new Error(`${DOC} has no "### Metric names" table`);
  const out = new Map<string, { unit: string; subjects: string[] }>();
  for (const line of section.body.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (!line.startsWith('|') || !cells[1]?.startsWith('`')) continue;
    const unit = /`([^`]*)`/.exec(cells[2] ?? '')?.[1] ?? '';
    const subjects = COLUMNS.filter((_, i) => (cells[3 + i] ?? '').includes('✓'));
    for (const m of cells[1].matchAll(/`([^`]+)`/g)) out.set(m[1]!, { unit, subjects });
  }
  return out;
}

describe(`${DOC} metric names`, () => {
  it('lists every metric of the mappings with its unit and subjects, and no other', () => {
    const emitted = fromMappings();
    const documented = fromDocs();
    const problems: string[] = [];
    for (const [name, e] of emitted) {
      const d = documented.get(name);
      if (!d) {
        problems.push(`${name}: in mappings/ but not in the "### Metric names" table of ${DOC}`);
        continue;
      }
      if (e.units.size !== 1 || !e.units.has(d.unit)) {
        problems.push(`${name}: unit ${[...e.units].join(' / ')} in mappings/, ${d.unit} in ${DOC}`);
      }
      const subjects = COLUMNS.filter((c) => e.subjects.has(c));
      if (subjects.join() !== d.subjects.join()) {
        problems.push(
          `${name}: subjects ${subjects.join(', ')} in mappings/, ${d.subjects.join(', ')} in ${DOC}`,
        );
      }
    }
    for (const name of documented.keys())
      if (!emitted.has(name)) problems.push(`${name}: in ${DOC} but in no mapping`);
    expect(problems).toEqual([]);
  });
});
