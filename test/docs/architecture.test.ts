/**
 * docs/architecture.md against the code: its layout names every lib/ folder, every path it names exists,
 * every code name it quotes is still in the source, and its Provider block lists the interface's methods.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { filesUnder, ROOT, readRepoFile, sections } from './repo';

const PAGE = 'docs/architecture.md';
const text = readRepoFile(PAGE);
const section = (title: string): string => {
  const found = sections(text, 2).find((s) => s.title === title);
  if (!found) throw new Error(`${PAGE} has no section "${title}"`);
  return found.body;
};
/** The first fenced block of a section. */
const diagram = (title: string): string => /```\w*\n([\s\S]*?)```/.exec(section(title))?.[1] ?? '';

const source = ['lib', 'functions'].flatMap((d) => filesUnder(d, /\.ts$/)).map(readRepoFile);

function foldersUnder(dir: string): string[] {
  return readdirSync(join(ROOT, dir))
    .filter((name) => statSync(join(ROOT, dir, name)).isDirectory())
    .map((name) => `${dir}/${name}/`);
}

describe(PAGE, () => {
  it('lays out every folder of lib/ and of each provider', () => {
    const layout = diagram('Layout');
    const folders = [...foldersUnder('lib'), ...foldersUnder('lib/providers')];
    expect(folders.filter((f) => !layout.includes(f))).toEqual([]);
  });

  it('names only repository paths that exist', () => {
    const paths = new Set(
      [...text.matchAll(/\b(?:lib|functions|scripts|mappings|events|test)\/[\w./-]*[\w/]/g)].map((m) => m[0]),
    );
    expect([...paths].filter((p) => !existsSync(join(ROOT, p)))).toEqual([]);
  });

  it('quotes only code names that are still in lib/ or functions/', () => {
    const quoted = new Set(
      [...text.matchAll(/`([A-Za-z_]\w*)`/g)]
        .map((m) => m[1]!)
        // camelCase, PascalCase and CONSTANT names: the ones a rename would leave behind in the page.
        .filter((name) => /^[a-z]+[A-Z]\w*$|^[A-Z][a-z0-9]+[A-Z]\w*$|^[A-Z][A-Z0-9]*_[A-Z0-9_]+$/.test(name)),
    );
    const missing = [...quoted].filter((name) => !source.some((s) => new RegExp(`\\b${name}\\b`).test(s)));
    expect(missing).toEqual([]);
  });

  it("lists exactly the Provider interface's methods", () => {
    const declared = /export interface Provider \{([\s\S]*?)\n\}/.exec(
      readRepoFile('lib/providers/provider.ts'),
    );
    const methods = (src: string) => [...src.matchAll(/^\s+(\w+)\(/gm)].map((m) => m[1]!).sort();
    expect(methods(diagram('Providers'))).toEqual(methods(declared?.[1] ?? ''));
  });
});
