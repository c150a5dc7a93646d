/**
 * What the docs drift tests read from the repository: serverless.yml, the docs' markdown, the env vars the
 * code reads, and the sample events' naming rule. Everything is read from the files themselves, so a
 * change anywhere shows up as a named difference.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { load as parseYaml } from 'js-yaml';

/** The repository root. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The parts of serverless.yml the docs describe. */
export interface ServerlessConfig {
  provider: { environment: Record<string, unknown>; timeout?: number };
  functions: Record<string, { handler: string; timeout?: number }>;
}

/** serverless.yml, parsed (its `${…}` variables stay text). */
export function serverlessConfig(): ServerlessConfig {
  return parseYaml(readFileSync(join(ROOT, 'serverless.yml'), 'utf8')) as ServerlessConfig;
}

/** The function keys declared in serverless.yml, in file order. */
export function functionKeys(): string[] {
  return Object.keys(serverlessConfig().functions);
}

/** A repository file's text. */
export function readRepoFile(path: string): string {
  return readFileSync(join(ROOT, path), 'utf8');
}

/** Every file under `dir` (repository-relative paths) whose name matches `pattern`. */
export function filesUnder(dir: string, pattern: RegExp): string[] {
  const out: string[] = [];
  const walk = (abs: string) => {
    for (const name of readdirSync(abs)) {
      if (name === 'node_modules' || name.startsWith('.')) continue;
      const p = join(abs, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (pattern.test(name)) out.push(relative(ROOT, p));
    }
  };
  walk(join(ROOT, dir));
  return out.sort();
}

/** One `## heading` section of a markdown file. */
export interface Section {
  title: string;
  body: string;
}

/** The sections of a markdown text at heading `level` (fenced code blocks are not headings). */
export function sections(text: string, level: number): Section[] {
  const out: Section[] = [];
  const marker = `${'#'.repeat(level)} `;
  let current: Section | null = null;
  let fenced = false;
  for (const line of text.split('\n')) {
    if (line.startsWith('```')) fenced = !fenced;
    const isHeading = !fenced && line.startsWith('#') && /^#+ /.test(line);
    if (isHeading && line.startsWith(marker)) {
      current = { title: line.slice(marker.length).trim(), body: '' };
      out.push(current);
      continue;
    }
    // A heading of a higher level closes the section.
    if (isHeading && (/^#+/.exec(line)?.[0].length ?? 0) < level) current = null;
    if (current) current.body += `${line}\n`;
  }
  return out;
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
export function headingAnchor(title: string): string {
  return title
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** Every heading anchor of a markdown text. */
export function anchorsOf(text: string): Set<string> {
  const out = new Set<string>();
  let fenced = false;
  for (const line of text.split('\n')) {
    if (line.startsWith('```')) fenced = !fenced;
    const m = !fenced && /^#+ (.*)$/.exec(line);
    if (m) out.add(headingAnchor(m[1]!));
  }
  return out;
}

/** The env var names in backticks in the first cell of every row of the markdown tables in `text`. */
export function tableEnvNames(text: string): string[] {
  const names: string[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('|')) continue;
    const first = line.split('|')[1] ?? '';
    for (const m of first.matchAll(/`([A-Z][A-Z0-9_]+)`/g)) names.push(m[1]!);
  }
  return names;
}

/** Provider name prefixes `npm start` composes env names from (`PRISM_ENDPOINT`, …). */
const START_PREFIXES = ['PRISM_', 'CLOUDTOWER_'];

/**
 * Env var names read by the TypeScript files under `dirs`: `process.env.NAME`, `process.env['NAME']`,
 * `env.NAME`, and any call of a function whose name contains "env" with a literal `'NAME'` argument
 * (`envInt('PROVIDER_CONCURRENCY')`; `envOf(env, provider, 'ENDPOINT')` composes `PRISM_ENDPOINT` and
 * `CLOUDTOWER_ENDPOINT`, see isComposedFor). Maps each name to the files that read it.
 */
export function envReads(dirs: string[]): Map<string, string[]> {
  const reads = new Map<string, string[]>();
  const add = (name: string, file: string) => {
    const files = reads.get(name) ?? [];
    if (!files.includes(file)) files.push(file);
    reads.set(name, files);
  };
  for (const dir of dirs) {
    for (const file of filesUnder(dir, /\.ts$/)) {
      if (file.endsWith('.test.ts')) continue;
      const src = readRepoFile(file);
      for (const m of src.matchAll(/\bprocess\.env\.([A-Z][A-Z0-9_]+)/g)) add(m[1]!, file);
      for (const m of src.matchAll(/\bprocess\.env\[\s*['"]([A-Z][A-Z0-9_]+)['"]\s*\]/g)) add(m[1]!, file);
      for (const m of src.matchAll(/\benv\.([A-Z][A-Z0-9_]+)/g)) add(m[1]!, file);
      for (const m of src.matchAll(/\b(\w*[eE]nv\w*)\(([^()]*?)['"]([A-Z][A-Z0-9_]+)['"]/g)) {
        if (m[1] === 'envOf') for (const p of START_PREFIXES) add(`${p}${m[3]}`, file);
        else add(m[3]!, file);
      }
    }
  }
  return reads;
}

/**
 * True when `name` is a per-provider name `npm start` composes (`PRISM_X` / `CLOUDTOWER_X`) and the same
 * setting is documented for at least one provider: some composed names are read but mean nothing for the
 * other provider (`PRISM_TOKEN`).
 */
export function isComposedFor(name: string, documented: Set<string>): boolean {
  const prefix = START_PREFIXES.find((p) => name.startsWith(p));
  if (!prefix) return false;
  const setting = name.slice(prefix.length);
  return START_PREFIXES.some((p) => documented.has(`${p}${setting}`));
}

/** Env var names serverless.yml reads from the deploying shell (`${env:NAME, …}`). */
export function serverlessEnvReads(): Set<string> {
  const text = readRepoFile('serverless.yml');
  return new Set([...text.matchAll(/\$\{env:([A-Z][A-Z0-9_]+)/g)].map((m) => m[1]!));
}

/** Sample event file names: `<function>.<provider>[-variant][.example].json` or `<provider>[-variant][.example].json`. */
export interface EventFile {
  /** Repository-relative path. */
  path: string;
  /** The function it names, or null: a provider's base event, valid for every function. */
  fn: string | null;
  /** `prism` or `cloudtower` (the file name's spelling). */
  providerPart: string;
  /** `event.provider` the name implies. */
  provider: 'nutanix' | 'cloudtower';
  /** A template for a real system (`*.example.json`): placeholder host and secrets. */
  example: boolean;
}

/** `prism` / `cloudtower` in a file name → `event.provider`. */
const PROVIDER_OF_PART: Record<string, 'nutanix' | 'cloudtower'> = {
  prism: 'nutanix',
  cloudtower: 'cloudtower',
};

/** The events/ files and what their names say; a name that follows no rule is returned as an error text. */
export function eventFiles(): Array<EventFile | string> {
  const keys = new Set(functionKeys());
  return filesUnder('events', /./).map((path): EventFile | string => {
    const name = path.slice('events/'.length);
    const rule =
      'expected <function>.<prism|cloudtower>[-variant][.example].json, with <function> a serverless.yml function key, or <prism|cloudtower>[-variant][.example].json for every function';
    if (!name.endsWith('.json')) return `${path}: not a .json file (${rule})`;
    let stem = name.slice(0, -'.json'.length);
    const example = stem.endsWith('.example');
    if (example) stem = stem.slice(0, -'.example'.length);
    const parts = stem.split('.');
    if (parts.length > 2) return `${path}: ${rule}`;
    const fn = parts.length === 2 ? parts[0]! : null;
    if (fn !== null && !keys.has(fn)) {
      return `${path}: "${fn}" is not a function in serverless.yml (${[...keys].join(', ')}); ${rule}`;
    }
    const providerPart = parts[parts.length - 1]!.split('-')[0]!;
    const provider = PROVIDER_OF_PART[providerPart];
    if (!provider) return `${path}: "${providerPart}" is not prism or cloudtower; ${rule}`;
    return { path, fn, providerPart, provider, example };
  });
}
