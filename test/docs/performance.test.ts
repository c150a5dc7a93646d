/**
 * docs/performance.md explains every bench scenario: each name in test/bench/run.ts's SCENARIOS appears in
 * the "What each baseline stands for" list (exactly, or through a `*.` pattern such as `*.inventory.10k`).
 */
import { describe, expect, it } from 'vitest';
import { SCENARIOS } from '../bench/run';
import { readRepoFile } from './repo';

const DOC = 'docs/performance.md';

describe(DOC, () => {
  it('explains every bench scenario', () => {
    const text = readRepoFile(DOC);
    const start = text.indexOf('What each baseline stands for');
    if (start < 0) throw new Error(`${DOC} has no "What each baseline stands for" list`);
    const list = text.slice(start, text.indexOf('\n\n', text.indexOf('\n- ', start) + 1) + 1 || undefined);
    const named = [...list.matchAll(/^- (.*?):/gm)].flatMap((m) =>
      [...m[1]!.matchAll(/`([^`]+)`/g)].map((n) => n[1]!),
    );
    const patterns = named.map((n) => new RegExp(`^${n.replace(/\./g, '\\.').replace(/\*/g, '[^.]+')}$`));
    const missing = SCENARIOS.map((s) => s.name).filter((n) => !patterns.some((p) => p.test(n)));
    expect(
      missing.map((n) => `bench scenario ${n} is not explained in ${DOC} "What each baseline stands for"`),
    ).toEqual([]);
  });
});
