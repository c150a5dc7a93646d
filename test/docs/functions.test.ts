/**
 * docs/functions.md cannot drift from the functions: it has one section per serverless.yml function and no
 * other; each section shows a sample event that equals its file in events/ and a result whose shape is what
 * the function returns for that event on the demo simulators (every key, nothing extra, schema-valid).
 *
 * After a deliberate change of a result's shape, regenerate the examples and review the diff:
 *   UPDATE_DOC_EXAMPLES=1 npx vitest run test/docs/functions.test.ts
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatSchemaErrors, schemaValidator } from '../helpers/schemas';
import {
  bufferedTwin,
  type DemoSimulators,
  invoke,
  isStreaming,
  onSimulators,
  RESULT_SCHEMA,
  startDemoSimulators,
} from './invoke';
import { eventFiles, functionKeys, ROOT, readRepoFile, sections } from './repo';

const DOC = 'docs/functions.md';
const UPDATE = process.env.UPDATE_DOC_EXAMPLES === '1';
/** `<!-- event: events/x.json -->` or `<!-- result: events/x.json -->` followed by a json block. */
const BLOCK_RE = /<!-- (event|result): (\S+) -->\n```json\n([\s\S]*?)\n```/g;

interface Block {
  kind: 'event' | 'result';
  file: string;
  json: string;
}

/** A function section: a level-2 heading that is one camelCase word. */
const FUNCTION_TITLE = /^[a-z][A-Za-z0-9]*$/;

function functionSections() {
  return sections(readRepoFile(DOC), 2).filter((s) => FUNCTION_TITLE.test(s.title));
}

function blocksOf(body: string): Block[] {
  return [...body.matchAll(BLOCK_RE)].map((m) => ({
    kind: m[1] as Block['kind'],
    file: m[2]!,
    json: m[3]!,
  }));
}

/** A compact description of a value's structure: key sets of objects, element kinds of arrays. */
function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

/**
 * How the structure of `doc` differs from `actual`: objects must have the same keys, values the same
 * kinds, and each element of a documented array must match some element of the actual one.
 */
function shapeDiffs(actual: unknown, doc: unknown, path: string): string[] {
  if (kindOf(actual) !== kindOf(doc))
    return [`${path}: the function returns ${kindOf(actual)}, the docs show ${kindOf(doc)}`];
  if (Array.isArray(actual) && Array.isArray(doc)) {
    const out: string[] = [];
    doc.forEach((item, i) => {
      if (actual.length === 0) {
        out.push(`${path}[${i}]: the function returned no items here`);
        return;
      }
      const tries = actual.map((a) => shapeDiffs(a, item, `${path}[${i}]`));
      if (tries.some((t) => t.length === 0)) return;
      // Report against the closest item, preferring one of the same nflex `type`.
      const type = (item as { type?: unknown })?.type;
      const sameType = tries.filter((_, k) => (actual[k] as { type?: unknown })?.type === type);
      const pool = sameType.length > 0 ? sameType : tries;
      const closest = pool.reduce((best, t) => (t.length < best.length ? t : best));
      out.push(
        `${path}[${i}] matches no returned item; the closest differs:`,
        ...closest.map((d) => `  ${d}`),
      );
    });
    return out;
  }
  if (kindOf(actual) === 'object') {
    const a = actual as Record<string, unknown>;
    const d = doc as Record<string, unknown>;
    const out: string[] = [];
    for (const k of Object.keys(a)) if (!(k in d)) out.push(`${path}.${k}: returned but not in the docs`);
    for (const k of Object.keys(d)) if (!(k in a)) out.push(`${path}.${k}: in the docs but not returned`);
    for (const k of Object.keys(d)) if (k in a) out.push(...shapeDiffs(a[k], d[k], `${path}.${k}`));
    return out;
  }
  return [];
}

/** A readable example of a result: arrays cut to a few items (one per resource type). */
function exampleOf(result: unknown): unknown {
  const cut = (items: unknown[]): unknown[] => {
    const types = items.map((i) => (i as { type?: unknown })?.type);
    if (types.every((t) => typeof t === 'string')) {
      return [...new Set(types)].map((t) => items[types.indexOf(t)]);
    }
    return items.slice(0, 2);
  };
  if (Array.isArray(result)) return cut(result);
  if (result && typeof result === 'object') {
    return Object.fromEntries(
      Object.entries(result).map(([k, v]) => [k, Array.isArray(v) && v.length > 2 ? cut(v) : v]),
    );
  }
  return result;
}

let sims: DemoSimulators;
const results = new Map<string, unknown>();

/** The function's result for a sample event on the demo simulators (streaming: its buffered twin's). */
async function resultOf(fn: string, file: string): Promise<unknown> {
  const key = `${fn} ${file}`;
  if (!results.has(key)) {
    const event = JSON.parse(readRepoFile(file)) as Record<string, unknown>;
    const target = isStreaming(fn) ? bufferedTwin(fn) : fn;
    results.set(key, await invoke(target, onSimulators(event, sims)));
  }
  return results.get(key);
}

beforeAll(async () => {
  sims = await startDemoSimulators();
});
afterAll(async () => {
  await sims?.stop();
});

