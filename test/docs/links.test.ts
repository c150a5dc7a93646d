/**
 * Links in the README and docs/ resolve (files and heading anchors), every page in docs/ is reachable from
 * the README, and code comments cite the architecture overview that is in the repository
 * (`docs/architecture.md "Section"`, with a section that exists) rather than a document that is not.
 */
import { existsSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';
import { anchorsOf, filesUnder, headingAnchor, ROOT, readRepoFile } from './repo';

const PAGES = ['README.md', ...filesUnder('docs', /\.md$/)];

/** The markdown without fenced blocks and inline code, where a `[x](y)` is not a link. */
function linkableText(text: string): string {
  return text.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');
}

/** Relative link targets of a page: `[text](target)`, without web and mail links. */
function relativeLinks(page: string): string[] {
  const text = linkableText(readRepoFile(page));
  return [...text.matchAll(/!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)]
    .map((m) => m[1]!)
    .filter((t) => !/^(https?:|mailto:)/.test(t));
}

/** Every heading, at any level, of a markdown file. */
function headingsOf(page: string): string[] {
  return [...readRepoFile(page).matchAll(/^#+ (.+)$/gm)].map((m) => m[1]!.trim());
}

describe('docs links', () => {
  it.each(PAGES)('every relative link in %s resolves', (page) => {
    const broken: string[] = [];
    for (const link of relativeLinks(page)) {
      const [path, anchor] = link.split('#') as [string, string | undefined];
      const target = path === '' ? page : normalize(join(dirname(page), path));
      if (!existsSync(join(ROOT, target))) {
        broken.push(`${link}: ${target} does not exist`);
        continue;
      }
      if (anchor && target.endsWith('.md') && !anchorsOf(readRepoFile(target)).has(anchor)) {
        broken.push(`${link}: ${target} has no heading with anchor #${anchor}`);
      }
    }
    expect(broken, page).toEqual([]);
  });

  it('every page in docs/ is linked from the README', () => {
    const linked = new Set(relativeLinks('README.md').map((l) => normalize(l.split('#')[0]!)));
    expect(PAGES.filter((p) => p.startsWith('docs/') && !linked.has(p))).toEqual([]);
  });
});

describe('architecture citations in code', () => {
  const sources = ['lib', 'functions', 'scripts', 'test']
    .flatMap((d) => filesUnder(d, /\.ts$/))
    .filter((f) => !f.startsWith('test/docs/') && !f.startsWith('test/fixtures/'));

  it('no code cites an architecture document outside the repository', () => {
    const outside = sources.filter((f) => readRepoFile(f).includes('ARCHITECTURE.md'));
    expect(
      outside.map((f) => `${f} cites ARCHITECTURE.md; cite docs/architecture.md "<section>" instead`),
    ).toEqual([]);
  });

  it('every docs/… citation in code names a page and section that exist', () => {
    const broken: string[] = [];
    for (const file of sources) {
      for (const m of readRepoFile(file).matchAll(/docs\/([\w-]+\.md)(?:[ ,]+"([^"]+)")?/g)) {
        const page = `docs/${m[1]}`;
        if (!existsSync(join(ROOT, page))) broken.push(`${file}: ${page} does not exist`);
        else if (m[2] && !headingsOf(page).some((h) => headingAnchor(h) === headingAnchor(m[2]!))) {
          broken.push(`${file}: ${page} has no section "${m[2]}"`);
        }
      }
    }
    expect(broken).toEqual([]);
  });
});