describe(DOC, () => {
  it('has one section per serverless.yml function, and no other', () => {
    const documented = functionSections().map((s) => s.title);
    const declared = functionKeys();
    expect({
      'in serverless.yml, no "## <function>" section in docs/functions.md': declared.filter(
        (f) => !documented.includes(f),
      ),
      'a "## <function>" section in docs/functions.md, not in serverless.yml': documented.filter(
        (f) => !declared.includes(f),
      ),
    }).toEqual({
      'in serverless.yml, no "## <function>" section in docs/functions.md': [],
      'a "## <function>" section in docs/functions.md, not in serverless.yml': [],
    });
  });

  it('says which runner poll each function answers', () => {
    const section = sections(readRepoFile(DOC), 2).find((s) => s.title === 'Calling the functions');
    const rows = (section?.body ?? '').split('\n').filter((l) => l.startsWith('|'));
    const missing = functionKeys().filter((fn) => !rows.some((r) => r.includes(`\`${fn}\``)));
    expect(
      missing.map((fn) => `${fn}: no row in the poll table of ${DOC} "## Calling the functions"`),
    ).toEqual([]);
  });

  it.each(functionKeys())('the %s section shows an event and a result', (fn) => {
    const section = functionSections().find((s) => s.title === fn);
    const blocks = section ? blocksOf(section.body) : [];
    expect(
      blocks.some((b) => b.kind === 'event'),
      `${DOC} "## ${fn}" needs a sample event: <!-- event: events/${fn}.<provider>.json --> and a json block`,
    ).toBe(true);
    expect(
      blocks.some((b) => b.kind === 'result'),
      `${DOC} "## ${fn}" needs a result: <!-- result: events/${fn}.<provider>.json --> and a json block`,
    ).toBe(true);
  });

  it.each(functionKeys())(
    "the %s section's events equal their files and its results are what it returns",
    async (fn) => {
      const section = functionSections().find((s) => s.title === fn);
      if (!section) return; // reported by the section-list test
      const named = new Map(
        eventFiles()
          .filter((f) => typeof f !== 'string')
          .map((f) => [f.path, f]),
      );
      const problems: string[] = [];
      for (const block of blocksOf(section.body)) {
        const where = `${DOC} "## ${fn}" ${block.kind} ${block.file}`;
        const file = named.get(block.file);
        if (!file) {
          problems.push(`${where}: no such sample event in events/`);
          continue;
        }
        if (file.fn !== null && file.fn !== fn) problems.push(`${where}: that event is for ${file.fn}`);
        let shown: unknown;
        try {
          shown = JSON.parse(block.json);
        } catch (err) {
          problems.push(`${where}: the json block does not parse: ${(err as Error).message}`);
          continue;
        }
        if (block.kind === 'event') {
          if (JSON.stringify(shown) !== JSON.stringify(JSON.parse(readRepoFile(block.file)))) {
            problems.push(`${where}: the block differs from the file`);
          }
          continue;
        }
        const actual = await resultOf(fn, block.file);
        const schema = RESULT_SCHEMA[isStreaming(fn) ? bufferedTwin(fn) : fn];
        if (schema) {
          const validate = schemaValidator(schema);
          if (!validate(shown))
            problems.push(
              `${where}: not valid against ${schema}.json: ${formatSchemaErrors(validate.errors)}`,
            );
        }
        problems.push(...shapeDiffs(actual, shown, 'result').map((d) => `${where}: ${d}`));
      }
      if (problems.length > 0 && !UPDATE)
        problems.push('(regenerate with UPDATE_DOC_EXAMPLES=1 if the change is meant)');
      if (UPDATE) return;
      expect(problems).toEqual([]);
    },
  );

  it.runIf(UPDATE)('regenerates the examples (UPDATE_DOC_EXAMPLES=1)', async () => {
    const text = readRepoFile(DOC);
    const values: string[] = [];
    for (const m of text.matchAll(BLOCK_RE)) {
      const [kind, file] = [m[1] as Block['kind'], m[2]!];
      // The function whose section the block is in: the last "## <function>" heading before it.
      const fn = [...text.slice(0, m.index).matchAll(/^## (\S+)$/gm)].pop()?.[1] ?? '';
      const event = JSON.parse(readRepoFile(file)) as {
        provider: 'nutanix' | 'cloudtower';
        credentials?: { endpoint?: string };
      };
      let value: unknown = event;
      if (kind === 'result') {
        value = exampleOf(await resultOf(fn, file));
        // Show the address the sample events use, not this run's ephemeral port.
        const shown = event.credentials?.endpoint;
        if (shown)
          value = JSON.parse(JSON.stringify(value).split(sims.endpoints[event.provider]).join(shown));
      }
      values.push(JSON.stringify(value, null, 2));
    }
    let i = 0;
    const updated = text.replace(BLOCK_RE, (_all, kind: string, file: string) => {
      return `<!-- ${kind}: ${file} -->\n\`\`\`json\n${values[i++]}\n\`\`\``;
    });
    writeFileSync(join(ROOT, DOC), updated);
  });
});
